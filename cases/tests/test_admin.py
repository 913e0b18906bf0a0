"""The case engine's records open in the admin read-only; files are never offered there."""

from django.urls import reverse

from cases.models import ReadLog, TimelineEvent
from cases.services import read_log_record, timeline_event_record

from .dispatch_factories import create_arrival_notice


def test_dispatch_read_log_and_timeline_open_read_only_in_the_admin(
    client, admin_user, resident, staff
):
    dispatch = create_arrival_notice(resident=resident, by=staff)
    read_log_record(user=staff, subject=resident, action=ReadLog.Action.VIEW)
    timeline_event_record(subject=resident, kind="test", summary="Test")
    client.force_login(admin_user)
    for obj in (dispatch, ReadLog.objects.get(), TimelineEvent.objects.first()):
        opts = obj._meta
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        response = client.get(change)
        assert response.status_code == 200, change
        assert b'name="_save"' not in response.content, change
    assert (
        b'name="pdf"'
        not in client.get(reverse("admin:cases_dispatch_change", args=[dispatch.pk])).content
    )
