"""PERM-6: a minor not back from leave is reported missing through the missing routine,
with the report filled in from the leave."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.models import Deadline
from permisjon import services
from permisjon.models import LeaveApplication
from permisjon.tests.conftest import (
    contact,
    interview_held_for,
    leave_data,
    prepare,
    ready_to_leave,
)

savnet_services = pytest.importorskip("savnet.services")


@pytest.fixture(autouse=True)
def _english(settings):
    """Assertions read the message ids, whatever the Norwegian catalogue holds."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def late_leave(resident, staff, leader):
    interview_held_for(resident)
    application = services.leave_application_submit(
        resident=resident,
        data=leave_data(starts_in_days=-4, length_days=2),
        contact_persons=[contact()],
        by=staff,
        now=timezone.now() - timedelta(days=5),  # applied for before it began (PERM-1)
    )
    application = prepare(application, staff)
    services.leave_application_grant(application=application, by=leader, reason="Trygt besøk")
    application = ready_to_leave(application, staff)
    services.leave_application_mark_departed(
        application=application, at=application.departure_at, by=staff
    )
    services.leave_application_mark_late(application_id=application.pk)
    application.refresh_from_db()
    return application


def test_perm_6_late_return_opens_the_missing_report_filled_in_from_the_leave(late_leave, staff):
    from savnet.models import MissingReport

    report = services.leave_application_report_missing(
        application=late_leave, by=staff, circumstances="Svarer ikke på telefon."
    )
    report = MissingReport.objects.get(pk=report.pk)
    assert report.resident_id == late_leave.resident_id
    assert report.source == services.MISSING_SOURCE
    assert report.known_address == late_leave.destination_address
    assert report.known_address_municipality == late_leave.destination_municipality
    assert report.last_seen_at == late_leave.departed_at
    assert report.noticed_at == late_leave.return_at
    assert "Svarer ikke" in report.circumstances
    late_leave.refresh_from_db()
    assert late_leave.missing_report_id == report.pk
    assert late_leave.broken_agreement
    late = Deadline.objects.get(object_id=late_leave.pk, kind=services.LATE_RETURN_DEADLINE)
    assert late.state == Deadline.State.MET


def test_perm_6_the_missing_report_is_opened_once(late_leave, staff):
    services.leave_application_report_missing(
        application=late_leave, by=staff, circumstances="Ikke tilbake."
    )
    with pytest.raises(ValidationError, match="already"):
        services.leave_application_report_missing(
            application=late_leave, by=staff, circumstances="Ikke tilbake."
        )


def test_perm_6_report_missing_from_the_leave_page(client, late_leave, staff):
    client.force_login(staff)
    page = client.get(reverse("permisjon:detail", args=[late_leave.pk])).content.decode()
    assert reverse("permisjon:report_missing", args=[late_leave.pk]) in page
    response = client.post(
        reverse("permisjon:report_missing", args=[late_leave.pk]),
        {"circumstances": "Kontaktpersonen vet ikke hvor hun er."},
    )
    assert response.status_code == 302
    late_leave.refresh_from_db()
    assert late_leave.missing_report_id
    page = client.get(reverse("permisjon:detail", args=[late_leave.pk])).content.decode()
    assert reverse("savnet:detail", args=[late_leave.missing_report_id]) in page


def test_perm_6_no_missing_report_before_the_minor_has_left(resident, staff, leader):
    interview_held_for(resident)
    application = prepare(
        services.leave_application_submit(
            resident=resident, data=leave_data(), contact_persons=[contact()], by=staff
        ),
        staff,
    )
    services.leave_application_grant(application=application, by=leader, reason="Trygt besøk")
    with pytest.raises(ValidationError):
        services.leave_application_report_missing(
            application=application, by=staff, circumstances="?"
        )
    assert LeaveApplication.objects.get(pk=application.pk).missing_report_id is None


def test_r_2_the_police_report_goes_to_the_leave_address_district_with_the_contact(
    late_leave, staff
):
    """R-2: the nearest police district — by default the leave address's; SAV-3: the police
    get the contact person and the leave address of a leave case."""
    from mottak.models import ExternalRecipient
    from savnet import services as missing_services
    from savnet.models import MissingReport

    oslo = ExternalRecipient.objects.create(
        kind=ExternalRecipient.Kind.POLICE,
        name="Oslo politidistrikt",
        municipality="Oslo",
        address="Postboks 2, 0030 Oslo",
    )
    services.leave_application_report_missing(
        application=late_leave, by=staff, circumstances="Kontaktpersonen vet ikke hvor hun er."
    )
    report = MissingReport.objects.get(resident=late_leave.resident)
    assert report.police_municipality == "Oslo"
    assert report.leave_contact.startswith(late_leave.contact_persons.first().name)
    assert "Oslo" in report.leave_address
    police = missing_services.missing_report_send_to_police(
        report=report, by=staff, contact_phone="61 00 00 99"
    )
    assert police.recipient == oslo
