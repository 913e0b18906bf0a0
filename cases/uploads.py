"""Uploaded documents (signed declarations, checklist attachments): checked by content, stored
privately under MEDIA_ROOT with random names, served only by access-checked views."""

import hashlib
import uuid
from dataclasses import dataclass
from pathlib import PurePosixPath

import filetype
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # 10 MB
SIGNATURE_BYTES = 8192

# Detected MIME type → extension used on disk. The browser's name and type are never trusted.
ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
}


@dataclass(frozen=True)
class CheckedUpload:
    file: object  # the uploaded file, rewound
    mime: str
    extension: str
    size: int
    sha256: str


def _size_of(upload) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
    return size


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(64 * 1024), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def upload_check(upload) -> CheckedUpload:
    """Accept a PDF, PNG or JPEG of at most 10 MB, judged by its first bytes; else ValidationError."""
    if upload is None:
        raise ValidationError(_("Choose a file to upload."), code="missing")
    size = _size_of(upload)
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."), code="too_large")
    upload.seek(0)
    head = upload.read(SIGNATURE_BYTES)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationError(
            _("Only PDF, PNG or JPEG files can be uploaded. This file is of another type."),
            code="bad_type",
        )
    return CheckedUpload(
        file=upload,
        mime=kind.mime,
        extension=ALLOWED_TYPES[kind.mime],
        size=size,
        sha256=_sha256(upload),
    )


def random_name(folder: str, filename: str) -> str:
    """folder/<uuid>.<ext>: names on disk never carry personal data, only the checked extension."""
    extension = PurePosixPath(filename).suffix.lower().lstrip(".")
    if extension not in ALLOWED_TYPES.values():
        extension = "bin"
    return f"{folder}/{uuid.uuid4().hex}.{extension}"


def consent_upload_to(instance, filename: str) -> str:
    return random_name("consents", filename)


def checklist_upload_to(instance, filename: str) -> str:
    return random_name("checklists", filename)


def stored_file_delete(name: str) -> None:
    """Remove a stored file after its transaction failed, so no orphan is left on disk."""
    if name:
        default_storage.delete(name)


def orphan_files_delete(*, older_than_seconds: int = 3600) -> int:
    """Delete stored uploads no row refers to (left when an outer transaction rolled back after
    the service wrote the file). Only files older than `older_than_seconds`, so an upload whose
    transaction is still open is never touched. Returns how many were deleted."""
    from .models import ChecklistStepCompletion, Consent  # the models import this module

    referenced = set(Consent.objects.values_list("declaration", flat=True))
    referenced |= set(
        ChecklistStepCompletion.objects.exclude(attachment="").values_list("attachment", flat=True)
    )
    cutoff = timezone.now().timestamp() - older_than_seconds
    deleted = 0
    for folder in ("consents", "checklists"):
        if not default_storage.exists(folder):
            continue
        for filename in default_storage.listdir(folder)[1]:
            name = f"{folder}/{filename}"
            if name in referenced:
                continue
            if default_storage.get_modified_time(name).timestamp() > cutoff:
                continue
            default_storage.delete(name)
            deleted += 1
    return deleted
