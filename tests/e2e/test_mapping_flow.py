"""The mapping routine in Chromium (KART-1..14): an arrival opens the mapping; the welcome
conversation and entries are recorded on the page; the asylum decision arrives from Sesam; the
lead finishes the mapping, records the representative's consent, makes the paper copy for the
IMDi regional office and records it as sent (R-13)."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cases.models import Consent, Dispatch
from cases.rendering import html_to_pdf
from cases.services import case_event_publish, case_events_drain
from kartlegging.models import Conversation, Entry, Mapping
from mottak import events as life
from mottak import services as mottak_services
from mottak.models import ExternalRecipient, Resident, Role

from .conftest import log_in
from .test_savnet_flow import render_queued

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_kart_arrival_to_the_imdi_transfer_sent(browser_page, user_factory, centre, tmp_path):
    page = browser_page
    imdi = ExternalRecipient.objects.create(
        kind="imdi", name="IMDi Indre Øst", address="Postboks 1, 2300 Hamar"
    )
    staff = user_factory(Role.CENTRE_STAFF, centre=centre, username="ansatt")
    lead = user_factory(Role.CHILD_WELFARE_LEAD, centre=centre, username="barnefaglig")

    # The arrival (MOT-1) publishes "stay opened": the mapping opens with the welcome clock.
    resident = mottak_services.resident_register_with_arrival(
        data=mottak_services.ResidentData(
            given_names="Selam",
            family_name="Tesfay",
            date_of_birth=timezone.localdate() - timedelta(days=16 * 365),
            gender="f",
            nationality="Eritrea",
            duf_number="201900000777",
        ),
        centre=centre,
        arrived_at=timezone.now() - timedelta(hours=2),
        by=staff,
    )
    case_events_drain(now=timezone.now())
    mapping = Mapping.objects.get(resident=resident)

    log_in(page, lead.username)
    page.goto(f"{page.base_url}/kartlegging/beboer/{resident.pk}/")
    page.wait_for_url(f"{page.base_url}/kartlegging/{mapping.pk}/")

    # The welcome conversation (KART-3, R-7), without an interpreter (KART-6).
    welcome = page.locator("form[action$='/velkomstsamtale/']")
    welcome.get_by_label("No").check()
    welcome.get_by_role("button", name="Record the welcome conversation").click()
    page.wait_for_selector("#welcome-due")
    assert Conversation.objects.get(mapping=mapping).kind == "welcome"

    # Two entries: the minor's own words and a staff observation (KART-1).
    for area, source, text in (
        ("family", "The minor's own words", "Har en bror i Sverige."),
        ("school", "Staff observation", "Følger undervisningen godt."),
    ):
        entry = page.locator("form[action$='/notat/']")
        entry.locator("select[name=area]").select_option(area)
        entry.get_by_label(source).check()
        entry.locator("textarea[name=text]").fill(text)
        entry.get_by_role("button", name="Save the entry").click()
        page.wait_for_selector(f"text={text}")
    assert Entry.objects.filter(mapping=mapping).count() == 2

    # The decision notice reaches Sesam: it leads to settlement (KART-8).
    with transaction.atomic():
        case_event_publish(
            kind=life.DECISION_NOTICE_RECEIVED,
            subject=resident,
            payload={"received_at": timezone.now().isoformat(), "leads_to": "settlement"},
        )
    case_events_drain(now=timezone.now() + timedelta(minutes=1))
    page.reload()
    page.get_by_role("button", name="Finish the mapping").click()
    page.wait_for_selector("#transfers")
    mapping.refresh_from_db()
    assert mapping.state == Mapping.State.FINISHED

    # The representative's consent to the transfer to IMDi (KART-13), its declaration uploaded.
    declaration = tmp_path / "samtykke.pdf"
    declaration.write_bytes(html_to_pdf("<html><body><p>Samtykke</p></body></html>"))
    ct = ContentType.objects.get_for_model(Resident)
    page.goto(f"{page.base_url}{reverse('cases:consent_new', args=[ct.pk, resident.pk])}")
    page.locator("#id_given_by").select_option("representative")
    page.locator("#id_given_by_name").fill("Rita Representant")
    page.locator("#id_purpose").select_option("mapping_transfer")
    page.locator("input[name=recipient_kinds][value=imdi]").check()
    page.locator("#id_given_on").fill(timezone.localdate().isoformat())
    page.locator("#id_declaration").set_input_files(str(declaration))
    page.get_by_role("button", name="Record the consent").click()
    page.wait_for_load_state()
    assert Consent.objects.filter(subject_id=resident.pk, purpose="mapping_transfer").exists()

    # The paper copy for IMDi (KART-8, KART-14: by post), then recorded as sent.
    page.goto(f"{page.base_url}/kartlegging/{mapping.pk}/")
    transfer = page.locator("form[action$='/oversending/']")
    transfer.get_by_label("By post").check()
    transfer.get_by_role("button", name="Make the paper copy").click()
    page.wait_for_selector("#transfer-list")
    render_queued()
    dispatch = Dispatch.objects.get(purpose="mapping_transfer")
    assert dispatch.recipient == imdi
    page.goto(f"{page.base_url}{reverse('cases:dispatch_detail', args=[dispatch.pk])}")
    page.fill("#sent-reference", "IMDi 2026/55")
    page.click("form[action$='/sendt/'] button[type=submit]")
    page.wait_for_load_state()
    dispatch.refresh_from_db()
    assert dispatch.state == Dispatch.State.SENT
    mapping.refresh_from_db()
    assert mapping.first_transfer_at is not None  # the three months start
