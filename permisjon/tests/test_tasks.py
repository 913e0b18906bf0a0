"""The overdue-return task: runs the service for each leave past its agreed return, idempotently."""

from datetime import timedelta

from permisjon import services, tasks
from permisjon.models import LeaveApplication
from permisjon.tests.conftest import prepare


def test_perm_6_task_marks_overdue_leaves_late_once(submit, resident, leader, staff):
    application = prepare(submit(resident, starts_in_days=-3, length_days=1), staff)
    services.leave_application_grant(application=application, by=leader)
    services.leave_application_mark_departed(
        application=application, at=application.departure_at, by=staff
    )
    on_time = submit(resident, starts_in_days=5, length_days=1)
    assert tasks.mark_overdue_returns() == 1
    assert tasks.mark_overdue_returns() == 0
    application.refresh_from_db()
    on_time.refresh_from_db()
    assert application.state == LeaveApplication.State.LATE
    assert on_time.state == LeaveApplication.State.DRAFT
    assert application.return_at < application.departure_at + timedelta(days=2)


def test_perm_6_the_overdue_return_task_is_scheduled_every_minute(db):
    from django.core.management import call_command
    from django_celery_beat.models import PeriodicTask

    call_command("setup_schedules", stdout=None)
    task = PeriodicTask.objects.get(name="permisjon.mark_overdue_returns")
    assert task.task == "permisjon.mark_overdue_returns"
    assert (task.interval.every, task.interval.period) == (1, "minutes")
    assert task.enabled
