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
from django.utils.translation import gettext_noop, ngettext

from cases import periods
from cases import rules as dispatch_rules
from cases.services import (
    checklist_status,
    checklist_step_complete,
    deadline_meet_for,
    deadline_open,
    deadline_waive,
    dispatch_create,
    timeline_event_record,
)
from mottak.models import Resident

from . import documents, rules, selectors
from .checklists import ATTACHMENT_STEP_CODES, PREPARATION, STEPS_BY_CODE
from .models import ContactPerson, FollowUpCall, LeaveApplication

State = LeaveApplication.State

FORWARDING_DEADLINE = "leave_forwarding"
LATE_RETURN_DEADLINE = "leave_late_return"
# The agreement is a letter handed to the minor and the contact person (PERM-5 a).
AGREEMENT_PURPOSE = "letter"
LEGAL_BASIS_APPLICATION = "UDIs rutiner for EM-mottak punkt 2.1 (søknad om permisjon)"
LEGAL_BASIS_AGREEMENT = "UDIs rutiner for EM-mottak punkt 2.2 a (avtale om permisjon)"
LEGAL_BASIS_REPRESENTATIVE = "UDIs rutiner for EM-mottak punkt 2.2 b (melding til representant)"


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
        # Lock only the application row, not the joined resident, centre and region.
        LeaveApplication.objects.select_for_update(of=("self",))
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
        locked = (
            Resident.objects.select_for_update(of=("self",))
            .select_related("centre")
            .get(pk=resident.pk)
        )
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
            ngettext(
                "Leave application %(number)s registered (%(days)s day)",
                "Leave application %(number)s registered (%(days)s days)",
                outcome.length_days,
            )
            % {"number": application, "days": outcome.length_days},
            by=by,
            rule_id="PERM-2",
        )
        _after_submit(application, by=by)
    return application


def _after_submit(application: LeaveApplication, *, by) -> None:
    if application.decider == LeaveApplication.Decider.REGION:
        _open_forwarding_deadline(application, by=by)


def _open_forwarding_deadline(application: LeaveApplication, *, by) -> None:
    """PERM-3: the regional office must have it one week before the leave starts."""
    deadline_open(
        owner=application,
        kind=FORWARDING_DEADLINE,
        rule_id="PERM-3",
        due_at=rules.perm_3_forwarding_due(application.departure_at),
        centre=application.centre,
        label=gettext_noop("Forward the leave application to the regional office"),
        by=by,
    )


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
    if outcome.decider != locked.decider and outcome.decider == LeaveApplication.Decider.REGION:
        _open_forwarding_deadline(locked, by=by)
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
    """The minor withdraws, or the leave is called off before departure: the centre leader
    ends the case, and its open deadlines with it."""
    if not reason.strip():
        raise ValidationError(_("Say why the application is withdrawn."))
    with transaction.atomic():
        locked = _lock(application)
        _require_state(locked, State.DRAFT, State.PREPARED, State.FORWARDED, State.GRANTED)
        if not (selectors.user_is_centre_decider(by, locked) or by.is_admin_role):
            raise PermissionDenied
        locked.state = State.WITHDRAWN
        locked.decision_reason = reason.strip()
        locked.save()
        for deadline in selectors.pending_deadlines(locked):
            deadline_waive(deadline=deadline, by=by, reason=reason.strip())
        _event(
            locked,
            "leave_withdrawn",
            _("Leave application %(number)s withdrawn") % {"number": locked},
            by=by,
        )
    return locked


# --- forwarding to the regional office (PERM-3) ------------------------------------------------


def _preparation_for_form(application: LeaveApplication) -> tuple[list[dict], list[str]]:
    rows, attachments = [], []
    for row in checklist_status(application, PREPARATION):
        completion = row.completion
        rows.append(
            {
                "label": documents.STEP_LABELS_NB[row.step.code],
                "done": row.done,
                "done_at": completion.done_at if completion else None,
                "note": completion.note if completion else "",
            }
        )
        if completion and completion.attachment and row.step.code in ATTACHMENT_STEP_CODES:
            attachments.append("Kopi av kontaktpersonens identitetspapirer")
    return rows, attachments


def leave_application_forward(
    *, application: LeaveApplication, by, channel: str, at: datetime | None = None
) -> LeaveApplication:
    """Send the prepared application with its documents to the regional office (PERM-3).

    Late forwarding is allowed, but recorded and shown as late.
    """
    at = at or timezone.now()
    with transaction.atomic():
        locked = _lock(application)
        _require_state(locked, State.DRAFT, State.PREPARED)
        outcome = selectors.leave_outcome(locked)
        if outcome.decider != LeaveApplication.Decider.REGION:
            raise ValidationError(_("The centre decides this leave itself."))
        _check_nothing_open(locked, outcome)
        region = locked.centre.region
        locked.decider = outcome.decider
        locked.state = State.FORWARDED
        locked.forwarded_at = at
        locked.forwarded_by = by
        locked.forwarded_late = rules.perm_3_forwarded_late(
            forwarded_at=at, departure_at=locked.departure_at
        )
        locked.save()
        preparation, attachments = _preparation_for_form(locked)
        dispatch_create(
            owner=locked,
            subject=locked.resident,
            recipient_kind=dispatch_rules.UDI_REGION,
            recipient_name=region.name,
            recipient_address=region.address,
            channel=channel,
            legal_basis=LEGAL_BASIS_APPLICATION,
            template=documents.TEMPLATE_APPLICATION,
            purpose="leave_application",
            context=documents.application_context(
                locked,
                preparation=preparation,
                assessment=documents.assessment_lines(outcome, {}),
                attachments=attachments,
                broken_agreements=selectors.broken_agreements_before(
                    locked.resident, exclude_id=locked.pk
                ),
            ),
            by=by,
        )
        deadline_meet_for(owner=locked, kind=FORWARDING_DEADLINE, by=by, at=at)
        summary = (
            _(
                "Leave application %(number)s forwarded to the regional office, later than one week before the leave"
            )
            if locked.forwarded_late
            else _("Leave application %(number)s forwarded to the regional office")
        )
        _event(
            locked, "leave_forwarded", summary % {"number": locked}, by=by, rule_id="PERM-3", at=at
        )
    return locked


def leave_application_notify_representative(
    *, application: LeaveApplication, by, name: str, address: str, channel: str
):
    """PERM-5 b in writing, when the representative's address was not on record at the grant."""
    if not name.strip():
        raise ValidationError(_("Give the representative's name."))
    with transaction.atomic():
        locked = _lock(application)
        _require_state(locked, State.GRANTED, State.ONGOING, State.LATE, State.RETURNED)
        return _notify_representative(
            locked, by=by, name=name.strip(), address=address.strip(), channel=channel
        )


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
    agreement_note: str = "",
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
        locked.agreement_note = agreement_note.strip()
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
    """PERM-5: the written agreement, and the representative told in writing."""
    contact = application.contact_persons.order_by("id").first()
    context = documents.decision_context(application)
    dispatch_create(
        owner=application,
        subject=application.resident,
        recipient_kind=dispatch_rules.PERSON,
        recipient_name=contact.name,
        recipient_address=contact.address,
        channel=dispatch_rules.Channel.BY_HAND,
        legal_basis=LEGAL_BASIS_AGREEMENT,
        template=documents.TEMPLATE_AGREEMENT,
        purpose=AGREEMENT_PURPOSE,
        context=context,
        by=by,
    )
    resident = application.resident
    if resident.representative_name and resident.representative_address:
        _notify_representative(
            application,
            by=by,
            name=resident.representative_name,
            address=resident.representative_address,
            channel=dispatch_rules.Channel.POST,
        )


def _notify_representative(application, *, by, name: str, address: str, channel: str):
    return dispatch_create(
        owner=application,
        subject=application.resident,
        recipient_kind=dispatch_rules.REPRESENTATIVE,
        recipient_name=name,
        recipient_address=address,
        channel=channel,
        legal_basis=LEGAL_BASIS_REPRESENTATIVE,
        template=documents.TEMPLATE_REPRESENTATIVE,
        purpose="leave_notice",
        context=documents.decision_context(application),
        by=by,
    )


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
    """Nothing is left to forward once the application is decided."""
    deadline_meet_for(owner=application, kind=FORWARDING_DEADLINE, by=by)


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
    """The return is watched by the overdue-return task (permisjon.mark_overdue_returns)."""


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
    deadline_meet_for(
        owner=application, kind=LATE_RETURN_DEADLINE, by=by, at=application.returned_at
    )


def leave_application_mark_late(*, application_id: int, now: datetime | None = None) -> bool:
    """Not back at the agreed time: mark late and prompt the staff (PERM-6). Idempotent."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            LeaveApplication.objects.select_for_update(of=("self",))
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
    """PERM-6, SAV-2: look into it at once; report missing within 24 hours of the agreed time."""
    deadline_open(
        owner=application,
        kind=LATE_RETURN_DEADLINE,
        rule_id="PERM-6",
        due_at=periods.elapsed_hours(application.return_at, 24),
        centre=application.centre,
        label=gettext_noop(
            "Not back from leave: find out why at once and report missing if the minor has left"
        ),
    )


def overdue_leave_ids(*, now: datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return list(
        LeaveApplication.objects.filter(state=State.ONGOING, return_at__lte=now)
        .order_by("return_at")
        .values_list("pk", flat=True)[:500]
    )


# --- PERM-6: the missing report ------------------------------------------------------------

MISSING_SOURCE = "late_return"


def leave_application_report_missing(
    *,
    application: LeaveApplication,
    by,
    circumstances: str,
    reason_to_believe_at: datetime | None = None,
):
    """Open the missing report, filled in from the leave; the missing routine (SAV-*) takes over."""
    from savnet.services import missing_report_open

    if not circumstances.strip():
        raise ValidationError(_("Say what is known about the disappearance."))
    reason_at = reason_to_believe_at or timezone.now()
    with transaction.atomic():
        locked = _lock(application)
        _require_state(locked, State.ONGOING, State.LATE)
        if locked.missing_report_id:
            raise ValidationError(_("A missing report has already been opened from this leave."))
        report = missing_report_open(
            resident=locked.resident,
            reason_to_believe_at=reason_at,
            noticed_at=min(locked.return_at, reason_at),
            last_seen_at=locked.departed_at,
            circumstances=circumstances.strip(),
            by=by,
            source=MISSING_SOURCE,
            known_address=locked.destination_address,
            known_address_municipality=locked.destination_municipality,
        )
        locked.missing_report_id = report.pk
        locked.missing_report_opened_at = reason_at
        if reason_at > locked.return_at:
            locked.broken_agreement = True
        locked.save()
        deadline_meet_for(owner=locked, kind=LATE_RETURN_DEADLINE, by=by, at=reason_at)
        _event(
            locked,
            "leave_reported_missing",
            _("Reported missing during leave %(number)s") % {"number": locked},
            by=by,
            rule_id="PERM-6",
            at=reason_at,
        )
    return report
