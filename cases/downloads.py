"""One way to hand out a stored private file: read-logged, never cached, 404 when gone."""

import re
from datetime import date

from django.http import FileResponse, Http404
from django.utils import translation

from .services import read_log_record

# Norwegian letters spelt out in ASCII, so a file name survives every mail client and disk.
_ASCII = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "é": "e"})


def download_name(kind, day: date, extension: str) -> str:
    """`<kind in Norwegian>-<YYYY-MM-DD>.<extension>`, e.g. `savnetmelding-2026-12-01.pdf`:
    the kind of document and its date, never a name or number that identifies a person."""
    with translation.override("nb"):
        words = str(kind).lower().translate(_ASCII)
    slug = re.sub(r"[^a-z0-9]+", "-", words).strip("-")[:60].rstrip("-") or "dokument"
    extension = re.sub(r"[^a-z0-9]", "", extension.lower())[:5] or "bin"
    return f"{slug}-{day.isoformat()}.{extension}"


def private_file_response(
    *, user, stored_file, log_subject, log_detail: str, filename: str, content_type: str
) -> FileResponse:
    """Call only after the access layer has allowed `user` to see `log_subject`."""
    if not stored_file:
        raise Http404
    try:
        handle = stored_file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    read_log_record(user=user, subject=log_subject, action="download", detail=log_detail)
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response
