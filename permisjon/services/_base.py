"""What the leave services share: the input records, one step, the timeline entry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
    minor_statement: str = ""


@dataclass(frozen=True)
class ContactPersonData:
    name: str
    address: str
    date_of_birth: date
    relation: str
    phone: str = ""
    # the one person responsible during the leave; the others at the address are recorded
    # for the checks. A single person given is the designated one.
    designated: bool = False


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


# The routine's timeline entries: kind → (summary, rule). %(number)s names the leave.
EVENTS = {
    "leave_pu_view": (gettext_lazy("PU's view on leave %(number)s: %(view)s"), "PERM-9"),
    "leave_prepared": (gettext_lazy("The preparation of leave %(number)s is done"), "PERM-4"),
    "leave_refusal_recommended": (
        gettext_lazy("The centre recommends refusing leave %(number)s"),
        "PERM-7",
    ),
    "leave_withdrawn": (gettext_lazy("Leave application %(number)s withdrawn"), ""),
    "leave_forwarded": (
        gettext_lazy("Leave application %(number)s forwarded to the regional office"),
        "PERM-3",
    ),
    "leave_forwarded_late": (
        gettext_lazy(
            "Leave application %(number)s forwarded to the regional office, later than one week before the leave"
        ),
        "PERM-3",
    ),
    "leave_granted": (gettext_lazy("Leave %(number)s granted by %(decider)s"), "PERM-1"),
    "leave_sent_back_for_decision": (
        gettext_lazy("Leave %(number)s sent back for a new decision before departure"),
        "PERM-1",
    ),
    "leave_refused": (gettext_lazy("Leave %(number)s refused by %(decider)s"), "PERM-1"),
    "leave_representative_told": (
        gettext_lazy("The representative was told orally of leave %(number)s"),
        "PERM-5",
    ),
    "leave_agreement_issued": (
        gettext_lazy("The agreement for leave %(number)s was issued"),
        "PERM-5",
    ),
    "leave_before_departure_waived": (
        gettext_lazy("A leader waived a step before leave %(number)s: %(step)s"),
        "PERM-5",
    ),
    "leave_follow_up_call": (
        gettext_lazy("Follow-up call during leave %(number)s: %(outcome)s"),
        "PERM-5",
    ),
    "leave_departed": (gettext_lazy("Left for leave %(number)s"), "PERM-5"),
    "leave_returned": (gettext_lazy("Back from leave %(number)s"), "PERM-5"),
    "leave_returned_late": (
        gettext_lazy("Back from leave %(number)s after the agreed time"),
        "PERM-7",
    ),
    "leave_late": (gettext_lazy("Not back from leave %(number)s at the agreed time"), "PERM-6"),
    "leave_reported_missing": (gettext_lazy("Reported missing during leave %(number)s"), "PERM-6"),
}
# "…_late" kinds are variants: the same timeline kind with another sentence and rule.
LATE_VARIANTS = frozenset({"leave_forwarded_late", "leave_returned_late"})


def _event(
    application: LeaveApplication,
    kind: str,
    summary=None,
    *,
    by,
    rule_id=None,
    at=None,
    **params,
):
    """A timeline entry on the resident, from the routine's table unless `summary` is given."""
    if summary is None:
        summary, declared_rule = EVENTS[kind]
        rule_id = declared_rule if rule_id is None else rule_id
    timeline_event_record(
        subject=application.resident,
        kind=kind.removesuffix("_late") if kind in LATE_VARIANTS else kind,
        summary=str(summary) % {"number": application, **params},
        actor=by,
        rule_id=rule_id or "",
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
