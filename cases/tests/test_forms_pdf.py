"""Every form in templates/forms/ renders to an A4 PDF with the marking, the page footer,
the embedded font and Norwegian letters intact (checked on the PDF's text with pdftotext)."""

import re
import subprocess
from datetime import date

import pytest

from cases import rendering

from .dispatch_factories import sample_context

LETTERHEAD = {
    "name": "Fjellheim mottak",
    "address": "Postboks 1, 2601 Lillehammer",
    "phone": "61 00 00 00",
    "signer": "Kari Ærø Sæbø Ås",
}
NORWEGIAN_LETTERS = "æøåÆØÅ"


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def pdf_fonts(pdf: bytes, tmp_path) -> list[list[str]]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def render_sample(form: str) -> bytes:
    context = rendering.form_context(
        data=sample_context(form),
        letterhead=LETTERHEAD,
        recipient_name="Statsforvalteren i Innlandet – Ørsta kontor",
        recipient_address="Postboks 987\n2626 Lillehammer",
        reference="2026/17",
        dated=date(2026, 11, 22),
        channel="post",
        legal_basis="Forvaltningsloven § 13 b første ledd nr. 5",
    )
    return rendering.html_to_pdf(rendering.render_form_html(form, context))


def test_x_1_the_forms_are_found_and_layouts_left_out():
    names = rendering.form_names()
    assert {"letter.html", "notice.html", "arrival_notice.html"} <= set(names)
    assert not [n for n in names if n.startswith("base")]


@pytest.mark.parametrize("form", rendering.form_names())
def test_x_1_every_form_renders_with_marking_page_footer_and_norwegian_letters(form, tmp_path):
    pdf = render_sample(form)
    text = pdf_text(pdf, tmp_path)
    assert "Unntatt offentlighet" in text
    assert "jf. offl. § 13, fvl. § 13" in text
    assert re.search(r"Side 1 av \d+", text)
    for letter in NORWEGIAN_LETTERS:
        assert letter in text, letter
    assert "Fjellheim mottak" in text and "Postboks 1, 2601 Lillehammer" in text
    assert "22.11.2026" in text
    # Every font is the embedded form font, also in the page margin boxes (a box without its
    # own font-family would fall back to a system font).
    fonts = pdf_fonts(pdf, tmp_path)
    assert fonts
    for row in fonts:
        assert "Skjema-Sans" in row[0], row
        assert row[-5] == "yes", row  # emb


def test_mot_1_arrival_notice_says_who_arrived_where_and_the_representative(tmp_path):
    text = pdf_text(render_sample("arrival_notice.html"), tmp_path)
    assert "Melding om ankomst" in text
    assert "Åsmund Ærlig Søgård" in text
    assert "201912345678" in text
    assert "14.03.2010 (usikker)" in text
    assert "20.11.2026 kl. 14.30" in text
    assert "Bjørg Representant" in text
    assert "Råde ankomstsenter" in text
    assert "Skolebakgrunn" in text  # the school copy carries the school-background mapping


def test_every_form_has_sample_content():
    for form in rendering.form_names():
        assert isinstance(sample_context(form), dict), form


def test_the_same_html_gives_the_same_pdf_bytes():
    assert render_sample("letter.html") == render_sample("letter.html")


INTERNAL_RULE_ID = re.compile(r"\b(?:SAV|PERM|MOT|KART|RET|X|R)-\d+\b")


@pytest.mark.parametrize("form", rendering.form_names())
def test_r_22_no_external_form_shows_an_internal_rule_id(form):
    context = rendering.form_context(
        data=sample_context(form),
        letterhead=LETTERHEAD,
        recipient_name="Politiet",
        recipient_address="Postboks 1",
        reference="2026/17",
        dated=date(2026, 11, 22),
        channel="post",
        legal_basis="Forvaltningsloven § 13 b første ledd nr. 5",
        routine_reference="UDIs rutiner for asylmottak med enslige mindreårige, punkt 3.1.3",
    )
    html = rendering.render_form_html(form, context)
    assert not INTERNAL_RULE_ID.search(html), INTERNAL_RULE_ID.search(html)
    assert "Jf. UDIs rutiner" in html
    # An internal note is no letter: no recipient block and no statute.
    if form == "savnet_phone_note.html":
        assert "Internt notat" in html and "Politiet" not in html and "Hjemmel:" not in html
    else:
        assert "Hjemmel:" in html


def test_r_22_a_table_caption_is_never_stranded_at_the_foot_of_a_page():
    """Wherever a table falls, its caption starts the page its first row is on."""
    import io

    from pypdf import PdfReader

    rows = "".join(f"<tr><th>Rad {i}</th><td>verdi {i}</td></tr>" for i in range(4))
    for spacer_mm in range(200, 262, 3):
        html = (
            '<html lang="nb"><body>'
            f'<div style="height:{spacer_mm}mm"></div>'
            f'<table class="facts"><caption>OVERSKRIFT</caption>{rows}</table>'
            "</body></html>"
        )
        pages = [
            page.extract_text() for page in PdfReader(io.BytesIO(rendering.html_to_pdf(html))).pages
        ]
        caption_page = next(i for i, text in enumerate(pages) if "OVERSKRIFT" in text)
        first_row_page = next(i for i, text in enumerate(pages) if "Rad 0" in text)
        assert caption_page == first_row_page, spacer_mm
