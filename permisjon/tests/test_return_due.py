"""PERM-6 through the deadline sweep: departing opens a deadline due at the agreed return;
being back meets it; if the minor is not back, the sweep's on-due handler marks the leave late
(once, however often the sweep runs) and the 24-hour deadline to report missing opens."""

from datetime import timedelta

from django.utils import timezone

from cases import periods
from cases.models import Deadline, DeadlineAlert
from cases.services import deadlines_sweep
from permisjon import services
from permisjon.models import LeaveApplication
from permisjon.routine import LATE_RETURN_DEADLINE, RETURN_DUE_DEADLINE
from permisjon.tests.conftest import prepare, ready_to_leave

State = LeaveApplication.State


def _away(submit, resident, staff, leader, **kwargs):
    application = prepare(submit(resident, **kwargs), staff)
    services.leave_application_grant(application=application, by=leader, reason="Trygt besøk")
    application = ready_to_leave(application, staff)
    return services.leave_application_mark_departed(
        application=application, at=application.departure_at, by=staff
    )


def _return_due(application) -> Deadline:
    return Deadline.objects.get(object_id=application.pk, kind=RETURN_DUE_DEADLINE)


def test_perm_6_departure_opens_a_deadline_due_at_the_agreed_return(
    submit, resident, staff, leader
):
    application = _away(submit, resident, staff, leader, starts_in_days=-1, length_days=3)
    deadline = _return_due(application)
    assert deadline.state == Deadline.State.OPEN
    assert deadline.due_at == application.return_at
    assert deadline.centre_id == application.centre_id
    assert deadline.subject_id == application.resident_id
    assert deadline.rule_id == "PERM-5"
    assert deadline.label == "Agreed return"


def test_perm_6_the_sweep_marks_overdue_leaves_late_once(submit, resident, leader, staff):
    application = _away(submit, resident, staff, leader, starts_in_days=-3, length_days=1)
    on_time = submit(resident, starts_in_days=5, length_days=1)
    now = timezone.now()
    assert deadlines_sweep(now=now).handled == 1
    assert deadlines_sweep(now=now + timedelta(minutes=1)).handled == 0
    application.refresh_from_db()
    on_time.refresh_from_db()
    assert application.state == State.LATE
    assert on_time.state == State.DRAFT
    due = _return_due(application)
    assert (due.state, due.met_by) == (Deadline.State.MET, None)
    late = Deadline.objects.get(object_id=application.pk, kind=LATE_RETURN_DEADLINE)
    # Still asks for work (already escalated by the second sweep: its 24 hours have passed).
    assert late.state == Deadline.State.MISSED
    assert late.due_at == periods.elapsed_hours(application.return_at, 24)
    # Nobody was alerted about the agreed return itself.
    assert not DeadlineAlert.objects.filter(deadline=due).exists()


def test_perm_6_not_late_before_the_agreed_time(submit, resident, leader, staff):
    application = _away(submit, resident, staff, leader, starts_in_days=-1, length_days=3)
    before = application.return_at - timedelta(minutes=1)
    assert deadlines_sweep(now=before).handled == 0
    application.refresh_from_db()
    assert application.state == State.ONGOING
    assert deadlines_sweep(now=application.return_at).handled == 1
    application.refresh_from_db()
    assert application.state == State.LATE


def test_perm_6_back_before_the_agreed_time_meets_it_and_nothing_is_marked(
    submit, resident, leader, staff
):
    application = _away(submit, resident, staff, leader, starts_in_days=-1, length_days=3)
    services.leave_application_mark_returned(application=application, at=timezone.now(), by=staff)
    due = _return_due(application)
    assert (due.state, due.met_by, due.was_missed) == (Deadline.State.MET, staff, False)
    assert deadlines_sweep(now=application.return_at + timedelta(hours=1)).handled == 0
    application.refresh_from_db()
    assert application.state == State.RETURNED
    assert not Deadline.objects.filter(object_id=application.pk, kind=LATE_RETURN_DEADLINE)


def test_perm_6_the_migration_watches_leaves_that_were_away_before_the_deploy(
    submit, resident, leader, staff
):
    """A leave that departed while the poller still watched returns has no such deadline; the
    data migration opens it once, and the next sweep marks the leave late."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("permisjon.migrations.0002_open_return_due_deadlines")
    application = _away(submit, resident, staff, leader, starts_in_days=-3, length_days=1)
    _return_due(application).delete()
    migration.open_return_due(apps, None)
    migration.open_return_due(apps, None)
    deadline = _return_due(application)
    assert (deadline.due_at, deadline.centre_id) == (application.return_at, application.centre_id)
    assert deadline.next_alert_at == application.return_at
    # the rows the migration wrote have their "created" history row, like a save().
    assert [h.history_type for h in deadline.history.all()] == ["+"]
    assert deadlines_sweep().handled == 1
    application.refresh_from_db()
    assert application.state == State.LATE


def test_perm_6_r_2_late_return_alerts_the_centre_at_once_and_counts_from_the_agreed_time(
    submit, resident, leader, staff
):
    """R-2: the 24 hours run from the agreed return, not from when staff notice; "find out why
    at once" is straks, so staff and leader are alerted the moment the leave is marked late."""
    from cases.models import Notification

    application = _away(submit, resident, staff, leader, starts_in_days=-1, length_days=3)
    deadlines_sweep(now=application.return_at + timedelta(minutes=5))
    late = Deadline.objects.get(object_id=application.pk, kind=LATE_RETURN_DEADLINE)
    assert late.urgency == "straks"
    assert late.due_at == periods.elapsed_hours(application.return_at, 24)
    opened = DeadlineAlert.objects.get(deadline=late, stage="opened")
    told = set(Notification.objects.filter(alert=opened).values_list("recipient", flat=True))
    assert {staff.pk, leader.pk} <= told
