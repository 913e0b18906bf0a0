"""The leave routine on the case engine: deadlines (PERM-3, PERM-6), dispatches (PERM-3, PERM-5)."""

import subprocess
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases import periods
from cases.models import Deadline, Dispatch, TimelineEvent
from cases.services import dispatch_render
from permisjon import services
from permisjon.models import LeaveApplication
from permisjon.tests.conftest import prepare, ready_to_leave, send_out

State = LeaveApplication.State


def pdf_text(dispatch: Dispatch, tmp_path) -> str:
    dispatch = dispatch_render(dispatch_id=dispatch.pk) or Dispatch.objects.get(pk=dispatch.pk)
    dispatch.refresh_from_db()
    path = tmp_path / f"d{dispatch.pk}.pdf"
    with dispatch.pdf.open("rb") as handle:
        path.write_bytes(handle.read())
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-layout", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def forwarding(application):
    return Deadline.objects.get(object_id=application.pk, kind=services.FORWARDING_DEADLINE)


# --- PERM-3: the forwarding deadline ----------------------------------------------------------


def test_perm_3_regional_leave_opens_a_deadline_one_week_before_departure(submit, resident):
    application = submit(resident, starts_in_days=20, length_days=15)
    deadline = forwarding(application)
    assert deadline.rule_id == "PERM-3"
    assert deadline.state == Deadline.State.OPEN
    assert deadline.due_at == periods.one_week_before(application.departure_at)
    local_due = timezone.localtime(deadline.due_at)
    local_departure = timezone.localtime(application.departure_at)
    assert local_departure.date() - local_due.date() == timedelta(days=7)
    assert local_due.time() == local_departure.time()
    assert deadline.centre == application.centre


def test_perm_3_centre_leave_has_no_forwarding_deadline(submit, resident):
    application = submit(resident, length_days=14)
    assert not Deadline.objects.filter(object_id=application.pk).exists()


def test_perm_3_r_13_forwarding_on_time_meets_the_deadline_when_the_application_is_sent(
    submit, resident, staff, tmp_path
):
    application = prepare(submit(resident, starts_in_days=20, length_days=15), staff)
    forwarded = services.leave_application_forward(
        application=application, by=staff, channel="encrypted_email"
    )
    assert forwarded.state == State.FORWARDED
    assert not forwarded.forwarded_late
    [dispatch] = Dispatch.objects.filter(purpose="leave_application")
    assert forwarding(application).state == Deadline.State.OPEN  # made, not sent
    send_out(dispatch, by=staff)
    deadline = forwarding(application)
    assert deadline.state == Deadline.State.MET and not deadline.was_missed
    assert dispatch.recipient_kind == "udi_region"
    text = pdf_text(dispatch, tmp_path)
    assert "Søknad om permisjon" in text
    assert "Testa Testesen" in text
    assert "Kari Kontakt" in text
    assert "Kopi av kontaktpersonens identitetspapirer" in text
    assert "Permisjon over 14 dager" in text


def test_perm_3_r_13_forwarding_late_is_allowed_but_recorded_and_shown(submit, resident, staff):
    application = prepare(submit(resident, starts_in_days=3, length_days=15), staff)
    forwarded = services.leave_application_forward(
        application=application, by=staff, channel="encrypted_email"
    )
    assert forwarded.forwarded_late
    send_out(Dispatch.objects.get(purpose="leave_application"), by=staff)
    deadline = forwarding(application)
    assert deadline.state == Deadline.State.MET and deadline.was_missed
    assert TimelineEvent.objects.filter(
        kind="leave_forwarded", summary__contains="later than one week"
    ).exists()
    [dispatch] = Dispatch.objects.filter(purpose="leave_application")
    assert dispatch.context["forwarded_late"] is True


def test_perm_3_forwarding_boundary_exactly_one_week_before_is_on_time(submit, resident, staff):
    application = prepare(submit(resident, starts_in_days=20, length_days=15), staff)
    due = periods.one_week_before(application.departure_at)
    forwarded = services.leave_application_forward(
        application=application, by=staff, channel="encrypted_email", at=due
    )
    assert not forwarded.forwarded_late


def test_bad_input_forwarding_by_post_without_the_regions_address_saves_nothing(
    submit, resident, staff
):
    application = prepare(submit(resident, starts_in_days=20, length_days=15), staff)
    with pytest.raises(ValidationError, match="needs the recipient's address"):
        services.leave_application_forward(application=application, by=staff, channel="post")
    application.refresh_from_db()
    assert application.state == State.PREPARED and application.forwarded_at is None
    assert forwarding(application).state == Deadline.State.OPEN
    assert not Dispatch.objects.exists()


def test_perm_3_the_centre_cannot_forward_what_it_decides_itself(submit, resident, staff):
    application = prepare(submit(resident, length_days=14), staff)
    with pytest.raises(Exception, match="decides this leave itself"):
        services.leave_application_forward(application=application, by=staff, channel="post")


def test_perm_3_withdrawing_waives_the_forwarding_deadline(submit, resident, staff, leader):
    application = submit(resident, starts_in_days=20, length_days=15)
    with pytest.raises(PermissionDenied):
        services.leave_application_withdraw(application=application, reason="Vil ikke", by=staff)
    services.leave_application_withdraw(application=application, reason="Vil ikke", by=leader)
    assert forwarding(application).state == Deadline.State.WAIVED


# --- the regional office decides ----------------------------------------------------------------


def _forwarded(submit, resident, staff, **kwargs):
    application = prepare(submit(resident, starts_in_days=20, length_days=15, **kwargs), staff)
    return services.leave_application_forward(
        application=application, by=staff, channel="encrypted_email"
    )


def test_perm_1_regional_caseworker_grants_a_forwarded_application(
    submit, resident, staff, caseworker, leader
):
    application = _forwarded(submit, resident, staff)
    with pytest.raises(PermissionDenied):
        services.leave_application_grant(application=application, by=leader, reason="Trygt besøk")
    granted = services.leave_application_grant(
        application=application, by=caseworker, reason="Trygt besøk"
    )
    assert granted.state == State.GRANTED and granted.decided_by == caseworker


def test_perm_1_caseworker_of_another_region_may_not_decide(
    submit, resident, staff, user_factory, other_region
):
    application = _forwarded(submit, resident, staff)
    outsider = user_factory("region_caseworker", region=other_region)
    with pytest.raises(PermissionDenied):
        services.leave_application_refuse(application=application, by=outsider, reason="Nei")


def test_perm_1_regional_refusal_with_a_reason(submit, resident, staff, caseworker):
    application = _forwarded(submit, resident, staff)
    refused = services.leave_application_refuse(
        application=application, by=caseworker, reason="Kontaktpersonen er ikke egnet."
    )
    assert refused.state == State.REFUSED
    assert refused.decision_reason == "Kontaktpersonen er ikke egnet."


# --- PERM-5: agreement and the representative ---------------------------------------------------


def test_perm_5_grant_creates_the_agreement_and_the_representative_notice(
    submit, centre, staff, leader, tmp_path
):
    from mottak.tests.factories import make_resident

    resident = make_resident(
        centre,
        representative_name="Bjørg Verge",
        representative_address="Storgata 2, 2609 Lillehammer",
    )
    application = prepare(submit(resident, length_days=5), staff)
    services.leave_application_grant(
        application=application,
        by=leader,
        reason="Trygt besøk",
        agreement_note="Ringer mottaket hver kveld kl. 20.",
    )
    agreement = Dispatch.objects.get(template="permisjon_avtale.html")
    assert (agreement.recipient_name, agreement.channel) == ("Kari Kontakt", "by_hand")
    notice = Dispatch.objects.get(purpose="leave_notice")
    assert notice.recipient_kind == "representative" and notice.channel == "post"
    text = pdf_text(agreement, tmp_path)
    assert "Avtale om permisjon" in text
    back = timezone.localtime(application.return_at)
    assert f"kl. {back:%H.%M}" in text
    assert "Tilbake på asylmottaket senest" in text
    assert "Ringer mottaket hver kveld kl. 20." in text
    assert "Bjørg Verge" in pdf_text(notice, tmp_path)


def test_perm_5_representative_notice_afterwards_when_no_address_was_on_record(
    submit, resident, staff, leader
):
    application = prepare(submit(resident, length_days=5), staff)
    services.leave_application_grant(application=application, by=leader, reason="Trygt besøk")
    assert not Dispatch.objects.filter(purpose="leave_notice").exists()
    services.leave_application_notify_representative(
        application=application, by=staff, name="Bjørg Verge", address="Storgata 2", channel="post"
    )
    again = services.leave_application_notify_representative(
        application=application, by=staff, name="Bjørg Verge", address="Storgata 2", channel="post"
    )
    assert Dispatch.objects.filter(purpose="leave_notice").count() == 1
    assert again.purpose == "leave_notice"


def test_perm_5_representative_told_orally_is_logged(submit, resident, staff, leader):
    application = prepare(submit(resident, length_days=5), staff)
    services.leave_application_grant(application=application, by=leader, reason="Trygt besøk")
    told = services.leave_application_representative_told_orally(
        application=application, at=timezone.now(), note="Støtter permisjonen", by=staff
    )
    assert told.representative_told_orally_at is not None
    assert TimelineEvent.objects.filter(kind="leave_representative_told").exists()


# --- PERM-6: late return ------------------------------------------------------------------------


def _away(submit, resident, staff, leader, **kwargs):
    application = prepare(submit(resident, **kwargs), staff)
    services.leave_application_grant(application=application, by=leader, reason="Trygt besøk")
    application = ready_to_leave(application, staff)
    return services.leave_application_mark_departed(
        application=application, at=application.departure_at, by=staff
    )


def test_perm_6_not_back_on_time_opens_a_deadline_and_being_back_meets_it(
    submit, resident, staff, leader
):
    application = _away(submit, resident, staff, leader, starts_in_days=-4, length_days=2)
    assert services.leave_application_mark_late(application_id=application.pk)
    deadline = Deadline.objects.get(object_id=application.pk, kind=services.LATE_RETURN_DEADLINE)
    assert deadline.state == Deadline.State.OPEN  # not met by marking the leave late
    assert deadline.rule_id == "PERM-6"
    assert deadline.due_at == periods.elapsed_hours(application.return_at, 24)
    services.leave_application_mark_returned(application=application, at=timezone.now(), by=staff)
    deadline.refresh_from_db()
    assert deadline.state == Deadline.State.MET


def test_perm_6_late_deadline_opens_once(submit, resident, staff, leader):
    application = _away(submit, resident, staff, leader, starts_in_days=-4, length_days=2)
    services.leave_application_mark_late(application_id=application.pk)
    services.leave_application_mark_late(application_id=application.pk)
    assert (
        Deadline.objects.filter(
            object_id=application.pk, kind=services.LATE_RETURN_DEADLINE
        ).count()
        == 1
    )


def test_perm_6_on_time_return_opens_no_deadline(submit, resident, staff, leader):
    application = _away(submit, resident, staff, leader, starts_in_days=-1, length_days=2)
    services.leave_application_mark_returned(application=application, at=timezone.now(), by=staff)
    assert not Deadline.objects.filter(
        object_id=application.pk, kind=services.LATE_RETURN_DEADLINE
    ).exists()
    # Only the agreed return, met by being back.
    assert not Deadline.objects.filter(object_id=application.pk, state__in=Deadline.PENDING)


# --- PERM-8, PERM-9: "normally not" set aside with a reason -----------------------------------


def test_perm_8_transit_leave_needs_a_reason_for_the_exception(
    submit, user_factory, neighbour_centre, region
):
    from mottak.tests.factories import make_resident

    resident = make_resident(neighbour_centre)  # in transit for 30 days
    staff_t = user_factory("centre_staff", centre=neighbour_centre)
    caseworker = user_factory("region_caseworker", region=region)
    application = prepare(submit(resident, by=staff_t, starts_in_days=20, length_days=3), staff_t)
    application = services.leave_application_forward(
        application=application, by=staff_t, channel="encrypted_email"
    )
    with pytest.raises(ValidationError, match="needs a reason for the exception"):
        services.leave_application_grant(
            application=application, by=caseworker, reason="Trygt besøk"
        )
    application.refresh_from_db()
    assert application.state == State.FORWARDED
    granted = services.leave_application_grant(
        application=application,
        by=caseworker,
        reason="Trygt besøk",
        overrides={
            "transit_under_3_months": "Dødsfall i nær familie",
            "transit_before_interview": "Asylintervju er berammet etter permisjonen",
        },
    )
    assert granted.state == State.GRANTED
    assert granted.override_reasons["transit_under_3_months"] == "Dødsfall i nær familie"


def test_perm_10_final_rejection_with_pu_clash_cannot_be_granted(submit, centre, staff, caseworker):
    from mottak.tests.factories import make_resident

    resident = make_resident(centre, asylum_stage="final_rejection")
    application = prepare(submit(resident, starts_in_days=20, length_days=3), staff)
    application = services.leave_application_record_pu_view(
        application=application, view="clashes", note="Uttransport planlagt", by=staff
    )
    application = services.leave_application_forward(
        application=application, by=staff, channel="encrypted_email"
    )
    [dispatch] = Dispatch.objects.filter(purpose="leave_application")
    assert "konflikt med planer om uttransportering" in dispatch.context["pu_view"]
    with pytest.raises(ValidationError, match="cannot be granted"):
        services.leave_application_grant(
            application=application, by=caseworker, reason="Trygt besøk", overrides={"x": "y"}
        )
    refused = services.leave_application_refuse(
        application=application, by=caseworker, reason="PU: konflikt med uttransport"
    )
    assert refused.state == State.REFUSED


def test_perm_7_the_centres_recommendation_goes_with_the_application(
    submit, resident, staff, leader
):
    first = prepare(submit(resident, starts_in_days=-6, length_days=2), staff)
    services.leave_application_grant(application=first, by=leader, reason="Trygt besøk")
    first = ready_to_leave(first, staff)
    services.leave_application_mark_departed(application=first, at=first.departure_at, by=staff)
    services.leave_application_mark_returned(
        application=first, at=timezone.now(), by=staff, note="Kom tre dager for sent"
    )
    second = submit(resident, starts_in_days=20, length_days=15)
    services.leave_application_recommend_refusal(
        application=second, note="Brøt forrige avtale", by=staff
    )
    second = services.leave_application_forward(
        application=prepare(second, staff), by=staff, channel="encrypted_email"
    )
    [dispatch] = Dispatch.objects.filter(purpose="leave_application")
    assert dispatch.context["broken_agreements"] == 1
    assert dispatch.context["centre_recommends_refusal"] is True
    # R-22 changed this check: the finding is printed in words, without its rule id.
    assert any(
        "brutt tidligere permisjonsavtaler" in line for line in dispatch.context["assessment"]
    )
    assert not any("PERM-" in line for line in dispatch.context["assessment"])
