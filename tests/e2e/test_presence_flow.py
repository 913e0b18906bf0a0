"""The presence register in a real browser: a check where a resident is absent without
agreement leads to the missing routine's investigation, noticed at the time of the check
(SAV-2, R-1)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.services import case_events_drain
from mottak.models import PresenceCheck
from mottak.tests.factories import ResidentFactory
from savnet.models import MissingReport

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_sav_2_r_1_a_check_that_leads_to_an_investigation(browser_page, staff, centre):
    page = browser_page
    absent = ResidentFactory(centre=centre, given_names="Amanuel", family_name="Tesfay")
    here = ResidentFactory(centre=centre, given_names="Sara", family_name="Haile")

    log_in(page, staff.username)
    page.get_by_role("link", name="Presence", exact=True).first.click()
    page.get_by_role("link", name="Previous day").click()
    page.get_by_role("link", name="Evening (curfew)").click()
    page.locator(f"#id_r{absent.pk}").get_by_label("Absent without agreement").check()
    page.locator(f"#id_r{here.pk}").get_by_label("Present").check()
    page.get_by_role("button", name="Record the check").click()
    page.wait_for_selector("text=The check is recorded.")

    check = PresenceCheck.objects.get()
    assert check.on_date == timezone.localdate() - timedelta(days=1)
    case_events_drain()  # what the beat's drain does within a minute

    report = MissingReport.objects.get()
    assert report.resident == absent
    assert report.state == MissingReport.State.INVESTIGATING
    assert report.noticed_at == check.held_at
    # The resident page says at a glance that the absence is being looked into.
    page.goto(f"{page.base_url}/beboere/{absent.pk}/")
    assert "Absent, being looked into" in page.locator("main").inner_text()
