"""What the missing routine does when the case engine calls on it: on-due handlers of its
deadlines (cases/due.py). Registered from SavnetConfig.ready(); idempotent, through services."""

from datetime import datetime

from cases.due import register_due_handler

from . import services
from .routine import INVESTIGATION_DUE_DEADLINE


def investigation_window_ended(deadline, *, now: datetime) -> None:
    """R-1: the window ended with the absence neither explained nor reported: the minor is
    reported missing, the 24 hours counted from the window's end."""
    services.missing_report_open_at_window_end(report_id=deadline.object_id, now=now)


def register() -> None:
    register_due_handler(INVESTIGATION_DUE_DEADLINE, investigation_window_ended)
