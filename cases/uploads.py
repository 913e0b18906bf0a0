"""Uploaded documents (signed declarations, checklist attachments, ID copies, photos): checked
by content, stored privately under MEDIA_ROOT with random names, served only by access-checked
views. Every upload goes through `upload_check`, the one place that judges a file:

- its type from its bytes (PDF, PNG or JPEG), never from its name or the browser's word;
- a PDF is parsed (pypdf) and refused when it does not parse, is locked with a password, or
  carries JavaScript (also XFA forms), a launch action or embedded files (/EmbeddedFiles,
  file-attachment annotations) — anywhere a reader can reach from its trailer;
- an image is decoded and encoded again (Pillow): what is stored is the new image, without
  metadata, so bytes hidden after the picture or in its comments (a polyglot) are gone.

The request body is capped before it is read (config.request_limits), so a huge upload is
refused without being received.
"""

import hashlib
import io
import uuid
from dataclasses import dataclass
from pathlib import PurePosixPath

import filetype
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # 10 MB
SIGNATURE_BYTES = 8192
# Beyond these a file is refused as too complex to check (a decompression or object bomb).
MAX_PDF_OBJECTS = 50_000
MAX_IMAGE_PIXELS = 40_000_000

# Detected MIME type → extension used on disk. The browser's name and type are never trusted.
ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
}
_PILLOW_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG"}

# What a PDF may not carry: action types, dictionary keys and annotation or object types.
_PDF_SCRIPT_ACTIONS = frozenset({"/JavaScript", "/Rendition"})
_PDF_LAUNCH_ACTIONS = frozenset({"/Launch"})
_PDF_SCRIPT_KEYS = frozenset({"/JS", "/JavaScript", "/XFA"})
_PDF_EMBEDDED_KEYS = frozenset({"/EmbeddedFiles", "/EF"})
_PDF_EMBEDDED_TYPES = frozenset({"/EmbeddedFile", "/FileAttachment"})


@dataclass(frozen=True)
class CheckedUpload:
    file: object  # what is to be stored, rewound: the upload itself, or the re-encoded image
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
    """Accept a clean PDF, PNG or JPEG of at most 10 MB, judged by its content; else a
    ValidationError with a message the person uploading can act on. An image comes back
    re-encoded: store `CheckedUpload.file`, not the upload."""
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
    if kind.mime == "application/pdf":
        upload.seek(0)
        pdf_check(upload.read())
        upload.seek(0)
        stored = upload
    else:
        upload.seek(0)
        data = image_reencoded(upload.read(), kind.mime)
        stored = ContentFile(data, name=f"upload.{ALLOWED_TYPES[kind.mime]}")
        size = len(data)
    return CheckedUpload(
        file=stored,
        mime=kind.mime,
        extension=ALLOWED_TYPES[kind.mime],
        size=size,
        sha256=_sha256(stored),
    )


# --- PDF ------------------------------------------------------------------------------------


def pdf_check(data: bytes) -> None:
    """Refuse a PDF that does not parse, is encrypted, or carries scripts, launch actions or
    embedded files. Every object a reader can reach from the trailer is looked at, after
    pypdf has decoded names (/J#53 is /JS) and unpacked object streams."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                _("The PDF is locked with a password. Upload a copy without a password."),
                code="pdf_encrypted",
            )
        if len(reader.pages) < 1:
            raise ValueError("no pages")
        try:
            problem = _pdf_problem(reader)
        except _PdfTooComplexError:
            problem = "pdf_too_complex"
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 - whatever pypdf trips on, the file cannot be trusted
        raise ValidationError(
            _(
                "The PDF cannot be read. Upload a PDF that opens normally, or a scan "
                "as PNG or JPEG."
            ),
            code="pdf_unreadable",
        ) from None
    if problem:
        raise ValidationError(_PDF_MESSAGES[problem](), code=problem)


_PDF_MESSAGES = {
    "pdf_script": lambda: _(
        "The PDF contains JavaScript, which is not allowed. Print it to a new PDF or scan "
        "it, and upload that."
    ),
    "pdf_launch": lambda: _(
        "The PDF contains an action that starts a program, which is not allowed. Print it "
        "to a new PDF or scan it, and upload that."
    ),
    "pdf_embedded": lambda: _(
        "The PDF contains attached files, which is not allowed. Upload each document on its own."
    ),
    "pdf_too_complex": lambda: _(
        "The PDF is too complex to be checked. Print it to a new PDF or scan it, and upload that."
    ),
}


class _PdfTooComplexError(Exception):
    pass


def _pdf_problem(reader) -> str:
    """The first forbidden thing found, as a code of _PDF_MESSAGES, or ""."""
    for obj in _pdf_dictionaries(reader):
        keys = set(dict.keys(obj))
        action = obj.get("/S")
        if keys & _PDF_SCRIPT_KEYS or action in _PDF_SCRIPT_ACTIONS:
            return "pdf_script"
        if action in _PDF_LAUNCH_ACTIONS:
            return "pdf_launch"
        if (
            keys & _PDF_EMBEDDED_KEYS
            or obj.get("/Type") in _PDF_EMBEDDED_TYPES
            or obj.get("/Subtype") in _PDF_EMBEDDED_TYPES
        ):
            return "pdf_embedded"
    return ""


def _pdf_dictionaries(reader):
    """Every dictionary (and stream dictionary) reachable from the trailer, each once."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer]
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            if len(seen) > MAX_PDF_OBJECTS:
                raise _PdfTooComplexError
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            yield obj
            stack.extend(dict.values(obj))
        elif isinstance(obj, ArrayObject):
            stack.extend(list.__iter__(obj))


# --- images ---------------------------------------------------------------------------------


def image_reencoded(data: bytes, mime: str) -> bytes:
    """The picture alone, decoded and encoded again in its own format, without metadata
    (EXIF, comments, text chunks) and without anything after its end."""
    import warnings

    from PIL import Image, ImageOps

    refused = ValidationError(
        _("The image cannot be read. Upload a PNG or JPEG image that opens normally."),
        code="image_unreadable",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format != _PILLOW_FORMATS[mime]:
                    raise refused
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise ValidationError(
                        _("The image is too large (too many pixels). Upload a smaller scan."),
                        code="image_too_large",
                    )
                image.load()
                picture = ImageOps.exif_transpose(image)
                # Pillow writes back what it read (comments, ICC profile, EXIF): keep only
                # the transparency of the pixels themselves.
                picture.info = {k: v for k, v in picture.info.items() if k == "transparency"}
                out = io.BytesIO()
                if mime == "image/jpeg":
                    if picture.mode not in ("RGB", "L", "CMYK"):
                        picture = picture.convert("RGB")
                    picture.save(out, format="JPEG", quality=90)
                else:
                    if picture.mode not in ("1", "L", "LA", "RGB", "RGBA", "I", "I;16"):
                        picture = picture.convert("RGBA")
                    picture.save(out, format="PNG")
        return out.getvalue()
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 - a truncated, corrupt or hostile image
        raise refused from None


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
