"""PERM-1, PERM-5: deciding an application, the agreement and the representative's notice."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.services.routines import (
    routine_deadline_meet,
    routine_step_record,
)
from mottak import directory

from .. import documents, rules, selectors
from .. import routine as steps
from ..models import LeaveApplication
from ..routine import (
    LEAVE,
)
from ._base import State, _check_nothing_open, _do, _event, _notice

# --- deciding ----------------------------------------------------------------------------


def _check_may_decide(locked: LeaveApplication, by) -> rules.Outcome:
    """Who decides is stored on the application: the centre before forwarding, the regional
    office after. The step's declared states already allow any undecided state."""
    outcome = selectors.leave_outcome(locked)
    # Whether the preparation is done is checked live (_check_nothing_open): steps can be undone.
    forwarded = locked.state == State.FORWARDED
    if locked.decider == LeaveApplication.Decider.CENTRE and forwarded:
        raise ValidationError(
            _("This cannot be done while the application is “%(state)s”.")
            % {"state": locked.get_state_display()}
        )
    if locked.decider == LeaveApplication.Decider.REGION and not forwarded:
        raise ValidationError(_("The regional office decides: forward the application."))
    if not selectors.user_may_decide(by, locked):
        raise PermissionDenied
    if outcome.decider != locked.decider:
        raise ValidationError(
            _("The facts have changed: this leave is now decided by %(decider)s.")
            % {"decider": LeaveApplication.Decider(outcome.decider).label}
        )
    return outcome


def _record_decision(locked: LeaveApplication, *, by, reason: str, at) -> None:
    locked.decided_at = at or timezone.now()
    locked.decided_by = by
    locked.decision_reason = reason.strip()
    locked.asylum_stage_at_decision = locked.resident.asylum_stage


def leave_application_grant(
    *,
    application: LeaveApplication,
    by,
    reason: str = "",
    overrides: dict[str, str] | None = None,
    agreement_note: str = "",
    at: datetime | None = None,
) -> LeaveApplication:
    overrides = overrides or {}
    if not reason.strip():
        # PERM-1: "kan i visse tilfeller": a grant is a judgement, and states its reason.
        raise ValidationError(_("Give the reason for the grant."))

    def grant(locked: LeaveApplication) -> None:
        outcome = _check_may_decide(locked, by)
        if outcome.blocks:
            raise ValidationError([b.message for b in outcome.blocks])
        _check_nothing_open(locked, outcome)
        missing = outcome.warnings_without_reason(overrides)
        if missing:
            raise ValidationError(
                [
                    _("Granting anyway needs a reason for the exception: %(warning)s")
                    % {"warning": w.message}
                    for w in missing
                ]
            )
        _record_decision(locked, by=by, reason=reason, at=at)
        locked.override_reasons = {w.code: overrides[w.code].strip() for w in outcome.warnings}
        locked.agreement_note = agreement_note.strip()

    return _do(
        application, steps.GRANT, by=by, work=grant, then=lambda g: _after_grant(g, by=by)
    ).case


def _after_grant(application: LeaveApplication, *, by) -> None:
    """PERM-5: when the centre granted, its leader issues the agreement and the notice to the
    representative at once; when the regional office granted, the centre's staff do it
    (leave_application_issue_agreement), so the centre signs them."""
    decider = application.get_decider_display()
    _event(application, "leave_granted", by=by, at=application.decided_at, decider=decider)
    if application.decider == LeaveApplication.Decider.CENTRE:
        _issue(application, by=by)
        routine_step_record(routine=LEAVE, case=application, step_code=steps.ISSUE_AGREEMENT, by=by)


def _issue(application: LeaveApplication, *, by) -> None:
    """The written agreement (handed over with the minor), and the representative told in
    writing where their address is on record."""
    _notice(
        application,
        steps.ISSUE_AGREEMENT,
        purpose=steps.AGREEMENT_PURPOSE,
        channel="by_hand",
        context=documents.agreement_context(application),
        by=by,
        version=application.decision_round,
    )
    resident = application.resident
    if resident.representative_name and resident.representative_address:
        _notify_representative(
            application, by=by, channel="post", step_code=steps.NOTIFY_REPRESENTATIVE
        )
    _event(application, "leave_agreement_issued", by=by)


def leave_application_issue_agreement(*, application: LeaveApplication, by) -> LeaveApplication:
    """PERM-5 after the regional office granted: the centre issues and signs the agreement and
    the notice to the representative."""
    return _do(
        application,
        steps.ISSUE_AGREEMENT,
        by=by,
        permission="issue",
        work=lambda locked: _issue(locked, by=by),
    ).case


def _notify_representative(
    application, *, by, channel: str, step_code: str, recipient: dict | None = None
):
    return _notice(
        application,
        step_code,
        purpose="leave_notice",
        channel=channel,
        context=documents.decision_context(application),
        by=by,
        recipient=recipient,
        version=application.decision_round,
    )


def leave_application_refuse(
    *, application: LeaveApplication, by, reason: str, at: datetime | None = None
) -> LeaveApplication:
    if not reason.strip():
        raise ValidationError(_("Give the reason for the refusal."))

    def refuse(locked: LeaveApplication) -> None:
        outcome = _check_may_decide(locked, by)
        if not outcome.blocks:
            # A leave that may never be granted is refused at once; otherwise prepare first.
            _check_nothing_open(locked, outcome)
        _record_decision(locked, by=by, reason=reason, at=at)
        # Nothing is left to forward once the application is decided.
        routine_deadline_meet(routine=LEAVE, case=locked, step_code=steps.FORWARD, by=by)

    def announce(refused: LeaveApplication) -> None:
        decider = refused.get_decider_display()
        _event(refused, "leave_refused", by=by, at=refused.decided_at, decider=decider)

    return _do(application, steps.REFUSE, by=by, work=refuse, then=announce).case


def leave_application_decide(
    *,
    application: LeaveApplication,
    decision: str,
    by,
    reason: str = "",
    overrides: dict[str, str] | None = None,
    agreement_note: str = "",
) -> LeaveApplication:
    if decision == "grant":
        return leave_application_grant(
            application=application,
            by=by,
            reason=reason,
            overrides=overrides,
            agreement_note=agreement_note,
        )
    if decision == "refuse":
        return leave_application_refuse(application=application, by=by, reason=reason)
    raise ValidationError(_("Choose grant or refuse."))


def leave_application_notify_representative(
    *, application: LeaveApplication, by, name: str, address: str, channel: str
):
    """PERM-5 b in writing, when the representative's address was not on record at the grant."""
    if not name.strip():
        raise ValidationError(_("Give the representative's name."))

    def notify(locked: LeaveApplication):
        return _notify_representative(
            locked,
            by=by,
            recipient=directory.named("representative", name.strip(), address.strip()),
            channel=channel,
            step_code=steps.NOTIFY_REPRESENTATIVE,
        )

    return _do(application, steps.NOTIFY_REPRESENTATIVE, by=by, work=notify).value
