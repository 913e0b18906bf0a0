"""What the missing routine does when the case engine calls on it: on-due handlers of its
deadlines (cases/due.py) and handlers of life events published by mottak (cases/events.py).
Registered from SavnetConfig.ready(); idempotent, through services."""

from datetime import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from cases.due import register_due_handler
from cases.events import register_event_handler
from mottak import events as life
from mottak.models import Resident, User
from mottak.selectors_presence import last_seen_at

from . import rules, services
from .models import MissingReport
from .routine import INVESTIGATION_DUE_DEADLINE


def investigation_window_ended(deadline, *, now: datetime) -> None:
    """R-1: the window ended with the absence neither explained nor reported: the minor is
    reported missing, the 24 hours counted from the window's end."""
    services.missing_report_open_at_window_end(report_id=deadline.object_id, now=now)


def investigate_absence(event) -> MissingReport | None:
    """SAV-2 / R-1: absent without agreement at a presence check, or not back from an outing
    at the agreed time: the absence is looked into at once — the investigation starts with
    the time of the check (or the agreed return) as the moment it was noticed, so its window
    and the 24 hours count from then, not from when the event was handled.

    Idempotent: nothing when an investigation or report is already active for the resident
    (a second absent check, a retried event), when the resident no longer lives at a centre,
    or when the routine does not apply (registered as 18 or older, SAV-1).
    """
    payload = event.payload
    resident = Resident.objects.filter(pk=event.subject_id).first()
    noticed_at = parse_datetime(payload.get("noticed_at") or "")
    if resident is None or noticed_at is None:
        return None
    if MissingReport.objects.filter(
        resident=resident, state__in=MissingReport.ACTIVE_STATES
    ).exists():
        return None
    if not resident.stays.filter(ended_at__isnull=True).exists():
        return None
    if not rules.routine_applies(
        date_of_birth=resident.date_of_birth,
        registered_as_minor_in_duf=resident.registered_as_minor_in_duf,
        on=timezone.localdate(noticed_at),
    ):
        return None
    by = User.objects.get(pk=payload["by_id"])
    if payload.get("outing_id"):
        circumstances = _("Not back from an outing at the agreed time (presence register).")
    else:
        circumstances = _("Absent without agreement at a presence check (presence register).")
    return services.missing_report_start_investigation(
        resident=resident,
        noticed_at=noticed_at,
        last_seen_at=last_seen_at(resident_id=resident.pk, before=noticed_at),
        circumstances=circumstances,
        by=by,
    )


def register() -> None:
    register_due_handler(INVESTIGATION_DUE_DEADLINE, investigation_window_ended)
    register_event_handler(life.ABSENT_AT_CHECK, "savnet.investigate_absence", investigate_absence)
