"""Periodic schedules, registered by the app that owns the task (P4, "one place").

Each app registers its schedules from its `AppConfig.ready()`:

    register_schedule("cases.sweep_deadlines", "cases.sweep_deadlines", every_minutes=1,
                      expire_seconds=50)
    register_schedule("mottak.turned_18", "mottak.publish_turned_18",
                      crontab={"minute": "15", "hour": "0"}, expire_seconds=3600)

`manage.py setup_schedules` creates exactly what is registered (django-celery-beat rows) and
removes the schedules of this project's apps that are no longer registered. A run not started
within `expire_seconds` is dropped: the next run does the same work, so no backlog piles up.
"""

from dataclasses import dataclass, field

from .registry import register_once

CRONTAB_FIELDS = frozenset({"minute", "hour", "day_of_week", "day_of_month", "month_of_year"})


@dataclass(frozen=True)
class Schedule:
    name: str
    task: str
    every_minutes: int | None = None
    # Fields of a crontab (minute, hour, …), read in the project's time zone.
    crontab: dict = field(default_factory=dict, hash=False)
    expire_seconds: int | None = None


_schedules: dict[str, Schedule] = {}


def register_schedule(
    name: str,
    task: str,
    *,
    every_minutes: int | None = None,
    crontab: dict | None = None,
    expire_seconds: int | None = None,
) -> Schedule:
    """Register one periodic schedule (idempotent for the same declaration)."""
    if (every_minutes is None) == (not crontab):
        raise ValueError(f"{name}: give either every_minutes or a crontab.")
    if every_minutes is not None and every_minutes <= 0:
        raise ValueError(f"{name}: every_minutes must be positive.")
    if crontab and not set(crontab) <= CRONTAB_FIELDS:
        raise ValueError(f"{name}: unknown crontab fields {sorted(set(crontab) - CRONTAB_FIELDS)}.")
    if "." not in name:
        raise ValueError(f"{name}: name a schedule '<app label>.<what>'.")
    schedule = Schedule(
        name=name,
        task=task,
        every_minutes=every_minutes,
        crontab=dict(crontab or {}),
        expire_seconds=expire_seconds,
    )
    return register_once(_schedules, name, schedule, what="schedule")


def registered_schedules() -> dict[str, Schedule]:
    return dict(sorted(_schedules.items()))
