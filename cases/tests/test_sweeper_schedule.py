"""The beat schedule of the sweeper exists exactly once (ARCHITECTURE: one place for schedules)."""

import pytest
from django.core.management import call_command
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from cases import schedules
from cases.schedules import register_schedule, registered_schedules


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
    from config.celery import app

    app.loader.import_default_modules()
    call_command("setup_schedules")
    schedules = registered_schedules()
    assert "cases.sweep_deadlines" in schedules
    for name, schedule in schedules.items():
        assert PeriodicTask.objects.filter(name=name, task=schedule.task).count() == 1
        assert schedule.task in app.tasks, schedule.task
    ours = PeriodicTask.objects.exclude(name__startswith="celery.")
    assert set(ours.values_list("name", flat=True)) == set(schedules)


def test_p8_setup_schedules_removes_our_schedules_no_longer_registered(db):
    """The leave's minute poller is gone: its schedule goes too; beat's own ones stay."""
    every_minute = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.MINUTES)
    PeriodicTask.objects.create(
        name="permisjon.mark_overdue_returns",
        task="permisjon.mark_overdue_returns",
        interval=every_minute,
    )
    PeriodicTask.objects.create(
        name="celery.backend_cleanup", task="celery.backend_cleanup", interval=every_minute
    )
    call_command("setup_schedules")
    assert not PeriodicTask.objects.filter(name="permisjon.mark_overdue_returns").exists()
    assert PeriodicTask.objects.filter(name="celery.backend_cleanup").exists()


def test_p4_a_registered_crontab_schedule_is_created_in_the_local_time_zone(db):
    register_schedule(
        "cases.test_nightly",
        "cases.sweep_deadlines",
        crontab={"minute": "15", "hour": "1"},
        expire_seconds=3600,
    )
    try:
        call_command("setup_schedules")
        call_command("setup_schedules")
    finally:
        schedules._schedules.pop("cases.test_nightly")
    task = PeriodicTask.objects.get(name="cases.test_nightly")
    assert task.interval is None
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("15", "1", "*")
    assert str(task.crontab.timezone) == "Europe/Oslo"
    assert CrontabSchedule.objects.filter(minute="15", hour="1").count() == 1


def test_p4_a_schedule_is_registered_once():
    with pytest.raises(ValueError):
        register_schedule("cases.sweep_deadlines", "cases.other", every_minutes=1)
    with pytest.raises(ValueError):
        register_schedule("cases.both", "cases.x", every_minutes=1, crontab={"hour": "1"})
