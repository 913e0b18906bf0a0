"""Sample uploads and a private MEDIA_ROOT for the consent, checklist and upload tests."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.uploads import MAX_UPLOAD_BYTES


def minimal_pdf(text: str = "") -> bytes:
    """A real one-page PDF (the upload check parses every PDF)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if text:
        writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_bytes(fmt: str = "PNG", size=(4, 4), color=(200, 30, 30), **save) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format=fmt, **save)
    return out.getvalue()


PDF = minimal_pdf()
PNG = image_bytes("PNG")
JPEG = image_bytes("JPEG")
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)
TEXT = b"This is not a PDF, whatever its name says.\n"
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"


def upload(content: bytes, name: str = "declaration.pdf", content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def pdf_of_size(size: int) -> bytes:
    """A valid PDF padded to `size` bytes with a comment line (readers skip it)."""
    body = PDF[: PDF.index(b"\n") + 1]
    rest = PDF[len(body) :]
    padding = size - len(PDF) - 2
    return body + b"%" + b"0" * padding + b"\n" + rest


def exactly_max_pdf() -> bytes:
    return pdf_of_size(MAX_UPLOAD_BYTES)


def files_under(root: Path) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()]


@pytest.fixture
def media_root(settings, tmp_path):
    """A private MEDIA_ROOT per test, so leftover files can be counted."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
