"""A leave that turns late, in the browser: the missing report opened from the leave (PERM-6),
its 24 hours from the agreed return and the police of the leave address (R-2), the police
notice recorded as sent (R-13), the return and the written notices to everyone told (SAV-8)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import Dispatch
from cases.services.dispatches import dispatch_html
from mottak.models import ExternalRecipient
from mottak.tests.factories import ResidentFactory
from permisjon import services as leave_services
from permisjon.models import LeaveApplication
from permisjon.tests.conftest import (
    contact,
    interview_held_for,
    leave_data,
    prepare,
    ready_to_leave,
)
from savnet.models import MissingReport

from .conftest import log_in
from .test_savnet_flow import local, render_queued

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _late_leave(resident, staff, leader) -> LeaveApplication:
    """Granted, prepared for departure, left four days ago and due back two days ago."""
    application = leave_services.leave_application_submit(
        resident=resident,
        data=leave_data(starts_in_days=-4, length_days=2),
        contact_persons=[contact()],
        by=staff,
        now=timezone.now() - timedelta(days=5),  # applied for before it began (PERM-1)
    )
    application = prepare(application, staff)
    leave_services.leave_application_grant(application=application, by=leader, reason="Trygt")
    application = ready_to_leave(application, staff)
    leave_services.leave_application_mark_departed(
        application=application, at=application.departure_at, by=staff
    )
    leave_services.leave_application_mark_late(application_id=application.pk)
    application.refresh_from_db()
    assert application.state == LeaveApplication.State.LATE
    return application


def test_perm_6_r_2_sav_8_a_late_leave_through_the_police_notice_to_the_found_notices(
    browser_page, staff, leader, centre
):
    page = browser_page
    oslo_police = ExternalRecipient.objects.create(
        kind=ExternalRecipient.Kind.POLICE,
        name="Oslo politidistrikt",
        municipality="Oslo",
        address="Postboks 2, 0030 Oslo",
    )
    resident = ResidentFactory(centre=centre, given_names="Meron", family_name="Haile")
    interview_held_for(resident)
    application = _late_leave(resident, staff, leader)

    # PERM-6 from the leave's page: the missing routine starts.
    log_in(page, staff.username)
    page.goto(f"{page.base_url}/permisjon/{application.pk}/")
    page.fill("#id_circumstances", "Kontaktpersonen vet ikke hvor hun er.")
    page.get_by_role("button", name="Open the missing report").click()
    page.get_by_role("link", name="The missing report").click()
    report = MissingReport.objects.get(resident=resident)
    # the 24 hours from the agreed return, the police of the leave address.
    assert report.limit_at == application.return_at + timedelta(hours=24)
    assert report.police_municipality == "Oslo"

    # SAV-3: the police notice made in person, then recorded as handed over.
    page.select_option("#id_channel", "by_hand")
    page.click("#send-police")
    page.wait_for_selector("tr.dispatch-missing_report")
    render_queued()
    page.reload()
    page.click("tr.dispatch-missing_report a >> nth=0")
    page.fill("#sent-reference", "Oslo pd. 26-777")
    page.click("form[action$='/sendt/'] button[type=submit]")
    police = Dispatch.objects.get(owner_id=report.pk, purpose="missing_report")
    assert police.recipient == oslo_police
    assert police.state == Dispatch.State.SENT
    page.goto(f"{page.base_url}/savnet/{report.pk}/")
    assert page.locator("#step-police.done").count() == 1

    # SAV-8: back; the police, told first, get the written notice answering their own.
    page.fill("#id_found_at", local(timezone.now()))
    page.select_option("#id_found_how", "came_back")
    page.click("#record-found")
    page.wait_for_selector("tr.dispatch-found_notice")
    found = Dispatch.objects.get(
        owner_id=report.pk, purpose="found_notice", recipient_kind="police"
    )
    assert found.recipient == oslo_police
    text = " ".join(dispatch_html(found).split())
    assert "Oslo pd. 26-777" in text
    report.refresh_from_db()
    assert report.state == MissingReport.State.FOUND
