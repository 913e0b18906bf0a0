"""Issue item 11: staff find their own centre's residents, and nothing of another centre's."""

import pytest

from mottak.models import Role
from mottak.tests.factories import ResidentFactory

from .conftest import log_in, log_out

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_x_3_staff_find_own_resident_other_centre_finds_nothing(
    browser_page, user_factory, centre, neighbour_centre
):
    page = browser_page
    staff_a = user_factory(Role.CENTRE_STAFF, centre=centre, username="ansatt-a")
    user_factory(Role.CENTRE_STAFF, centre=neighbour_centre, username="ansatt-b")
    resident = ResidentFactory(
        centre=centre, duf_number="202411112222", given_names="Liya", family_name="Gebremariam"
    )
    ResidentFactory(centre=centre, family_name="Annen")
    detail_path = f"/beboere/{resident.pk}/"

    # Staff of centre A: search by DUF number with spaces, find the resident, open the page.
    log_in(page, staff_a.username)
    page.get_by_role("link", name="Residents", exact=True).click()
    page.get_by_label("Name or DUF number").fill("2024 1111 2222")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("heading", name="1 resident").wait_for()
    assert "2024" not in page.url  # the search stays out of the URL
    page.get_by_role("link", name="Gebremariam, Liya").click()
    page.wait_for_url(f"{page.base_url}{detail_path}")
    assert page.get_by_role("heading", level=1).inner_text() == "Liya Gebremariam"
    assert page.get_by_role("heading", name="Stays").is_visible()
    log_out(page)

    # Staff of centre B (same region): the search finds nothing; the direct URL is a 404.
    log_in(page, "ansatt-b")
    page.get_by_role("link", name="Residents", exact=True).click()
    page.get_by_label("Name or DUF number").fill("Gebremariam")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("heading", name="0 residents").wait_for()
    assert page.get_by_text("No residents found.").is_visible()
    assert page.get_by_role("link", name="Gebremariam, Liya").count() == 0
    response = page.goto(f"{page.base_url}{detail_path}")
    assert response.status == 404
    assert "Gebremariam" not in page.content()


def test_keyboard_user_can_skip_to_content_and_see_focus(browser_page, user_factory, centre):
    page = browser_page
    user = user_factory(Role.CENTRE_STAFF, centre=centre, username="tastatur")
    log_in(page, user.username)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("el => el === document.activeElement")
    # Visible focus: the skip link moves into view and gets an outline.
    assert skip.evaluate("el => el.getBoundingClientRect().top >= 0")
    assert skip.evaluate("el => getComputedStyle(el).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
