"""What the leave services share: the input records, one step, the timeline entry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cases.services import timeline_event_record
from cases.services.routines import (
    routine_notice_create,
    routine_step_do,
)

from .. import rules, selectors
from ..models import LeaveApplication
from ..routine import (
    LEAVE,
)

State = LeaveApplication.State


@dataclass(frozen=True)
class LeaveApplicationData:
    departure_at: datetime
    return_at: datetime
    destination_address: str
    destination_municipality: str
    reason: str
    abroad: bool = False
    filled_in_by_staff: bool = False


@dataclass(frozen=True)
class ContactPersonData:
    name: str
    address: str
    date_of_birth: date
    relation: str
    phone: str


def _do(application: LeaveApplication, step: str, *, by, work=None, permission: str = "", **kw):
    """Perform one declared step of the leave routine (lock, state table, deadlines)."""
    return routine_step_do(
        routine=LEAVE,
        case=application,
        step_code=step,
        by=by,
        work=work,
        permission=permission,
        **kw,
    )


def _event(
    application: LeaveApplication, kind: str, summary: str, *, by, rule_id="", at=None, **params
):
    """A timeline entry on the resident; the summary names the leave as %(number)s."""
    timeline_event_record(
        subject=application.resident,
        kind=kind,
        summary=summary % {"number": application, **params},
        actor=by,
        rule_id=rule_id,
        at=at,
    )


def _notice(locked: LeaveApplication, code: str, *, by, channel: str, context: dict, **kw):
    """Make the step's declared notice for the locked application."""
    return routine_notice_create(
        routine=LEAVE, case=locked, step_code=code, by=by, channel=channel, context=context, **kw
    )


def _check_nothing_open(locked: LeaveApplication, outcome: rules.Outcome) -> None:
    open_steps = selectors.preparation_open_steps(locked, outcome)
    if open_steps:
        raise ValidationError(
            [_("A required step is still open: %(step)s") % {"step": s} for s in open_steps]
        )
