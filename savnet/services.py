"""Every write of the missing-minors routine (SAV-1..SAV-11).

Each service locks the report, checks that its state allows the step, does the work, meets the
step's deadline as a side effect and records a timeline event, all in one transaction. Outgoing
notices are dispatches of the case engine: rendered once to PDF, idempotent per recipient.
"""

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.routines import english
from cases.services import consent_is_valid_for, deadline_waive, timeline_event_record
from cases.services.deadlines import can_waive
from cases.services.routines import (
    done_codes,
    routine_case_lock,
    routine_deadline_open,
    routine_deadlines_open,
    routine_notice_create,
    routine_require_state,
    routine_step_do,
    routine_step_record,
    routine_step_waive,
    routine_transition,
)
from mottak import directory
from mottak.models import Resident

from . import documents, rules, selectors
from . import routine as steps
from .messages import messages_for
from .models import (
    AppointmentCancellation,
    FollowUpConversation,
    MissingReport,
    PhoneCall,
    SesamRegistration,
)
from .routine import MISSING
from .selectors import dispatches_of, pending_deadlines_by_report

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


def _lock(report: MissingReport, *allowed: str) -> MissingReport:
    """Inside a transaction: the locked report, refused unless in one of `allowed`."""
    locked = routine_case_lock(routine=MISSING, case=report)
    if allowed:
        routine_require_state(routine=MISSING, case=locked, states=allowed)
    return locked


def _step_done(report: MissingReport, code: str, *, by, at=None, note: str = "") -> bool:
    return routine_step_record(
        routine=MISSING, case=report, step_code=code, by=by, at=at, note=note
    )


# ---- SAV-1 / SAV-2: looking into an absence, reporting the minor missing ---------------------


def _check_applies(resident: Resident, *, at: datetime) -> None:
    if not rules.routine_applies(
        date_of_birth=resident.date_of_birth,
        presumed_adult=resident.presumed_adult,
        on=timezone.localdate(at),
    ):
        raise ValidationError(
            _(
                "The missing-minors routine applies to residents registered as minors; "
                "this resident is registered as 18 or older."
            )
        )


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
    _check_applies(resident, at=noticed_at)
    _refuse(
        rules.report_problems(
            noticed_at=noticed_at,
            last_seen_at=last_seen_at,
            reason_to_believe_at=None,
            known_address="",
            known_address_municipality="",
            now=timezone.now(),
        )
    )
    if source not in MissingReport.Source.values:
        raise ValidationError(_("Choose how the absence started."))
    try:
        with transaction.atomic():
            locked = Resident.objects.select_for_update().get(pk=resident.pk)
            active = MissingReport.objects.filter(
                resident=locked, state__in=MissingReport.ACTIVE_STATES
            ).first()
            if active is not None:
                raise _already_active(active.state)
            report = MissingReport.objects.create(
                resident=locked,
                centre=locked.centre,
                state=State.INVESTIGATING,
                source=source,
                noticed_at=noticed_at,
                last_seen_at=last_seen_at,
                circumstances=circumstances.strip(),
                created_by=by,
            )
            timeline_event_record(
                subject=locked,
                kind="missing_investigation",
                actor=by,
                at=noticed_at,
                rule_id="SAV-2",
                summary=_("Absence being looked into"),
            )
    except IntegrityError:
        # A concurrent double submit lost the race on the one-active-report constraint.
        raise _already_active(State.INVESTIGATING) from None
    return report


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
) -> MissingReport:
    """SAV-2: there is reason to believe the minor has left — report missing, start the 24 hours.

    An absence already being looked into becomes this report; a second open report for the
    same resident is refused. Every step of SAV-3..7 gets its own deadline from this moment.
    Also called by the leave routine for a late return (PERM-6), with source="late_return".
    """
    now = timezone.now()
    _check_applies(resident, at=reason_to_believe_at)
    _refuse(
        rules.report_problems(
            noticed_at=noticed_at,
            last_seen_at=last_seen_at,
            reason_to_believe_at=reason_to_believe_at,
            known_address=known_address,
            known_address_municipality=known_address_municipality,
            now=now,
        )
    )
    if source not in MissingReport.Source.values:
        raise ValidationError(_("Choose how the absence started."))
    try:
        with transaction.atomic():
            locked = Resident.objects.select_for_update().get(pk=resident.pk)
            report = (
                MissingReport.objects.select_for_update()
                .filter(resident=locked, state__in=MissingReport.ACTIVE_STATES)
                .first()
            )
            if report is not None and report.state == State.OPEN:
                raise _already_active(State.OPEN)
            if report is None:
                report = MissingReport(resident=locked, centre=locked.centre, created_by=by)
            report.state = State.OPEN
            report.source = source
            report.noticed_at = noticed_at
            report.last_seen_at = last_seen_at
            report.reason_to_believe_at = reason_to_believe_at
            report.limit_at = rules.limit_at(reason_to_believe_at)
            report.circumstances = circumstances.strip()
            report.description = description.strip()
            report.known_address = known_address.strip()
            report.known_address_municipality = known_address_municipality.strip()
            report.opened_at = now
            report.save()
            _open_missing_steps(report, by=by, now=now)
            timeline_event_record(
                subject=locked,
                kind="missing_reported",
                actor=by,
                at=reason_to_believe_at,
                rule_id="SAV-2",
                summary=_("Reported missing; the 24-hour limit runs to %(limit)s")
                % {"limit": f"{timezone.localtime(report.limit_at):%d.%m.%Y %H:%M}"},
            )
    except IntegrityError:
        raise _already_active(State.OPEN) from None
    return report


def _open_missing_steps(report: MissingReport, *, by, now: datetime) -> None:
    routine_deadlines_open(
        routine=MISSING,
        case=report,
        checklist=steps.MISSING_CHECKLIST,
        start=report.reason_to_believe_at,
        by=by,
    )
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
        locked.closed_at = timezone.now()
        locked.circumstances = f"{locked.circumstances}\n\n{note}".strip()
        timeline_event_record(
            subject=locked.resident,
            kind="missing_investigation_ended",
            actor=by,
            rule_id="SAV-2",
            summary=_("Absence explained; no missing report"),
        )

    return routine_step_do(
        routine=MISSING, case=report, step_code=steps.INVESTIGATION_END, by=by, work=explain
    ).case


# ---- SAV-3: the police ------------------------------------------------------------------------


def police_report_send(*, report: MissingReport, by, channel: str = "by_hand"):
    """SAV-3: UDI's missing-person form to the police district of the centre's municipality."""

    def send(locked: MissingReport):
        return routine_notice_create(
            routine=MISSING,
            case=locked,
            step_code=steps.POLICE,
            channel=channel,
            context=documents.base_context(locked),
            by=by,
        )

    return routine_step_do(
        routine=MISSING, case=report, step_code=steps.POLICE, by=by, work=send
    ).value


# ---- SAV-4: child welfare -----------------------------------------------------------------------


def child_welfare_report_send(
    *,
    report: MissingReport,
    by,
    channel: str = "post",
    recipient_name: str = "",
    recipient_address: str = "",
):
    """SAV-4: UDI's concern-report form, to the municipality of a known address or the centre's."""

    def send(locked: MissingReport):
        municipality = steps.child_welfare_municipality_of(locked)
        context = documents.base_context(locked)
        context.update(
            municipality=municipality,
            to_known_address=municipality != locked.centre.municipality,
        )
        return routine_notice_create(
            routine=MISSING,
            case=locked,
            step_code=steps.CHILD_WELFARE,
            channel=channel,
            context=context,
            by=by,
            recipient=directory.child_welfare_service(
                municipality, fallback_name=recipient_name, fallback_address=recipient_address
            ),
        )

    return routine_step_do(
        routine=MISSING, case=report, step_code=steps.CHILD_WELFARE, by=by, work=send
    ).value


# ---- SAV-5: the representative and the lawyer by phone ---------------------------------------


def phone_call_log(
    *,
    report: MissingReport,
    party: str,
    called_at: datetime,
    reached: bool,
    by,
    party_name: str = "",
    phone_number: str = "",
    what_they_knew: str = "",
    submission_key: UUID | None = None,
) -> PhoneCall:
    """SAV-5: who was called, when, whether they were reached and what they knew.

    A call that reached the person is their notice (a phone dispatch) and meets their step;
    one that did not is logged and the step stays open.
    """
    if party not in PhoneCall.Party.values:
        raise ValidationError(_("Choose whom you called."))
    if submission_key is not None:
        existing = PhoneCall.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing  # the same form submitted twice
    with transaction.atomic():
        locked = _lock(report, State.OPEN)
        _refuse(
            rules.step_time_problems(at=called_at, noticed_at=locked.noticed_at, now=timezone.now())
        )
        resident = locked.resident
        default_name, default_phone = (
            (resident.representative_name, resident.representative_phone)
            if party == PhoneCall.Party.REPRESENTATIVE
            else (resident.lawyer_name, resident.lawyer_phone)
        )
        party_name = party_name.strip() or default_name
        if reached and not party_name:
            raise ValidationError(_("Give the name of the person you reached."))
        call = PhoneCall(
            report=locked,
            party=party,
            party_name=party_name,
            phone_number=phone_number.strip() or default_phone,
            called_at=called_at,
            called_by=by,
            reached=reached,
            what_they_knew=what_they_knew.strip(),
        )
        if submission_key is not None:
            call.submission_key = submission_key
        try:
            with transaction.atomic():
                call.save()
        except IntegrityError:
            return PhoneCall.objects.get(submission_key=submission_key)
        if reached:
            step = steps.REPRESENTATIVE if party == PhoneCall.Party.REPRESENTATIVE else steps.LAWYER
            context = documents.base_context(locked)
            context["call"] = documents.call_context(call)
            routine_notice_create(
                routine=MISSING,
                case=locked,
                step_code=step,
                channel="phone",
                context=context,
                by=by,
                recipient=directory.named(party, party_name),
            )
            _step_done(locked, step, by=by, at=called_at)
        timeline_event_record(
            subject=resident,
            kind="missing_phone_call",
            actor=by,
            at=called_at,
            rule_id="SAV-5",
            summary=(
                _("%(party)s called and reached") if reached else _("%(party)s called, not reached")
            )
            % {"party": call.get_party_display()},
        )
    return call


# ---- SAV-6: appointments with UDI's asylum department ----------------------------------------


def appointments_cancel(*, report: MissingReport, by, channel: str = "encrypted_email") -> list:
    """SAV-6: one notice per unit (KOR, BFE) with its appointments, urgent when one is close."""
    now = timezone.now()

    def cancel(locked: MissingReport) -> list:
        plans = selectors.appointments_to_cancel(locked, now=now)
        if not plans:
            raise ValidationError(_("There are no appointments with UDI to cancel."))
        return [
            _cancel_with(locked, unit, [p for p in plans if p.unit == unit], by=by, channel=channel)
            for unit in (rules.KOR, rules.BFE)
            if any(p.unit == unit for p in plans)
        ]

    return routine_step_do(
        routine=MISSING, case=report, step_code=steps.APPOINTMENTS, by=by, work=cancel
    ).value


def _cancel_with(locked: MissingReport, unit: str, plans: list, *, by, channel: str):
    context = documents.base_context(locked)
    context.update(
        appointments=documents.appointment_rows(plans),
        high_priority=any(p.high_priority for p in plans),
    )
    earlier = AppointmentCancellation.objects.filter(report=locked, unit=unit).count()
    dispatch = routine_notice_create(
        routine=MISSING,
        case=locked,
        step_code=steps.APPOINTMENTS,
        channel=channel,
        context=context,
        by=by,
        recipient=directory.asylum_unit(unit),
        version=earlier + 1,
    )
    for plan in plans:
        AppointmentCancellation.objects.create(
            report=locked,
            appointment=plan.appointment,
            unit=unit,
            high_priority=plan.high_priority,
            created_by=by,
        )
    return dispatch


# ---- SAV-7: Sesam and the regional office -----------------------------------------------------


def sesam_registration_record(
    *, report: MissingReport, registered_at: datetime, by, note: str = ""
) -> SesamRegistration:
    def register(locked: MissingReport) -> SesamRegistration:
        _refuse(
            rules.step_time_problems(
                at=registered_at, noticed_at=locked.noticed_at, now=timezone.now()
            )
        )
        if SesamRegistration.objects.filter(report=locked).exists():
            raise ValidationError(_("The Sesam registration is already recorded."))
        registration = SesamRegistration.objects.create(
            report=locked, registered_at=registered_at, registered_by=by, note=note.strip()
        )
        timeline_event_record(
            subject=locked.resident,
            kind="missing_sesam",
            actor=by,
            at=registered_at,
            rule_id="SAV-7",
            summary=_("Registered in Sesam as missing"),
        )
        return registration

    return routine_step_do(
        routine=MISSING,
        case=report,
        step_code=steps.SESAM,
        by=by,
        work=register,
        at=registered_at,
    ).value


def regional_copies_send(*, report: MissingReport, by, channel: str = "post"):
    """SAV-7: copies of the police and child-welfare reports to the UDI regional office."""

    def send(locked: MissingReport):
        sent = [d for d in dispatches_of(locked) if d.purpose in (POLICE_PURPOSE, CONCERN_PURPOSE)]
        if {d.purpose for d in sent} != {POLICE_PURPOSE, CONCERN_PURPOSE}:
            raise ValidationError(
                _(
                    "Send the police report and the child-welfare report first: their copies go with this letter."
                )
            )
        sesam = SesamRegistration.objects.filter(report=locked).first()
        context = documents.base_context(locked)
        context.update(
            enclosed=[
                {
                    "title": "melding om savnet person"
                    if d.purpose == POLICE_PURPOSE
                    else "bekymringsmelding",
                    "recipient": d.recipient_name,
                    "created_at": documents.iso(d.created_at),
                }
                for d in sent
            ],
            sesam_registered_at=documents.iso(sesam.registered_at if sesam else None),
        )
        return routine_notice_create(
            routine=MISSING,
            case=locked,
            step_code=steps.REGIONAL_COPIES,
            channel=channel,
            context=context,
            by=by,
        )

    return routine_step_do(
        routine=MISSING, case=report, step_code=steps.REGIONAL_COPIES, by=by, work=send
    ).value


# ---- Waiving a step ------------------------------------------------------------------------------


def missing_step_waive(*, report: MissingReport, step_code: str, reason: str, by):
    """A leader decides a step does not apply (e.g. no lawyer appointed yet, or the minor came
    back before it was done): its deadline is waived and the step shows the reason."""
    if step_code not in {s.code for s in steps.MISSING_STEPS}:
        raise ValidationError(_("This checklist has no such step."), code="unknown_step")
    return routine_step_waive(
        routine=MISSING,
        case=report,
        step_code=step_code,
        reason=reason,
        by=by,
        states=steps.WAIVABLE_STATES,
    )


# ---- SAV-8 / SAV-9: found or returned -------------------------------------------------------------


@dataclass
class FoundResult:
    report: MissingReport
    notices: list = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def missing_report_found(
    *,
    report: MissingReport,
    found_at: datetime,
    found_how: str,
    by,
    where_they_were: str = "",
    transport_outside_office_hours: bool = False,
    transport_requested_by: str = "",
    refund_claimed: bool = False,
) -> FoundResult:
    """SAV-8, SAV-9: record the return and tell in writing every instance that was told.

    The notices' recipients are derived from the dispatches of the report, never typed again.
    A full centre takes the minor in all the same: the result carries a warning.
    """
    if found_how not in MissingReport.FoundHow.values:
        raise ValidationError(_("Choose how the resident was found or came back."))
    if transport_outside_office_hours and (
        transport_requested_by not in MissingReport.TransportRequestedBy.values
    ):
        raise ValidationError(_("Say whether the police or child welfare asked for the transport."))
    with transaction.atomic():
        locked = _lock(report, State.INVESTIGATING, State.OPEN)
        _refuse(
            rules.found_problems(
                found_at=found_at,
                noticed_at=locked.noticed_at,
                last_seen_at=locked.last_seen_at,
                reason_to_believe_at=locked.reason_to_believe_at,
                now=timezone.now(),
            )
        )
        was_open = locked.state == State.OPEN
        warnings = rules.return_warnings(
            capacity=locked.centre.capacity, occupied=selectors.occupied_by_others(locked)
        )
        locked.found_at = found_at
        locked.found_how = found_how
        locked.where_they_were = where_they_were.strip()
        locked.transport_outside_office_hours = transport_outside_office_hours
        locked.transport_requested_by = (
            transport_requested_by if transport_outside_office_hours else ""
        )
        locked.refund_claimed = refund_claimed and transport_outside_office_hours
        locked.taken_in_while_full = "centre_full" in warnings
        if not was_open:
            locked.closed_at = timezone.now()
        routine_transition(
            routine=MISSING, case=locked, to=State.FOUND if was_open else State.CLOSED, by=by
        )
        notices = []
        if was_open:
            if _close_missing_deadlines(locked, by=by):
                warnings.append("steps_left_open")
            notices = _send_found_notices(locked, by=by)
            _step_done(
                locked,
                steps.FOUND_NOTICES,
                by=by,
                note=ngettext("%(count)s written notice", "%(count)s written notices", len(notices))
                % {"count": len(notices)},
            )
        timeline_event_record(
            subject=locked.resident,
            kind="missing_found",
            actor=by,
            at=found_at,
            rule_id="SAV-8",
            summary=_("Found or returned: %(how)s") % {"how": locked.get_found_how_display()},
        )
    return FoundResult(report=locked, notices=notices, warnings=warnings)


def _close_missing_deadlines(report: MissingReport, *, by) -> int:
    """The minor is back: steps not done no longer fall due. A leader's return waives them at
    once; otherwise they stay pending for a leader to waive, and the count is returned."""
    pending = pending_deadlines_by_report([report.pk]).get(report.pk, [])
    if not can_waive(by):
        return len(pending)
    for deadline in pending:
        deadline_waive(
            deadline=deadline,
            by=by,
            reason=english(_("The resident was found before this step was done.")),
        )
    return 0


def _send_found_notices(report: MissingReport, *, by) -> list:
    firsts = {}
    for d in dispatches_of(report):
        if d.purpose in NOTIFIED_PURPOSES:
            firsts.setdefault((d.recipient_kind, selectors.identity(d).strip().casefold()), d)
    base = documents.base_context(report)
    base["found"] = documents.found_context(report)
    return [
        _found_notice(report, firsts[(kind, ident.casefold())], base, kind=kind, by=by)
        for kind, ident in selectors.notified_instances(report)
    ]


def _found_notice(report: MissingReport, original, base: dict, *, kind: str, by):
    address = original.recipient_address
    if kind == "representative" and not address:
        address = report.resident.representative_address
    if kind == "lawyer" and not address:
        address = report.resident.lawyer_address
    channel = (
        original.channel
        if original.channel in WRITTEN_CHANNELS
        else ("post" if address else "by_hand")
    )
    recipient = (
        {"recipient": original.recipient}
        if original.recipient_id
        else directory.named(kind, original.recipient_name, address)
    )
    return routine_notice_create(
        routine=MISSING,
        case=report,
        step_code=steps.FOUND_NOTICES,
        channel=channel,
        context=dict(base, show_whereabouts=kind in ("police", "child_welfare")),
        by=by,
        recipient=recipient,
        legal_basis=original.legal_basis,
    )


# ---- SAV-10 / SAV-11: the follow-up conversation --------------------------------------------------


@dataclass(frozen=True)
class FollowUpData:
    held_at: datetime
    why_left: str
    where_stayed: str
    what_did: str
    feels_safe: bool
    threatened: bool = False
    pressured: bool = False
    interpreter_used: bool = False
    interpreter_language: str = ""
    trafficking_suspected: bool = False
    domestic_violence_suspected: bool = False
    serious_neglect_suspected: bool = False
    neglect_grounds: str = ""
    asylum_relevant_info: str = ""


def follow_up_conversation_record(
    *, report: MissingReport, data: FollowUpData, by
) -> FollowUpConversation:
    """SAV-10: the conversation, kept with the report; suspicions open their own steps."""

    def record(locked: MissingReport) -> FollowUpConversation:
        _refuse(
            rules.follow_up_problems(
                held_at=data.held_at,
                found_at=locked.found_at,
                now=timezone.now(),
                interpreter_used=data.interpreter_used,
                interpreter_language=data.interpreter_language,
                serious_neglect_suspected=data.serious_neglect_suspected,
                neglect_grounds=data.neglect_grounds,
            )
        )
        if FollowUpConversation.objects.filter(report=locked).exists():
            raise ValidationError(_("The follow-up conversation is already recorded."))
        conversation = FollowUpConversation.objects.create(
            report=locked,
            held_by=by,
            **{k: (v.strip() if isinstance(v, str) else v) for k, v in data.__dict__.items()},
        )
        outcome = rules.follow_up_outcome(
            trafficking_suspected=data.trafficking_suspected,
            domestic_violence_suspected=data.domestic_violence_suspected,
            serious_neglect_suspected=data.serious_neglect_suspected,
            asylum_relevant_info=data.asylum_relevant_info,
        )
        now = timezone.now()
        for code, flagged in (
            (steps.GENERAL_PROCEDURE, outcome.general_procedure),
            (steps.NEGLECT_REPORTS, outcome.concern_reports),
        ):
            if flagged:
                routine_deadline_open(
                    routine=MISSING, case=locked, step_code=code, start=now, by=by
                )
        timeline_event_record(
            subject=locked.resident,
            kind="missing_follow_up",
            actor=by,
            at=data.held_at,
            rule_id="SAV-10",
            summary=_("Follow-up conversation held"),
        )
        return conversation

    return routine_step_do(
        routine=MISSING,
        case=report,
        step_code=steps.FOLLOW_UP_CONVERSATION,
        by=by,
        work=record,
        at=data.held_at,
    ).value


def general_procedure_record(*, report: MissingReport, note: str, by) -> None:
    """SAV-10: the procedure of the general requirements (point 6.2) is under way."""
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Say what was done."))

    def check(locked: MissingReport) -> None:
        conversation = FollowUpConversation.objects.filter(report=locked).first()
        if conversation is None or not (
            conversation.trafficking_suspected or conversation.domestic_violence_suspected
        ):
            raise ValidationError(
                _("No suspicion of trafficking or domestic violence is recorded.")
            )
        if steps.GENERAL_PROCEDURE in done_codes(locked, steps.RETURN_CHECKLIST):
            raise ValidationError(_("This step is already recorded."))

    routine_step_do(
        routine=MISSING,
        case=report,
        step_code=steps.GENERAL_PROCEDURE,
        by=by,
        work=check,
        note=note,
    )


def neglect_reports_send(*, report: MissingReport, by, channel: str = "post") -> list:
    """SAV-11 (and SAV-10): a new concern report to the local child welfare service and one to the
    regional office, on grounded suspicion of serious neglect after a return from an unknown stay."""

    def send(locked: MissingReport) -> list:
        conversation = FollowUpConversation.objects.filter(report=locked).first()
        if conversation is None or not conversation.serious_neglect_suspected:
            raise ValidationError(_("No grounded suspicion of serious neglect is recorded."))
        if any(d.step_code == steps.NEGLECT_REPORTS for d in dispatches_of(locked)):
            raise ValidationError(_("The concern reports have already been made."))
        context = documents.base_context(locked)
        context.update(
            found=documents.found_context(locked),
            conversation=documents.conversation_context(conversation),
        )
        child_welfare = steps.MISSING.step(steps.NEGLECT_REPORTS).notices[0].recipient(locked)
        return [
            routine_notice_create(
                routine=MISSING,
                case=locked,
                step_code=steps.NEGLECT_REPORTS,
                purpose=CONCERN_PURPOSE,
                # A named fallback goes by hand: its address is not in the directory.
                channel=channel if "recipient" in child_welfare else "by_hand",
                context=dict(context, to_child_welfare=True),
                version=NEGLECT_REPORT_VERSION,
                by=by,
                recipient=child_welfare,
            ),
            routine_notice_create(
                routine=MISSING,
                case=locked,
                step_code=steps.NEGLECT_REPORTS,
                purpose=CONCERN_COPY_PURPOSE,
                channel=channel,
                context=dict(context, to_child_welfare=False),
                version=NEGLECT_REPORT_VERSION,
                by=by,
            ),
        ]

    return routine_step_do(
        routine=MISSING, case=report, step_code=steps.NEGLECT_REPORTS, by=by, work=send
    ).value


def asylum_info_send(*, report: MissingReport, by, channel: str = "post"):
    """SAV-10: what matters for the asylum case goes to the regional office, only with consent."""

    def send(locked: MissingReport):
        conversation = FollowUpConversation.objects.filter(report=locked).first()
        if conversation is None or not conversation.asylum_relevant_info.strip():
            raise ValidationError(_("No information for the asylum case is recorded."))
        if not consent_is_valid_for(
            subject=locked.resident, recipient_kind="udi_region", purpose=ASYLUM_PURPOSE
        ):
            raise ValidationError(
                _(
                    "There is no valid consent from the resident or the representative to give "
                    "this information to the regional office. Record the consent first."
                )
            )
        context = documents.base_context(locked)
        context["conversation"] = documents.conversation_context(conversation)
        return routine_notice_create(
            routine=MISSING,
            case=locked,
            step_code=steps.ASYLUM_INFO,
            channel=channel,
            context=context,
            by=by,
        )

    return routine_step_do(
        routine=MISSING, case=report, step_code=steps.ASYLUM_INFO, by=by, work=send
    ).value


def missing_report_close(*, report: MissingReport, by) -> MissingReport:
    """The routine is over once the return steps are done; the asylum information may wait for consent."""

    def check(locked: MissingReport) -> None:
        left = [s for s in selectors.open_return_steps(locked) if s.code != steps.ASYLUM_INFO]
        if left:
            raise ValidationError(
                _("Finish these steps first: %(steps)s")
                % {"steps": ", ".join(str(s.label) for s in left)}
            )
        locked.closed_at = timezone.now()
        timeline_event_record(
            subject=locked.resident,
            kind="missing_closed",
            actor=by,
            rule_id="SAV-10",
            summary=_("Missing report closed"),
        )

    return routine_step_do(
        routine=MISSING, case=report, step_code=steps.CLOSE, by=by, work=check
    ).case


__all__ = [
    "FollowUpData",
    "FoundResult",
    "appointments_cancel",
    "asylum_info_send",
    "child_welfare_report_send",
    "follow_up_conversation_record",
    "general_procedure_record",
    "missing_report_close",
    "missing_report_found",
    "missing_report_investigation_end",
    "missing_report_open",
    "missing_report_start_investigation",
    "missing_step_waive",
    "neglect_reports_send",
    "phone_call_log",
    "police_report_send",
    "regional_copies_send",
    "sesam_registration_record",
]
