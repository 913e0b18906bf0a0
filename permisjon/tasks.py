"""Thin tasks: ids in, service call."""

from celery import shared_task

from . import services


@shared_task(name="permisjon.mark_overdue_returns", ignore_result=True)
def mark_overdue_returns() -> int:
    """Every minute: leaves whose agreed return has passed become "not back on time" (PERM-6).

    The service does nothing unless the leave is still ongoing, so retries and a double beat
    are harmless.
    """
    return sum(
        services.leave_application_mark_late(application_id=pk)
        for pk in services.overdue_leave_ids()
    )
