"""SAV-3: what the police need to recognise the minor, kept ahead of a disappearance: the search
profile and the photo (its own access through mottak.access, its own retention)."""

import hashlib
import io
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import retention
from cases.services import timeline_event_record
from cases.uploads import stored_file_delete, upload_check
from mottak.models import Resident, Stay

from ..models import MissingReport, ResidentPhoto, SearchProfile

PROFILE_FIELDS = (
    "phone",
    "social_media",
    "height_cm",
    "build",
    "hair",
    "distinguishing_marks",
    "needs_medication",
)
HEIGHT_RANGE = (50, 250)
# The photo is re-encoded to at most this many pixels a side: enough to recognise a face on an
# A4 form, small enough to travel inside the form's frozen content, and without its metadata
# (a phone photo's EXIF block can hold where it was taken).
PHOTO_MAX_SIDE = 800
PHOTO_FOLDER = "photos"
# Photos of residents who left (no open stay, not missing) are deleted after this many months.
PHOTO_RETENTION_MONTHS = 6


def search_profile_save(*, resident: Resident, by, **fields) -> SearchProfile:
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown profile fields: {sorted(unknown)}")
    height = fields.get("height_cm")
    if height is not None and not HEIGHT_RANGE[0] <= height <= HEIGHT_RANGE[1]:
        raise ValidationError(_("Give the height in centimetres, between 50 and 250."))
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    with transaction.atomic():
        profile, _created = SearchProfile.objects.select_for_update().get_or_create(
            resident=resident, defaults={**values, "updated_by": by}
        )
        if not _created:
            for name, value in values.items():
                setattr(profile, name, value)
            profile.updated_by = by
            profile.save()
        timeline_event_record(
            subject=resident,
            kind="search_profile_saved",
            actor=by,
            rule_id="SAV-3",
            summary=_("Description for a missing-person report updated"),
        )
    return profile


def _reencoded(upload) -> tuple[bytes, str]:
    """The image as a JPEG (or PNG) of at most PHOTO_MAX_SIDE pixels, without metadata."""
    from PIL import Image, ImageOps, UnidentifiedImageError  # WeasyPrint's own dependency

    try:
        with Image.open(upload) as image:
            image = ImageOps.exif_transpose(image)
            image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
            out = io.BytesIO()
            if image.mode in ("RGBA", "LA", "P"):
                image.convert("RGBA").save(out, format="PNG", optimize=True)
                return out.getvalue(), "png"
            image.convert("RGB").save(out, format="JPEG", quality=85)
            return out.getvalue(), "jpg"
    except (UnidentifiedImageError, OSError, ValueError):
        raise ValidationError(_("The photo cannot be read. Upload a PNG or JPEG image.")) from None


def resident_photo_upload(
    *, resident: Resident, upload, by, taken_on: date | None = None
) -> ResidentPhoto:
    """Keep one photo per resident, checked like every upload (cases.uploads) and re-encoded;
    a new photo replaces the old, whose file is removed once the change is committed."""
    checked = upload_check(upload)
    if not checked.mime.startswith("image/"):
        raise ValidationError(_("The photo must be a PNG or JPEG image."))
    if taken_on is not None and taken_on > timezone.localdate():
        raise ValidationError(_("The photo cannot be taken in the future."))
    data, extension = _reencoded(checked.file)
    new_name = ""
    try:
        with transaction.atomic():
            photo = ResidentPhoto.objects.select_for_update().filter(resident=resident).first()
            old_name = photo.image.name if photo else ""
            photo = photo or ResidentPhoto(resident=resident)
            photo.image.save(f"photo.{extension}", ContentFile(data), save=False)
            new_name = photo.image.name
            photo.sha256 = hashlib.sha256(data).hexdigest()
            photo.taken_on = taken_on
            photo.uploaded_by = by
            photo.save()
            timeline_event_record(
                subject=resident,
                kind="resident_photo_uploaded",
                actor=by,
                rule_id="SAV-3",
                summary=_("Photo for a missing-person report uploaded"),
            )
            if old_name:
                transaction.on_commit(lambda: stored_file_delete(old_name))
    except BaseException:
        stored_file_delete(new_name)
        raise
    return photo


def resident_photo_delete(*, resident: Resident, by) -> bool:
    with transaction.atomic():
        photo = ResidentPhoto.objects.select_for_update().filter(resident=resident).first()
        if photo is None:
            return False
        name = photo.image.name
        photo.delete()
        timeline_event_record(
            subject=resident,
            kind="resident_photo_deleted",
            actor=by,
            rule_id="SAV-3",
            summary=_("Photo for a missing-person report deleted"),
        )
        transaction.on_commit(lambda: stored_file_delete(name))
    return True


PHOTO_RECORD_TYPE = "savnet.photo"


def photos_due_for_deletion(*, now: datetime, months: int | None = None, period=None):
    """Photos of residents who left more than the retention period ago (months, or the
    configured period of "savnet.photo"): no open stay, the last stay ended before the cut-off,
    and not missing now (a missing minor's photo is what the search needs)."""
    if period is None:
        period = (
            {"months": months}
            if months is not None
            else retention.retention_period(PHOTO_RECORD_TYPE)
        )
    cutoff = retention.before(now, period)
    open_stay = Stay.objects.filter(resident=OuterRef("resident"), ended_at__isnull=True)
    missing = MissingReport.objects.filter(
        resident=OuterRef("resident"), state__in=MissingReport.ACTIVE_STATES
    )
    return (
        ResidentPhoto.objects.annotate(
            left_at=Max("resident__stays__ended_at"),
            has_open_stay=Exists(open_stay),
            is_missing=Exists(missing),
        )
        .filter(has_open_stay=False, is_missing=False, left_at__lt=cutoff)
        .order_by("pk")
    )


def photos_expired(*, now: datetime, period: dict) -> list[int]:
    """The retention machinery's selector (cases/retention.py)."""
    return list(photos_due_for_deletion(now=now, period=period).values_list("pk", flat=True))


def photo_delete(photo_id: int, *, now: datetime) -> retention.Deleted | None:
    """The retention machinery's deleter: the photo, every history row of it (their file names
    included) and its file. None when it is gone, or the resident is back or missing again."""
    photo = ResidentPhoto.objects.select_for_update().filter(pk=photo_id).first()
    if photo is None:
        return None
    back = Stay.objects.filter(resident_id=photo.resident_id, ended_at__isnull=True).exists()
    missing = MissingReport.objects.filter(
        resident_id=photo.resident_id, state__in=MissingReport.ACTIVE_STATES
    ).exists()
    if back or missing:
        return None
    history = ResidentPhoto.history.model.objects.filter(id=photo_id)
    names = {photo.image.name, *history.exclude(image="").values_list("image", flat=True)}
    centre_id = (
        Stay.objects.filter(resident_id=photo.resident_id)
        .order_by("-started_at")
        .values_list("centre_id", flat=True)
        .first()
    )
    photo.delete()
    history_rows = ResidentPhoto.history.model.objects.filter(id=photo_id).delete()[0]
    return retention.Deleted(
        reason="left",
        counts={"photos": 1, "history_rows": history_rows},
        centre_id=centre_id,
        files=tuple(sorted(name for name in names if name)),
    )


def register_retention() -> None:
    retention.register_record_type(
        retention.RecordType(
            name=PHOTO_RECORD_TYPE,
            label=gettext_lazy("Photos of residents who left"),
            rule_ids=("SAV-3", "KART-16"),
            period={"months": PHOTO_RETENTION_MONTHS},
            runs_from=gettext_lazy("the end of the resident's last stay, unless missing"),
            expired=photos_expired,
            delete=photo_delete,
        )
    )


def resident_photos_purge(*, now: datetime | None = None, months: int | None = None):
    """Retention of the photos: delete those of residents who left more than `months` ago (by
    default the configured period) through the shared retention machinery, and every stored
    photo file no row refers to (left by a resident record deleted, which deletes its photo row
    by cascade). Returns (rows deleted, orphan files deleted). Run nightly by the retention job
    and by `manage.py savnet_photos_purge`."""
    now = now or timezone.now()
    period = {"months": months} if months is not None else None
    result = retention.retention_run(now=now, only=[PHOTO_RECORD_TYPE], period=period)
    return result.deleted[PHOTO_RECORD_TYPE], _orphan_photo_files_delete(now=now)


def _orphan_photo_files_delete(*, now: datetime, older_than_seconds: int = 3600) -> int:
    if not default_storage.exists(PHOTO_FOLDER):
        return 0
    referenced = set(ResidentPhoto.objects.values_list("image", flat=True))
    cutoff = now.timestamp() - older_than_seconds
    deleted = 0
    for filename in default_storage.listdir(PHOTO_FOLDER)[1]:
        name = f"{PHOTO_FOLDER}/{filename}"
        if name in referenced or default_storage.get_modified_time(name).timestamp() > cutoff:
            continue
        default_storage.delete(name)
        deleted += 1
    return deleted
