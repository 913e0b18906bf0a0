"""The representative's lifecycle (not yet appointed, temporary, appointed, changed, ended):
one writer. Each change is a history row; the resident's `representative_*` fields keep the
current contact details the forms print, and REPRESENTATIVE_CHANGED tells the routines."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.services import case_event_publish, timeline_event_record

from .. import events, rules
from ..models import (
    ACTING_STATUSES,
    RepresentativeRecord,
    RepresentativeStatus,
    Resident,
    User,
)
from .arrival import arrival_representative_appeared

# Statuses staff record on the form; the mandate's end has its own service.
RECORDABLE = frozenset(
    {
        RepresentativeStatus.NOT_APPOINTED,
        RepresentativeStatus.TEMPORARY,
        RepresentativeStatus.APPOINTED,
        RepresentativeStatus.CHANGED,
    }
)


def _write(
    locked: Resident,
    *,
    status: str,
    effective_on: date,
    by: User | None,
    name: str = "",
    phone: str = "",
    address: str = "",
    appointed_by: str = "",
    end_reason: str = "",
    note: str = "",
) -> RepresentativeRecord:
    record = RepresentativeRecord(
        resident=locked,
        status=status,
        name=name,
        phone=phone,
        address=address,
        appointed_by=appointed_by,
        effective_on=effective_on,
        end_reason=end_reason,
        note=note,
        recorded_by=by,
    )
    record._history_user = by
    record.save()
    acting = status in ACTING_STATUSES
    locked.representative_name = name if acting else ""
    locked.representative_phone = phone if acting else ""
    locked.representative_address = address if acting else ""
    locked._history_user = by
    locked.save(
        update_fields=["representative_name", "representative_phone", "representative_address"]
    )
    case_event_publish(
        kind=events.REPRESENTATIVE_CHANGED,
        subject=locked,
        payload={"record_id": record.pk, "status": status},
    )
    if acting:
        arrival_representative_appeared(resident=locked, by=by)
    timeline_event_record(
        subject=locked,
        kind="representative",
        actor=by,
        summary=_("Representative: %(status)s") % {"status": record.get_status_display()},
    )
    return record


def _latest(locked: Resident) -> RepresentativeRecord | None:
    return locked.representative_records.order_by("-effective_on", "-recorded_at", "-pk").first()


def representative_record(
    *,
    resident: Resident,
    status: str,
    effective_on: date,
    by: User,
    name: str = "",
    phone: str = "",
    address: str = "",
    appointed_by: str = "",
    note: str = "",
) -> RepresentativeRecord:
    """Record the representative's status from `effective_on`: a temporary or appointed
    representative (appointed by a county governor), a change to a new one, or that none is
    appointed yet. The same record submitted twice is recorded once."""
    if status not in RECORDABLE:
        raise ValidationError(_("Choose the representative's status."))
    name, phone, address = name.strip(), phone.strip(), address.strip()
    appointed_by, note = appointed_by.strip(), (note or "").strip()
    acting = status in ACTING_STATUSES
    if acting and not name:
        raise ValidationError(_("Give the representative's name."))
    if status in {RepresentativeStatus.APPOINTED, RepresentativeStatus.CHANGED} and not (
        appointed_by
    ):
        raise ValidationError(_("Give the county governor that appointed the representative."))
    if effective_on > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
    if effective_on < resident.date_of_birth:
        raise ValidationError(_("The date cannot be before the date of birth."))
    if acting and rules.age_on(resident.date_of_birth, effective_on) >= rules.ADULT_AGE:
        raise ValidationError(
            _("The resident was 18 or older on that date: a representative acts only for a minor.")
        )
    if not acting:
        name = phone = address = appointed_by = ""
    with transaction.atomic():
        locked = Resident.objects.select_for_update().get(pk=resident.pk)
        latest = _latest(locked)
        if (
            latest is not None
            and (latest.status, latest.name, latest.effective_on) == (status, name, effective_on)
            and latest.phone == phone
            and latest.address == address
        ):
            return latest  # a double submit
        if latest is not None and effective_on < latest.effective_on:
            raise ValidationError(
                _("The status cannot start before the last recorded one (%(date)s).")
                % {"date": date_format(latest.effective_on, "SHORT_DATE_FORMAT")}
            )
        if status == RepresentativeStatus.CHANGED and not (latest and latest.acting):
            raise ValidationError(
                _("There is no representative to change: record the first one as appointed.")
            )
        return _write(
            locked,
            status=status,
            effective_on=effective_on,
            by=by,
            name=name,
            phone=phone,
            address=address,
            appointed_by=appointed_by,
            note=note,
        )


def representative_mandate_end(
    *, resident: Resident, ended_on: date, reason: str, by: User | None, note: str = ""
) -> RepresentativeRecord | None:
    """The representative's mandate ends (MOT-4: on the 18th birthday). Does nothing when no
    representative acts (none recorded, or already ended)."""
    if reason not in RepresentativeRecord.EndReason.values:
        raise ValidationError(_("Choose why the mandate ended."))
    with transaction.atomic():
        locked = Resident.objects.select_for_update().get(pk=resident.pk)
        latest = _latest(locked)
        acting = latest.acting if latest is not None else bool(locked.representative_name)
        if not acting:
            return None
        return _write(
            locked,
            status=RepresentativeStatus.ENDED,
            effective_on=max(ended_on, latest.effective_on) if latest else ended_on,
            by=by,
            name=latest.name if latest else locked.representative_name,
            appointed_by=latest.appointed_by if latest else "",
            end_reason=reason,
            note=note,
        )
