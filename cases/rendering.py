"""Form templates (templates/forms/) to HTML and to PDF with WeasyPrint.

WeasyPrint is imported lazily: web processes that only preview never pay its import.
One FontConfiguration and the parsed form stylesheet are kept per process and reused by
every render (measured about 15 % faster than parsing them each time).
"""

import atexit
import io
import re
from datetime import date, datetime
from functools import cache
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from pypdf import PdfReader, PdfWriter

STATIC_DIR = Path(__file__).resolve().parent / "static" / "cases"
FORMS_CSS_FILE = STATIC_DIR / "forms" / "a4.css"
FORMS_CSS_STATIC = "cases/forms/a4.css"
# Plain lowercase names only; base_* files are layouts, not forms.
_FORM_NAME = re.compile(r"^[a-z][a-z0-9_]{0,60}\.html$")

# The forms are Norwegian documents; these labels are part of them, not of the interface.
CHANNEL_LABELS_NB = {
    "post": "Per post",
    "by_hand": "Levert personlig",
    "phone": "Per telefon",
    "encrypted_email": "Kryptert e-post",
}
# Keys the engine fills in; a dispatch's own content may not shadow them.
RESERVED_KEYS = frozenset(
    {
        "letterhead",
        "recipient",
        "reference",
        "date",
        "channel",
        "channel_label",
        "legal_basis",
        "routine_reference",
        "preview",
        "forms_css",
    }
)


def forms_dir() -> Path:
    return Path(settings.BASE_DIR) / "templates" / "forms"


def is_form_name(name: str) -> bool:
    return bool(_FORM_NAME.match(name)) and not name.startswith("base")


def form_names() -> list[str]:
    """Every form a dispatch may use (the layouts they extend excluded)."""
    return sorted(p.name for p in forms_dir().glob("*.html") if is_form_name(p.name))


def form_context(
    *,
    data: dict,
    letterhead: dict,
    recipient_name: str,
    recipient_address: str,
    reference: str,
    dated: date | datetime,
    channel: str,
    legal_basis: str,
    routine_reference: str = "",
) -> dict:
    """What a form template sees: the dispatch's content plus the engine's keys."""
    if "person" not in data and "resident" in data:
        # Content frozen before every form printed one person block kept it as "resident".
        data = {**data, "person": data["resident"]}
    return {
        **data,
        "letterhead": letterhead,
        "recipient": {"name": recipient_name, "address": recipient_address},
        "reference": reference,
        "date": dated,
        "channel": channel,
        "channel_label": CHANNEL_LABELS_NB.get(channel, ""),
        "legal_basis": legal_basis,
        "routine_reference": routine_reference,
    }


def render_form_html(template: str, context: dict, *, preview: bool = False) -> str:
    if not is_form_name(template):
        raise ValueError("not a form template name")
    with translation.override("nb"):
        return render_to_string(
            f"forms/{template}",
            {**context, "preview": preview, "forms_css": FORMS_CSS_STATIC},
        )


# What a form may load: the project's own fonts, stylesheet and images, and an image given
# inside the content as a data URI (a missing minor's photo). Nothing else: no other file, no
# network, no other kind of data URI — a crafted value cannot embed a local file or reach a URL.
FETCHABLE_SUFFIXES = frozenset({".ttf", ".otf", ".css", ".png", ".jpg", ".jpeg", ".svg"})
FETCHABLE_DATA = ("data:image/png;base64,", "data:image/jpeg;base64,")


class RefusedFetch(ValueError):
    """A form asked for a resource outside the allow-list; WeasyPrint leaves it out."""


def fetch_allowed(url: str) -> bool:
    if url.startswith(FETCHABLE_DATA):
        return True
    if not url.startswith("file:"):
        return False
    from urllib.parse import unquote, urlparse

    parsed = urlparse(url)
    if parsed.netloc not in ("", "localhost"):
        return False
    path = Path(unquote(parsed.path)).resolve()
    return path.suffix.lower() in FETCHABLE_SUFFIXES and path.is_relative_to(STATIC_DIR.resolve())


@cache
def _fetcher_class():
    from weasyprint.urls import URLFetcher

    class ProjectOnlyFetcher(URLFetcher):
        """WeasyPrint's fetcher behind the allow-list; no redirects, nothing but file and data."""

        def __init__(self):
            super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)

        def fetch(self, url, headers=None):
            if not fetch_allowed(url):
                raise RefusedFetch(f"refused: {url[:80]}")
            return super().fetch(url, headers)

    return ProjectOnlyFetcher


def url_fetcher():
    return _fetcher_class()()


@cache
def _shared_fonts_and_css():
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    css = CSS(filename=str(FORMS_CSS_FILE), font_config=font_config, url_fetcher=url_fetcher())
    return font_config, css


# Drop them before interpreter teardown, while WeasyPrint's modules can still free them.
atexit.register(_shared_fonts_and_css.cache_clear)


def html_to_pdf(html: str) -> bytes:
    """The form's HTML to PDF bytes. The same HTML always gives the same bytes."""
    from weasyprint import HTML

    font_config, css = _shared_fonts_and_css()
    document = HTML(string=html, base_url=str(forms_dir()), url_fetcher=url_fetcher())
    return document.write_pdf(stylesheets=[css], font_config=font_config)


def html_to_pdf_unshared(html: str) -> bytes:
    """The same render with a fresh font configuration and stylesheet (for comparison)."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    css = CSS(filename=str(FORMS_CSS_FILE), font_config=font_config, url_fetcher=url_fetcher())
    document = HTML(string=html, base_url=str(forms_dir()), url_fetcher=url_fetcher())
    return document.write_pdf(stylesheets=[css], font_config=font_config)


# An enclosed image is printed on an A4 page at this resolution, with a margin.
_A4_AT_150_DPI = (1240, 1754)
_IMAGE_MARGIN = 90


def file_as_pdf(data: bytes, mime: str, *, label: str) -> bytes:
    """A stored upload as PDF pages to append to a notice: a PDF as it is, a PNG or JPEG
    image (an ID copy) scaled onto one A4 page. A file that cannot be printed gives a page
    that says so, so the notice still goes and the sender adds a paper copy."""
    try:
        if mime == "application/pdf":
            if not PdfReader(io.BytesIO(data)).pages:
                raise ValueError("no pages")
            return data
        return _image_page(data)
    except Exception:  # noqa: BLE001 - any unreadable upload gives the same placeholder page
        return html_to_pdf(_UNPRINTABLE_ENCLOSURE % {"label": escape(label or "Vedlegg")})


_UNPRINTABLE_ENCLOSURE = (
    '<html lang="nb"><body><h1>Vedlegg: %(label)s</h1>'
    "<p>Vedlegget kunne ikke skrives ut fra systemet. Legg ved en papirkopi.</p></body></html>"
)


def _image_page(data: bytes) -> bytes:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        picture = image.convert("RGB")
    page = Image.new("RGB", _A4_AT_150_DPI, "white")
    room = (_A4_AT_150_DPI[0] - 2 * _IMAGE_MARGIN, _A4_AT_150_DPI[1] - 2 * _IMAGE_MARGIN)
    picture.thumbnail(room)
    page.paste(picture, (_IMAGE_MARGIN, _IMAGE_MARGIN))
    out = io.BytesIO()
    page.save(out, "PDF", resolution=150)
    return out.getvalue()


def pdfs_merged(pdfs: list[bytes]) -> bytes:
    """One PDF of these, in order (a cover letter and its enclosures); one PDF is given back
    as it is."""
    if len(pdfs) == 1:
        return pdfs[0]
    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(PdfReader(io.BytesIO(pdf)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
