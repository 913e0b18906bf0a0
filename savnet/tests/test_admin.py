"""The admin shows a missing report with its calls and cancellations, and changes nothing."""

from django.urls import reverse

from savnet.models import MissingReport


def test_admin_shows_a_missing_report_read_only(client, admin_user, report):
    client.force_login(admin_user)
    change = reverse("admin:savnet_missingreport_change", args=[report.pk])
    response = client.get(change)
    assert response.status_code == 200
    assert b'name="_save"' not in response.content  # read-only: no save button
    assert client.post(change, {"state": "closed"}).status_code == 403
    assert MissingReport.objects.get(pk=report.pk).state == report.state
    search = reverse("admin:savnet_missingreport_changelist")
    assert report.resident.duf_number
    found = client.get(search, {"q": report.resident.duf_number})
    assert found.status_code == 200 and change.encode() in found.content
