"""What the leave routine does when the case engine calls on it, in one visible place:
on-due handlers of its deadlines (cases/due.py). Registered from PermisjonConfig.ready().

Each handler is idempotent and acts only through this app's services.
"""

from datetime import datetime

from cases.due import register_due_handler

from . import services
from .routine import RETURN_DUE_DEADLINE


def leave_return_due(deadline, *, now: datetime) -> None:
    """The agreed return has passed and the minor is not recorded back: the leave becomes
    "not back on time" (PERM-6), which opens the 24-hour deadline to report missing (R-2).
    Does nothing when the leave is no longer ongoing."""
    services.leave_application_mark_late(application_id=deadline.object_id, now=now)


def register() -> None:
    register_due_handler(RETURN_DUE_DEADLINE, leave_return_due)
