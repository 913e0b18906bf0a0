"""SAV-3..SAV-7: the notices within the 24 hours, and waiving a step."""

from datetime import datetime
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.services.routines import (
    routine_case_lock,
    routine_step_waive,
)
from mottak import directory

from .. import documents, rules, selectors
from .. import routine as steps
from ..models import (
    AppointmentCancellation,
    MissingReport,
    PhoneCall,
    SesamRegistration,
)
from ..routine import MISSING
from ..selectors import dispatches_of
from ._base import (
    CONCERN_PURPOSE,
    POLICE_PURPOSE,
    _event,
    _notice,
    _refuse,
    _step,
    _step_done,
)

# ---- SAV-3: the police ------------------------------------------------------------------------


def _contact(
    locked: MissingReport, *, by, contact_name: str, contact_phone: str, urgent: bool = True
) -> dict:
    """R-22: the named contact at the centre with a number answered day and night; a form that
    is not urgent may give the centre's ordinary number when there is no 24-hour phone."""
    phone = contact_phone.strip() or locked.centre.duty_phone
    if not urgent:
        phone = phone or locked.centre.phone
    _refuse(rules.contact_problems(contact_phone=phone))
    name = contact_name.strip() or (by.get_full_name() if by is not None else "")
    return documents.contact_context(name=name, phone=phone)


def _phoned_at_checked(locked: MissingReport, phoned_at: datetime | None) -> None:
    if phoned_at is not None:
        _refuse(
            rules.step_time_problems(at=phoned_at, noticed_at=locked.noticed_at, now=timezone.now())
        )


def missing_report_send_to_police(
    *,
    report: MissingReport,
    by,
    channel: str = rules.IN_PERSON,
    phoned_at: datetime | None = None,
    phoned_to: str = "",
    contact_name: str = "",
    contact_phone: str = "",
):
    """SAV-3, R-12: UDI's missing-person form to the police district.

    In person: the form is handed over and the step is met when that is recorded (R-13).
    By phone, only where the centre has a recorded agreement with the district: the call meets
    the step at once and the written report follows by post. Never by post or e-mail first.
    """

    def send(locked: MissingReport):
        recipient = MISSING.step(steps.POLICE).notices[0].recipient(locked)
        agreement = selectors.police_agreement(
            centre=locked.centre, police=recipient.get("recipient")
        )
        _refuse(
            rules.police_channel_problems(
                channel=channel, has_agreement=agreement is not None, phoned_at=phoned_at
            )
        )
        _phoned_at_checked(locked, phoned_at)
        contact = _contact(locked, by=by, contact_name=contact_name, contact_phone=contact_phone)
        if channel == rules.PHONE:
            locked.police_phoned_at = phoned_at
            locked.police_phoned_to = phoned_to.strip()
            locked.save(update_fields=["police_phoned_at", "police_phoned_to"])
            # The call is the report: it meets the "straks" step; the letter confirms it.
            _step_done(locked, steps.POLICE, by=by, at=phoned_at, note=_("Told by phone."))
        context = documents.search_context(locked, contact=contact)
        context["phoned"] = {"at": documents.iso(phoned_at), "to": phoned_to.strip()}
        return _notice(
            locked,
            steps.POLICE,
            channel=rules.police_written_channel(channel),
            context=context,
            by=by,
            recipient=recipient,
        )

    return _step(report, steps.POLICE, by=by, work=send).value


# ---- SAV-4: child welfare -----------------------------------------------------------------------


def missing_report_send_to_child_welfare(
    *,
    report: MissingReport,
    by,
    phoned_at: datetime | None = None,
    phoned_to: str = "",
    channel: str = rules.POST,
    recipient_name: str = "",
    recipient_address: str = "",
    contact_name: str = "",
    contact_phone: str = "",
):
    """SAV-4, R-12: a phone call to the child-welfare duty service, then UDI's concern-report
    form to the municipality of a known address or the centre's. The call meets the step."""

    def send(locked: MissingReport):
        _refuse(rules.child_welfare_channel_problems(channel=channel, phoned_at=phoned_at))
        _phoned_at_checked(locked, phoned_at)
        contact = _contact(locked, by=by, contact_name=contact_name, contact_phone=contact_phone)
        municipality = steps.child_welfare_municipality_of(locked)
        locked.child_welfare_phoned_at = phoned_at
        locked.child_welfare_phoned_to = phoned_to.strip()
        locked.save(update_fields=["child_welfare_phoned_at", "child_welfare_phoned_to"])
        _step_done(
            locked,
            steps.CHILD_WELFARE,
            by=by,
            at=phoned_at,
            note=_("The child-welfare duty service told by phone."),
        )
        context = documents.search_context(locked, contact=contact)
        context.update(
            municipality=municipality,
            to_known_address=municipality != locked.centre.municipality,
            phoned={
                "at": documents.iso(phoned_at),
                "to": phoned_to.strip(),
                "service": duty_service_name(locked),
            },
        )
        return _notice(
            locked,
            steps.CHILD_WELFARE,
            channel=channel,
            context=context,
            by=by,
            recipient=directory.child_welfare_service(
                municipality, fallback_name=recipient_name, fallback_address=recipient_address
            ),
        )

    return _step(report, steps.CHILD_WELFARE, by=by, work=send).value


def duty_service_of(report: MissingReport) -> dict:
    """R-12: the child-welfare duty service (barnevernsvakt) to phone about this report."""
    return directory.child_welfare_duty_service(steps.child_welfare_municipality_of(report))


def duty_service_name(report: MissingReport) -> str:
    entry = duty_service_of(report)
    return entry["recipient"].name if "recipient" in entry else entry["recipient_name"]


# ---- SAV-5: the representative and the lawyer by phone ---------------------------------------


def missing_report_log_call(
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
        step = steps.REPRESENTATIVE if party == PhoneCall.Party.REPRESENTATIVE else steps.LAWYER
        locked = routine_case_lock(routine=MISSING, case=report, states=MISSING.step(step).states)
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
            _notice(
                locked,
                step,
                channel="phone",
                context=context,
                by=by,
                recipient=directory.named(party, party_name),
            )
            _step_done(locked, step, by=by, at=called_at)
        kind = "missing_phone_call_reached" if reached else "missing_phone_call"
        _event(resident, kind, by=by, at=called_at, party=call.get_party_display())
    return call


# ---- SAV-6: appointments with UDI's asylum department ----------------------------------------


def missing_report_cancel_appointments(
    *, report: MissingReport, by, channel: str = "encrypted_email"
) -> list:
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

    return _step(report, steps.APPOINTMENTS, by=by, work=cancel).value


def _cancel_with(locked: MissingReport, unit: str, plans: list, *, by, channel: str):
    context = documents.base_context(locked)
    context.update(
        appointments=documents.appointment_rows(plans),
        high_priority=any(p.high_priority for p in plans),
    )
    earlier = AppointmentCancellation.objects.filter(report=locked, unit=unit).count()
    dispatch = _notice(
        locked,
        steps.APPOINTMENTS,
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


def missing_report_record_sesam(
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
        _event(locked, "missing_sesam", by=by, at=registered_at)
        return registration

    return _step(
        report,
        steps.SESAM,
        by=by,
        work=register,
        at=registered_at,
    ).value


def missing_report_send_regional_copies(*, report: MissingReport, by, channel: str = "post"):
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
        # SAV-7: the copies themselves go with the letter, appended to its PDF.
        return _notice(
            locked,
            steps.REGIONAL_COPIES,
            channel=channel,
            context=context,
            by=by,
            enclosures=sent,
        )

    return _step(report, steps.REGIONAL_COPIES, by=by, work=send).value


# ---- Waiving a step ------------------------------------------------------------------------------


def missing_report_waive_step(*, report: MissingReport, step_code: str, reason: str, by):
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
