"""PERM-5..PERM-7: during the leave, the return, a late return and the missing report."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.services.routines import (
    routine_case_lock,
    routine_deadline_meet,
    routine_deadline_open,
    routine_step_waive,
    routine_transition,
)

from .. import routine as steps
from .. import rules, selectors
from ..models import FollowUpCall, LeaveApplication
from ..routine import (
    LEAVE,
    RETURN_DUE_LABEL,
)
from ._base import State, _do, _event

# --- granted: agreement, representative, follow-up (PERM-5) ---------------------------------


def leave_application_representative_told_orally(
    *, application: LeaveApplication, at: datetime, note: str, by
) -> LeaveApplication:
    if at > timezone.now():
        raise ValidationError(_("The time cannot be in the future."))

    def record(locked: LeaveApplication) -> None:
        locked.representative_told_orally_at = at
        locked.representative_told_orally_note = note.strip()
        locked.save()
        _event(locked, "leave_representative_told", by=by, at=at)

    return _do(application, steps.REPRESENTATIVE_TOLD_ORALLY, by=by, work=record).case


def leave_follow_up_call_log(
    *,
    application: LeaveApplication,
    called_at: datetime,
    spoke_with: str,
    outcome: str,
    note: str,
    by,
) -> FollowUpCall:
    if called_at > timezone.now():
        raise ValidationError(_("The time cannot be in the future."))
    if outcome not in FollowUpCall.Outcome.values:
        raise ValidationError(_("Choose the outcome of the call."))

    def log(locked: LeaveApplication) -> FollowUpCall:
        if locked.departed_at and called_at < locked.departed_at:
            raise ValidationError(_("A follow-up call cannot be before the minor left."))
        call = FollowUpCall.objects.create(
            application=locked,
            called_at=called_at,
            spoke_with=spoke_with.strip(),
            outcome=outcome,
            note=note.strip(),
            logged_by=by,
        )
        outcome_label = call.get_outcome_display()
        _event(locked, "leave_follow_up_call", by=by, at=called_at, outcome=outcome_label)
        return call

    # The next call falls due counted from this one (the step's repeating deadline).
    return _do(application, steps.FOLLOW_UP_CALL, by=by, work=log, at=called_at).value


# --- departure and return ----------------------------------------------------------------


def leave_application_mark_departed(
    *, application: LeaveApplication, at: datetime, by
) -> LeaveApplication:
    if at > timezone.now():
        raise ValidationError(_("The time cannot be in the future."))
    _stop_if_the_grant_no_longer_holds(application, by=by)

    def depart(locked: LeaveApplication) -> None:
        if at >= locked.return_at:
            raise ValidationError(_("The minor cannot leave after the agreed return."))
        _check_ready_to_leave(locked)
        locked.departed_at = at
        _event(locked, "leave_departed", by=by, at=at)

    def watch_return(departed: LeaveApplication) -> None:
        # Due at the agreed return: being back meets it, else the sweep marks the leave late
        # (PERM-6, the on-due handler in permisjon/handlers.py).
        routine_deadline_open(
            routine=LEAVE, case=departed, step_code=steps.RETURN, by=by, label=RETURN_DUE_LABEL
        )
        # PERM-5 c: calls during the leave, each opening the next.
        routine_deadline_open(routine=LEAVE, case=departed, step_code=steps.FOLLOW_UP_CALL, by=by)

    return _do(application, steps.DEPART, by=by, work=depart, then=watch_return).case


def _check_ready_to_leave(locked: LeaveApplication) -> None:
    """PERM-5: the signed agreement uploaded and the representative told orally and in
    writing before the minor leaves — or a leader waived the step with a reason."""
    open_steps = selectors.before_departure_open_steps(locked)
    if open_steps:
        raise ValidationError(
            [
                _("Before the minor may leave: %(step)s") % {"step": str(step.label)}
                for step in open_steps
            ]
        )


def leave_application_upload_signed_agreement(
    *, application: LeaveApplication, attachment, by, note: str = ""
) -> LeaveApplication:
    """PERM-5 a: the agreement signed by the minor and the contact person, kept on file."""
    if not attachment:
        raise ValidationError(_("Upload the signed agreement."))

    def check_issued(locked: LeaveApplication) -> None:
        if not selectors.dispatches_of(locked).filter(purpose=steps.AGREEMENT_PURPOSE).exists():
            raise ValidationError(_("Issue the agreement first."))

    return _do(
        application,
        steps.SIGNED_AGREEMENT,
        by=by,
        work=check_issued,
        note=note,
        attachment=attachment,
        by_hand=True,
    ).case


def leave_application_waive_before_departure(
    *, application: LeaveApplication, step_code: str, reason: str, by
) -> LeaveApplication:
    """A leader lets the minor leave without one of the PERM-5 steps, with a reason."""
    if step_code not in steps.BEFORE_DEPARTURE_STEPS:
        raise ValidationError(_("This checklist has no such step."))
    waived = routine_step_waive(
        routine=LEAVE,
        case=application,
        step_code=step_code,
        reason=reason,
        by=by,
        states={State.GRANTED},
    )
    _event(waived, "leave_before_departure_waived", by=by, step=str(LEAVE.step(step_code).label))
    return waived


# Why a grant no longer holds at departure, as the staff read it.
STALE_MESSAGES = {
    "stage_changed": gettext_lazy("the asylum stage has changed since the leave was granted"),
    "now_blocked": gettext_lazy("a rule now stops the leave"),
    "decider_changed": gettext_lazy("someone else must now decide the leave"),
}


def _stop_if_the_grant_no_longer_holds(application: LeaveApplication, *, by) -> None:
    """PERM-1, PERM-9/10, checked again at departure: when the asylum stage changed since the
    decision, a block appeared or the decider changed, the leave goes back to "prepared" for a
    new decision (committed), and the departure is refused with the reasons."""
    with transaction.atomic():
        locked = routine_case_lock(routine=LEAVE, case=application, states={State.GRANTED})
        outcome = selectors.leave_outcome(locked)
        reasons = rules.departure_stale_reasons(
            stage_at_decision=locked.asylum_stage_at_decision,
            stage_now=locked.resident.asylum_stage,
            granted_by=locked.decider,
            outcome=outcome,
        )
        if not reasons:
            return
        locked.decider = outcome.decider
        locked.decision_round += 1
        locked.decided_at = None
        locked.decided_by = None
        routine_transition(routine=LEAVE, case=locked, to=State.PREPARED, by=by)
        _event(locked, "leave_sent_back_for_decision", by=by)
    raise ValidationError(
        _("The minor may not leave: %(why)s. The leave is sent back for a new decision.")
        % {"why": "; ".join(str(STALE_MESSAGES[r]) for r in reasons)}
    )


def leave_application_mark_returned(
    *,
    application: LeaveApplication,
    at: datetime,
    by,
    note: str = "",
    broken_agreement: bool = False,
) -> LeaveApplication:
    """The minor is back. Back after the agreed time breaks the agreement; so does any other
    breach staff record with its reason (stayed elsewhere, contact person absent) (PERM-7)."""
    if at > timezone.now():
        raise ValidationError(_("The time cannot be in the future."))
    if broken_agreement and not note.strip():
        raise ValidationError(_("Say how the agreement was broken."))

    def come_back(locked: LeaveApplication) -> None:
        if locked.departed_at and at < locked.departed_at:
            raise ValidationError(_("The return cannot be before the minor left."))
        late = at > locked.return_at
        locked.returned_at = at
        if late or broken_agreement:
            locked.broken_agreement = True
        if note.strip():
            locked.broken_agreement_note = note.strip()
        _event(locked, "leave_returned_late" if late else "leave_returned", by=by, at=at)
        routine_deadline_meet(routine=LEAVE, case=locked, step_code=steps.LATE, by=by, at=at)
        _stop_follow_up_calls(locked, by=by, at=at)

    return _do(application, steps.RETURN, by=by, work=come_back).case


def leave_application_mark_late(*, application_id: int, now: datetime | None = None) -> bool:
    """Not back at the agreed time: mark late and prompt the staff (PERM-6). Idempotent."""
    now = now or timezone.now()
    application = LeaveApplication.objects.filter(
        pk=application_id, state=State.ONGOING, return_at__lte=now
    ).first()
    if application is None:
        return False

    def mark(locked: LeaveApplication) -> None:
        _event(locked, "leave_late", by=None, at=now)

    def open_deadline(late: LeaveApplication) -> None:
        # PERM-6, SAV-2, R-2: look into it at once; report missing within 24 hours of the
        # agreed return time. Opened after the step is recorded: recording the step meets
        # its deadline, which must stay open until the minor is back or reported missing.
        routine_deadline_open(routine=LEAVE, case=late, step_code=steps.LATE)

    try:
        _do(application, steps.LATE, by=None, work=mark, then=open_deadline)
    except ValidationError:
        return False  # no longer ongoing: back, or already marked by another run
    return True


# --- PERM-6: the missing report ------------------------------------------------------------

MISSING_SOURCE = "late_return"


def _stop_follow_up_calls(locked: LeaveApplication, *, by, at: datetime) -> None:
    """The leave is over (back, or the missing routine took over): no further call is due."""
    routine_deadline_meet(routine=LEAVE, case=locked, step_code=steps.FOLLOW_UP_CALL, by=by, at=at)


def default_police_municipality(application: LeaveApplication) -> str:
    """R-2: the nearest police district — by default the leave address's."""
    return application.destination_municipality


def leave_application_report_missing(
    *,
    application: LeaveApplication,
    by,
    circumstances: str,
    reason_to_believe_at: datetime | None = None,
    police_municipality: str = "",
):
    """Open the missing report, filled in from the leave; the missing routine (SAV-*) takes over.

    "Last seen" is the last confirmed contact (PERM-6). `police_municipality`: the police
    district told (R-2), by default the leave address's; recorded on the leave."""
    from savnet.services import missing_report_open

    if not circumstances.strip():
        raise ValidationError(_("Say what is known about the disappearance."))
    reason_at = reason_to_believe_at or timezone.now()

    def report_missing(locked: LeaveApplication):
        if locked.missing_report_id:
            raise ValidationError(_("A missing report has already been opened from this leave."))
        # the 24 hours run from the agreed return time (or an earlier moment of concern),
        # not from when staff open the report.
        clock_start = min(locked.return_at, reason_at)
        locked.police_municipality = police_municipality.strip() or default_police_municipality(
            locked
        )
        report = missing_report_open(
            resident=locked.resident,
            reason_to_believe_at=clock_start,
            noticed_at=clock_start,
            last_seen_at=selectors.last_confirmed_contact_at(locked),
            circumstances=circumstances.strip(),
            by=by,
            source=MISSING_SOURCE,
            known_address=locked.destination_address,
            known_address_municipality=locked.destination_municipality,
            # SAV-3: what the police need of a leave case, passed in (savnet reads no leave).
            leave_contact=selectors.designated_contact_line(locked),
            leave_address=f"{locked.destination_address}, {locked.destination_municipality}",
            police_municipality=locked.police_municipality,
        )
        locked.missing_report_id = report.pk
        locked.missing_report_opened_at = reason_at
        if reason_at > locked.return_at:
            locked.broken_agreement = True
        locked.save()
        routine_deadline_meet(routine=LEAVE, case=locked, step_code=steps.LATE, by=by, at=reason_at)
        _stop_follow_up_calls(locked, by=by, at=reason_at)
        _event(locked, "leave_reported_missing", by=by, at=reason_at)
        return report

    return _do(application, steps.REPORT_MISSING, by=by, work=report_missing).value
