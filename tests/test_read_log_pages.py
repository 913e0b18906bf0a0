"""X-4: every page that shows one resident's details writes a read-log row — the form pages
too (the arrival and end-of-stay forms, the leave and missing-report forms), the consents list,
a checklist page and a notice's page (the security review's read-log gaps)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from cases.models import ReadLog
from cases.tests.dispatch_factories import create_arrival_notice
from mottak import services
from mottak.tests.factories import ResidentFactory


def _pages(resident, staff):
    resident_ct = ContentType.objects.get_for_model(resident).pk
    stay = resident.stays.get()
    arrival = services.arrival_open(stay=stay, by=None)
    arrival_ct = ContentType.objects.get_for_model(arrival).pk
    dispatch = create_arrival_notice(resident=resident, by=staff)
    return [
        (reverse("mottak:stay_arrival", args=[resident.pk]), resident),
        (reverse("mottak:stay_end", args=[resident.pk, stay.pk]), resident),
        (reverse("permisjon:create", args=[resident.pk]), resident),
        (reverse("savnet:start") + f"?resident={resident.pk}", resident),
        (reverse("cases:consent_list", args=[resident_ct, resident.pk]), resident),
        (reverse("cases:checklist", args=[arrival_ct, arrival.pk, "arrival"]), arrival),
        (reverse("cases:dispatch_detail", args=[dispatch.pk]), resident),
    ]


@pytest.mark.django_db
def test_x_4_single_resident_pages_are_read_logged(client, centre, staff):
    resident = ResidentFactory(centre=centre)
    client.force_login(staff)
    unlogged = []
    for url, subject in _pages(resident, staff):
        before = ReadLog.objects.count()
        response = client.get(url)
        assert response.status_code == 200, url
        rows = ReadLog.objects.order_by("-pk")[: ReadLog.objects.count() - before]
        about = {(row.content_type_id, row.object_id, row.user_id) for row in rows}
        wanted = (ContentType.objects.get_for_model(subject).pk, subject.pk, staff.pk)
        if wanted not in about:
            unlogged.append(url)
    assert unlogged == []
