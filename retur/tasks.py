"""Thin tasks: a service call."""

from celery import shared_task

from . import services_meetings


@shared_task(name="retur.plan_quarterly_meeting", ignore_result=True, time_limit=300)
def plan_quarterly_meeting() -> int:
    """Daily: the current quarter has its meeting and its deadline (RET-6; idempotent)."""
    return services_meetings.quarterly_meetings_plan_current().pk
