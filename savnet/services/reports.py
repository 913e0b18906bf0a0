"""SAV-1, SAV-2: looking into an absence, reporting the minor missing."""

from contextlib import contextmanager
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import periods
from cases.services.deadlines import can_waive
from cases.services.routines import (
    routine_case_lock,
    routine_deadline_meet,
    routine_deadline_open,
    routine_deadlines_open,
)
from mottak.models import Resident

from .. import routine as steps
from .. import rules, selectors
from ..models import (
    MissingReport,
)
from ..routine import MISSING
from ._base import (
    State,
    _event,
    _refuse,
    _step,
    _step_done,
)

# ---- SAV-1 / SAV-2: looking into an absence, reporting the minor missing ---------------------


def _check_applies(resident: Resident, *, at: datetime) -> None:
    if not rules.routine_applies(
        date_of_birth=resident.date_of_birth,
        registered_as_minor_in_duf=resident.registered_as_minor_in_duf,
        on=timezone.localdate(at),
    ):
        raise ValidationError(
            _(
                "The missing-minors routine applies to residents registered as minors; "
                "this resident is registered as 18 or older."
            )
        )


def _check_report_input(resident: Resident, *, at: datetime, source: str, **times) -> None:
    """The routine applies, the times and address hold together, the source is known."""
    _check_applies(resident, at=at)
    times.setdefault("known_address", "")
    times.setdefault("known_address_municipality", "")
    _refuse(rules.report_problems(now=timezone.now(), **times))
    if source not in MissingReport.Source.values:
        raise ValidationError(_("Choose how the absence started."))


@contextmanager
def _resident_locked(resident: Resident, *, race: str):
    """One transaction holding the resident's row and their active report; a concurrent
    double submit that loses the race on the one-active-report constraint is refused."""
    try:
        with transaction.atomic():
            yield _lock_with_active_report(resident)
    except IntegrityError:
        raise _already_active(race) from None


def _lock_with_active_report(resident: Resident) -> tuple[Resident, MissingReport | None]:
    """Lock the resident's row, which serialises reports about them, and their active report."""
    locked = Resident.objects.select_for_update().get(pk=resident.pk)
    active = (
        MissingReport.objects.select_for_update()
        .filter(resident=locked, state__in=MissingReport.ACTIVE_STATES)
        .first()
    )
    return locked, active


def _already_active(state: str) -> ValidationError:
    if state == State.OPEN:
        return ValidationError(_("This resident is already reported missing."))
    return ValidationError(_("The absence of this resident is already being looked into."))


def missing_report_start_investigation(
    *,
    resident: Resident,
    noticed_at: datetime,
    last_seen_at: datetime | None,
    circumstances: str,
    by,
    source: str = MissingReport.Source.ABSENCE,
) -> MissingReport:
    """SAV-2: an absence is being looked into; the 24 hours have not started yet."""
    _check_report_input(
        resident,
        at=noticed_at,
        source=source,
        noticed_at=noticed_at,
        last_seen_at=last_seen_at,
        reason_to_believe_at=None,
    )
    with _resident_locked(resident, race=State.INVESTIGATING) as (locked, active):
        if active is not None:
            raise _already_active(active.state)
        report = MissingReport.objects.create(
            resident=locked,
            centre=locked.centre,
            state=State.INVESTIGATING,
            source=source,
            noticed_at=noticed_at,
            investigation_limit_at=_window_end(noticed_at),
            last_seen_at=last_seen_at,
            circumstances=circumstances.strip(),
            created_by=by,
        )
        routine_deadline_open(
            routine=MISSING, case=report, step_code=steps.INVESTIGATION_WINDOW, by=by
        )
        _event(locked, "missing_investigation", by=by, at=noticed_at)
    return report


def _window_end(noticed_at: datetime) -> datetime:
    return rules.investigation_limit_at(noticed_at, settings.SAVNET_INVESTIGATION_HOURS)


def _check_late_reason(*, reason_to_believe_at, window_end, late_reason: str, by) -> None:
    """R-1: a moment of "reason to believe" after the window's end is recorded only with a
    leader's written reason; the 24 hours run from the window's end all the same."""
    if not rules.needs_late_reason(
        reason_to_believe_at=reason_to_believe_at, window_end=window_end
    ):
        return
    if not late_reason.strip() or by is None or not can_waive(by):
        raise ValidationError(
            _(
                "The investigation window ended %(end)s; the 24 hours run from then. A later "
                "moment of reason to believe needs a leader's written reason: give the reason "
                "as a leader, or enter a moment no later than %(end)s."
            )
            % {"end": f"{timezone.localtime(window_end):%d.%m.%Y kl. %H.%M}"}
        )


def missing_report_open(
    *,
    resident: Resident,
    reason_to_believe_at: datetime,
    noticed_at: datetime,
    last_seen_at: datetime | None,
    circumstances: str,
    by,
    source: str = MissingReport.Source.ABSENCE,
    known_address: str = "",
    known_address_municipality: str = "",
    description: str = "",
    late_reason: str = "",
    leave_contact: str = "",
    leave_address: str = "",
    police_municipality: str = "",
    **search_facts,
) -> MissingReport:
    """SAV-2: there is reason to believe the minor has left — report missing, start the 24 hours.

    An absence already being looked into becomes this report; a second open report for the
    same resident is refused. Every step of SAV-3..7 gets its own deadline from this moment.
    Also called by the leave routine for a late return (PERM-6), with source="late_return".

    R-1: the 24 hours run from the earlier of `reason_to_believe_at` and the end of the
    investigation window that noticing the absence opened (of an investigation under way, or
    counted from `noticed_at`); a later moment needs a leader's `late_reason`.

    `search_facts` are what the police need of this disappearance (SEARCH_FACTS: where and by
    whom last seen, ID or money taken, network, destinations, threats, trafficking signs).
    The leave routine passes `leave_contact` (name, relation, phone of the contact person) and
    `leave_address`: savnet never reads the leave's records itself.
    """
    search_facts = _search_facts_checked(search_facts)
    now = timezone.now()
    _check_report_input(
        resident,
        at=reason_to_believe_at,
        source=source,
        noticed_at=noticed_at,
        last_seen_at=last_seen_at,
        reason_to_believe_at=reason_to_believe_at,
        known_address=known_address,
        known_address_municipality=known_address_municipality,
    )
    with _resident_locked(resident, race=State.OPEN) as (locked, report):
        if report is not None and report.state == State.OPEN:
            raise _already_active(State.OPEN)
        if report is None:
            report = MissingReport(resident=locked, centre=locked.centre, created_by=by)
        window_end = report.investigation_limit_at or _window_end(noticed_at)
        _check_late_reason(
            reason_to_believe_at=reason_to_believe_at,
            window_end=window_end,
            late_reason=late_reason,
            by=by,
        )
        was_investigating = report.pk is not None
        report.state = State.OPEN
        report.source = source
        report.noticed_at = noticed_at
        report.last_seen_at = last_seen_at
        report.reason_to_believe_at = reason_to_believe_at
        report.investigation_limit_at = window_end
        report.late_reason = late_reason.strip() if reason_to_believe_at > window_end else ""
        report.limit_at = rules.limit_at(
            rules.clock_start(reason_to_believe_at=reason_to_believe_at, window_end=window_end)
        )
        report.circumstances = circumstances.strip()
        report.description = description.strip()
        report.known_address = known_address.strip()
        report.known_address_municipality = known_address_municipality.strip()
        report.leave_contact = leave_contact.strip()
        report.leave_address = leave_address.strip()
        report.police_municipality = police_municipality.strip()
        for name, value in search_facts.items():
            setattr(report, name, value)
        report.opened_at = now
        report.save()
        if was_investigating:
            routine_deadline_meet(
                routine=MISSING, case=report, step_code=steps.INVESTIGATION_WINDOW, by=by
            )
        _open_missing_steps(report, by=by, now=now)
        limit = f"{timezone.localtime(report.limit_at):%d.%m.%Y %H:%M}"
        _event(locked, "missing_reported", by=by, at=reason_to_believe_at, limit=limit)
    return report


# SAV-3: the facts of the disappearance the police need; all optional.
SEARCH_FACTS = (
    "last_seen_where",
    "last_seen_by",
    "id_taken",
    "money_taken",
    "network",
    "possible_destinations",
    "threats",
    "trafficking_indicators",
)
TAKEN_FACTS = ("id_taken", "money_taken")


def _search_facts_checked(facts: dict) -> dict:
    unknown = set(facts) - set(SEARCH_FACTS)
    if unknown:
        raise TypeError(f"unknown facts of a missing report: {sorted(unknown)}")
    checked = {}
    for name, value in facts.items():
        if name in TAKEN_FACTS:
            value = value or MissingReport.Taken.UNKNOWN
            if value not in MissingReport.Taken.values:
                raise ValidationError(_("Answer yes, no or not known."))
        checked[name] = value.strip()
    return checked


def missing_report_update_search_facts(*, report: MissingReport, by, **facts) -> MissingReport:
    """SAV-3: what is learned after the report was opened, for the forms made from now on
    (a form already made keeps what it said)."""
    facts = _search_facts_checked(facts)
    with transaction.atomic():
        locked = routine_case_lock(routine=MISSING, case=report, states=MissingReport.ACTIVE_STATES)
        for name, value in facts.items():
            setattr(locked, name, value)
        locked.save(update_fields=list(facts))
        _event(locked, "missing_facts", by=by)
    return locked


def _open_missing_steps(report: MissingReport, *, by, now: datetime) -> None:
    routine_deadlines_open(
        routine=MISSING,
        case=report,
        checklist=steps.MISSING_CHECKLIST,
        start=periods.elapsed_hours(report.limit_at, -rules.LIMIT_HOURS),
        by=by,
    )
    if by is None:
        return  # opened by the sweep: people record what there is to do (a step needs a person)
    # Nothing to do is a step done: said so on the page, so nobody wonders.
    if not selectors.appointments_to_cancel(report, now=now):
        _step_done(
            report,
            steps.APPOINTMENTS,
            by=by,
            note=_("No appointments with UDI's asylum department to cancel."),
        )
    if not report.resident.lawyer_name.strip():
        _step_done(report, steps.LAWYER, by=by, note=_("No lawyer is registered for the resident."))


def missing_report_investigation_end(*, report: MissingReport, note: str, by) -> MissingReport:
    """The absence was explained before there was reason to believe the minor had left."""
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Say what happened."))

    def explain(locked: MissingReport) -> None:
        routine_deadline_meet(
            routine=MISSING, case=locked, step_code=steps.INVESTIGATION_WINDOW, by=by
        )
        locked.closed_at = timezone.now()
        locked.circumstances = f"{locked.circumstances}\n\n{note}".strip()
        _event(locked, "missing_investigation_ended", by=by)

    return _step(report, steps.INVESTIGATION_END, by=by, work=explain).case


def missing_report_open_at_window_end(*, report_id: int, now: datetime) -> MissingReport | None:
    """R-1: the investigation window ended and the absence is neither explained nor reported:
    report the minor missing now, the 24 hours counted from the window's end. Idempotent:
    does nothing once the report has left "being looked into"."""
    report = MissingReport.objects.filter(pk=report_id, state=State.INVESTIGATING).first()
    if report is None or report.investigation_limit_at is None:
        return None
    try:
        return missing_report_open(
            resident=report.resident,
            reason_to_believe_at=report.investigation_limit_at,
            noticed_at=report.noticed_at,
            last_seen_at=report.last_seen_at,
            circumstances=report.circumstances,
            source=report.source,
            by=None,
        )
    except ValidationError:
        # Explained or reported in the meantime (the lock decided): nothing left to do.
        if MissingReport.objects.filter(pk=report_id, state=State.INVESTIGATING).exists():
            raise
        return None
