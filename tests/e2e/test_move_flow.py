"""A move from centre A to centre B in Chromium (MOT-3): the request, the regional decision,
the leaving centre's steps and notices, the arrival confirmed by B; afterwards A gets 404."""

import pytest
from django.utils import timezone

from cases.models import Dispatch
from cases.services import dispatch_mark_sent, dispatch_render
from mottak.models import Centre, Move, Role
from mottak.tests.factories import CentreFactory, ResidentFactory

from .conftest import log_in, log_out

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_mot_3_a_move_from_a_to_b_end_to_end(browser_page, user_factory, centre, region):
    page = browser_page
    target = CentreFactory(
        name="Solbakken mottak", kind=Centre.Kind.ORDINARY_MINORS, region=region, capacity=20
    )
    staff = user_factory(Role.CENTRE_STAFF, centre=centre, username="ansatt-a")
    user_factory(Role.REGION_CASEWORKER, region=region, username="region")
    user_factory(Role.CENTRE_STAFF, centre=target, username="ansatt-b")
    resident = ResidentFactory(
        centre=centre, given_names="Liya", family_name="Gebremariam", representative_name="Bjørg"
    )

    # A asks the regional office, from the resident's page.
    log_in(page, "ansatt-a")
    page.goto(f"{page.base_url}/beboere/{resident.pk}/")
    page.locator(f"a[href='/beboere/{resident.pk}/flytting/ny/']").first.click()
    page.locator("#id_reasons").fill("Nærmere onkelen og samme skoletrinn.")
    page.locator("#request-move").click()
    page.wait_for_selector("#move-state")
    move = Move.objects.get(resident=resident)
    log_out(page)

    # The regional office finds it on its start page and approves it.
    log_in(page, "region")
    page.locator(f"a[href='/flyttinger/{move.pk}/']").first.click()
    page.locator("#id_approve-target_centre").select_option(str(target.pk))
    page.locator("#id_approve-move_date").fill(timezone.localdate().isoformat())
    page.locator("#approve-move").click()
    page.wait_for_selector("#move-state")
    move.refresh_from_db()
    assert move.state == Move.State.APPROVED
    log_out(page)

    # A does its steps.
    log_in(page, "ansatt-a")
    page.goto(f"{page.base_url}/flyttinger/{move.pk}/")
    page.locator("#id_representative-how").select_option("phone")
    page.locator("#representative-told").click()
    page.locator("#sesam").click()
    for code in ("county_governor", "school", "health_office"):
        # Handed over at the offices (no postal address in this test's directory).
        page.locator(f"#id_notice_{code}-channel").select_option("by_hand")
        page.locator(f"#notice-{code.replace('_', '-')}").click()
        page.wait_for_selector("#move-state")
    page.locator("#folder").click()
    page.wait_for_selector("#move-state")
    for dispatch in Dispatch.objects.filter(purpose="moving_notice"):
        dispatch_render(dispatch_id=dispatch.pk)
        dispatch.refresh_from_db()
        dispatch_mark_sent(dispatch=dispatch, by=staff)
    log_out(page)

    # B confirms the arrival.
    log_in(page, "ansatt-b")
    page.goto(f"{page.base_url}/flyttinger/{move.pk}/")
    page.locator("#confirm-arrival").click()
    page.wait_for_selector("#move-state")
    move.refresh_from_db()
    assert move.state == Move.State.COMPLETED
    log_out(page)

    # A no longer sees the resident, but keeps its move record.
    log_in(page, "ansatt-a")
    response = page.goto(f"{page.base_url}/beboere/{resident.pk}/")
    assert response.status == 404
    response = page.goto(f"{page.base_url}/flyttinger/{move.pk}/")
    assert response.status == 200
