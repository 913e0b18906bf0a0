"""What the leave routine does when the case engine calls on it, in one visible place:
on-due handlers of its deadlines (cases/due.py) and handlers of life events published by
mottak (cases/events.py). Registered from PermisjonConfig.ready().

Each handler is idempotent and works on this app's own rows through the case engine's
services; it gets ids (the deadline's object_id, the event's subject_id and payload).
"""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext_noop

from cases import periods
from cases.due import register_due_handler
from cases.events import register_event_handler
from cases.services import deadline_open
from mottak import events as life

from . import services
from .models import LeaveApplication
from .routine import RETURN_DUE_DEADLINE, UNDECIDED

State = LeaveApplication.State

REVIEW_AFTER_STAY_DEADLINE = "leave_review_after_stay"
REVIEW_AFTER_STAY_LABEL = gettext_noop(
    "Stay ended: decide whether the leave application still applies"
)


def leave_return_due(deadline, *, now: datetime) -> None:
    """The agreed return has passed and the minor is not recorded back: the leave becomes
    "not back on time" (PERM-6), which opens the 24-hour deadline to report missing (R-2).
    Does nothing when the leave is no longer ongoing."""
    services.leave_application_mark_late(application_id=deadline.object_id, now=now)


def leave_review_after_stay_ended(event) -> None:
    """The minor's stay ended (moved, turned 18, left, missing …) while a leave of theirs is
    undecided or granted but not yet begun.

    Reading: the leave was prepared and agreed by the centre that was responsible for the
    minor (PERM-1, PERM-4, PERM-5); once that stay has ended nobody may assume it still holds.
    Withdrawing it automatically is not clearly right (the minor may still want it, and the
    centre leader decides, PERM-2), so the centre that holds the application gets a deadline
    of class "snarest" to decide — a granted leave must not go ahead by default with a child
    the centre no longer looks after. Withdrawing the application waives the deadline with the
    others; a leader may also waive it with a reason.

    A leave that is under way or late is left alone on purpose: its agreed-return and
    24-hour missing deadlines keep running, since waiving them could hide a child who is not
    back. Idempotent: a pending deadline of this kind is given back, not opened twice.
    """
    due_at = periods.elapsed_hours(event.created_at, 24)
    with transaction.atomic():
        applications = (
            LeaveApplication.objects.select_for_update(of=("self",))
            .select_related("centre", "resident")
            .filter(resident_id=event.subject_id, state__in=UNDECIDED | {State.GRANTED})
            .order_by("pk")
        )
        for application in applications:
            deadline_open(
                owner=application,
                kind=REVIEW_AFTER_STAY_DEADLINE,
                rule_id="PERM-2",
                label=REVIEW_AFTER_STAY_LABEL,
                due_at=due_at,
                centre=application.centre,
                subject=application.resident,
                urgency="snarest",
            )


def register() -> None:
    register_due_handler(RETURN_DUE_DEADLINE, leave_return_due)
    register_event_handler(
        life.STAY_ENDED, "permisjon.review_leave_after_stay", leave_review_after_stay_ended
    )
