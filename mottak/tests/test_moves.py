"""MOT-3, R-11, R-14: moving to another centre on the routine kernel — the request, child
welfare's views first, the regional decision, the representative within one working day, the
moving notices, the hand-over list and the arrival that completes the move."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases.models import Deadline
from cases.services import dispatch_mark_sent, dispatch_render
from cases.services.deadlines import deadline_open
from mottak import routine_moves as steps
from mottak import rules_moves
from mottak.models import Centre, Move, MoveHandoverItem, Resident, Stay
from mottak.services import (
    move_approve,
    move_child_welfare_views_record,
    move_complete,
    move_folder_handed,
    move_handover_mark,
    move_notice_create,
    move_refuse,
    move_representative_told,
    move_request,
    move_sesam_record,
    move_withdraw,
)
from mottak.tests.factories import (
    CentreFactory,
    CentreLeaderFactory,
    CentreStaffFactory,
    RegionCaseworkerFactory,
    ResidentFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def target(region):
    return CentreFactory(
        name="Solbakken mottak",
        kind=Centre.Kind.ORDINARY_MINORS,
        municipality="Hamar",
        region=region,
        capacity=20,
        address="Sølvgata 3, 2317 Hamar",
    )


@pytest.fixture
def target_staff(target):
    return CentreStaffFactory(centre=target)


@pytest.fixture(autouse=True)
def directory(db):
    """The offices the notices go to, with their addresses (fictional)."""
    from mottak.models import ExternalRecipient

    Kind = ExternalRecipient.Kind
    rows = [
        (Kind.COUNTY_GOVERNOR, "Statsforvalteren i Innlandet", "Lillehammer"),
        (Kind.SCHOOL, "Lillehammer ungdomsskole", "Lillehammer"),
        (Kind.HEALTH_OFFICE, "Helsestasjonen i Lillehammer", "Lillehammer"),
        (Kind.CHILD_WELFARE, "Barneverntjenesten i Oslo", "Oslo"),
        (Kind.IMDI, "IMDi Indre Øst", ""),
        (Kind.UDI_REGION, "UDI Region Øst", ""),
    ]
    for kind, name, municipality in rows:
        ExternalRecipient.objects.create(
            kind=kind, name=name, address="Postboks 1, 0001 Oslo", municipality=municipality
        )


@pytest.fixture
def minor(centre):
    return ResidentFactory(
        centre=centre,
        representative_name="Bjørg Representant",
        representative_address="Storgata 1, 2609 Lillehammer",
        school="Lillehammer ungdomsskole",
    )


def request_move(resident, by, **extra):
    values = {"resident": resident, "by": by, "reasons": "Needs a centre closer to his uncle."}
    values.update(extra)
    return move_request(**values)


def send_out(*dispatches, by):
    """R-13: render the notices and record them as sent."""
    for dispatch in dispatches:
        dispatch_render(dispatch_id=dispatch.pk)
        dispatch.refresh_from_db()
        dispatch_mark_sent(dispatch=dispatch, by=by)


def approved(minor, staff, caseworker, target, **extra):
    move = request_move(minor, staff)
    return move_approve(
        move=move,
        by=caseworker,
        target_centre=target,
        move_date=timezone.localdate() + timedelta(days=3),
        **extra,
    )


def prepared(move, staff):
    """Every step the centre being left must do before the arrival."""
    move_representative_told(move=move, by=staff, how=Move.ToldHow.PHONE)
    move_sesam_record(move=move, by=staff)
    notices = [
        move_notice_create(move=move, by=staff, step_code=code) for code in steps.NOTICE_STEPS
    ]
    send_out(*notices, by=staff)
    move_folder_handed(move=move, by=staff)
    for item in move.handover_items.filter(decision=""):
        move_handover_mark(item=item, by=staff, decision=MoveHandoverItem.Decision.MOVED)
    return notices


# --- the rules ---------------------------------------------------------------------------------


def test_mot_3_rule_same_centre_outside_region_and_past_date_are_problems():
    today = datetime(2026, 12, 2).date()
    common = {
        "waits_for_child_welfare": False,
        "from_centre_id": 1,
        "region_id": 10,
        "today": today,
    }
    assert rules_moves.move_approval_problems(
        target_centre_id=1, target_region_id=10, move_date=today, **common
    ) == [rules_moves.SAME_CENTRE]
    assert rules_moves.move_approval_problems(
        target_centre_id=2, target_region_id=11, move_date=today, **common
    ) == [rules_moves.OUTSIDE_REGION]
    assert rules_moves.move_approval_problems(
        target_centre_id=2, target_region_id=10, move_date=today - timedelta(days=1), **common
    ) == [rules_moves.DATE_IN_PAST]
    # Today itself is allowed.
    assert (
        rules_moves.move_approval_problems(
            target_centre_id=2, target_region_id=10, move_date=today, **common
        )
        == []
    )


def test_mot_3_rule_decision_waits_for_child_welfare():
    assert rules_moves.CHILD_WELFARE_VIEWS_MISSING in rules_moves.move_approval_problems(
        waits_for_child_welfare=True,
        from_centre_id=1,
        target_centre_id=2,
        target_region_id=10,
        region_id=10,
        move_date=datetime(2026, 12, 2).date(),
        today=datetime(2026, 12, 2).date(),
    )


def test_r_14_rule_special_needs_need_a_note_for_the_region():
    common = {
        "reasons": "School.",
        "from_centre_id": 1,
        "proposed_centre_id": None,
        "proposed_region_id": None,
        "region_id": 10,
    }
    assert rules_moves.move_request_problems(
        has_special_needs=True, special_needs_note=" ", **common
    ) == [rules_moves.NO_SPECIAL_NEEDS_NOTE]
    assert (
        rules_moves.move_request_problems(
            has_special_needs=True, special_needs_note="Needs a quiet room.", **common
        )
        == []
    )
    assert (
        rules_moves.move_request_problems(has_special_needs=False, special_needs_note="", **common)
        == []
    )


# --- the request -------------------------------------------------------------------------------


def test_r_11_representative_told_within_one_working_day_of_the_request(minor, staff):
    friday = datetime(2026, 11, 27, 13, 0, tzinfo=UTC)  # Friday 14:00 in Oslo
    move = request_move(minor, staff)
    move.requested_at = friday
    move.save()
    deadline = Deadline.objects.get(kind="flytting_representative")
    assert deadline.urgency == "snarest"
    from cases.services.routines import routine_deadline_open

    Deadline.objects.all().delete()
    reopened = routine_deadline_open(routine=steps.MOVE, case=move, step_code=steps.REPRESENTATIVE)
    # Friday + 1 working day = Monday, same wall time.
    assert timezone.localtime(reopened.due_at).strftime("%A %H:%M") == "Monday 14:00"


def test_r_11_telling_the_representative_meets_the_deadline(minor, staff):
    move = request_move(minor, staff)
    move_representative_told(move=move, by=staff, how=Move.ToldHow.PHONE, note="Reached.")
    deadline = Deadline.objects.get(kind="flytting_representative")
    assert deadline.state == Deadline.State.MET
    move.refresh_from_db()
    assert move.representative_told_how == "phone"


def test_r_11_no_representative_on_record_is_refused_with_a_message(centre, staff):
    resident = ResidentFactory(centre=centre, representative_name="")
    move = request_move(resident, staff)
    with pytest.raises(ValidationError, match="No representative is on record"):
        move_representative_told(move=move, by=staff, how=Move.ToldHow.PHONE)


def test_mot_3_request_records_the_child_welfare_gate_from_the_resident(centre, staff):
    resident = ResidentFactory(centre=centre, child_welfare_case=True)
    move = request_move(resident, staff)
    assert move.child_welfare_required and move.waits_for_child_welfare
    assert move.centre == centre and move.state == Move.State.REQUESTED


def test_r_14_special_needs_without_a_note_are_refused(centre, staff):
    resident = ResidentFactory(centre=centre, special_needs="Diabetes; insulin twice a day.")
    with pytest.raises(ValidationError, match="special needs"):
        request_move(resident, staff)
    assert not Move.objects.exists()
    move = request_move(resident, staff, special_needs_note="Needs a nurse nearby.")
    assert move.special_needs_note == "Needs a nurse nearby."


def test_mot_3_a_proposed_centre_must_be_another_centre_in_the_region(
    minor, staff, centre, far_centre
):
    with pytest.raises(ValidationError, match="another centre than the current one"):
        request_move(minor, staff, proposed_centre=centre)
    with pytest.raises(ValidationError, match="regional office's own centres"):
        request_move(minor, staff, proposed_centre=far_centre)
    assert not Move.objects.exists()


def test_mot_3_a_second_request_for_the_same_resident_is_refused(minor, staff):
    request_move(minor, staff)
    with pytest.raises(ValidationError, match="already under way"):
        request_move(minor, staff)
    assert Move.objects.count() == 1


def test_mot_3_partial_unique_constraint_allows_one_open_move(minor, staff):
    from django.db import IntegrityError, transaction

    first = request_move(minor, staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        Move.objects.create(
            resident=minor, centre=first.centre, origin="centre", reasons="x", created_by=staff
        )
    move_withdraw(move=first, by=CentreLeaderFactory(centre=first.centre), reason="Changed mind.")
    # A closed move does not block a new one.
    assert request_move(minor, staff).state == Move.State.REQUESTED


# --- the decision ------------------------------------------------------------------------------


def test_mot_3_region_decision_refused_until_child_welfare_views_recorded(
    centre, staff, caseworker, target
):
    resident = ResidentFactory(centre=centre, child_welfare_case=True)
    move = request_move(resident, staff)
    date = timezone.localdate() + timedelta(days=2)
    with pytest.raises(ValidationError, match="views on the move must be recorded"):
        move_approve(move=move, by=caseworker, target_centre=target, move_date=date)
    with pytest.raises(ValidationError, match="views on the move must be recorded"):
        move_refuse(move=move, by=caseworker, reason="No room.")
    move.refresh_from_db()
    assert move.state == Move.State.REQUESTED and move.target_centre is None
    move_child_welfare_views_record(move=move, by=staff, views="No objection to the move.")
    move = move_approve(move=move, by=caseworker, target_centre=target, move_date=date)
    assert move.state == Move.State.APPROVED


def test_mot_3_child_welfare_placement_lifts_the_gate(centre, staff, caseworker, target):
    resident = ResidentFactory(centre=centre, child_welfare_case=True)
    move = request_move(resident, staff)
    move_child_welfare_views_record(
        move=move, by=staff, views="Child welfare places the minor.", placement=True
    )
    move.refresh_from_db()
    assert not move.waits_for_child_welfare
    approved_move = move_approve(
        move=move, by=caseworker, target_centre=target, move_date=timezone.localdate()
    )
    assert approved_move.state == Move.State.APPROVED


def test_mot_3_bad_decisions_get_clear_messages_and_save_nothing(
    minor, staff, caseworker, centre, far_centre, target
):
    move = request_move(minor, staff)
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="another centre than the current one"):
        move_approve(move=move, by=caseworker, target_centre=centre, move_date=today)
    with pytest.raises(ValidationError, match="regional office's own centres"):
        move_approve(move=move, by=caseworker, target_centre=far_centre, move_date=today)
    with pytest.raises(ValidationError, match="cannot be in the past"):
        move_approve(
            move=move, by=caseworker, target_centre=target, move_date=today - timedelta(days=1)
        )
    with pytest.raises(ValidationError, match="reason for the refusal"):
        move_refuse(move=move, by=caseworker, reason=" ")
    move.refresh_from_db()
    assert move.state == Move.State.REQUESTED and move.target_centre is None
    assert not move.handover_items.exists()


def test_mot_3_only_the_regional_office_of_the_centre_decides(
    minor, staff, target, other_region, leader
):
    move = request_move(minor, staff)
    today = timezone.localdate()
    for user in (staff, leader, RegionCaseworkerFactory(region=other_region)):
        with pytest.raises(PermissionDenied):
            move_approve(move=move, by=user, target_centre=target, move_date=today)


def test_mot_3_refusal_ends_the_move_and_its_deadline(minor, staff, caseworker):
    move = request_move(minor, staff)
    move = move_refuse(move=move, by=caseworker, reason="No suitable place now.")
    assert move.state == Move.State.REFUSED
    assert Deadline.objects.get(kind="flytting_representative").state == Deadline.State.WAIVED


# --- preparing and completing ------------------------------------------------------------------


def test_mot_3_moving_notices_go_to_statsforvalteren_school_and_health_office(
    minor, staff, caseworker, target
):
    move = approved(minor, staff, caseworker, target)
    notices = [
        move_notice_create(move=move, by=staff, step_code=code) for code in steps.NOTICE_STEPS
    ]
    kinds = sorted(n.recipient_kind for n in notices)
    assert kinds == ["county_governor", "health_office", "school"]
    assert {n.purpose for n in notices} == {"moving_notice"}
    school = next(n for n in notices if n.recipient_kind == "school")
    assert "Lillehammer" in school.recipient_name or school.recipient_name
    # made is not done; sent is.
    from cases.services.routines import done_codes

    assert not set(steps.NOTICE_STEPS) & done_codes(move, steps.MOVE_CHECKLIST)
    send_out(*notices, by=staff)
    assert set(steps.NOTICE_STEPS) <= done_codes(move, steps.MOVE_CHECKLIST)


def test_mot_3_moving_notice_pdf_names_the_minor_both_centres_and_the_date(
    minor, staff, caseworker, target, tmp_path
):
    import subprocess

    move = approved(minor, staff, caseworker, target)
    dispatch = move_notice_create(move=move, by=staff, step_code=steps.NOTICE_HEALTH_OFFICE)
    dispatch_render(dispatch_id=dispatch.pk)
    dispatch.refresh_from_db()
    path = tmp_path / "notice.pdf"
    path.write_bytes(dispatch.pdf.read())
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Melding om flytting" in text
    assert minor.full_name in text
    assert "Fjellheim mottak" in text and "Solbakken mottak" in text
    assert "helsejournalen" in text
    assert "MOT-" not in text and "R-1" not in text


def test_mot_3_completion_refused_while_steps_of_the_centre_being_left_are_open(
    minor, staff, caseworker, target, target_staff
):
    move = approved(minor, staff, caseworker, target)
    with pytest.raises(ValidationError, match="has not yet done"):
        move_complete(move=move, by=target_staff)
    move.refresh_from_db()
    assert move.state == Move.State.APPROVED
    assert minor.stays.get(ended_at__isnull=True).centre_id == move.centre_id


def test_mot_3_completion_refused_while_a_handover_item_is_unmarked(
    minor, staff, caseworker, target, target_staff, centre
):
    deadline_open(
        owner=minor,
        kind="other_open_thing",
        rule_id="",
        due_at=timezone.now() + timedelta(days=5),
        label="Follow-up conversation",
        centre=centre,
        subject=minor,
    )
    move = approved(minor, staff, caseworker, target)
    item = move.handover_items.get()
    assert item.kind == MoveHandoverItem.Kind.DEADLINE
    move_representative_told(move=move, by=staff, how=Move.ToldHow.PHONE)
    move_sesam_record(move=move, by=staff)
    send_out(
        *[move_notice_create(move=move, by=staff, step_code=c) for c in steps.NOTICE_STEPS],
        by=staff,
    )
    move_folder_handed(move=move, by=staff)
    with pytest.raises(ValidationError, match="hand-over list"):
        move_complete(move=move, by=target_staff)
    with pytest.raises(ValidationError, match="Say why"):
        move_handover_mark(item=item, by=staff, decision=MoveHandoverItem.Decision.CLOSED)
    move_handover_mark(item=item, by=staff, decision=MoveHandoverItem.Decision.MOVED)
    move = move_complete(move=move, by=target_staff)
    assert move.state == Move.State.COMPLETED
    # The deadline marked "moved" is the new centre's now.
    assert Deadline.objects.get(kind="other_open_thing").centre_id == target.pk


def test_mot_3_something_new_open_at_the_arrival_is_added_and_refused(
    minor, staff, caseworker, target, target_staff, centre
):
    move = approved(minor, staff, caseworker, target)
    prepared(move, staff)
    deadline_open(
        owner=minor,
        kind="late_news",
        rule_id="",
        due_at=timezone.now() + timedelta(days=5),
        label="Something new",
        centre=centre,
        subject=minor,
    )
    with pytest.raises(ValidationError, match="refresh the hand-over list"):
        move_complete(move=move, by=target_staff)


def test_mot_3_closing_a_deadline_on_purpose_waives_it_and_needs_a_leader(
    minor, staff, caseworker, target, centre
):
    deadline = deadline_open(
        owner=minor,
        kind="other_open_thing",
        rule_id="",
        due_at=timezone.now() + timedelta(days=5),
        label="Follow-up",
        centre=centre,
        subject=minor,
    )
    move = approved(minor, staff, caseworker, target)
    item = move.handover_items.get()
    with pytest.raises(PermissionDenied):
        move_handover_mark(item=item, by=staff, decision="closed", note="Not needed any more.")
    move_handover_mark(
        item=item, by=CentreLeaderFactory(centre=centre), decision="closed", note="Not needed."
    )
    deadline.refresh_from_db()
    assert deadline.state == Deadline.State.WAIVED


def test_mot_3_receiving_centre_confirms_the_arrival_which_moves_the_stay(
    minor, staff, caseworker, target, target_staff, centre
):
    move = approved(minor, staff, caseworker, target)
    prepared(move, staff)
    with pytest.raises(PermissionDenied):
        move_complete(move=move, by=staff)  # the centre being left cannot confirm it
    move = move_complete(move=move, by=target_staff)
    assert move.state == Move.State.COMPLETED
    old = Stay.objects.get(resident=minor, centre=centre)
    assert old.end_reason == Stay.EndReason.MOVED and old.ended_at is not None
    new = Stay.objects.get(resident=minor, ended_at__isnull=True)
    assert new.centre == target
    assert Resident.objects.get(pk=minor.pk).centre == target
    # The arrival routine at the new centre hangs off the stay-opened event.
    from cases.models import CaseEvent

    assert CaseEvent.objects.filter(kind="mottak.stay_opened", payload__centre_id=target.pk)


def test_mot_3_arrival_cannot_be_in_the_future(minor, staff, caseworker, target, target_staff):
    move = approved(minor, staff, caseworker, target)
    prepared(move, staff)
    with pytest.raises(ValidationError, match="future"):
        move_complete(move=move, by=target_staff, arrived_at=timezone.now() + timedelta(hours=2))
    move.refresh_from_db()
    assert move.state == Move.State.APPROVED


def test_mot_3_the_handover_list_reads_open_cases_deadlines_and_consents(
    minor, staff, caseworker, target, centre
):
    from mottak.services.moves import _candidates

    deadline_open(
        owner=minor,
        kind="x",
        rule_id="",
        due_at=timezone.now() + timedelta(days=1),
        label="Open thing",
        centre=centre,
        subject=minor,
    )
    move = request_move(minor, staff)
    kinds = [kind for kind, _ct, _id, _label in _candidates(move)]
    assert kinds == ["deadline"]  # the move's own deadline is not on its list


def test_mot_3_arrival_before_the_request_is_refused(
    minor, staff, caseworker, target, target_staff
):
    move = approved(minor, staff, caseworker, target)
    prepared(move, staff)
    with pytest.raises(ValidationError, match="before the move was requested"):
        move_complete(move=move, by=target_staff, arrived_at=move.requested_at - timedelta(hours=1))
