"""Celery tasks of the case engine: thin, ids in, a service call."""

from celery import shared_task

from .retention import retention_run
from .services.deadlines import deadlines_sweep
from .services.events import case_events_drain
from .tasks_dispatch import render_dispatch, requeue_stale_dispatches  # noqa: F401
from .uploads import orphan_files_delete


@shared_task(name="cases.sweep_deadlines", ignore_result=True, soft_time_limit=240, time_limit=300)
def sweep_deadlines() -> dict:
    """Run every minute by beat. Safe to run twice at once or to retry (see deadlines_sweep)."""
    return deadlines_sweep().as_dict()


@shared_task(name="cases.delete_orphan_files", ignore_result=True, time_limit=600)
def delete_orphan_files() -> int:
    """Hourly: stored uploads that no row refers to (their transaction rolled back)."""
    return orphan_files_delete()


@shared_task(
    name="cases.drain_case_events", ignore_result=True, soft_time_limit=240, time_limit=300
)
def drain_case_events() -> dict:
    """Run by beat every minute: the handlers of life events not yet handled (P9). Safe to run
    twice at once or to retry (see case_events_drain)."""
    return case_events_drain().as_dict()


@shared_task(name="cases.retention_run", ignore_result=True, soft_time_limit=3000, time_limit=3300)
def run_retention() -> dict:
    """Nightly: every registered record type's expired records deleted (KART-16, SAV-12)."""
    return retention_run().as_dict()
