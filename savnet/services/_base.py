"""What the missing-minors services share: purposes, the refusal, the lock, the step record."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from cases.services import timeline_event_record
from cases.services.routines import (
    routine_notice_create,
    routine_step_do,
    routine_step_record,
)

from .. import routine as steps
from .. import selectors
from ..messages import messages_for
from ..models import (
    MissingReport,
)
from ..routine import MISSING

State = MissingReport.State

# Dispatch purposes (the routine declares each step's notices; cases.rules who may receive them).
POLICE_PURPOSE = "missing_report"
CONCERN_PURPOSE = "concern_report"
COPY_PURPOSE = "missing_report_copy"
CONCERN_COPY_PURPOSE = "concern_report_copy"
PHONE_PURPOSE = "missing_notice"
CANCEL_PURPOSE = "appointment_cancellation"
FOUND_PURPOSE = "found_notice"
WHEREABOUTS_PURPOSE = "whereabouts_notice"
ASYLUM_PURPOSE = "asylum_information"
# SAV-8: whoever got one of these was told the minor was missing and is told of the return.
NOTIFIED_PURPOSES = selectors.NOTIFIED_PURPOSES
WRITTEN_CHANNELS = tuple(sorted(steps.WRITTEN))
# SAV-11: the new concern report is the second to child welfare in the same case.
NEGLECT_REPORT_VERSION = 2


def _refuse(problems: list[str]) -> None:
    if problems:
        raise ValidationError(messages_for(problems))


def _step_done(report: MissingReport, code: str, *, by, at=None, note: str = "") -> bool:
    return routine_step_record(
        routine=MISSING, case=report, step_code=code, by=by, at=at, note=note
    )


def _step(report: MissingReport, code: str, *, by, work=None, **kw):
    """Perform one declared step of the missing routine (cases.services.routines)."""
    return routine_step_do(routine=MISSING, case=report, step_code=code, by=by, work=work, **kw)


def _notice(locked: MissingReport, code: str, *, by, channel: str, context: dict, **kw):
    """Make the step's declared notice for the locked report."""
    return routine_notice_create(
        routine=MISSING, case=locked, step_code=code, by=by, channel=channel, context=context, **kw
    )


# The routine's timeline entries: kind → (summary, rule). Summaries name no person.
EVENTS = {
    "missing_investigation": (gettext_lazy("Absence being looked into"), "SAV-2"),
    "missing_reported": (
        gettext_lazy("Reported missing; the 24-hour limit runs to %(limit)s"),
        "SAV-2",
    ),
    "missing_investigation_ended": (gettext_lazy("Absence explained; no missing report"), "SAV-2"),
    "missing_phone_call": (gettext_lazy("%(party)s called, not reached"), "SAV-5"),
    "missing_phone_call_reached": (gettext_lazy("%(party)s called and reached"), "SAV-5"),
    "missing_sesam": (gettext_lazy("Registered in Sesam as missing"), "SAV-7"),
    "missing_facts": (gettext_lazy("What the police need to search updated"), "SAV-3"),
    "missing_concern_observed": (
        gettext_lazy("Concern observed at the return: a new concern report is due"),
        "SAV-11",
    ),
    "missing_found": (gettext_lazy("Found or returned: %(how)s"), "SAV-8"),
    "missing_whereabouts_known": (
        gettext_lazy("Whereabouts known, not back: everyone notified told in writing"),
        "SAV-8",
    ),
    "missing_follow_up": (gettext_lazy("Follow-up conversation held"), "SAV-10"),
    "missing_stay_ended": (
        gettext_lazy("The regional office ended the stay: missing; a return opens a new stay"),
        "R-20",
    ),
    "missing_placement": (
        gettext_lazy("Placement after the return clarified with the regional office: %(outcome)s"),
        "SAV-9",
    ),
    "missing_closed": (gettext_lazy("Missing report closed"), "SAV-10"),
}


def _event(subject, kind: str, *, by, at=None, **params) -> None:
    """Record one of the routine's timeline entries on the resident (or `subject` itself)."""
    summary, rule_id = EVENTS[kind]
    timeline_event_record(
        subject=getattr(subject, "resident", subject),
        kind=kind.removesuffix("_reached"),
        actor=by,
        at=at,
        rule_id=rule_id,
        summary=str(summary) % params if params else str(summary),
    )
