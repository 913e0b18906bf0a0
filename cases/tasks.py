"""Celery tasks of the case engine: thin, ids in, a service call."""

from celery import shared_task

from .services.deadlines import deadlines_sweep


@shared_task(name="cases.sweep_deadlines", ignore_result=True, soft_time_limit=240, time_limit=300)
def sweep_deadlines() -> dict:
    """Run every minute by beat. Safe to run twice at once or to retry (see deadlines_sweep)."""
    return deadlines_sweep().as_dict()
