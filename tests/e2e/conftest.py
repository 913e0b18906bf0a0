"""Browser tests: Playwright driving Debian's Chromium against the live test server."""

import os

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "pw-test-123!"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM}")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # English, so the assertions read the message ids whatever translations exist.
    return {**browser_context_args, "locale": "en-GB"}


@pytest.fixture
def browser_page(page, live_server):
    """A fresh browser tab against the live server; `browser_page.base_url` is the server."""
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    return page


def backup_code_for(username: str) -> str:
    """A fresh backup code of the user's (one is used up by each login); enrols the user's
    backup-code device if the test made the user without one."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    from mottak.models import User

    device, _ = StaticDevice.objects.get_or_create(
        user=User.objects.get(username=username), name="backup", defaults={"confirmed": True}
    )
    return device.token_set.create(token=StaticToken.random_token()).token


def log_in(page, username: str, password: str = PASSWORD) -> None:
    """Password, then the second factor (a backup code), as a person logs in."""
    code = backup_code_for(username)
    page.goto(f"{page.base_url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{page.base_url}/konto/kode/**")
    page.locator("#id_code").fill(code)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(f"{page.base_url}/")


def log_out(page) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{page.base_url}/login/")
