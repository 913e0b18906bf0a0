"""A PDF renderer that fetches nothing but the project's own fonts and images (security
review): a crafted value in a notice cannot embed a local file or reach a URL."""

import base64
import io
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from PIL import Image
from pypdf import PdfReader

from cases import rendering


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 40), "red").save(out, "PNG")
    return out.getvalue()


def _images_in(pdf: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages)


def _fonts_in(pdf: bytes) -> set[str]:
    fonts = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    return fonts


def _html(body: str) -> str:
    return f'<html lang="nb"><body><p>Skjema</p>{body}</body></html>'


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///etc/hostname",
        f"file://{rendering.STATIC_DIR}/../../../config/settings/base.py",
        f"file://{rendering.STATIC_DIR}/fonts/../../../models/__init__.py",
        "file://remote-host/share/x.png",
        "http://127.0.0.1:9/x.png",
        "https://example.org/x.png",
        "ftp://example.org/x.png",
        "data:text/html;base64,PGgxPng8L2gxPg==",
        "data:image/svg+xml;base64,PHN2Zy8+",
    ],
)
def test_the_fetcher_refuses_everything_outside_the_allow_list(url):
    assert not rendering.fetch_allowed(url)
    with pytest.raises(rendering.RefusedFetch):
        rendering.url_fetcher().fetch(url)


def test_the_fetcher_allows_the_project_fonts_and_an_image_given_as_data():
    font = (rendering.STATIC_DIR / "fonts").glob("*.ttf").__next__()
    assert rendering.fetch_allowed(font.as_uri())
    assert rendering.fetch_allowed("data:image/png;base64,iVBORw0KGgo=")


def test_a_local_image_named_in_a_value_is_left_out_but_a_data_image_is_drawn(tmp_path):
    png = _png()
    outside = tmp_path / "secret.png"
    outside.write_bytes(png)
    assert _images_in(rendering.html_to_pdf(_html(f'<img src="{outside.as_uri()}">'))) == 0
    data = "data:image/png;base64," + base64.b64encode(png).decode()
    assert _images_in(rendering.html_to_pdf(_html(f'<img src="{data}">'))) == 1


def test_a_local_file_cannot_be_attached_or_styled_in(tmp_path):
    secret = tmp_path / "secret.css"
    secret.write_text("p { color: red }")
    html = _html(
        f'<a rel="attachment" href="{secret.as_uri()}">vedlegg</a>'
        f'<link rel="stylesheet" href="{secret.as_uri()}">'
    )
    pdf = rendering.html_to_pdf(html)
    assert not PdfReader(io.BytesIO(pdf)).attachments
    assert b"color: red" not in pdf


def test_no_request_reaches_the_network():
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the standard library's name
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/beacon.png"
        rendering.html_to_pdf(_html(f'<img src="{url}"><link rel="stylesheet" href="{url}">'))
    finally:
        server.shutdown()
    assert hits == []


def test_the_forms_still_use_the_project_fonts():
    # The family the stylesheet gives its own font files; a refused font would fall back to the
    # system's DejaVu under its own name.
    assert any("Skjema-Sans" in name for name in _fonts_in(rendering.html_to_pdf(_html(""))))
