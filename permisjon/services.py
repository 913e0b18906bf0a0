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
from django.utils.translation import ngettext

from cases.services import checklist_status, deadline_waive, timeline_event_record
from cases.services.routines import (
    routine_deadline_meet,
    routine_deadline_open,
    routine_notice_create,
    routine_step_do,
    routine_transition,
)
from mottak import directory
from mottak.models import Resident

from . import documents, rules, selectors
from . import routine as steps
from .models import ContactPerson, FollowUpCall, LeaveApplication
from .routine import (
    ATTACHMENT_STEP_CODES,
    FORWARDING_DEADLINE,
    LATE_RETURN_DEADLINE,
    LEAVE,
    PREPARATION,
    RETURN_DUE_LABEL,
    STEPS_BY_CODE,
)

State = LeaveApplication.State
__all__ = ["FORWARDING_DEADLINE", "LATE_RETURN_DEADLINE"]


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
    routine_deadline_open(routine=LEAVE, case=application, step_code=steps.FORWARD, by=by)


# --- preparation ---------------------------------------------------------------------------


def leave_application_record_pu_view(
    *, application: LeaveApplication, view: str, note: str, by, at: datetime | None = None
) -> LeaveApplication:
    """PU's view on a clash with transfer or removal plans (PERM-9, PERM-10)."""
    if view not in {LeaveApplication.PUView.NO_CLASH, LeaveApplication.PUView.CLASHES}:
        raise ValidationError(_("Choose PU's view."))

    def record(locked: LeaveApplication) -> None:
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
        leave_application_refresh_prepared(locked, by=by)

    return _do(application, steps.PU_VIEW, by=by, work=record).case


def leave_application_refresh_prepared(locked: LeaveApplication, *, by) -> None:
    """Keep the stored decider in step with the facts; mark prepared when nothing is open.
    Runs in the transaction of every preparation step (the routine's after-step hook)."""
    outcome = selectors.leave_outcome(locked)
    if outcome.decider != locked.decider and outcome.decider == LeaveApplication.Decider.REGION:
        _open_forwarding_deadline(locked, by=by)
    locked.decider = outcome.decider
    if locked.state == State.DRAFT and not preparation_open_steps(locked, outcome):
        routine_transition(routine=LEAVE, case=locked, to=State.PREPARED, by=by)
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
    return _do(
        application, step.code, by=by, note=note, attachment=attachment, at=at, by_hand=True
    ).case


def leave_application_recommend_refusal(
    *, application: LeaveApplication, note: str, by
) -> LeaveApplication:
    """The centre recommends that the regional office refuses (PERM-7)."""
    if not note.strip():
        raise ValidationError(_("Say why the centre recommends refusal."))

    def recommend(locked: LeaveApplication) -> None:
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

    return _do(application, steps.RECOMMEND_REFUSAL, by=by, work=recommend).case


def leave_application_withdraw(
    *, application: LeaveApplication, reason: str, by
) -> LeaveApplication:
    """The minor withdraws, or the leave is called off before departure: the centre leader
    ends the case, and its open deadlines with it."""
    if not reason.strip():
        raise ValidationError(_("Say why the application is withdrawn."))

    def withdraw(locked: LeaveApplication) -> None:
        locked.decision_reason = reason.strip()
        for deadline in selectors.pending_deadlines(locked):
            deadline_waive(deadline=deadline, by=by, reason=reason.strip())
        _event(
            locked,
            "leave_withdrawn",
            _("Leave application %(number)s withdrawn") % {"number": locked},
            by=by,
        )

    return _do(application, steps.WITHDRAW, by=by, work=withdraw, permission="withdraw").case


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

    Late forwarding is allowed, but recorded and shown as late; forwarding meets its deadline.
    """
    at = at or timezone.now()

    def forward(locked: LeaveApplication) -> None:
        outcome = selectors.leave_outcome(locked)
        if outcome.decider != LeaveApplication.Decider.REGION:
            raise ValidationError(_("The centre decides this leave itself."))
        _check_nothing_open(locked, outcome)
        locked.decider = outcome.decider
        locked.forwarded_at = at
        locked.forwarded_by = by
        locked.forwarded_late = rules.perm_3_forwarded_late(
            forwarded_at=at, departure_at=locked.departure_at
        )
        preparation, attachments = _preparation_for_form(locked)
        routine_notice_create(
            routine=LEAVE,
            case=locked,
            step_code=steps.FORWARD,
            channel=channel,
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

    return _do(application, steps.FORWARD, by=by, work=forward, at=at).case


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


def _check_nothing_open(locked: LeaveApplication, outcome: rules.Outcome) -> None:
    open_steps = preparation_open_steps(locked, outcome)
    if open_steps:
        raise ValidationError(
            [_("A required step is still open: %(step)s") % {"step": s} for s in open_steps]
        )


def _record_decision(locked: LeaveApplication, *, by, reason: str, at) -> None:
    locked.decided_at = at or timezone.now()
    locked.decided_by = by
    locked.decision_reason = reason.strip()


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
    """PERM-5: the written agreement, and the representative told in writing."""
    _event(
        application,
        "leave_granted",
        _("Leave %(number)s granted by %(decider)s")
        % {"number": application, "decider": application.get_decider_display()},
        by=by,
        rule_id="PERM-1",
        at=application.decided_at,
    )
    routine_notice_create(
        routine=LEAVE,
        case=application,
        step_code=steps.GRANT,
        purpose=steps.AGREEMENT_PURPOSE,
        channel="by_hand",
        context=documents.decision_context(application),
        by=by,
    )
    resident = application.resident
    if resident.representative_name and resident.representative_address:
        _notify_representative(application, by=by, channel="post", step_code=steps.GRANT)


def _notify_representative(
    application, *, by, channel: str, step_code: str, recipient: dict | None = None
):
    return routine_notice_create(
        routine=LEAVE,
        case=application,
        step_code=step_code,
        purpose="leave_notice",
        channel=channel,
        context=documents.decision_context(application),
        by=by,
        recipient=recipient,
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
        _event(
            refused,
            "leave_refused",
            _("Leave %(number)s refused by %(decider)s")
            % {"number": refused, "decider": refused.get_decider_display()},
            by=by,
            rule_id="PERM-1",
            at=refused.decided_at,
        )

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
        _event(
            locked,
            "leave_representative_told",
            _("The representative was told orally of leave %(number)s") % {"number": locked},
            by=by,
            rule_id="PERM-5",
            at=at,
        )

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

    return _do(application, steps.FOLLOW_UP_CALL, by=by, work=log).value


# --- departure and return ----------------------------------------------------------------


def leave_application_mark_departed(
    *, application: LeaveApplication, at: datetime, by
) -> LeaveApplication:
    if at > timezone.now():
        raise ValidationError(_("The time cannot be in the future."))

    def depart(locked: LeaveApplication) -> None:
        if at >= locked.return_at:
            raise ValidationError(_("The minor cannot leave after the agreed return."))
        locked.departed_at = at
        _event(
            locked,
            "leave_departed",
            _("Left for leave %(number)s") % {"number": locked},
            by=by,
            rule_id="PERM-5",
            at=at,
        )

    def watch_return(departed: LeaveApplication) -> None:
        # Due at the agreed return: being back meets it, else the sweep marks the leave late
        # (PERM-6, the on-due handler in permisjon/handlers.py).
        routine_deadline_open(
            routine=LEAVE, case=departed, step_code=steps.RETURN, by=by, label=RETURN_DUE_LABEL
        )

    return _do(application, steps.DEPART, by=by, work=depart, then=watch_return).case


def leave_application_mark_returned(
    *, application: LeaveApplication, at: datetime, by, note: str = ""
) -> LeaveApplication:
    """The minor is back. Back after the agreed time breaks the agreement (PERM-7)."""
    if at > timezone.now():
        raise ValidationError(_("The time cannot be in the future."))

    def come_back(locked: LeaveApplication) -> None:
        if locked.departed_at and at < locked.departed_at:
            raise ValidationError(_("The return cannot be before the minor left."))
        late = at > locked.return_at
        locked.returned_at = at
        if late or note.strip():
            locked.broken_agreement = late or locked.broken_agreement
            locked.broken_agreement_note = note.strip()
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
        routine_deadline_meet(routine=LEAVE, case=locked, step_code=steps.LATE, by=by, at=at)

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
        _event(
            locked,
            "leave_late",
            _("Not back from leave %(number)s at the agreed time") % {"number": locked},
            by=None,
            rule_id="PERM-6",
            at=now,
        )

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

    def report_missing(locked: LeaveApplication):
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
        routine_deadline_meet(routine=LEAVE, case=locked, step_code=steps.LATE, by=by, at=reason_at)
        _event(
            locked,
            "leave_reported_missing",
            _("Reported missing during leave %(number)s") % {"number": locked},
            by=by,
            rule_id="PERM-6",
            at=reason_at,
        )
        return report

    return _do(application, steps.REPORT_MISSING, by=by, work=report_missing).value
