"""What the Norwegian forms say, rendered from real dispatches of the routine."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import strip_tags

from cases.services.dispatches import dispatch_html
from mottak.models import Appointment
from savnet import services

from .conftest import open_report

pytestmark = pytest.mark.django_db


def text_of(dispatch) -> str:
    return " ".join(strip_tags(dispatch_html(dispatch)).split())


def test_sav_3_police_form_names_the_minor_the_times_and_the_legal_basis(report, staff):
    text = text_of(services.missing_report_send_to_police(report=report, by=staff))
    assert "Melding til politiet om savnet enslig mindreårig asylsøker" in text
    assert report.resident.duf_number in text
    assert "Not at breakfast" in text
    assert "Hjemmel: forvaltningsloven § 13 b første ledd nr. 5" in text
    assert "Innlandet politidistrikt" in text


def test_sav_4_child_welfare_form_states_the_duty_and_the_known_address(minor, staff, directory):
    report = open_report(
        minor, staff, known_address="Storgata 1, 0155 Oslo", known_address_municipality="Oslo"
    )
    text = text_of(
        services.missing_report_send_to_child_welfare(
            report=report, by=staff, phoned_at=timezone.now()
        )
    )
    assert "utlendingsforskriften § 17-6 første ledd" in text
    assert "barneverntjenesten i Oslo fordi asylmottaket har opplysninger" in text
    assert "Storgata 1, 0155 Oslo" in text


def test_sav_6_cancellation_form_is_marked_high_priority_when_close(minor, staff, directory):
    Appointment.objects.create(
        resident=minor, kind="age_assessment", starts_at=timezone.now() + timedelta(days=2)
    )
    report = open_report(minor, staff)
    (dispatch,) = services.missing_report_cancel_appointments(report=report, by=staff)
    text = text_of(dispatch)
    assert "HØY PRIORITET" in text
    assert "Aldersundersøkelse" in text
    assert dispatch.recipient_name == "UDI ASA BFE"


def test_sav_8_found_notice_says_the_minor_is_back_without_whereabouts_for_udi(report, staff):
    services.missing_report_send_to_police(report=report, by=staff)
    services.missing_report_send_to_child_welfare(report=report, by=staff, phoned_at=timezone.now())
    services.missing_report_send_regional_copies(report=report, by=staff)
    result = services.missing_report_found(
        report=report,
        found_at=timezone.now(),
        found_how="police",
        where_they_were="Hos venner i Drammen",
        by=staff,
    )
    texts = {d.recipient_kind: text_of(d) for d in result.notices}
    assert set(texts) == {"police", "child_welfare", "udi_region"}
    assert all("er kommet til rette" in t for t in texts.values())
    assert "Hos venner i Drammen" in texts["police"]
    assert "Hos venner i Drammen" not in texts["udi_region"]  # only what the recipient needs


def test_sav_7_the_copies_are_attached_to_the_regional_cover_letter_pdf(
    report, staff, settings, tmp_path
):
    """The regional office gets the copies themselves, appended to the cover letter's PDF (not
    only listed), each exactly as its recipient got it."""
    import io

    from pypdf import PdfReader

    from cases.services.dispatches import dispatch_render
    from cases.tests.test_forms_pdf import pdf_text

    settings.MEDIA_ROOT = tmp_path
    police = services.missing_report_send_to_police(report=report, by=staff)
    concern = services.missing_report_send_to_child_welfare(
        report=report, by=staff, phoned_at=timezone.now()
    )
    letter = services.missing_report_send_regional_copies(report=report, by=staff)
    assert set(letter.enclosures.all()) == {police, concern}
    letter = dispatch_render(dispatch_id=letter.pk)
    police.refresh_from_db()
    concern.refresh_from_db()

    def pages(dispatch) -> int:
        with dispatch.pdf.open("rb") as file:
            return len(PdfReader(io.BytesIO(file.read())).pages)

    assert pages(letter) > pages(police) + pages(concern)
    with letter.pdf.open("rb") as file:
        text = " ".join(pdf_text(file.read(), tmp_path).split())
    assert text.index("Kopi av melding om savnet person") < text.index(
        "Melding til politiet om savnet enslig mindreårig asylsøker"
    )
    assert "bekymringsmelding" in text.lower()
    assert report.resident.duf_number in text
