"""Every write of the missing-minors routine (SAV-1..SAV-11).

Each service locks the report, checks that its state allows the step, does the work, meets the
step's deadline as a side effect and records a timeline event, all in one transaction. Outgoing
notices are dispatches of the case engine: rendered once to PDF, idempotent per recipient.
"""

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.periods import elapsed_hours
from cases.services import (
    checklist_status,
    checklist_step_complete,
    consent_is_valid_for,
    deadline_meet_for,
    deadline_open,
    deadline_waive,
    dispatch_create,
    timeline_event_record,
)
from cases.services.deadlines import can_waive
from mottak.models import Appointment, ExternalRecipient, Resident, Stay

from . import checklist, documents, rules
from .messages import messages_for
from .models import (
    AppointmentCancellation,
    FollowUpConversation,
    MissingReport,
    PhoneCall,
    SesamRegistration,
)
from .selectors import dispatches_of, pending_deadlines_by_report

State = MissingReport.State

# Dispatch purposes (the case engine's rules say who may receive each, by which channel).
POLICE_PURPOSE = "missing_report"
CONCERN_PURPOSE = "concern_report"
COPY_PURPOSE = "missing_report_copy"
CONCERN_COPY_PURPOSE = "concern_report_copy"
PHONE_PURPOSE = "missing_notice"
CANCEL_PURPOSE = "appointment_cancellation"
FOUND_PURPOSE = "found_notice"
ASYLUM_PURPOSE = "asylum_information"
# SAV-8: whoever got one of these was told the minor was missing and is told of the return.
NOTIFIED_PURPOSES = (POLICE_PURPOSE, CONCERN_PURPOSE, COPY_PURPOSE, PHONE_PURPOSE, CANCEL_PURPOSE)
WRITTEN_CHANNELS = ("post", "by_hand", "encrypted_email")
# SAV-11: the new concern report is the second to child welfare in the same case.
NEGLECT_REPORT_VERSION = 2
# SAV-10/11: "at once" read as within the same 24 hours as the first reports.
FOLLOW_UP_FLAG_HOURS = 24

PHONE_BASIS = "Rutiner for asylmottak med enslige mindreårige, punkt 3.1.3 (varsling av representant/verge og advokat)"
# SAV-6: the addresses the routine names, used when the directory has no entry.
ASA_FALLBACK = {
    rules.KOR: ("UDI Asylavdelingen, Koordineringsenheten (KOR)", "_ASYL_KOR@udi.no"),
    rules.BFE: ("UDI Asylavdelingen, Barnefaglig enhet (BFE)", "bfe@udi.no"),
}


def _refuse(problems: list[str]) -> None:
    if problems:
        raise ValidationError(messages_for(problems))


def _lock(report: MissingReport, *allowed: str) -> MissingReport:
    locked = (
        MissingReport.objects.select_for_update()
        .select_related("resident", "centre", "centre__region")
        .get(pk=report.pk)
    )
    if allowed and locked.state not in allowed:
        raise ValidationError(
            _("This cannot be done while the report is “%(state)s”.")
            % {"state": locked.get_state_display()}
        )
    return locked


def _english(text) -> str:
    """Deadline labels are stored as English msgids and translated where they are shown."""
    with translation.override("en"):
        return str(text)


def deadline_kind(step_code: str) -> str:
    return f"savnet_{step_code}"


def _done_codes(report: MissingReport, name: str) -> set[str]:
    return {s.step.code for s in checklist_status(report, name) if s.done}


def _step_done(
    report: MissingReport, name: str, code: str, *, by, at: datetime | None = None, note: str = ""
) -> bool:
    """Record the step once and meet its deadline; a step already done stays as it was."""
    if code in _done_codes(report, name):
        return False
    at = min(at or timezone.now(), timezone.now())
    checklist_step_complete(owner=report, checklist=name, step_code=code, by=by, note=note, at=at)
    deadline_meet_for(owner=report, kind=deadline_kind(code), by=by, at=at)
    return True


def _open_deadline(report: MissingReport, spec: checklist.StepSpec, *, start: datetime, by) -> None:
    deadline_open(
        owner=report,
        kind=deadline_kind(spec.code),
        rule_id=spec.rule_id,
        due_at=elapsed_hours(start, spec.hours),
        label=_english(spec.label),
        centre=report.centre,
        subject=report.resident,
        by=by,
    )


def _directory(kind: str, municipality: str = "") -> ExternalRecipient | None:
    entries = ExternalRecipient.objects.filter(kind=kind)
    if municipality:
        entries = entries.filter(municipality__iexact=municipality.strip())
    return entries.order_by("name", "pk").first()


def _dispatch(report: MissingReport, *, purpose: str, template: str, by, **kwargs):
    return dispatch_create(
        owner=report,
        subject=report.resident,
        purpose=purpose,
        template=template,
        by=by,
        **kwargs,
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
    done = _done_codes(report, checklist.MISSING_CHECKLIST)
    for spec in checklist.MISSING_STEPS:
        if spec.code not in done:
            _open_deadline(report, spec, start=report.reason_to_believe_at, by=by)
    # Nothing to do is a step done: said so on the page, so nobody wonders.
    if not rules.appointments_to_cancel(_appointments(report), now=now):
        _step_done(
            report,
            checklist.MISSING_CHECKLIST,
            checklist.APPOINTMENTS,
            by=by,
            note=_("No appointments with UDI's asylum department to cancel."),
        )
    if not report.resident.lawyer_name.strip():
        _step_done(
            report,
            checklist.MISSING_CHECKLIST,
            checklist.LAWYER,
            by=by,
            note=_("No lawyer is registered for the resident."),
        )


def missing_report_investigation_end(*, report: MissingReport, note: str, by) -> MissingReport:
    """The absence was explained before there was reason to believe the minor had left."""
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Say what happened."))
    with transaction.atomic():
        locked = _lock(report, State.INVESTIGATING)
        locked.state = State.CLOSED
        locked.closed_at = timezone.now()
        locked.circumstances = f"{locked.circumstances}\n\n{note}".strip()
        locked.save()
        timeline_event_record(
            subject=locked.resident,
            kind="missing_investigation_ended",
            actor=by,
            rule_id="SAV-2",
            summary=_("Absence explained; no missing report"),
        )
    return locked


# ---- SAV-3: the police ------------------------------------------------------------------------


def police_report_send(*, report: MissingReport, by, channel: str = "by_hand"):
    """SAV-3: UDI's missing-person form to the police district of the centre's municipality."""
    with transaction.atomic():
        locked = _lock(report, State.OPEN)
        centre = locked.centre
        recipient = _directory(ExternalRecipient.Kind.POLICE, centre.municipality)
        named = {}
        if recipient is None:
            named = {
                "recipient_name": f"Politiet, {centre.municipality}",
                "recipient_kind": ExternalRecipient.Kind.POLICE,
            }
        dispatch = _dispatch(
            locked,
            purpose=POLICE_PURPOSE,
            template="savnet_police_report.html",
            recipient=recipient,
            channel=channel,
            legal_basis=rules.disclosure_basis(centre.operator),
            context=documents.base_context(locked),
            by=by,
            **named,
        )
        _step_done(locked, checklist.MISSING_CHECKLIST, checklist.POLICE, by=by)
    return dispatch


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
    with transaction.atomic():
        locked = _lock(report, State.OPEN)
        municipality = rules.child_welfare_municipality(
            centre_municipality=locked.centre.municipality,
            known_address=locked.known_address,
            known_address_municipality=locked.known_address_municipality,
        )
        recipient = _directory(ExternalRecipient.Kind.CHILD_WELFARE, municipality)
        named = {}
        if recipient is None:
            named = {
                "recipient_name": recipient_name.strip() or f"Barneverntjenesten i {municipality}",
                "recipient_address": recipient_address.strip(),
                "recipient_kind": ExternalRecipient.Kind.CHILD_WELFARE,
            }
        context = documents.base_context(locked)
        context.update(
            municipality=municipality,
            to_known_address=municipality != locked.centre.municipality,
        )
        dispatch = _dispatch(
            locked,
            purpose=CONCERN_PURPOSE,
            template="savnet_child_welfare_report.html",
            recipient=recipient,
            channel=channel,
            legal_basis=rules.CHILD_WELFARE_BASIS,
            context=context,
            by=by,
            **named,
        )
        _step_done(locked, checklist.MISSING_CHECKLIST, checklist.CHILD_WELFARE, by=by)
    return dispatch


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
            context = documents.base_context(locked)
            context["call"] = documents.call_context(call)
            _dispatch(
                locked,
                purpose=PHONE_PURPOSE,
                template="savnet_phone_note.html",
                recipient_kind=party,
                recipient_name=party_name,
                channel="phone",
                legal_basis=PHONE_BASIS,
                context=context,
                by=by,
            )
            step = (
                checklist.REPRESENTATIVE
                if party == PhoneCall.Party.REPRESENTATIVE
                else checklist.LAWYER
            )
            _step_done(locked, checklist.MISSING_CHECKLIST, step, by=by, at=called_at)
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


def _appointments(report: MissingReport):
    already = AppointmentCancellation.objects.filter(report=report).values("appointment_id")
    return Appointment.objects.filter(resident_id=report.resident_id).exclude(pk__in=already)


def appointments_to_cancel(report: MissingReport, *, now: datetime | None = None):
    return rules.appointments_to_cancel(_appointments(report), now=now or timezone.now())


def appointments_cancel(*, report: MissingReport, by, channel: str = "encrypted_email") -> list:
    """SAV-6: one notice per unit (KOR, BFE) with its appointments, urgent when one is close."""
    now = timezone.now()
    with transaction.atomic():
        locked = _lock(report, State.OPEN)
        plans = appointments_to_cancel(locked, now=now)
        if not plans:
            raise ValidationError(_("There are no appointments with UDI to cancel."))
        dispatches = []
        for unit in (rules.KOR, rules.BFE):
            unit_plans = [p for p in plans if p.unit == unit]
            if not unit_plans:
                continue
            recipient = _directory(unit)
            named = {}
            if recipient is None:
                name, address = ASA_FALLBACK[unit]
                named = {
                    "recipient_name": name,
                    "recipient_address": address,
                    "recipient_kind": unit,
                }
            high = any(p.high_priority for p in unit_plans)
            context = documents.base_context(locked)
            context.update(appointments=documents.appointment_rows(unit_plans), high_priority=high)
            earlier = AppointmentCancellation.objects.filter(report=locked, unit=unit).count()
            dispatches.append(
                _dispatch(
                    locked,
                    purpose=CANCEL_PURPOSE,
                    template="savnet_appointment_cancellation.html",
                    recipient=recipient,
                    channel=channel,
                    legal_basis=rules.disclosure_basis(locked.centre.operator),
                    context=context,
                    by=by,
                    version=earlier + 1,
                    **named,
                )
            )
            for plan in unit_plans:
                AppointmentCancellation.objects.create(
                    report=locked,
                    appointment=plan.appointment,
                    unit=unit,
                    high_priority=plan.high_priority,
                    created_by=by,
                )
        _step_done(locked, checklist.MISSING_CHECKLIST, checklist.APPOINTMENTS, by=by)
    return dispatches


# ---- SAV-7: Sesam and the regional office -----------------------------------------------------


def sesam_registration_record(
    *, report: MissingReport, registered_at: datetime, by, note: str = ""
) -> SesamRegistration:
    with transaction.atomic():
        locked = _lock(report, State.OPEN, State.FOUND)
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
        _step_done(locked, checklist.MISSING_CHECKLIST, checklist.SESAM, by=by, at=registered_at)
        timeline_event_record(
            subject=locked.resident,
            kind="missing_sesam",
            actor=by,
            at=registered_at,
            rule_id="SAV-7",
            summary=_("Registered in Sesam as missing"),
        )
    return registration


def _region_recipient(report: MissingReport) -> dict:
    region = report.centre.region
    entry = ExternalRecipient.objects.filter(
        kind=ExternalRecipient.Kind.UDI_REGION, name=region.name
    ).first()
    if entry is not None:
        return {"recipient": entry}
    return {
        "recipient_name": f"UDI {region.name}",
        "recipient_address": region.address,
        "recipient_kind": ExternalRecipient.Kind.UDI_REGION,
    }


def regional_copies_send(*, report: MissingReport, by, channel: str = "post"):
    """SAV-7: copies of the police and child-welfare reports to the UDI regional office."""
    with transaction.atomic():
        locked = _lock(report, State.OPEN)
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
        dispatch = _dispatch(
            locked,
            purpose=COPY_PURPOSE,
            template="savnet_regional_cover_letter.html",
            channel=channel,
            legal_basis=rules.disclosure_basis(locked.centre.operator),
            context=context,
            by=by,
            **_region_recipient(locked),
        )
        _step_done(locked, checklist.MISSING_CHECKLIST, checklist.REGIONAL_COPIES, by=by)
    return dispatch


# ---- Waiving a step ------------------------------------------------------------------------------


def missing_step_waive(*, report: MissingReport, step_code: str, reason: str, by):
    """A leader decides a step does not apply (e.g. no lawyer appointed yet, or the minor came
    back before it was done): its deadline is waived and the step shows the reason."""
    spec = next(s for s in checklist.MISSING_STEPS if s.code == step_code)  # else StopIteration
    if not can_waive(by):
        raise PermissionDenied(_("Only a centre leader or an administrator may waive a step."))
    if not (reason or "").strip():
        raise ValidationError(_("Give the reason for waiving the step."))
    with transaction.atomic():
        locked = _lock(report, State.OPEN, State.FOUND, State.CLOSED)
        for deadline in pending_deadlines_by_report([locked.pk]).get(locked.pk, []):
            if deadline.kind == deadline_kind(spec.code):
                deadline_waive(deadline=deadline, by=by, reason=reason)
        checklist_step_complete(
            owner=locked,
            checklist=checklist.MISSING_CHECKLIST,
            step_code=spec.code,
            by=by,
            note=_("Waived: %(reason)s") % {"reason": reason.strip()},
        )


# ---- SAV-8 / SAV-9: found or returned -------------------------------------------------------------


@dataclass
class FoundResult:
    report: MissingReport
    notices: list = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def notified_instances(report: MissingReport) -> list[tuple[str, str]]:
    """SAV-8: the (kind, identity) of every instance told of the disappearance, from the dispatches."""
    return rules.instances_to_tell(
        (d.recipient_kind, _identity(d))
        for d in dispatches_of(report)
        if d.purpose in NOTIFIED_PURPOSES
    )


def _identity(dispatch) -> str:
    return str(dispatch.recipient_id) if dispatch.recipient_id else dispatch.recipient_name


def _occupied_by_others(report: MissingReport) -> int:
    """Places taken at the centre by others: a minor whose stay is still open keeps their own."""
    return (
        Stay.objects.filter(centre=report.centre, ended_at__isnull=True)
        .exclude(resident_id=report.resident_id)
        .count()
    )


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
            capacity=locked.centre.capacity, occupied=_occupied_by_others(locked)
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
        locked.state = State.FOUND if was_open else State.CLOSED
        if not was_open:
            locked.closed_at = timezone.now()
        locked.save()
        notices = []
        if was_open:
            if _close_missing_deadlines(locked, by=by):
                warnings.append("steps_left_open")
            notices = _send_found_notices(locked, by=by)
            _step_done(
                locked,
                checklist.RETURN_CHECKLIST,
                checklist.FOUND_NOTICES,
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
            reason=_english(_("The resident was found before this step was done.")),
        )
    return 0


def _send_found_notices(report: MissingReport, *, by) -> list:
    firsts = {}
    for d in dispatches_of(report):
        if d.purpose in NOTIFIED_PURPOSES:
            firsts.setdefault((d.recipient_kind, _identity(d).strip().casefold()), d)
    told = rules.instances_to_tell(
        (d.recipient_kind, _identity(d))
        for d in dispatches_of(report)
        if d.purpose in NOTIFIED_PURPOSES
    )
    base = documents.base_context(report)
    base["found"] = documents.found_context(report)
    notices = []
    for kind, ident in told:
        original = firsts[(kind, ident.casefold())]
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
        context = dict(base, show_whereabouts=kind in ("police", "child_welfare"))
        recipient = (
            {"recipient": original.recipient}
            if original.recipient_id
            else {
                "recipient_name": original.recipient_name,
                "recipient_address": address,
                "recipient_kind": kind,
            }
        )
        notices.append(
            _dispatch(
                report,
                purpose=FOUND_PURPOSE,
                template="savnet_found_notice.html",
                channel=channel,
                legal_basis=original.legal_basis,
                context=context,
                by=by,
                **recipient,
            )
        )
    return notices


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
    with transaction.atomic():
        locked = _lock(report, State.FOUND)
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
        _step_done(
            locked,
            checklist.RETURN_CHECKLIST,
            checklist.FOLLOW_UP_CONVERSATION,
            by=by,
            at=data.held_at,
        )
        outcome = rules.follow_up_outcome(
            trafficking_suspected=data.trafficking_suspected,
            domestic_violence_suspected=data.domestic_violence_suspected,
            serious_neglect_suspected=data.serious_neglect_suspected,
            asylum_relevant_info=data.asylum_relevant_info,
        )
        now = timezone.now()
        if outcome.general_procedure:
            _open_flag_deadline(locked, checklist.GENERAL_PROCEDURE, by=by, start=now)
        if outcome.concern_reports:
            _open_flag_deadline(locked, checklist.NEGLECT_REPORTS, by=by, start=now)
        timeline_event_record(
            subject=locked.resident,
            kind="missing_follow_up",
            actor=by,
            at=data.held_at,
            rule_id="SAV-10",
            summary=_("Follow-up conversation held"),
        )
    return conversation


def _open_flag_deadline(report: MissingReport, code: str, *, by, start: datetime) -> None:
    spec = checklist.step_spec(code)
    deadline_open(
        owner=report,
        kind=deadline_kind(code),
        rule_id=spec.rule_id,
        due_at=elapsed_hours(start, FOLLOW_UP_FLAG_HOURS),
        label=_english(spec.label),
        centre=report.centre,
        subject=report.resident,
        by=by,
    )


def general_procedure_record(*, report: MissingReport, note: str, by) -> None:
    """SAV-10: the procedure of the general requirements (point 6.2) is under way."""
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Say what was done."))
    with transaction.atomic():
        locked = _lock(report, State.FOUND, State.CLOSED)
        conversation = FollowUpConversation.objects.filter(report=locked).first()
        if conversation is None or not (
            conversation.trafficking_suspected or conversation.domestic_violence_suspected
        ):
            raise ValidationError(
                _("No suspicion of trafficking or domestic violence is recorded.")
            )
        if not _step_done(
            locked, checklist.RETURN_CHECKLIST, checklist.GENERAL_PROCEDURE, by=by, note=note
        ):
            raise ValidationError(_("This step is already recorded."))


def neglect_reports_send(*, report: MissingReport, by, channel: str = "post") -> list:
    """SAV-11 (and SAV-10): a new concern report to the local child welfare service and one to the
    regional office, on grounded suspicion of serious neglect after a return from an unknown stay."""
    with transaction.atomic():
        locked = _lock(report, State.FOUND, State.CLOSED)
        conversation = FollowUpConversation.objects.filter(report=locked).first()
        if conversation is None or not conversation.serious_neglect_suspected:
            raise ValidationError(_("No grounded suspicion of serious neglect is recorded."))
        if checklist.NEGLECT_REPORTS in _done_codes(locked, checklist.RETURN_CHECKLIST):
            raise ValidationError(_("The concern reports have already been sent."))
        context = documents.base_context(locked)
        context.update(
            found=documents.found_context(locked),
            conversation=documents.conversation_context(conversation),
        )
        municipality = locked.centre.municipality  # SAV-11: the local service
        recipient = _directory(ExternalRecipient.Kind.CHILD_WELFARE, municipality)
        named = (
            {}
            if recipient
            else {
                "recipient_name": f"Barneverntjenesten i {municipality}",
                "recipient_kind": ExternalRecipient.Kind.CHILD_WELFARE,
            }
        )
        child_welfare = _dispatch(
            locked,
            purpose=CONCERN_PURPOSE,
            template="savnet_neglect_concern_report.html",
            recipient=recipient,
            channel=channel if recipient else "by_hand",
            legal_basis=rules.CHILD_WELFARE_BASIS,
            context=dict(context, to_child_welfare=True),
            version=NEGLECT_REPORT_VERSION,
            by=by,
            **named,
        )
        region = _dispatch(
            locked,
            purpose=CONCERN_COPY_PURPOSE,
            template="savnet_neglect_concern_report.html",
            channel=channel,
            legal_basis=rules.disclosure_basis(locked.centre.operator),
            context=dict(context, to_child_welfare=False),
            version=NEGLECT_REPORT_VERSION,
            by=by,
            **_region_recipient(locked),
        )
        _step_done(locked, checklist.RETURN_CHECKLIST, checklist.NEGLECT_REPORTS, by=by)
    return [child_welfare, region]


def asylum_info_send(*, report: MissingReport, by, channel: str = "post"):
    """SAV-10: what matters for the asylum case goes to the regional office, only with consent."""
    with transaction.atomic():
        locked = _lock(report, State.FOUND, State.CLOSED)
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
        dispatch = _dispatch(
            locked,
            purpose=ASYLUM_PURPOSE,
            template="savnet_asylum_info.html",
            channel=channel,
            legal_basis=rules.disclosure_basis(locked.centre.operator),
            context=context,
            by=by,
            **_region_recipient(locked),
        )
        _step_done(locked, checklist.RETURN_CHECKLIST, checklist.ASYLUM_INFO, by=by)
    return dispatch


def open_return_steps(report: MissingReport) -> list[checklist.StepSpec]:
    """Return steps still to do: the required ones and the ones a suspicion or information opened."""
    done = _done_codes(report, checklist.RETURN_CHECKLIST)
    wanted = {checklist.FOUND_NOTICES, checklist.FOLLOW_UP_CONVERSATION}
    conversation = FollowUpConversation.objects.filter(report=report).first()
    if conversation is not None:
        if conversation.trafficking_suspected or conversation.domestic_violence_suspected:
            wanted.add(checklist.GENERAL_PROCEDURE)
        if conversation.serious_neglect_suspected:
            wanted.add(checklist.NEGLECT_REPORTS)
        if conversation.asylum_relevant_info.strip():
            wanted.add(checklist.ASYLUM_INFO)
    return [s for s in checklist.RETURN_STEPS if s.code in wanted and s.code not in done]


def missing_report_close(*, report: MissingReport, by) -> MissingReport:
    """The routine is over once the return steps are done; the asylum information may wait for consent."""
    with transaction.atomic():
        locked = _lock(report, State.FOUND)
        left = [s for s in open_return_steps(locked) if s.code != checklist.ASYLUM_INFO]
        if left:
            raise ValidationError(
                _("Finish these steps first: %(steps)s")
                % {"steps": ", ".join(str(s.label) for s in left)}
            )
        locked.state = State.CLOSED
        locked.closed_at = timezone.now()
        locked.save()
        timeline_event_record(
            subject=locked.resident,
            kind="missing_closed",
            actor=by,
            rule_id="SAV-10",
            summary=_("Missing report closed"),
        )
    return locked


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
