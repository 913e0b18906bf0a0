"""Every write of the leave routine (PERM-1..PERM-10).

Each state change locks the application, checks that its state allows the move, saves,
records a timeline event on the resident and queues side effects with on_commit — in one
transaction, so nothing is saved half-way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.services import checklist_status, checklist_step_complete, timeline_event_record
from mottak.models import Resident

from . import rules, selectors
from .checklists import ATTACHMENT_STEP_CODES, PREPARATION, STEPS_BY_CODE
from .models import ContactPerson, FollowUpCall, LeaveApplication

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


def _lock(application: LeaveApplication) -> LeaveApplication:
    return (
        LeaveApplication.objects.select_for_update()
        .select_related("resident", "centre", "centre__region")
        .get(pk=application.pk)
    )


def _require_state(application: LeaveApplication, *allowed: str) -> None:
    if application.state not in allowed:
        raise ValidationError(
            _("This cannot be done while the application is “%(state)s”.")
            % {"state": application.get_state_display()}
        )


def _event(application: LeaveApplication, kind: str, summary: str, *, by, rule_id="", at=None):
    timeline_event_record(
        subject=application.resident,
        kind=kind,
        summary=summary,
        actor=by,
        rule_id=rule_id,
        at=at,
    )


# --- submit ------------------------------------------------------------------------------


def _check_input(data: LeaveApplicationData, contacts: list[ContactPersonData]) -> None:
    problems = rules.application_input_problems(
        departure_at=data.departure_at,
        return_at=data.return_at,
        contact_birth_dates=[c.date_of_birth for c in contacts],
        today=timezone.localdate(),
    )
    if problems:
        raise ValidationError([str(rules.INPUT_MESSAGES[p]) for p in problems])


def leave_application_submit(
    *,
    resident: Resident,
    data: LeaveApplicationData,
    contact_persons: list[ContactPersonData],
    by,
) -> LeaveApplication:
    """Register an application (PERM-2) with its contact persons, all or nothing."""
    _check_input(data, contact_persons)
    with transaction.atomic():
        # The resident's row serialises applications: two submits cannot both pass the overlap check.
        locked = Resident.objects.select_for_update().select_related("centre").get(pk=resident.pk)
        if selectors.overlapping_leave_exists(
            resident=locked, departure_at=data.departure_at, return_at=data.return_at
        ):
            raise ValidationError(str(rules.INPUT_MESSAGES["overlap"]))
        facts = selectors.leave_facts(
            resident=locked,
            centre=locked.centre,
            departure_at=data.departure_at,
            return_at=data.return_at,
            abroad=data.abroad,
            contact_birth_dates=[c.date_of_birth for c in contact_persons],
        )
        outcome = rules.assess(facts)
        application = LeaveApplication.objects.create(
            resident=locked,
            centre=locked.centre,
            decider=outcome.decider,
            created_by=by,
            **data.__dict__,
        )
        for contact in contact_persons:
            ContactPerson.objects.create(application=application, **contact.__dict__)
        _event(
            application,
            "leave_submitted",
            _("Leave application %(number)s registered (%(days)s days)")
            % {"number": application, "days": outcome.length_days},
            by=by,
            rule_id="PERM-2",
        )
        _after_submit(application, by=by)
    return application


def _after_submit(application: LeaveApplication, *, by) -> None:
    """Hook for the case engine (forwarding deadline); see integration below."""


# --- preparation ---------------------------------------------------------------------------


def leave_application_record_pu_view(
    *, application: LeaveApplication, view: str, note: str, by, at: datetime | None = None
) -> LeaveApplication:
    """PU's view on a clash with transfer or removal plans (PERM-9, PERM-10)."""
    if view not in {LeaveApplication.PUView.NO_CLASH, LeaveApplication.PUView.CLASHES}:
        raise ValidationError(_("Choose PU's view."))
    with transaction.atomic():
        locked = _lock(application)
        _require_state(locked, State.DRAFT, State.PREPARED)
        locked.pu_view = view
        locked.pu_view_note = note
        locked.pu_view_at = at or timezone.now()
        locked.save()
        _event(
            locked,
            "leave_pu_view",
            _("PU's view on leave %(number)s: %(view)s")
            % {"number": locked, "view": locked.get_pu_view_display()},
            by=by,
            rule_id="PERM-10"
            if locked.resident.asylum_stage == rules.FINAL_REJECTION
            else "PERM-9",
        )
        _refresh_prepared(locked, by=by)
    return locked


def _refresh_prepared(locked: LeaveApplication, *, by) -> None:
    """Keep the stored decider in step with the facts; mark prepared when nothing is open."""
    outcome = selectors.leave_outcome(locked)
    locked.decider = outcome.decider
    if locked.state == State.DRAFT and not preparation_open_steps(locked, outcome):
        locked.state = State.PREPARED
        _event(
            locked,
            "leave_prepared",
            _("The preparation of leave %(number)s is done") % {"number": locked},
            by=by,
            rule_id="PERM-4",
        )
    locked.save()


def leave_application_prepare_step(
    *,
    application: LeaveApplication,
    step_code: str,
    by,
    note: str = "",
    attachment=None,
    at: datetime | None = None,
) -> LeaveApplication:
    """Record one documented preparation step (PERM-4 a–g); the ID copy needs the document."""
    step = STEPS_BY_CODE.get(step_code)
    if step is None:
        raise ValidationError(_("This checklist has no such step."))
    if step.code in ATTACHMENT_STEP_CODES and not attachment:
        raise ValidationError(_("Upload the copy of the contact person's ID document."))
    with transaction.atomic():
        locked = _lock(application)
        _require_state(locked, State.DRAFT, State.PREPARED)
        checklist_step_complete(
            owner=locked,
            checklist=PREPARATION,
            step_code=step.code,
            by=by,
            note=note,
            attachment=attachment,
            at=at,
        )
        _refresh_prepared(locked, by=by)
    return locked


def leave_application_recommend_refusal(
    *, application: LeaveApplication, note: str, by
) -> LeaveApplication:
    """The centre recommends that the regional office refuses (PERM-7)."""
    if not note.strip():
        raise ValidationError(_("Say why the centre recommends refusal."))
    with transaction.atomic():
        locked = _lock(application)
        _require_state(locked, State.DRAFT, State.PREPARED)
        locked.centre_recommends_refusal = True
        locked.centre_recommendation_note = note.strip()
        locked.save()
        _event(
            locked,
            "leave_refusal_recommended",
            _("The centre recommends refusing leave %(number)s") % {"number": locked},
            by=by,
            rule_id="PERM-7",
        )
    return locked


def leave_application_withdraw(
    *, application: LeaveApplication, reason: str, by
) -> LeaveApplication:
    if not reason.strip():
        raise ValidationError(_("Say why the application is withdrawn."))
    with transaction.atomic():
        locked = _lock(application)
        _require_state(locked, State.DRAFT, State.PREPARED, State.FORWARDED, State.GRANTED)
        locked.state = State.WITHDRAWN
        locked.decision_reason = reason.strip()
        locked.save()
        _event(
            locked,
            "leave_withdrawn",
            _("Leave application %(number)s withdrawn") % {"number": locked},
            by=by,
        )
    return locked


# --- deciding ----------------------------------------------------------------------------


def preparation_open_steps(application: LeaveApplication, outcome: rules.Outcome) -> list[str]:
    """Labels of the required steps still open: the checklist (PERM-4) and PU's view."""
    return [str(label) for label in _open_checklist_steps(application)] + [
        s.message for s in outcome.required_steps
    ]


def _open_checklist_steps(application: LeaveApplication) -> list[str]:
    """Required PERM-4 steps not done; a step that needs a document counts as open without it."""
    return [
        row.step.label
        for row in checklist_status(application, PREPARATION)
        if row.step.required
        and (
            not row.done
            or (row.step.code in ATTACHMENT_STEP_CODES and not row.completion.attachment)
        )
    ]


def _check_may_decide(locked: LeaveApplication, by, *, refusing: bool = False) -> rules.Outcome:
    outcome = selectors.leave_outcome(locked)
    # Whether the preparation is done is checked live (_check_nothing_open): steps can be undone.
    if locked.decider == LeaveApplication.Decider.CENTRE:
        allowed = {State.DRAFT, State.PREPARED}
    else:
        allowed = {State.FORWARDED}
    if locked.state not in allowed:
        if locked.state in {State.DRAFT, State.PREPARED}:
            raise ValidationError(_("The regional office decides: forward the application."))
        _require_state(locked, *allowed)
    if not selectors.user_may_decide(by, locked):
        raise PermissionDenied
    if outcome.decider != locked.decider:
        raise ValidationError(
            _("The facts have changed: this leave is now decided by %(decider)s.")
            % {"decider": LeaveApplication.Decider(outcome.decider).label}
        )
    return outcome


def _check_nothing_open(locked: LeaveApplication, outcome: rules.Outcome) -> None:
    open_steps = preparation_open_steps(locked, outcome)
    if open_steps:
        raise ValidationError(
            [_("A required step is still open: %(step)s") % {"step": s} for s in open_steps]
        )


def leave_application_grant(
    *,
    application: LeaveApplication,
    by,
    reason: str = "",
    overrides: dict[str, str] | None = None,
    at: datetime | None = None,
) -> LeaveApplication:
    overrides = overrides or {}
    with transaction.atomic():
        locked = _lock(application)
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
        locked.state = State.GRANTED
        locked.decided_at = at or timezone.now()
        locked.decided_by = by
        locked.decision_reason = reason.strip()
        locked.override_reasons = {w.code: overrides[w.code].strip() for w in outcome.warnings}
        locked.save()
        _event(
            locked,
            "leave_granted",
            _("Leave %(number)s granted by %(decider)s")
            % {"number": locked, "decider": locked.get_decider_display()},
            by=by,
            rule_id="PERM-1",
            at=locked.decided_at,
        )
        _after_grant(locked, by=by)
    return locked


def _after_grant(application: LeaveApplication, *, by) -> None:
    """Hook for the case engine (agreement and representative notice); see integration below."""


def leave_application_refuse(
    *, application: LeaveApplication, by, reason: str, at: datetime | None = None
) -> LeaveApplication:
    if not reason.strip():
        raise ValidationError(_("Give the reason for the refusal."))
    with transaction.atomic():
        locked = _lock(application)
        outcome = _check_may_decide(locked, by, refusing=True)
        if not outcome.blocks:
            # A leave that may never be granted is refused at once; otherwise prepare first.
            _check_nothing_open(locked, outcome)
        locked.state = State.REFUSED
        locked.decided_at = at or timezone.now()
        locked.decided_by = by
        locked.decision_reason = reason.strip()
        locked.save()
        _event(
            locked,
            "leave_refused",
            _("Leave %(number)s refused by %(decider)s")
            % {"number": locked, "decider": locked.get_decider_display()},
            by=by,
            rule_id="PERM-1",
            at=locked.decided_at,
        )
        _after_refuse(locked, by=by)
    return locked


def _after_refuse(application: LeaveApplication, *, by) -> None:
    """Hook for the case engine; see integration below."""


def leave_application_decide(
    *,
    application: LeaveApplication,
    decision: str,
    by,
    reason: str = "",
    overrides: dict[str, str] | None = None,
) -> LeaveApplication:
    if decision == "grant":
        return leave_application_grant(
            application=application, by=by, reason=reason, overrides=overrides
        )
    if decision == "refuse":
        return leave_application_refuse(application=application, by=by, reason=reason)
    raise ValidationError(_("Choose grant or refuse."))


# --- granted: agreement, representative, follow-up (PERM-5) ---------------------------------


def leave_application_representative_told_orally(
    *, application: LeaveApplication, at: datetime, note: str, by
) -> LeaveApplication:
    if at > timezone.now():
        raise ValidationError(_("The time cannot be in the future."))
    with transaction.atomic():
        locked = _lock(application)
        _require_state(locked, State.GRANTED, State.ONGOING, State.LATE, State.RETURNED)
        locked.representative_told_orally_at = at
        locked.representative_told_orally_note = note.strip()
        locked.save()
        _event(
            locked,
            "leave_representative_told",
            _("The representative was told orally of leave %(number)s") % {"number": locked},
            by=by,
            rule_id="PERM-5",
            at=at,
        )
    return locked


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
    with transaction.atomic():
        locked = _lock(application)
        _require_state(locked, State.ONGOING, State.LATE)
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
        _event(
            locked,
            "leave_follow_up_call",
            _("Follow-up call during leave %(number)s: %(outcome)s")
            % {"number": locked, "outcome": call.get_outcome_display()},
            by=by,
            rule_id="PERM-5",
            at=called_at,
        )
    return call


# --- departure and return ----------------------------------------------------------------


def leave_application_mark_departed(
    *, application: LeaveApplication, at: datetime, by
) -> LeaveApplication:
    if at > timezone.now():
        raise ValidationError(_("The time cannot be in the future."))
    with transaction.atomic():
        locked = _lock(application)
        _require_state(locked, State.GRANTED)
        if at >= locked.return_at:
            raise ValidationError(_("The minor cannot leave after the agreed return."))
        locked.state = State.ONGOING
        locked.departed_at = at
        locked.save()
        _event(
            locked,
            "leave_departed",
            _("Left for leave %(number)s") % {"number": locked},
            by=by,
            rule_id="PERM-5",
            at=at,
        )
        _after_departure(locked, by=by)
    return locked


def _after_departure(application: LeaveApplication, *, by) -> None:
    """Hook for the case engine (the return deadline); see integration below."""


def leave_application_mark_returned(
    *, application: LeaveApplication, at: datetime, by, note: str = ""
) -> LeaveApplication:
    """The minor is back. Back after the agreed time breaks the agreement (PERM-7)."""
    if at > timezone.now():
        raise ValidationError(_("The time cannot be in the future."))
    with transaction.atomic():
        locked = _lock(application)
        _require_state(locked, State.ONGOING, State.LATE)
        if locked.departed_at and at < locked.departed_at:
            raise ValidationError(_("The return cannot be before the minor left."))
        late = at > locked.return_at
        locked.state = State.RETURNED
        locked.returned_at = at
        if late or note.strip():
            locked.broken_agreement = late or locked.broken_agreement
            locked.broken_agreement_note = note.strip()
        locked.save()
        summary = (
            _("Back from leave %(number)s after the agreed time")
            if late
            else _("Back from leave %(number)s")
        )
        _event(
            locked,
            "leave_returned",
            summary % {"number": locked},
            by=by,
            rule_id="PERM-7" if late else "PERM-5",
            at=at,
        )
        _after_return(locked, by=by)
    return locked


def _after_return(application: LeaveApplication, *, by) -> None:
    """Hook for the case engine (meets the return deadlines); see integration below."""


def leave_application_mark_late(*, application_id: int, now: datetime | None = None) -> bool:
    """Not back at the agreed time: mark late and prompt the staff (PERM-6). Idempotent."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            LeaveApplication.objects.select_for_update()
            .select_related("resident", "centre")
            .filter(pk=application_id, state=State.ONGOING, return_at__lte=now)
            .first()
        )
        if locked is None:
            return False
        locked.state = State.LATE
        locked.save()
        _event(
            locked,
            "leave_late",
            _("Not back from leave %(number)s at the agreed time") % {"number": locked},
            by=None,
            rule_id="PERM-6",
            at=now,
        )
        _after_late(locked)
    return True


def _after_late(application: LeaveApplication) -> None:
    """Hook for the case engine (the investigation deadline); see integration below."""


def overdue_leave_ids(*, now: datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return list(
        LeaveApplication.objects.filter(state=State.ONGOING, return_at__lte=now)
        .order_by("return_at")
        .values_list("pk", flat=True)[:500]
    )
