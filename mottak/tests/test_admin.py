"""The admin pages of every core record load, search and show history; memberships are managed
as object permissions on centres and regions."""

import pytest
from django.urls import reverse

from mottak.models import Appointment, Centre, ExternalRecipient, Region, Resident, Stay, User
from mottak.tests.factories import AppointmentFactory


@pytest.fixture
def records(resident, centre, region):
    from django.utils import timezone

    appointment = AppointmentFactory(
        resident=resident, kind="arrival_interview", starts_at=timezone.now()
    )
    recipient = ExternalRecipient.objects.create(
        kind="police", name="Innlandet politidistrikt", address="Postboks 100, 2300 Hamar"
    )
    return {
        User: None,
        Region: region,
        Centre: centre,
        Resident: resident,
        Stay: resident.stays.get(),
        Appointment: appointment,
        ExternalRecipient: recipient,
    }


def test_every_core_record_has_working_admin_pages(client, admin_user, records):
    client.force_login(admin_user)
    records[User] = admin_user
    for model, obj in records.items():
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert client.get(changelist).status_code == 200, changelist
        assert client.get(changelist, {"q": "x"}).status_code == 200, changelist
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        assert client.get(change).status_code == 200, change
        history = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])
        assert client.get(history).status_code == 200, history


def test_admin_manages_memberships_on_the_users_access_page(client, admin_user, staff, centre):
    """Memberships are object permissions, changed on the user's access page (through the
    audited services, tests/test_access_audit.py), not on guardian's pages."""
    client.force_login(admin_user)
    content = client.get(reverse("admin:mottak_user_access", args=[staff.pk])).content.decode()
    assert centre.name in content  # the staff member's centre is listed with its history
    assert "Centre membership granted" in content


def test_user_admin_shows_and_filters_by_role(client, admin_user, staff):
    client.force_login(admin_user)
    response = client.get(reverse("admin:mottak_user_changelist"), {"role__exact": "centre_staff"})
    assert staff.username in response.content.decode()
    assert (
        'name="role"'
        in client.get(reverse("admin:mottak_user_change", args=[staff.pk])).content.decode()
    )


def test_every_project_model_is_in_the_admin_and_its_list_loads(client, admin_user):
    """Administrators can see every record the project keeps, through the Django admin."""
    from django.apps import apps
    from django.contrib import admin

    client.force_login(admin_user)
    project_apps = {"mottak", "cases", "permisjon", "savnet", "kartlegging", "retur"}
    models = [
        model
        for model in apps.get_models()
        if model._meta.app_label in project_apps
        and not model.__name__.startswith("Historical")
        and not model.__name__.endswith("ObjectPermission")
    ]
    inlined = {
        inline.model
        for model_admin in admin.site._registry.values()
        for inline in model_admin.inlines
    }
    assert models
    for model in models:
        if model in inlined:
            continue  # shown on its parent's page
        assert admin.site.is_registered(model), model.__name__
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert client.get(url).status_code == 200, url
