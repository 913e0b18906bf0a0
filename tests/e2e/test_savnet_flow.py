"""The missing-minors routine in a real browser: report → police PDF → found → notices."""

import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import Dispatch
from mottak.models import ExternalRecipient
from mottak.tests.factories import ResidentFactory
from savnet.models import MissingReport

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def render_queued() -> None:
    """What the worker does; with eager Celery (SQLite) it has been done on commit already."""
    from cases.services import dispatch_render

    for dispatch in Dispatch.objects.filter(state=Dispatch.State.QUEUED):
        dispatch_render(dispatch_id=dispatch.pk)


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_sav_2_to_sav_8_whole_flow_in_the_browser(browser_page, staff, centre, tmp_path):
    page = browser_page
    ExternalRecipient.objects.create(
        kind=ExternalRecipient.Kind.POLICE,
        name="Innlandet politidistrikt",
        municipality=centre.municipality,
        address="Postboks 2, 2601 Lillehammer",
    )
    resident = ResidentFactory(
        centre=centre,
        given_names="Amanuel",
        family_name="Tesfay",
        representative_name="Rita Representant",
    )
    now = timezone.now()

    log_in(page, staff.username)
    page.goto(f"{page.base_url}/savnet/ny/?resident={resident.pk}")
    page.fill("#id_open-reason_to_believe_at", local(now - timedelta(hours=1)))
    page.fill("#id_open-noticed_at", local(now - timedelta(hours=2)))
    page.fill("#id_open-last_seen_at", local(now - timedelta(hours=5)))
    page.fill("#id_open-circumstances", "Ikke til stede ved frokost; sekk og telefon borte.")
    page.fill("#id_open-description", "Blå jakke, svarte joggesko.")
    page.click("#report-missing")
    page.wait_for_selector("#hours-left")
    report = MissingReport.objects.get(resident=resident)
    assert report.state == MissingReport.State.OPEN
    assert page.locator("#steps tr.open").count() >= 5

    # SAV-3: the police report, made and downloaded as PDF.
    page.select_option("#id_channel", "by_hand")
    page.click("#send-police")
    page.wait_for_selector("tr.dispatch-missing_report")
    # made is not done; the page says so plainly and offers no second report.
    assert page.locator("#step-police.unsent").count() == 1
    assert page.locator("#send-police").count() == 0
    render_queued()
    page.reload()
    page.click("tr.dispatch-missing_report a >> nth=0")
    page.fill("#sent-reference", "Politiets ref. 2026/123")
    page.click("form[action$='/sendt/'] button[type=submit]")
    page.goto(f"{page.base_url}/savnet/{report.pk}/")
    assert page.locator("#step-police.done").count() == 1
    pdf_url = page.locator("tr.dispatch-missing_report a.pdf-link").get_attribute("href")
    response = page.request.get(f"{page.base_url}{pdf_url}")
    assert response.ok, response.status
    assert response.body()[:5] == b"%PDF-"
    pdf = tmp_path / "politi.pdf"
    pdf.write_bytes(response.body())
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Melding til politiet om savnet" in text
    assert "Amanuel Tesfay" in text
    assert resident.duf_number in text
    assert "forvaltningsloven § 13 b første ledd nr. 5" in text
    assert "Blå jakke" in text

    # SAV-8: found; the police, the only instance told, gets a written notice.
    page.fill("#id_found_at", local(timezone.now()))
    page.select_option("#id_found_how", "police")
    page.fill("#id_where_they_were", "Oslo S")
    page.click("#record-found")
    page.wait_for_selector("tr.dispatch-found_notice")
    notices = Dispatch.objects.filter(purpose="found_notice")
    assert [(d.recipient_kind, d.recipient_name) for d in notices] == [
        ("police", "Innlandet politidistrikt")
    ]
    assert page.locator("#report-state").inner_text().strip() != ""
    report.refresh_from_db()
    assert report.state == MissingReport.State.FOUND
