"""Deadline services (X-5): open, meet, waive — every allowed and refused transition."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from cases.models import Deadline, TimelineEvent
from cases.services import deadline_meet, deadline_meet_for, deadline_open, deadline_waive
from cases.services.deadlines import reminder_points
from mottak.models import Role

State = Deadline.State


@pytest.fixture(autouse=True)
def english(settings):
    """Assert on the English msgids whatever translations exist."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def deadline(resident, centre, staff):
    return deadline_open(
        owner=resident,
        kind="sav_police_report",
        rule_id="SAV-2",
        label="Report the minor missing to the police",
        due_at=timezone.now() + timedelta(hours=24),
        centre=centre,
        by=staff,
    )


def snapshot(deadline: Deadline) -> dict:
    deadline.refresh_from_db()
    return {f.attname: getattr(deadline, f.attname) for f in Deadline._meta.concrete_fields}


def test_x_5_open_records_owner_subject_responsible_and_first_check(deadline, resident, centre):
    assert deadline.state == State.OPEN
    assert deadline.owner == resident
    assert deadline.subject == resident
    assert deadline.centre == centre
    assert deadline.region_id == centre.region_id  # the region follows the centre
    # First reminder at half the time.
    assert deadline.next_alert_at == deadline.opened_at + (deadline.due_at - deadline.opened_at) / 2
    assert deadline.history.count() == 1
    assert TimelineEvent.objects.filter(object_id=resident.pk, kind="deadline_opened").exists()


def test_x_5_opening_the_same_kind_twice_gives_back_the_pending_deadline(
    deadline, resident, centre
):
    again = deadline_open(
        owner=resident,
        kind="sav_police_report",
        label="Report the minor missing to the police",
        due_at=timezone.now() + timedelta(hours=5),
        centre=centre,
    )
    assert again.pk == deadline.pk
    assert Deadline.objects.count() == 1


def test_x_5_a_missed_deadline_still_counts_as_pending_for_open(deadline, resident, centre):
    Deadline.objects.filter(pk=deadline.pk).update(state=State.MISSED)
    again = deadline_open(
        owner=resident, kind="sav_police_report", label="x", due_at=timezone.now(), centre=centre
    )
    assert again.pk == deadline.pk


def test_x_5_open_needs_someone_responsible_and_an_aware_time(resident):
    with pytest.raises(ValidationError):
        deadline_open(owner=resident, kind="k", label="x", due_at=timezone.now())
    with pytest.raises(ValidationError):
        deadline_open(
            owner=resident,
            kind="k",
            label="x",
            due_at=timezone.now().replace(tzinfo=None),
            region=resident.centre.region,
        )
    assert Deadline.objects.count() == 0


def test_x_5_region_only_deadline(resident, region):
    d = deadline_open(
        owner=resident, kind="perm_decision", label="x", due_at=timezone.now(), region=region
    )
    assert d.centre is None and d.region == region


def test_x_5_meet_records_who_and_when(deadline, staff):
    at = timezone.now()
    met = deadline_meet(deadline=deadline, by=staff, at=at)
    assert (met.state, met.met_by, met.met_at, met.was_missed) == (State.MET, staff, at, False)
    assert met.next_alert_at is None
    assert TimelineEvent.objects.filter(kind="deadline_met", actor=staff).exists()


def test_x_5_meeting_a_missed_deadline_records_it_met_late(deadline, staff):
    Deadline.objects.filter(pk=deadline.pk).update(state=State.MISSED)
    met = deadline_meet(deadline=deadline, by=staff, at=deadline.due_at + timedelta(hours=3))
    assert met.state == State.MET
    assert met.was_missed is True
    assert met.met_at > met.due_at


def test_x_5_meeting_after_due_before_the_sweep_is_also_late(deadline, staff):
    met = deadline_meet(deadline=deadline, by=staff, at=deadline.due_at + timedelta(minutes=1))
    assert met.was_missed is True


def test_x_5_meeting_an_already_met_deadline_is_refused_and_changes_nothing(
    deadline, staff, leader
):
    deadline_meet(deadline=deadline, by=staff)
    before = snapshot(deadline)
    history = deadline.history.count()
    with pytest.raises(ValidationError) as error:
        deadline_meet(deadline=deadline, by=leader)
    assert "already met" in error.value.messages[0]
    assert snapshot(deadline) == before
    assert deadline.history.count() == history


def test_x_5_meeting_a_waived_deadline_is_refused(deadline, leader, staff):
    deadline_waive(deadline=deadline, by=leader, reason="The minor came back the same hour.")
    before = snapshot(deadline)
    with pytest.raises(ValidationError) as error:
        deadline_meet(deadline=deadline, by=staff)
    assert "waived" in error.value.messages[0]
    assert snapshot(deadline) == before


def test_x_5_meet_for_is_a_side_effect_of_the_work(deadline, resident, staff):
    met = deadline_meet_for(owner=resident, kind="sav_police_report", by=staff)
    assert met.pk == deadline.pk and met.state == State.MET
    # Nothing pending any more: a second call does nothing and raises nothing.
    assert deadline_meet_for(owner=resident, kind="sav_police_report", by=staff) is None
    assert deadline_meet_for(owner=resident, kind="unknown_kind", by=staff) is None


def test_x_5_leader_waives_with_a_reason(deadline, leader):
    waived = deadline_waive(deadline=deadline, by=leader, reason="  Moved before the deadline.  ")
    assert waived.state == State.WAIVED
    assert (waived.waived_by, waived.waive_reason) == (leader, "Moved before the deadline.")
    assert TimelineEvent.objects.filter(kind="deadline_waived", actor=leader).exists()


def test_x_5_admin_role_may_waive(deadline, admin_user):
    assert (
        deadline_waive(deadline=deadline, by=admin_user, reason="Entered twice").state
        == State.WAIVED
    )


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_x_5_waiving_without_a_reason_is_refused_and_changes_nothing(deadline, leader, reason):
    before = snapshot(deadline)
    with pytest.raises(ValidationError) as error:
        deadline_waive(deadline=deadline, by=leader, reason=reason)
    assert error.value.messages == ["Give the reason for waiving the deadline."]
    assert snapshot(deadline) == before


@pytest.mark.parametrize(
    "role", [Role.CENTRE_STAFF, Role.CHILD_WELFARE_LEAD, Role.REGION_CASEWORKER]
)
def test_x_5_only_leader_or_admin_may_waive(deadline, user_factory, centre, role):
    user = user_factory(role, centre=centre)
    before = snapshot(deadline)
    with pytest.raises(PermissionDenied):
        deadline_waive(deadline=deadline, by=user, reason="Not needed")
    assert snapshot(deadline) == before


def test_x_5_waiving_twice_is_refused(deadline, leader):
    deadline_waive(deadline=deadline, by=leader, reason="Not needed")
    with pytest.raises(ValidationError) as error:
        deadline_waive(deadline=deadline, by=leader, reason="Again")
    assert "already" in error.value.messages[0] or "waived" in error.value.messages[0]
    deadline.refresh_from_db()
    assert deadline.waive_reason == "Not needed"


def test_x_5_reminder_points_default_half_time_and_two_hours_before():
    opened = timezone.now()
    due = opened + timedelta(hours=24)
    assert reminder_points(opened_at=opened, due_at=due) == [
        opened + timedelta(hours=12),
        due - timedelta(hours=2),
    ]


def test_x_5_reminder_points_drop_those_not_between_opening_and_due():
    opened = timezone.now()
    due = opened + timedelta(hours=2)
    # "2 hours before" coincides with opening: only the half-time reminder is left.
    assert reminder_points(opened_at=opened, due_at=due) == [opened + timedelta(hours=1)]
    assert reminder_points(opened_at=opened, due_at=opened) == []


def test_x_5_reminder_points_follow_the_urgency_class():
    opened = timezone.now()
    due = opened + timedelta(hours=24)
    assert reminder_points(opened_at=opened, due_at=due, urgency="straks") == [
        opened + timedelta(hours=12),
        due - timedelta(hours=2),
    ]
    assert reminder_points(opened_at=opened, due_at=due, urgency="ordinary") == reminder_points(
        opened_at=opened, due_at=due
    )
