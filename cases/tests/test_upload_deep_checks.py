"""Uploads are checked deeply: a PDF is parsed and refused when it carries scripts, launch
actions or attached files, or does not parse; an image is re-encoded so a polyglot loses its
payload; a request body above the limit is refused before it is read."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from cases.uploads import upload_check

from . import upload_samples
from .upload_samples import PDF, image_bytes, minimal_pdf, upload

media_root = upload_samples.media_root

PAYLOAD = b"<script>alert('x')</script>"


def _written(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _pdf_with_open_action(action: dict) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    entry = DictionaryObject({NameObject(k): v for k, v in action.items()})
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(entry)
    return _written(writer)


def raw_pdf(*objects: bytes) -> bytes:
    """A PDF written by hand, objects numbered from 1, with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


PAGES = (
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
)


def _refused(content: bytes, code: str) -> str:
    with pytest.raises(ValidationError) as error, translation.override("nb"):
        upload_check(upload(content, name="dokument.pdf"))
    assert error.value.code == code
    return error.value.messages[0]


# --- PDF ------------------------------------------------------------------------------------


def test_a_plain_pdf_is_accepted_and_stored_as_it_is():
    content = minimal_pdf("Samtykke")
    checked = upload_check(upload(content))
    assert checked.mime == "application/pdf"
    checked.file.seek(0)
    assert checked.file.read() == content


def _pdf_with_document_javascript() -> bytes:
    """A document-level script: the catalogue's /Names tree holds a /JavaScript entry."""
    return raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R /Names << /JavaScript 4 0 R >> >>",
        *PAGES,
        b"<< /Names [(start) << /S /JavaScript /JS (app.alert(1)) >>] >>",
    )


def test_pdf_with_javascript_in_the_names_tree_is_refused():
    message = _refused(_pdf_with_document_javascript(), "pdf_script")
    assert "JavaScript" in message and "ikke tillatt" in message


def test_pdf_with_a_javascript_open_action_is_refused():
    content = _pdf_with_open_action(
        {"/S": NameObject("/JavaScript"), "/JS": TextStringObject("app.alert(1)")}
    )
    _refused(content, "pdf_script")


def test_pdf_with_javascript_behind_an_escaped_name_is_refused():
    # /Java#53cript is /JavaScript and /J#53 is /JS once the name is decoded.
    content = raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        *PAGES,
        b"<< /S /Java#53cript /J#53 (app.alert(1)) >>",
    )
    _refused(content, "pdf_script")


def test_pdf_with_a_script_in_a_page_annotation_action_is_refused():
    content = raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [4 0 R] >>",
        b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /JavaScript /JS 5 0 R >> >>",
        b"<< /Length 12 >>\nstream\napp.alert(1)\nendstream",
    )
    _refused(content, "pdf_script")


def test_pdf_with_an_xfa_form_is_refused():
    content = raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [] /XFA 4 0 R >> >>",
        *PAGES,
        b"<< /Length 7 >>\nstream\n<xdp/>\nendstream",
    )
    _refused(content, "pdf_script")


def test_pdf_with_a_launch_action_is_refused():
    content = _pdf_with_open_action(
        {"/S": NameObject("/Launch"), "/F": TextStringObject("C:\\Windows\\System32\\cmd.exe")}
    )
    message = _refused(content, "pdf_launch")
    assert "starter et program" in message


def test_pdf_with_an_embedded_file_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_attachment("faktura.exe", b"MZ" + b"\x00" * 64)
    message = _refused(_written(writer), "pdf_embedded")
    assert "vedlagte filer" in message


def test_pdf_with_a_file_attachment_annotation_is_refused():
    writer = PdfWriter()
    page = writer.add_blank_page(width=200, height=200)
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/FileAttachment"),
            NameObject("/Rect"): ArrayObject([NumberObject(0)] * 4),
            NameObject("/Contents"): TextStringObject("vedlegg"),
        }
    )
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
    _refused(_written(writer), "pdf_embedded")


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4\n<html><body><script>alert(1)</script></body></html>\n",
        PDF[: len(PDF) // 2],
        b"%PDF-1.4\n%%EOF\n",
    ],
    ids=["html-behind-a-pdf-header", "cut-in-half", "header-only"],
)
def test_pdf_that_does_not_parse_is_refused(content):
    message = _refused(content, "pdf_unreadable")
    assert "kan ikke leses" in message


def test_pdf_locked_with_a_password_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt(user_password="hemmelig", owner_password="eier", algorithm="RC4-128")
    _refused(_written(writer), "pdf_encrypted")


# --- images ---------------------------------------------------------------------------------


def _iend_end(data: bytes) -> int:
    return data.rindex(b"IEND") + 8  # the chunk type and its CRC


def test_png_polyglot_loses_what_follows_the_image():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("payload.html", PAYLOAD)
    content = image_bytes("PNG", size=(8, 8)) + archive.getvalue() + PAYLOAD
    checked = upload_check(upload(content, name="bilde.png"))
    checked.file.seek(0)
    stored = checked.file.read()
    assert checked.mime == "image/png"
    assert PAYLOAD not in stored and b"PK\x03\x04" not in stored
    assert _iend_end(stored) == len(stored)  # nothing after the image's end
    assert checked.size == len(stored)
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (8, 8)


def test_jpeg_loses_its_comment_exif_and_trailing_bytes():
    exif = Image.Exif()
    exif[0x010E] = "<script>alert('exif')</script>"  # ImageDescription
    base = image_bytes("JPEG", size=(16, 16), exif=exif.tobytes())
    # A comment segment (COM) with a script, right after SOI, and a payload after EOI.
    comment = b"\xff\xfe" + (len(PAYLOAD) + 2).to_bytes(2, "big") + PAYLOAD
    content = base[:2] + comment + base[2:] + PAYLOAD
    checked = upload_check(upload(content, name="bilde.jpg"))
    checked.file.seek(0)
    stored = checked.file.read()
    assert checked.mime == "image/jpeg"
    assert b"script" not in stored
    assert b"Exif" not in stored
    assert stored.endswith(b"\xff\xd9")


def test_png_text_chunks_are_dropped():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "Åse Nordmann, DUF 201912345678")
    content = image_bytes("PNG", pnginfo=info)
    checked = upload_check(upload(content, name="bilde.png"))
    checked.file.seek(0)
    assert b"DUF" not in checked.file.read()


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (image_bytes("PNG")[:40], "image_unreadable"),
        (image_bytes("JPEG")[:30], "image_unreadable"),
    ],
    ids=["png-cut-off", "jpeg-cut-off"],
)
def test_image_that_does_not_decode_is_refused(content, code):
    with pytest.raises(ValidationError) as error, translation.override("nb"):
        upload_check(upload(content, name="bilde.png"))
    assert error.value.code == code
    assert "kan ikke leses" in error.value.messages[0]


def test_image_with_too_many_pixels_is_refused_before_it_is_decoded():
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, format="PNG")  # 48 megapixels, a few kB
    with pytest.raises(ValidationError) as error:
        upload_check(upload(out.getvalue(), name="bilde.png"))
    assert error.value.code == "image_too_large"


# --- through a service and a page -----------------------------------------------------------


def test_stored_declaration_is_the_re_encoded_image(resident, staff, media_root):
    from cases.tests.test_consents import record

    content = image_bytes("PNG", size=(8, 8)) + PAYLOAD
    consent = record(resident, staff, declaration_file=upload(content, name="samtykke.png"))
    with consent.declaration.open("rb") as stored:
        data = stored.read()
    assert PAYLOAD not in data and _iend_end(data) == len(data)
    import hashlib

    assert consent.declaration_sha256 == hashlib.sha256(data).hexdigest()


def test_refused_pdf_on_the_consent_page_gives_the_message_not_a_500(
    client, resident, staff, media_root
):
    from django.contrib.contenttypes.models import ContentType

    from cases.models import Consent

    client.force_login(staff)
    url = reverse(
        "cases:consent_new", args=[ContentType.objects.get_for_model(resident).pk, resident.pk]
    )
    data = {
        "given_by": "representative",
        "given_by_name": "Rita Representant",
        "purpose": "mapping_transfer",
        "recipient_kinds": ["imdi"],
        "given_on": "2026-11-20",
        "declaration": upload(_pdf_with_document_javascript(), name="samtykke.pdf"),
    }
    with translation.override("nb"):
        response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="nb")
    assert response.status_code == 200
    assert "inneholder JavaScript" in response.content.decode()
    assert not Consent.objects.exists()


# --- the body limit -------------------------------------------------------------------------


@override_settings(REQUEST_MAX_BODY_BYTES=1000)
def test_a_body_above_the_limit_is_refused_before_it_is_read():
    from django.test import RequestFactory

    from config.request_limits import RequestBodyLimitMiddleware

    class Unreadable(io.BytesIO):
        def read(self, *args):
            raise AssertionError("the body was read")

        readline = read

    request = RequestFactory().generic(
        "POST",
        "/saker/",
        b"",
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH="1001",
        **{"wsgi.input": Unreadable()},
    )

    def view(request):
        raise AssertionError("the view was reached")

    with translation.override("nb"):
        response = RequestBodyLimitMiddleware(view)(request)
    assert response.status_code == 413
    assert response["Connection"] == "close"
    assert "for stor" in response.content.decode()


@override_settings(REQUEST_MAX_BODY_BYTES=1000)
def test_a_body_above_the_limit_gets_the_413_page_through_the_whole_stack(client, staff):
    client.force_login(staff)
    response = client.generic(
        "POST",
        reverse("home"),
        b"x" * 10,
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH="1001",
        HTTP_ACCEPT_LANGUAGE="nb",
    )
    assert response.status_code == 413
    assert "for stor" in response.content.decode()


@override_settings(REQUEST_MAX_BODY_BYTES=1000)
def test_a_body_at_the_limit_goes_through(client, staff):
    client.force_login(staff)
    response = client.generic(
        "POST",
        reverse("home"),
        b"x" * 1000,
        content_type="application/octet-stream",
        HTTP_ACCEPT_LANGUAGE="nb",
    )
    assert response.status_code != 413
