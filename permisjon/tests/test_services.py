"""Services of the leave routine: every allowed and forbidden move, nothing saved half-way."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases.models import Dispatch, TimelineEvent
from mottak.models import Centre, Role
from mottak.tests.factories import make_resident
from permisjon import services
from permisjon.models import ContactPerson, LeaveApplication
from permisjon.tests.conftest import (
    contact,
    id_copy,
    interview_held_for,
    leave_data,
    prepare,
    ready_to_leave,
)

State = LeaveApplication.State


def _prepared(application):
    return prepare(application, application.created_by)


# --- submit (PERM-2) and bad input ------------------------------------------------------


def test_perm_2_submit_registers_application_with_contact_persons(submit, resident, centre):
    # the designated contact person, and a child at the address recorded for the checks.
    application = submit(
        resident,
        contacts=[
            contact(designated=True),
            contact(name="Ola Fetter", date_of_birth=date.today() - timedelta(days=9 * 365)),
        ],
    )
    assert application.state == State.DRAFT
    assert application.centre == centre
    assert application.decider == LeaveApplication.Decider.CENTRE
    assert application.contact_persons.count() == 2
    assert TimelineEvent.objects.filter(kind="leave_submitted", rule_id="PERM-2").count() == 1
    assert application.history.count() == 1


def test_perm_1_submit_stores_regional_office_as_decider_over_14_days(submit, resident):
    application = submit(resident, length_days=15)
    assert application.decider == LeaveApplication.Decider.REGION


@pytest.mark.parametrize(
    ("kwargs", "contacts", "message"),
    [
        ({"length_days": -1}, None, "The return must be after the departure."),
        ({}, [], "Give at least one contact person"),
        (
            {},
            [contact(date_of_birth=date.today() - timedelta(days=17 * 365))],
            "makes them a child",
        ),
        ({}, [contact(date_of_birth=date.today() + timedelta(days=1))], "cannot be in the future"),
    ],
)
def test_bad_input_saves_nothing(submit, resident, kwargs, contacts, message):
    with pytest.raises(ValidationError) as error:
        submit(resident, contacts=contacts, **kwargs)
    assert message in " ".join(error.value.messages)
    assert LeaveApplication.objects.count() == 0
    assert ContactPerson.objects.count() == 0
    assert TimelineEvent.objects.count() == 0


def test_bad_input_overlapping_leave_is_refused(submit, resident):
    first = submit(resident, starts_in_days=10, length_days=5)
    with pytest.raises(ValidationError, match="already has a leave in this period"):
        submit(resident, starts_in_days=12, length_days=5)
    assert LeaveApplication.objects.filter(resident=resident).count() == 1
    # Back to back is not an overlap.
    second = submit(
        resident,
        departure_at=first.return_at,
        return_at=first.return_at + timedelta(days=2),
    )
    assert second.pk != first.pk


def test_bad_input_refused_or_withdrawn_leave_does_not_hold_its_period(submit, resident, leader):
    first = submit(resident, starts_in_days=10, length_days=5)
    services.leave_application_withdraw(application=first, reason="Endret planer", by=leader)
    again = submit(resident, starts_in_days=10, length_days=5)
    assert again.state == State.DRAFT


def test_bad_input_other_residents_leave_does_not_overlap(submit, resident, centre):
    submit(resident, starts_in_days=10)
    other = make_resident(centre)
    assert submit(other, starts_in_days=10).resident == other


# --- deciding at the centre --------------------------------------------------------------


def test_perm_1_centre_leader_grants_what_the_centre_may_decide(submit, resident, leader):
    application = _prepared(submit(resident, length_days=14))
    granted = services.leave_application_grant(
        application=application, by=leader, reason="Trygt besøk"
    )
    assert granted.state == State.GRANTED
    assert granted.decided_by == leader
    assert TimelineEvent.objects.filter(kind="leave_granted").count() == 1


def test_perm_1_centre_staff_and_other_centres_leaders_may_not_decide(
    submit, resident, staff, user_factory, neighbour_centre
):
    application = _prepared(submit(resident))
    other_leader = user_factory(Role.CENTRE_LEADER, centre=neighbour_centre)
    for user in (staff, other_leader):
        with pytest.raises(PermissionDenied):
            services.leave_application_grant(application=application, by=user, reason="Trygt besøk")
    application.refresh_from_db()
    assert application.state == State.PREPARED


def test_perm_1_centre_leader_may_not_decide_what_the_regional_office_decides(
    submit, resident, leader
):
    application = _prepared(submit(resident, length_days=15))
    with pytest.raises(ValidationError):
        services.leave_application_grant(application=application, by=leader, reason="Trygt besøk")


def test_perm_1_regional_caseworker_may_not_decide_a_centre_leave(submit, resident, caseworker):
    application = _prepared(submit(resident))
    with pytest.raises((PermissionDenied, ValidationError)):
        services.leave_application_grant(
            application=application, by=caseworker, reason="Trygt besøk"
        )


def test_perm_4_decision_needs_every_required_step_done(submit, resident, leader, staff):
    application = prepare(submit(resident), staff, skip={"f_police"})
    assert application.state == State.DRAFT
    with pytest.raises(ValidationError, match="police"):
        services.leave_application_grant(application=application, by=leader, reason="Trygt besøk")
    with pytest.raises(ValidationError, match="police"):
        services.leave_application_refuse(application=application, by=leader, reason="Nei")
    services.leave_application_prepare_step(
        application=application,
        step_code="f_police",
        by=staff,
        note="Ingen innvendinger",
        answers={"answer": "no_objection"},
    )
    application.refresh_from_db()
    assert application.state == State.PREPARED
    assert services.leave_application_grant(
        application=application, by=leader, reason="Trygt besøk"
    ).state == (State.GRANTED)


def test_perm_4_id_copy_needs_the_document(submit, resident, staff):
    application = submit(resident)
    with pytest.raises(ValidationError, match="ID document"):
        services.leave_application_prepare_step(
            application=application, step_code="d_id_copy", by=staff, note="Sett"
        )
    with pytest.raises(ValidationError, match="kind and number"):
        services.leave_application_prepare_step(
            application=application, step_code="d_id_copy", by=staff, attachment=id_copy()
        )
    doc = {"document_type": "Førerkort", "document_number": "12345"}
    services.leave_application_prepare_step(
        application=application, step_code="d_id_copy", by=staff, attachment=id_copy(), answers=doc
    )
    designated = application.contact_persons.get(designated=True)
    assert (designated.id_document_type, designated.id_document_number) == ("Førerkort", "12345")
    with pytest.raises(ValidationError, match="already"):
        services.leave_application_prepare_step(
            application=application,
            step_code="d_id_copy",
            by=staff,
            attachment=id_copy(),
            answers=doc,
        )


def test_perm_4_optional_steps_do_not_hold_the_decision(submit, resident, staff):
    application = prepare(submit(resident), staff)
    assert application.state == State.PREPARED
    services.leave_application_prepare_step(
        application=application,
        step_code="g_child_welfare",
        by=staff,
        note="Ekstra sikkerhet",
        answers={"answer": "request", "channel": "by_hand"},
    )
    # the step is done when the letter is recorded as sent.
    from cases.services import dispatch_mark_sent, dispatch_render

    letter = Dispatch.objects.get(purpose="place_check_request")
    dispatch_render(dispatch_id=letter.pk)
    letter.refresh_from_db()
    dispatch_mark_sent(dispatch=letter, by=staff)
    application.refresh_from_db()
    assert application.state == State.PREPARED


def test_perm_4_undone_step_blocks_the_decision_again(submit, resident, staff, leader):
    from cases.models import ChecklistStepCompletion
    from cases.services import checklist_step_undo

    application = prepare(submit(resident), staff)
    completion = ChecklistStepCompletion.objects.get(step_code="b_own_wish")
    checklist_step_undo(completion=completion, by=staff, reason="Feil sak")
    with pytest.raises(ValidationError, match="wants to stay"):
        services.leave_application_grant(application=application, by=leader, reason="Trygt besøk")


def test_perm_9_10_pu_view_is_needed_before_the_preparation_is_done(user_factory, centre, staff):
    resident = make_resident(centre, asylum_stage="final_rejection")
    interview_held_for(resident)
    application = services.leave_application_submit(
        resident=resident, data=leave_data(), contact_persons=[contact()], by=staff
    )
    application = prepare(application, staff)
    assert application.state == State.DRAFT
    application = services.leave_application_record_pu_view(
        application=application, view="no_clash", note="", by=staff
    )
    assert application.state == State.PREPARED
    assert application.decider == LeaveApplication.Decider.REGION


def test_perm_1_abroad_is_refused_at_input_and_nothing_is_saved(submit, resident):
    """Changed by issue 10 (PERM-1, "refused at input"): an application to travel out of
    Norway is no longer registered to be refused later; it is never registered at all."""
    with pytest.raises(ValidationError, match="out of Norway"):
        submit(resident, abroad=True)
    assert not LeaveApplication.objects.exists()


def test_perm_4c_young_contact_person_cannot_be_granted(submit, resident, leader):
    young = timezone.localdate() - timedelta(days=20 * 365)
    application = _prepared(submit(resident, contacts=[contact(date_of_birth=young)]))
    with pytest.raises(ValidationError, match="turned 25"):
        services.leave_application_grant(application=application, by=leader, reason="Trygt besøk")


def test_refusal_needs_a_reason(submit, resident, leader):
    application = _prepared(submit(resident))
    with pytest.raises(ValidationError):
        services.leave_application_refuse(application=application, by=leader, reason="  ")
    application.refresh_from_db()
    assert application.state == State.PREPARED


def test_a_decided_application_cannot_be_decided_again(submit, resident, leader):
    application = _prepared(submit(resident))
    services.leave_application_grant(application=application, by=leader, reason="Trygt besøk")
    with pytest.raises(ValidationError):
        services.leave_application_refuse(application=application, by=leader, reason="Nei")


# --- departure, follow-up, return --------------------------------------------------------


def _granted(submit, resident, leader, **kwargs):
    application = _prepared(submit(resident, **kwargs))
    return services.leave_application_grant(
        application=application, by=leader, reason="Trygt besøk"
    )


def test_perm_5_departure_follow_up_and_return_on_time(submit, resident, leader, staff):
    application = _granted(submit, resident, leader, starts_in_days=-3, length_days=7)
    left = application.departure_at
    application = ready_to_leave(application, staff)
    services.leave_application_mark_departed(application=application, at=left, by=staff)
    call = services.leave_follow_up_call_log(
        application=application,
        called_at=left + timedelta(days=1),
        spoke_with="Kari Kontakt",
        outcome="well",
        note="",
        by=staff,
    )
    assert call.application_id == application.pk
    back = services.leave_application_mark_returned(
        application=application, at=timezone.now(), by=staff
    )
    assert back.state == State.RETURNED
    assert not back.broken_agreement


def test_perm_5_follow_up_call_only_during_the_leave(submit, resident, leader, staff):
    application = _granted(submit, resident, leader)
    with pytest.raises(ValidationError):
        services.leave_follow_up_call_log(
            application=application,
            called_at=timezone.now(),
            spoke_with="Kari",
            outcome="well",
            note="",
            by=staff,
        )


def test_perm_7_late_return_breaks_the_agreement_and_shows_on_the_next_application(
    submit, resident, leader, staff
):
    application = _granted(submit, resident, leader, starts_in_days=-5, length_days=2)
    application = ready_to_leave(application, staff)
    services.leave_application_mark_departed(
        application=application, at=application.departure_at, by=staff
    )
    assert services.leave_application_mark_late(application_id=application.pk)
    assert not services.leave_application_mark_late(application_id=application.pk)
    back = services.leave_application_mark_returned(
        application=application, at=timezone.now(), by=staff
    )
    assert back.broken_agreement
    from permisjon.selectors import leave_outcome

    later = submit(resident, starts_in_days=20)
    assert [n.code for n in leave_outcome(later).notes] == ["earlier_broken_agreements"]


def test_perm_6_mark_late_only_after_the_agreed_time(submit, resident, leader, staff):
    application = _granted(submit, resident, leader, starts_in_days=-1, length_days=3)
    application = ready_to_leave(application, staff)
    services.leave_application_mark_departed(
        application=application, at=application.departure_at, by=staff
    )
    assert not services.leave_application_mark_late(application_id=application.pk)
    assert services.leave_application_mark_late(
        application_id=application.pk, now=application.return_at
    )
    application.refresh_from_db()
    assert application.state == State.LATE


def test_departure_only_when_granted(submit, resident, staff):
    application = submit(resident, starts_in_days=-1)
    with pytest.raises(ValidationError):
        services.leave_application_mark_departed(
            application=application, at=timezone.now(), by=staff
        )


def test_transit_centre_application_goes_to_region(user_factory, neighbour_centre, submit):
    assert neighbour_centre.kind == Centre.Kind.TRANSIT
    resident = make_resident(neighbour_centre)
    staff_t = user_factory(Role.CENTRE_STAFF, centre=neighbour_centre)
    application = submit(resident, by=staff_t, length_days=2)
    assert application.decider == LeaveApplication.Decider.REGION
