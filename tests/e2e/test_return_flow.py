"""A return in Chromium (RET-1, RET-3, RET-4, RET-5, R-19): the centre records UNE's final
rejection, the return case opens, the administrator assigns an ASA caseworker, who holds the
conversation after UNE's rejection with every topic, verifies the care premise and records the
departure; RMA's portfolio counts the minor as returned."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.services import case_events_drain
from mottak.models import Role
from mottak.tests.factories import ResidentFactory
from retur import rules
from retur.models import ReturnCase

from .conftest import log_in, log_out

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _minutes_ago(minutes: int) -> str:
    return (timezone.localtime() - timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M")


def test_ret_5_final_rejection_to_return_counted_in_the_portfolio(
    browser_page, user_factory, centre
):
    page = browser_page
    user_factory(Role.CENTRE_LEADER, centre=centre, username="leder")
    user_factory(Role.ADMIN, username="admin", is_superuser=True, is_staff=True)
    asa = user_factory(Role.ASA_CASEWORKER, username="asa", first_name="Jonas", last_name="Asa")
    user_factory(Role.ASA_CASEWORKER, username="asa-annen")
    user_factory(Role.RMA, username="rma")
    resident = ResidentFactory(
        centre=centre, given_names="Dawit", family_name="Haile", asylum_stage="appealed"
    )

    # The centre records UNE's final rejection; the life event opens the return case.
    log_in(page, "leder")
    page.goto(f"{page.base_url}/beboere/{resident.pk}/asylsak/ny-fase/")
    page.locator("#id_to_stage").select_option("final_rejection_une")
    page.locator("#id_effective_on").fill(timezone.localdate().isoformat())
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"**/beboere/{resident.pk}/**")
    log_out(page)
    case_events_drain()
    case = ReturnCase.objects.get(resident=resident, state="open")

    # Before the assignment, no ASA caseworker sees the case.
    log_in(page, "asa")
    assert page.goto(f"{page.base_url}/retur/{case.pk}/").status == 404
    page.goto(f"{page.base_url}/")
    log_out(page)

    log_in(page, "admin")
    page.goto(f"{page.base_url}/retur/{case.pk}/")
    page.locator("#id_caseworker").select_option(str(asa.pk))
    page.locator("#assign").click()
    page.wait_for_selector("#assign")
    log_out(page)

    # The assigned caseworker works the case.
    log_in(page, "asa")
    page.goto(f"{page.base_url}/retur/{case.pk}/")
    page.locator("#conversation-after_une summary").click()
    page.locator("#id_after_une-held_at").fill(_minutes_ago(60))
    for topic in rules.mandatory_topics(rules.AFTER_UNE):
        page.locator(f"input[name='after_une-topics'][value='{topic.code}']").check()
    page.locator("#record-after_une").click()
    page.wait_for_selector("#conversations-heading")
    assert case.conversations.filter(held_at__isnull=False, kind="after_une").count() == 1

    page.locator("#id_path").select_option("assisted")
    page.locator("#save-path").click()
    page.wait_for_selector("#way-heading")
    # The departure is refused while the care premise is unverified.
    page.locator("#id_returned-at").fill(_minutes_ago(10))
    page.locator("#mark-returned").click()
    page.wait_for_selector("#way-heading")
    case.refresh_from_db()
    assert case.state == ReturnCase.State.OPEN
    page.locator("#id_care-care_premise").fill("Retur til foreldrene i hjembyen.")
    page.locator("#id_care-verification").fill("Bekreftet av IOM og Landinfo.")
    page.locator("#verify-care").click()
    page.wait_for_selector("#way-heading")
    page.locator("#id_returned-at").fill(_minutes_ago(5))
    page.locator("#mark-returned").click()
    page.wait_for_selector("#conversations-heading")
    case.refresh_from_db()
    assert case.state == ReturnCase.State.RETURNED
    log_out(page)

    # RMA's portfolio counts the return, in figures only.
    log_in(page, "rma")
    page.goto(f"{page.base_url}/retur/portefolje/")
    assert page.locator("#returned-total").inner_text().strip() == "1"
    assert "Haile" not in page.content()
