"""Every write to the core records."""

import hashlib
from dataclasses import dataclass, fields
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import CaseEvent
from cases.services import case_event_publish, timeline_event_record

from .. import events, rules
from ..models import Appointment, Centre, Resident, Stay, User
from .arrival import arrival_end_with_stay, arrival_open
from .asylum import _stage_change_write
from .turning18 import date_of_birth_moved, resident_turned_18_apply

ARRIVAL_MESSAGES = {
    "birth_in_future": lambda: _("The date of birth cannot be in the future."),
    "arrival_in_future": lambda: _("The arrival cannot be in the future."),
    "arrival_before_birth": lambda: _("The arrival cannot be before the date of birth."),
}


@dataclass(frozen=True)
class ResidentData:
    given_names: str
    family_name: str
    date_of_birth: "datetime.date"
    gender: str
    nationality: str
    duf_number: str | None = None
    registration_number: str | None = None
    date_of_birth_uncertain: bool = False
    presumed_adult: bool = False
    registered_as_minor_in_duf: bool = False
    languages: str = ""
    interpreter_language: str = ""
    asylum_stage: str = "registered"
    representative_name: str = ""
    representative_phone: str = ""
    representative_address: str = ""
    lawyer_name: str = ""
    lawyer_phone: str = ""
    lawyer_address: str = ""
    child_welfare_case: bool = False
    child_welfare_service: str = ""
    special_needs: str = ""
    school: str = ""


def _check_arrival(data: ResidentData, arrived_at: datetime) -> None:
    problems = rules.arrival_problems(
        date_of_birth=data.date_of_birth, arrived_at=arrived_at, now=timezone.now()
    )
    if problems:
        raise ValidationError([ARRIVAL_MESSAGES[p]() for p in problems])


def _check_identity(data: ResidentData) -> None:
    if not data.duf_number and not data.registration_number:
        raise ValidationError(_("Give a DUF number or a registration number."))
    if data.duf_number and Resident.objects.filter(duf_number=data.duf_number).exists():
        raise ValidationError(_("A resident with this DUF number is already registered."))
    if (
        data.registration_number
        and Resident.objects.filter(registration_number=data.registration_number).exists()
    ):
        raise ValidationError(_("A resident with this registration number is already registered."))


def resident_register_with_arrival(
    *, data: ResidentData, centre: Centre, arrived_at: datetime, by: User
) -> Resident:
    """Register a new resident and open their stay at the centre, all or nothing."""
    _check_arrival(data, arrived_at)
    try:
        with transaction.atomic():
            _check_identity(data)
            fields = {k: v for k, v in data.__dict__.items()}
            fields["duf_number"] = data.duf_number or None
            fields["registration_number"] = data.registration_number or None
            resident = Resident.objects.create(centre=centre, **fields)
            stay = Stay.objects.create(resident=resident, centre=centre, started_at=arrived_at)
            _publish_stay(events.STAY_OPENED, stay, by_id=by.pk)
            arrival_open(stay=stay, by=by)
            timeline_event_record(
                subject=resident,
                kind="arrival",
                actor=by,
                at=arrived_at,
                rule_id="MOT-1",
                summary=_("Arrived at %(centre)s") % {"centre": centre.name},
            )
    except IntegrityError:
        # A concurrent double submit lost the race on the unique DUF/registration number.
        raise ValidationError(_("A resident with this DUF number is already registered.")) from None
    return resident


def stay_open(*, resident: Resident, centre: Centre, arrived_at: datetime, by: User) -> Stay:
    """Arrival of a known resident at a centre; refuses a second open stay."""
    with transaction.atomic():
        locked = Resident.objects.select_for_update().get(pk=resident.pk)
        if locked.stays.filter(ended_at__isnull=True).exists():
            raise ValidationError(_("The resident already has an open stay. End it first."))
        latest = locked.stays.order_by("-started_at").first()
        if latest and latest.ended_at and arrived_at < latest.ended_at:
            raise ValidationError(_("The arrival cannot be before the end of the previous stay."))
        if arrived_at > timezone.now():
            raise ValidationError(_("The arrival cannot be in the future."))
        if arrived_at.date() < locked.date_of_birth:
            raise ValidationError(_("The arrival cannot be before the date of birth."))
        try:
            with transaction.atomic():
                stay = Stay.objects.create(resident=locked, centre=centre, started_at=arrived_at)
        except IntegrityError:
            raise ValidationError(
                _("The resident already has an open stay. End it first.")
            ) from None
        locked.centre = centre
        locked.save()
        _publish_stay(events.STAY_OPENED, stay, by_id=by.pk)
        # MOT-1 runs at every arrival, also one opened by a move to another centre.
        arrival_open(stay=stay, by=by)
        timeline_event_record(
            subject=locked,
            kind="arrival",
            actor=by,
            at=arrived_at,
            rule_id="MOT-1",
            summary=_("Arrived at %(centre)s") % {"centre": centre.name},
        )
    return stay


def stay_close(*, stay: Stay, ended_at: datetime, reason: str, by: User) -> Stay:
    with transaction.atomic():
        locked = Stay.objects.select_for_update().get(pk=stay.pk)
        if locked.ended_at is not None:
            raise ValidationError(_("This stay has already ended."))
        if ended_at < locked.started_at:
            raise ValidationError(_("A stay cannot end before it started."))
        if ended_at > timezone.now():
            raise ValidationError(_("The end of a stay cannot be in the future."))
        if reason not in Stay.EndReason.values:
            raise ValidationError(_("Choose why the stay ended."))
        locked.ended_at = ended_at
        locked.end_reason = reason
        locked.save()
        _publish_stay(events.STAY_ENDED, locked, reason=reason)
        arrival_end_with_stay(stay=locked, by=by)
        timeline_event_record(
            subject=locked.resident,
            kind="stay_ended",
            actor=by,
            at=ended_at,
            summary=_("Left %(centre)s: %(reason)s")
            % {"centre": locked.centre.name, "reason": locked.get_end_reason_display()},
        )
    return locked


def _publish_stay(kind: str, stay: Stay, **extra) -> None:
    """A life event of the stay for the routine apps (P9), in the caller's transaction."""
    case_event_publish(
        kind=kind,
        subject=stay.resident,
        payload={"stay_id": stay.pk, "centre_id": stay.centre_id, **extra},
    )


def _eighteenth_birthday_cutoff(today: date) -> date:
    """Born on or before this day: 18 or older today (29 February counts as 28th)."""
    try:
        return today.replace(year=today.year - 18)
    except ValueError:
        return today.replace(year=today.year - 18, day=28)


def residents_turned_18_publish(*, today: date | None = None) -> int:
    """Daily: publish TURNED_18 once for every resident with an open stay who is 18 today or
    older and has not had it published (MOT-4 and the routines that end at 18 react to it).
    A missed day is caught up on the next run."""
    today = today or timezone.localdate()
    candidates = (
        Resident.objects.filter(
            stays__ended_at__isnull=True,
            date_of_birth__lte=_eighteenth_birthday_cutoff(today),
        )
        .exclude(pk__in=_turned_18_published())
        .order_by("pk")
    )
    published = 0
    for resident in candidates.iterator():
        if rules.age_on(resident.date_of_birth, today) < 18:
            continue
        with transaction.atomic():
            stay = resident.stays.filter(ended_at__isnull=True).first()
            if stay is None:
                continue
            case_event_publish(
                kind=events.TURNED_18,
                subject=resident,
                payload={"stay_id": stay.pk, "centre_id": stay.centre_id},
                key=f"{events.TURNED_18}:{resident.pk}",
            )
            resident_turned_18_apply(resident=resident)
            published += 1
    return published


def _turned_18_published():
    return CaseEvent.objects.filter(
        kind=events.TURNED_18, subject_ct=ContentType.objects.get_for_model(Resident)
    ).values("subject_id")


# --- correcting a resident's record -----------------------------------------------------------

RESIDENT_DATA_FIELDS = tuple(f.name for f in fields(ResidentData))


def resident_version(resident: Resident) -> str:
    """A fingerprint of the editable fields as they were when a form was shown: a save is
    refused if someone else changed the record in between (no lost updates)."""
    values = "\x1f".join(_stored(getattr(resident, name)) for name in RESIDENT_DATA_FIELDS)
    return hashlib.sha256(values.encode()).hexdigest()[:16]


def _stored(value) -> str:
    """The value as the database gives it back (a choice as its code, not its enum)."""
    return "" if value is None else str(value)


def _changed_fields(resident: Resident, data: ResidentData) -> list[str]:
    return [name for name in RESIDENT_DATA_FIELDS if getattr(resident, name) != getattr(data, name)]


def _check_identity_of(resident: Resident, data: ResidentData) -> None:
    if not data.duf_number and not data.registration_number:
        raise ValidationError(_("Give a DUF number or a registration number."))
    others = Resident.objects.exclude(pk=resident.pk)
    if data.duf_number and others.filter(duf_number=data.duf_number).exists():
        raise ValidationError(_("A resident with this DUF number is already registered."))
    if (
        data.registration_number
        and others.filter(registration_number=data.registration_number).exists()
    ):
        raise ValidationError(_("A resident with this registration number is already registered."))


def resident_update(
    *, resident: Resident, data: ResidentData, by: User, version: str | None = None
) -> list[str]:
    """Correct a resident's record; returns the names of the fields that changed.

    One history row (by `by`) and one timeline entry per saved change. Submitting the same
    values again (a double click) changes nothing; a form shown before someone else's change
    is refused rather than overwriting it.
    """
    if data.date_of_birth > timezone.localdate():
        raise ValidationError(_("The date of birth cannot be in the future."))
    try:
        with transaction.atomic():
            locked = Resident.objects.select_for_update().get(pk=resident.pk)
            changed = _changed_fields(locked, data)
            if not changed:
                return []
            if version is not None and version != resident_version(locked):
                raise ValidationError(
                    _(
                        "Someone else changed this record while you were editing it. "
                        "Nothing was saved: check the record and make your change again."
                    )
                )
            _check_identity_of(locked, data)
            old_birth = locked.date_of_birth
            for name in changed:
                if name != "asylum_stage":
                    setattr(locked, name, getattr(data, name))
            locked._history_user = by
            locked.save()
            if "date_of_birth" in changed:
                # The same consequences as a correction after an age assessment: the event,
                # and the deadlines counted from the date of birth move.
                date_of_birth_moved(
                    locked,
                    old=old_birth,
                    by=by,
                    reason=_("Record corrected"),
                )
            if "asylum_stage" in changed:
                # A correction on the record is a change of stage as of today, with history
                # and the life event, written by the one stage writer.
                _stage_change_write(
                    locked,
                    to_stage=data.asylum_stage,
                    effective_on=timezone.localdate(),
                    decision_date=None,
                    note="",
                    by=by,
                )
            timeline_event_record(
                subject=locked,
                kind="record_changed",
                actor=by,
                summary=_("Record corrected: %(fields)s")
                % {"fields": ", ".join(_field_label(name) for name in changed)},
            )
    except IntegrityError:
        # A concurrent change took the DUF or registration number first.
        raise ValidationError(_("A resident with this DUF number is already registered.")) from None
    return changed


def _field_label(name: str) -> str:
    return str(Resident._meta.get_field(name).verbose_name)


# --- appointments with UDI --------------------------------------------------------------------


def appointment_create(
    *, resident: Resident, kind: str, starts_at: datetime, by: User
) -> Appointment:
    """Record an appointment with UDI's asylum department; the same appointment entered twice
    (a double submit) is recorded once."""
    if kind not in Appointment.Kind.values:
        raise ValidationError(_("Choose the kind of appointment."))
    problems = rules.appointment_time_problems(starts_at=starts_at, now=timezone.now())
    if problems:
        raise ValidationError(_("The time must be within a year back and two years ahead."))
    with transaction.atomic():
        locked = Resident.objects.select_for_update().get(pk=resident.pk)
        existing = locked.appointments.filter(
            kind=kind, starts_at=starts_at, cancelled_at__isnull=True
        ).first()
        if existing is not None:
            return existing
        appointment = Appointment(resident=locked, kind=kind, starts_at=starts_at)
        appointment._history_user = by
        appointment.save()
        timeline_event_record(
            subject=locked,
            kind="appointment",
            actor=by,
            summary=_("Appointment with UDI recorded: %(kind)s")
            % {"kind": appointment.get_kind_display()},
        )
    return appointment


def appointment_cancel(*, appointment: Appointment, by: User) -> Appointment:
    """Mark an appointment cancelled (it stays on record); a second cancel changes nothing."""
    with transaction.atomic():
        locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if locked.cancelled_at is not None:
            return locked
        if locked.held:
            raise ValidationError(_("An appointment that was held cannot be cancelled."))
        locked.cancelled_at = timezone.now()
        locked._history_user = by
        locked.save()
        timeline_event_record(
            subject=locked.resident,
            kind="appointment_cancelled",
            actor=by,
            summary=_("Appointment with UDI cancelled: %(kind)s")
            % {"kind": locked.get_kind_display()},
        )
    return locked
