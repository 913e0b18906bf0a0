"""Uploads are judged by their content, limited to 10 MB, and stored under random names."""

import re

import pytest
from django.core.exceptions import ValidationError

from cases.uploads import MAX_UPLOAD_BYTES, random_name, upload_check

from .upload_samples import (
    ELF,
    GIF,
    JPEG,
    PDF,
    PNG,
    SVG,
    TEXT,
    WINDOWS_EXE,
    exactly_max_pdf,
    pdf_of_size,
    upload,
)


@pytest.mark.parametrize(
    ("content", "mime", "extension"),
    [(PDF, "application/pdf", "pdf"), (PNG, "image/png", "png"), (JPEG, "image/jpeg", "jpg")],
)
def test_pdf_png_and_jpeg_are_accepted_by_content(content, mime, extension):
    # The browser's name and type are deliberately wrong: only the bytes count.
    checked = upload_check(upload(content, name="scan.txt", content_type="text/plain"))
    assert (checked.mime, checked.extension) == (mime, extension)
    assert len(checked.sha256) == 64


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (TEXT, "declaration.pdf", "application/pdf"),
        (ELF, "declaration.pdf", "application/pdf"),
        (WINDOWS_EXE, "declaration.exe", "application/octet-stream"),
        (SVG, "declaration.svg", "image/svg+xml"),
        (SVG, "declaration.png", "image/png"),
        (GIF, "declaration.gif", "image/gif"),
    ],
)
def test_other_types_are_refused_whatever_their_name(content, name, content_type):
    with pytest.raises(ValidationError) as error:
        upload_check(upload(content, name=name, content_type=content_type))
    assert error.value.code == "bad_type"
    assert "Only PDF, PNG or JPEG" in error.value.messages[0]


def test_empty_file_is_refused():
    with pytest.raises(ValidationError) as error:
        upload_check(upload(b""))
    assert error.value.code == "empty"


def test_exactly_10_mb_is_accepted():
    checked = upload_check(upload(exactly_max_pdf()))
    assert checked.size == MAX_UPLOAD_BYTES == 10 * 1024 * 1024


def test_10_mb_and_one_byte_is_refused():
    with pytest.raises(ValidationError) as error:
        upload_check(upload(pdf_of_size(MAX_UPLOAD_BYTES + 1)))
    assert error.value.code == "too_large"
    assert "larger than 10 MB" in error.value.messages[0]


def test_stored_names_are_random_and_carry_no_personal_data():
    first = random_name("consents", "Samtykke Testa Testesen 010203.pdf")
    second = random_name("consents", "Samtykke Testa Testesen 010203.pdf")
    assert first != second
    assert re.fullmatch(r"consents/[0-9a-f]{32}\.pdf", first)
    assert re.fullmatch(r"consents/[0-9a-f]{32}\.bin", random_name("consents", "x.exe"))
