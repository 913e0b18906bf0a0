"""The beat schedule of the sweeper exists exactly once (ARCHITECTURE: one place for schedules)."""

from django.core.management import call_command
from django_celery_beat.models import IntervalSchedule, PeriodicTask


def test_x_5_setup_schedules_creates_the_minute_sweep_once(db):
    call_command("setup_schedules")
    call_command("setup_schedules")
    tasks = PeriodicTask.objects.filter(task="cases.sweep_deadlines")
    assert tasks.count() == 1
    task = tasks.get()
    assert task.name == "cases.sweep_deadlines"
    assert task.enabled
    assert (task.interval.every, task.interval.period) == (1, IntervalSchedule.MINUTES)
    assert 0 < task.expire_seconds < 60
    assert IntervalSchedule.objects.filter(every=1, period=IntervalSchedule.MINUTES).count() == 1


def test_x_5_setup_schedules_repairs_a_changed_schedule_but_keeps_a_pause(db):
    call_command("setup_schedules")
    other = IntervalSchedule.objects.create(every=30, period=IntervalSchedule.MINUTES)
    PeriodicTask.objects.filter(name="cases.sweep_deadlines").update(
        interval=other, expire_seconds=None, enabled=False
    )
    call_command("setup_schedules")
    task = PeriodicTask.objects.get(name="cases.sweep_deadlines")
    assert task.interval.every == 1
    assert task.expire_seconds == 50
    assert task.enabled is False


def test_every_scheduled_task_is_registered_with_celery(db):
    """A schedule naming a task the worker does not know would fail silently in beat."""
    from cases.management.commands.setup_schedules import SCHEDULES
    from config.celery import app

    app.loader.import_default_modules()
    call_command("setup_schedules")
    for name, (task, _minutes, _expires) in SCHEDULES.items():
        assert PeriodicTask.objects.filter(name=name, task=task).count() == 1
        assert task in app.tasks, task
