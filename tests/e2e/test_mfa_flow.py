"""The second factor in the browser: enrol by the QR page's key, log in with a code, and
nothing with personal data without one."""

from base64 import b32decode

import pytest
from django_otp.oath import totp

from mottak.tests.factories import CentreStaffFactory, ResidentFactory

from .conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_enrol_log_in_with_a_code_and_refused_without_one(browser_page, centre):
    page, base = browser_page, browser_page.base_url
    user = CentreStaffFactory(centre=centre, password=PASSWORD)
    resident = ResidentFactory(centre=centre, family_name="Kodesen")

    # First login: the password, then enrolment with the key the page shows.
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/konto/tofaktor/**")
    assert page.locator("img.qr-code").get_attribute("src").startswith("data:image/svg+xml")
    secret = page.locator(".totp-secret").inner_text().strip()
    code = f"{totp(b32decode(secret)):06d}"
    page.get_by_label("Code from the app").fill(code)
    page.get_by_role("button", name="Confirm and continue").click()
    codes = page.locator(".backup-codes code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="I have kept the codes – continue").click()
    page.wait_for_url(f"{base}/")

    # Next login: without a code, the resident's page is not reached.
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{base}/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/konto/kode/**")
    page.goto(f"{base}/beboere/{resident.pk}/")
    page.wait_for_url(f"{base}/konto/kode/**")
    assert "Kodesen" not in page.content()
    page.locator("#id_code").fill("000000" if code != "000000" else "111111")
    page.get_by_role("button", name="Confirm").click()
    assert page.get_by_text("The code is wrong").is_visible()
    assert "Kodesen" not in page.content()

    # A backup code lets the user in, back to the page asked for.
    page.locator("#id_code").fill(codes[0])
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(f"{base}/beboere/{resident.pk}/")
    assert page.get_by_text("Kodesen").first.is_visible()
