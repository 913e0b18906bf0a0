"""On-due handlers (cases/due.py): at the due time the sweep lets the owning app act and
closes the row as met by the system; nobody is reminded before; a failing handler is
recorded and retried with back-off while the other rows go on."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases import due
from cases.models import Deadline, DeadlineAlert, Notification, TimelineEvent
from cases.services import deadline_open, deadlines_sweep
from mottak.models import Role
from mottak.tests.factories import make_resident

State = Deadline.State
T0 = timezone.now().replace(microsecond=0) - timedelta(days=3)
KIND = "test_due_handled"
FAILING = "test_due_failing"


@pytest.fixture
def calls():
    seen = []

    def handler(deadline, *, now):
        seen.append((deadline.pk, now))

    def failing(deadline, *, now):
        # A write before the failure must be rolled back with the row's savepoint.
        TimelineEvent.objects.create(
            content_type_id=deadline.subject_ct_id,
            object_id=deadline.subject_id,
            kind="half_done",
            summary="x",
            at=now,
        )
        raise RuntimeError("the other app is broken")

    due._handlers[KIND] = handler
    due._handlers[FAILING] = failing
    yield seen
    due._handlers.pop(KIND)
    due._handlers.pop(FAILING)


@pytest.fixture
def leader(user_factory, centre):
    return user_factory(Role.CENTRE_LEADER, centre=centre, email="leader@example.org")


def open_handled(resident, centre, kind=KIND, hours=24):
    return deadline_open(
        owner=resident,
        kind=kind,
        label="Agreed return",
        due_at=T0 + timedelta(hours=hours),
        opened_at=T0,
        centre=centre,
    )


def test_register_refuses_a_second_handler_for_a_kind():
    def one(deadline, *, now):
        pass

    def other(deadline, *, now):
        pass

    due.register_due_handler("test_twice", one)
    try:
        assert due.register_due_handler("test_twice", one) is one
        with pytest.raises(ValueError):
            due.register_due_handler("test_twice", other)
    finally:
        due._handlers.pop("test_twice")


def test_x_5_a_handled_kind_is_looked_at_only_when_due_and_nobody_is_reminded(
    calls, resident, centre, leader
):
    deadline = open_handled(resident, centre)
    assert deadline.next_alert_at == deadline.due_at
    result = deadlines_sweep(now=T0 + timedelta(hours=23))
    assert (result.reminders, result.handled) == (0, 0)
    assert calls == []
    assert not DeadlineAlert.objects.exists()


def test_x_5_at_the_due_time_the_handler_acts_and_the_row_is_met_by_the_system(
    calls, resident, centre, leader
):
    deadline = open_handled(resident, centre)
    at = T0 + timedelta(hours=24)
    result = deadlines_sweep(now=at)
    assert result.handled == 1 and result.escalations == 0
    assert calls == [(deadline.pk, at)]
    deadline.refresh_from_db()
    assert deadline.state == State.MET
    assert (deadline.met_at, deadline.met_by, deadline.was_missed) == (at, None, False)
    assert deadline.escalated_at is None
    assert not Notification.objects.exists()
    assert TimelineEvent.objects.filter(kind="deadline_handled").count() == 1
    # Met rows are not swept again: the handler ran once.
    deadlines_sweep(now=at + timedelta(minutes=1))
    assert len(calls) == 1


def test_x_5_a_failing_handler_is_recorded_and_retried_while_others_go_on(
    calls, resident, centre, leader
):
    failing = open_handled(resident, centre, kind=FAILING)
    other = open_handled(make_resident(centre), centre)
    at = T0 + timedelta(hours=24)
    result = deadlines_sweep(now=at)
    assert result.failed_ids == [failing.pk]
    assert result.handled == 1
    failing.refresh_from_db()
    other.refresh_from_db()
    assert other.state == State.MET
    assert failing.state == State.OPEN
    assert failing.failure_count == 1
    assert "RuntimeError: the other app is broken" in failing.last_error
    assert failing.next_alert_at == at + timedelta(minutes=2)
    assert not TimelineEvent.objects.filter(kind="half_done").exists()
    # Not before the back-off; then again, and once it works the row is closed.
    assert deadlines_sweep(now=at + timedelta(minutes=1)).failures == 0
    due._handlers[FAILING] = lambda deadline, *, now: None
    result = deadlines_sweep(now=at + timedelta(minutes=2))
    assert (result.failures, result.handled) == (0, 1)
    failing.refresh_from_db()
    assert failing.state == State.MET
    assert failing.last_error == ""


def test_x_5_a_handler_that_closed_the_row_itself_is_not_closed_twice(resident, centre, leader):
    from cases.services import deadline_meet_for

    def meets(deadline, *, now):
        deadline_meet_for(owner=deadline.owner, kind=deadline.kind, by=leader, at=now)

    due._handlers["test_meets"] = meets
    try:
        deadline = open_handled(resident, centre, kind="test_meets")
        deadlines_sweep(now=T0 + timedelta(hours=25))
    finally:
        due._handlers.pop("test_meets")
    deadline.refresh_from_db()
    assert deadline.state == State.MET
    assert deadline.met_by == leader
    assert not TimelineEvent.objects.filter(kind="deadline_handled").exists()
