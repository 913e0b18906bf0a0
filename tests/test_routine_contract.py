"""The routine kernel's contract, over every declared routine × step × state.

No URL and no service may record a step in a state that forbids it: the generic checklist
page refuses every step a person may not tick and every state the step does not allow; the
kernel's step service refuses every forbidden state and leaves nothing behind.
"""

from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cases import routines
from cases.models import ChecklistStepCompletion, Deadline
from cases.services.routines import routine_step_do
from kartlegging import services as mapping_services
from mottak.models import ExternalRecipient
from permisjon import services as leave_services
from permisjon.models import LeaveApplication
from permisjon.tests.conftest import interview_held_for
from retur import services as return_services
from savnet import services as missing_services
from savnet.models import MissingReport

pytestmark = pytest.mark.django_db


def _missing_report(resident, by):
    now = timezone.now()
    return missing_services.missing_report_open(
        resident=resident,
        reason_to_believe_at=now - timedelta(hours=1),
        noticed_at=now - timedelta(hours=2),
        last_seen_at=None,
        circumstances="Not at breakfast.",
        by=by,
    )


def _leave_application(resident, by):
    start = timezone.localtime() + timedelta(days=20)
    interview_held_for(resident)
    return leave_services.leave_application_submit(
        resident=resident,
        data=leave_services.LeaveApplicationData(
            departure_at=start,
            return_at=start + timedelta(days=3),
            destination_address="Storgata 1, 0155 Oslo",
            destination_municipality="Oslo",
            reason="Visit an uncle",
        ),
        contact_persons=[
            leave_services.ContactPersonData(
                name="Karim Onkel",
                address="Storgata 1, 0155 Oslo",
                date_of_birth=date(1980, 1, 1),
                relation="Uncle",
                phone="40000000",
            )
        ],
        by=by,
    )


def _return_case(resident, by):
    return return_services.return_case_open(
        resident=resident, stage="rejected_udi", at=timezone.now(), by=by
    )


def _move(resident, by):
    from mottak.services import move_request

    return move_request(resident=resident, by=by, reasons="Closer to school.")


def _private_move(resident, by):
    from mottak.services import private_move_record_wish

    return private_move_record_wish(
        resident=resident, by=by, address="Storgata 1", municipality="Oslo", relation="Uncle"
    )


def _departure(resident, by):
    from mottak.services import departure_prepare

    return departure_prepare(resident=resident, by=by, kind="forced_return")


def _arrival(resident, by):
    from mottak import services as mottak_services

    return mottak_services.arrival_open(stay=resident.stays.get(), by=by)


def _turning_18(resident, by):
    from mottak import services as mottak_services

    return mottak_services.turning_18_open(resident=resident, by=by)


def _mapping(resident, by):
    stay = resident.stays.get(ended_at__isnull=True)
    return mapping_services.mapping_open(resident=resident, stay=stay, by=by)


def _quarterly_meeting(resident, by):
    from retur import services_meetings

    return services_meetings.quarterly_meeting_plan(quarter_of=timezone.localdate())


def _return_task(resident, by):
    from mottak.models import Role
    from mottak.tests.factories import UserFactory

    case = _return_case(resident, by)
    admin = UserFactory(role=Role.ADMIN)
    asa = UserFactory(role=Role.ASA_CASEWORKER)
    return_services.return_case_assign(case=case, caseworker=asa, by=admin)
    return return_services.return_task_create(
        case=case, title="Ring IOM", due_on=timezone.localdate(), by=asa
    )


CASE_BUILDERS = {
    "savnet": _missing_report,
    "permisjon": _leave_application,
    "flytting": _move,
    "privat_flytting": _private_move,
    "avreise": _departure,
    "retur": _return_case,
    "retur_meeting": _quarterly_meeting,
    "retur_task": _return_task,
    "arrival": _arrival,
    "turning_18": _turning_18,
    "kartlegging": _mapping,
}


def _cells(*, checklist_only: bool) -> list:
    return list(_each_cell(checklist_only=checklist_only))


def _each_cell(*, checklist_only: bool):
    for routine in routines.all_routines():
        for step in routine.steps:
            if checklist_only and not step.checklist:
                continue
            for state in routine.state_values():
                yield pytest.param(
                    routine.name, step.code, state, id=f"{routine.name}.{step.code}.{state}"
                )


def _case_in(routine_name: str, state: str, resident, staff):
    case = CASE_BUILDERS[routine_name](resident, staff)
    type(case).objects.filter(pk=case.pk).update(state=state)
    case.refresh_from_db()
    return case


def _completions(case, step_code: str) -> int:
    return ChecklistStepCompletion.objects.filter(
        owner_ct=ContentType.objects.get_for_model(case),
        owner_id=case.pk,
        step_code=step_code,
        undone_at__isnull=True,
    ).count()


def test_every_routine_with_a_case_builder_is_covered():
    assert {r.name for r in routines.all_routines()} == set(CASE_BUILDERS)


@pytest.mark.parametrize(("routine_name", "step_code", "state"), _cells(checklist_only=True))
def test_no_url_records_a_step_by_hand_where_the_routine_forbids_it(
    client, staff, resident, routine_name, step_code, state
):
    routine = routines.get(routine_name)
    step = routine.step(step_code)
    case = _case_in(routine_name, state, resident, staff)
    before = _completions(case, step_code)
    client.force_login(staff)
    url = reverse(
        "cases:checklist_step_complete",
        args=[ContentType.objects.get_for_model(case).pk, case.pk, step.checklist, step_code],
    )
    response = client.post(url, {"note": "by hand"})
    assert response.status_code in (200, 302)
    applies = not (routine.step_refusal and routine.step_refusal(case, step_code))
    allowed = step.manual and state in step.states and not step.needs_attachment and applies
    assert _completions(case, step_code) == before + (1 if allowed else 0)


@pytest.mark.parametrize(("routine_name", "step_code", "state"), _cells(checklist_only=False))
def test_the_step_service_refuses_every_state_the_table_forbids(
    staff, resident, routine_name, step_code, state
):
    routine = routines.get(routine_name)
    step = routine.step(step_code)
    case = _case_in(routine_name, state, resident, staff)
    if state in step.states:
        assert not step.to or routine.may_move(state, step.to)
        return
    before = (_completions(case, step_code), Deadline.objects.count())
    with pytest.raises(ValidationError):
        routine_step_do(routine=routine, case=case, step_code=step_code, by=staff)
    case.refresh_from_db()
    assert case.state == state
    assert (_completions(case, step_code), Deadline.objects.count()) == before


def test_perm_4_generic_page_refuses_a_preparation_step_on_a_granted_leave(client, staff, resident):
    """The review's probe: a PERM-4 step posted to the generic URL after the grant."""
    case = _case_in("permisjon", LeaveApplication.State.GRANTED, resident, staff)
    client.force_login(staff)
    url = reverse(
        "cases:checklist_step_complete",
        args=[ContentType.objects.get_for_model(case).pk, case.pk, "perm_4_preparation", "d_met"],
    )
    response = client.post(url, {"note": "after the fact"})
    assert response.status_code == 200
    assert b"This cannot be done while the application is" in response.content
    assert _completions(case, "d_met") == 0


def test_sav_3_a_routine_only_step_cannot_be_ticked_even_in_its_own_state(client, staff, resident):
    case = _case_in("savnet", MissingReport.State.OPEN, resident, staff)
    client.force_login(staff)
    url = reverse(
        "cases:checklist_step_complete",
        args=[ContentType.objects.get_for_model(case).pk, case.pk, "savnet_missing", "police"],
    )
    client.post(url, {"note": "ticked"})
    assert _completions(case, "police") == 0


def test_manage_py_routines_prints_every_routine_with_its_rules():
    out = StringIO()
    call_command("routines", stdout=out)
    text = out.getvalue()
    for routine in routines.all_routines():
        assert f"Routine {routine.name}" in text
        for step in routine.steps:
            assert f"    {step.code}: " in text
            for rule_id in step.rule_ids:
                assert rule_id in text
    assert "deadline savnet_police: 24 hours after reason_to_believe_at, urgency straks" in text
    assert "deadline leave_forwarding: 1 week before departure_at" in text
    assert "notice missing_report on form savnet_police_report.html" in text


def test_sav_2_r_1_straks_steps_alert_at_opening_and_the_leader_after_two_hours(
    staff, leader, resident, monkeypatch
):
    """R-1, with the clock frozen: the police, child-welfare and representative steps alert
    the centre's staff and leader the moment the report opens; the leader is told again when
    they are still undone after 2 hours (not at 1 h 59 min)."""
    from cases.models import DeadlineAlert, Notification
    from cases.services import deadlines_sweep

    frozen = datetime(2026, 12, 1, 3, 0, tzinfo=timezone.get_default_timezone())
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    report = _missing_report(resident, staff)
    straks = Deadline.objects.filter(object_id=report.pk, urgency="straks")
    assert {d.kind for d in straks} == {
        "savnet_police",
        "savnet_child_welfare",
        "savnet_representative",
    }
    opened = DeadlineAlert.objects.filter(deadline__in=straks, stage="opened")
    assert opened.count() == 3
    assert all(alert.created_at == frozen for alert in opened)
    told = set(Notification.objects.filter(alert__in=opened).values_list("recipient", flat=True))
    assert {staff.pk, leader.pk} <= told
    # The other steps of the report are ordinary: no alert before their reminder points.
    ordinary = Deadline.objects.filter(object_id=report.pk, urgency="ordinary")
    assert ordinary.exists()
    assert not DeadlineAlert.objects.filter(deadline__in=ordinary).exists()

    deadlines_sweep(now=frozen + timedelta(hours=1, minutes=59))
    assert not DeadlineAlert.objects.filter(stage="escalation-leader").exists()
    deadlines_sweep(now=frozen + timedelta(hours=2))
    leader_alerts = DeadlineAlert.objects.filter(stage="escalation-leader")
    assert {a.deadline_id for a in leader_alerts} == {d.pk for d in straks}
    told_later = set(
        Notification.objects.filter(alert__in=leader_alerts).values_list("recipient", flat=True)
    )
    assert told_later == {leader.pk}


def test_routine_declarations_refuse_a_step_the_transition_table_forbids():
    from cases.routines import Routine, Step

    with pytest.raises(ValueError):
        Routine(
            name="test_broken",
            label="Broken",
            model="savnet.MissingReport",
            states=(("a", "A"), ("b", "B")),
            transitions={"a": frozenset(), "b": frozenset()},
            steps=(Step("go", "Go", ("X-1",), states=frozenset({"a"}), to="b"),),
        )


def test_routine_declarations_refuse_a_status_watch_on_a_closed_state():
    """The resident page reads statuses from the open cases it loads: a status on a closed
    state would never show, so the declaration is refused."""
    from cases.routines import Routine, Watch

    def declare(states):
        return Routine(
            name="test_status",
            label="Status",
            model="savnet.MissingReport",
            states=(("open", "Open"), ("closed", "Closed")),
            transitions={"open": frozenset({"closed"}), "closed": frozenset()},
            steps=(),
            watches=(Watch("here", "Here", states=frozenset(states), status="here"),),
        )

    assert declare({"open"}).watches[0].status == "here"
    with pytest.raises(ValueError, match="status watch"):
        declare({"closed"})


def test_a_repeating_deadline_opens_the_next_when_met(staff, resident):
    """KART-10's shape ("at least every three months"): meeting one opens the next."""
    from cases.routines import Checklist, Due, Routine, Step, register
    from cases.services.routines import routine_deadline_open

    routine = Routine(
        name="test_repeating",
        label="Repeating (test)",
        model="savnet.MissingReport",
        states=tuple(MissingReport.State.choices),
        transitions={MissingReport.State.OPEN: frozenset()},
        checklists=(Checklist("test_repeating_list", "Repeating"),),
        steps=(
            Step(
                "resend",
                "Resend",
                ("KART-10",),
                states=frozenset({MissingReport.State.OPEN}),
                checklist="test_repeating_list",
                due=Due("reason_to_believe_at", "months", 3, repeat=True),
                deadline_kind="test_resend",
            ),
        ),
    )
    register(routine)
    try:
        report = _missing_report(resident, staff)
        first = routine_deadline_open(routine=routine, case=report, step_code="resend")
        met_at = timezone.now()
        routine_step_do(routine=routine, case=report, step_code="resend", by=staff, at=met_at)
    finally:
        routines.unregister(routine.name)
    first.refresh_from_db()
    assert first.state == Deadline.State.MET
    following = Deadline.objects.get(object_id=report.pk, kind="test_resend", state="open")
    local = timezone.localtime(met_at)
    due = timezone.localtime(following.due_at)
    assert (due.year * 12 + due.month) - (local.year * 12 + local.month) == 3
    assert isinstance(following.due_at, datetime)


def test_the_regional_office_has_one_identity_in_every_routine(region):
    """P7: the leave and the missing routine address the same office the same way."""
    from permisjon.routine import _regional_office as leave_office
    from savnet.routine import _regional_office as missing_office

    class Case:
        class centre:
            pass

    Case.centre.region = region
    from mottak import directory

    named = directory.regional_office(region)
    assert named["recipient_name"] == f"UDI {region.name}"
    assert leave_office(Case) == missing_office(Case) == named
    office = ExternalRecipient.objects.create(
        kind=ExternalRecipient.Kind.UDI_REGION, name=region.name, address="Postboks 1"
    )
    assert leave_office(Case) == missing_office(Case) == {"recipient": office}
