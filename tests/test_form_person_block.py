"""Every form prints the resident it is about the same way: one block (mottak/documents.py
person_block), one partial (templates/forms/_person.html), whichever routine sends it."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from cases import rendering
from cases.tests.dispatch_factories import sample_context
from mottak.documents import person_block
from mottak.tests.factories import make_resident
from permisjon import documents as leave_documents
from permisjon import services as leave_services
from permisjon.tests.conftest import contact, interview_held_for, leave_data
from savnet import documents as missing_documents
from savnet.tests.conftest import open_report

PERSON_TABLE = re.compile(
    r'<table class="facts">\s*<caption>Opplysninger om den mindreårige</caption>.*?</table>', re.S
)
ROW = re.compile(r"<tr><th>(.*?)</th><td>(.*?)</td></tr>", re.S)
# Only the forms to the police and child welfare print these (full=True).
FULL_ONLY = {"Kjønn", "Språk"}


def frozen(context: dict) -> dict:
    """The content as a dispatch stores it."""
    return json.loads(json.dumps(context, cls=DjangoJSONEncoder))


def render_html(form: str, content: dict) -> str:
    context = rendering.form_context(
        data=content,
        letterhead={"name": "Fjellheim mottak", "address": "Postboks 1, 2601 Lillehammer"},
        recipient_name="Mottaker",
        recipient_address="",
        reference="2026/1",
        dated=date(2026, 11, 22),
        channel="post",
        legal_basis="",
    )
    return rendering.render_form_html(form, context)


def person_rows(html: str) -> list[tuple[str, str]]:
    tables = PERSON_TABLE.findall(html)
    assert len(tables) == 1, "one person block per form"
    return [(th, " ".join(td.split())) for th, td in ROW.findall(tables[0])]


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return " ".join(out.split())


@pytest.fixture
def minor(centre):
    return make_resident(
        centre,
        duf_number="201912345678",
        given_names="Åsmund Ærlig",
        family_name="Søgård",
        date_of_birth=date(2010, 3, 14),
        date_of_birth_uncertain=True,
        nationality="Eritrea",
        languages="Tigrinja, arabisk",
        representative_name="Bjørg Representant",
        representative_phone="400 00 001",
        lawyer_name="Øystein Advokat",
        lawyer_phone="400 00 002",
    )


PERSON_LINES = [
    ("Navn", "Åsmund Ærlig Søgård"),
    ("DUF-nummer", "201912345678"),
    ("Fødselsdato", "14.03.2010 (usikker)"),
    ("Statsborgerskap", "Eritrea"),
    ("Asylmottak", "Fjellheim mottak"),
]


@pytest.mark.django_db
def test_a_missing_report_and_a_leave_application_print_the_same_person_lines(
    minor, centre, staff, tmp_path
):
    report = open_report(minor, staff)
    interview_held_for(minor)
    application = leave_services.leave_application_submit(
        resident=minor, data=leave_data(), contact_persons=[contact()], by=staff
    )
    missing = frozen(missing_documents.base_context(report) | {"enclosed": []})
    leave = frozen(
        leave_documents.application_context(
            application, preparation=[], assessment=[], attachments=[], broken_agreements=0
        )
    )
    assert missing["person"] == leave["person"] == frozen(person_block(minor, centre=centre))

    savnet_html = render_html("savnet_regional_cover_letter.html", missing)
    permisjon_html = render_html("permisjon_soknad.html", leave)
    assert person_rows(savnet_html) == person_rows(permisjon_html) == PERSON_LINES

    # And so in the PDFs the recipients get.
    for html in (savnet_html, permisjon_html):
        text = pdf_text(rendering.html_to_pdf(html), tmp_path)
        for label, value in PERSON_LINES:
            assert f"{label} {value}" in text, (label, text)


@pytest.mark.django_db
def test_every_form_about_a_resident_prints_the_one_block(minor, centre):
    block = frozen(person_block(minor, centre=centre))
    forms = [f for f in rendering.form_names() if "person" in sample_context(f)]
    assert {"notice.html", "arrival_notice.html", "permisjon_soknad.html"} <= set(forms)
    assert {"savnet_police_report.html", "savnet_phone_note.html"} <= set(forms)
    for form in forms:
        rows = person_rows(render_html(form, sample_context(form) | {"person": block}))
        assert [r for r in rows if r[0] not in FULL_ONLY] == PERSON_LINES, form
        if len(rows) > len(PERSON_LINES):
            assert rows[3] == ("Kjønn", "Kvinne") and rows[5] == ("Språk", "Tigrinja, arabisk")


def test_no_form_prints_the_resident_by_itself():
    forms_dir = rendering.forms_dir()
    assert not (forms_dir / "_savnet_person.html").exists()
    for path in forms_dir.glob("*.html"):
        source = path.read_text(encoding="utf-8")
        assert "resident." not in source, path.name
        assert "Opplysninger om den mindreårige" not in source or path.name == "_person.html"


@pytest.mark.django_db
def test_the_block_holds_plain_values_and_names_a_registration_number_as_such(centre):
    resident = make_resident(
        centre, duf_number=None, registration_number="REG-77", date_of_birth=date(2009, 1, 2)
    )
    block = person_block(resident)
    assert json.loads(json.dumps(block)) == block  # no encoder needed: dates are ISO strings
    assert block["date_of_birth"] == "2009-01-02"
    assert block["centre"] == centre.name
    rows = dict(person_rows(render_html("notice.html", {"person": block})))
    assert rows["Registreringsnummer"] == "REG-77"
    assert "DUF-nummer" not in rows


def test_content_stored_before_the_shared_block_still_prints_the_minor():
    """A missing-person form queued before the change kept the minor as "resident"."""
    old = sample_context("savnet_police_report.html")
    person = old.pop("person")
    old["resident"] = {k: v for k, v in person.items() if k != "duf_number"} | {
        "identifier": person["duf_number"]
    }
    html = render_html("savnet_police_report.html", old)
    rows = dict(person_rows(html))
    assert rows["Navn"] == "Åsmund Ærlig Søgård"
    assert rows["DUF-nummer"] == "201912345678"
    assert "Bjørg Representant" in html and "Øystein Advokat" in html
