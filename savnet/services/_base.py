"""What the missing-minors services share: purposes, the refusal, the lock, the step record."""

from django.core.exceptions import ValidationError

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
