"""Audit of who may see whom: memberships change only through services that write history;
the admin logs its reads of personal data and finds residents by a posted number; pages are
not stored by browsers; CSP and cookies as the deployment checklist asks."""

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import ReadLog
from config.admin_site import holds_personal_data
from mottak.access import residents_visible_to
from mottak.models import AccessChange, Centre, Region, Resident, Stay
from mottak.services.memberships import (
    centre_membership_grant,
    centre_membership_revoke,
    region_membership_grant,
    region_membership_revoke,
)
from mottak.tests.factories import AdminFactory, ResidentFactory
from tests.test_infra_settings import production_settings


@pytest.fixture
def superuser(db):
    return AdminFactory(is_staff=True, is_superuser=True)


def access_page(user):
    return reverse("admin:mottak_user_access", args=[user.pk])


# --- memberships ---------------------------------------------------------------------------


def test_centre_grant_and_revoke_write_who_when_what(user_factory, far_centre, admin_user):
    user = user_factory("centre_staff")
    resident = ResidentFactory(centre=far_centre)
    assert resident not in residents_visible_to(user)

    granted = centre_membership_grant(user=user, centre=far_centre, actor=admin_user, reason="Ny")
    assert resident in residents_visible_to(user)
    assert (granted.kind, granted.user, granted.centre, granted.actor, granted.reason) == (
        AccessChange.Kind.CENTRE_GRANTED,
        user,
        far_centre,
        admin_user,
        "Ny",
    )
    assert granted.at is not None
    # Granting twice changes nothing and writes nothing.
    assert centre_membership_grant(user=user, centre=far_centre, actor=admin_user) is None

    revoked = centre_membership_revoke(user=user, centre=far_centre, actor=admin_user)
    assert revoked.kind == AccessChange.Kind.CENTRE_REVOKED
    assert resident not in residents_visible_to(user)
    assert AccessChange.objects.filter(user=user).count() == 2


def test_region_grant_and_revoke_write_history(user_factory, other_region, far_centre, admin_user):
    user = user_factory("region_caseworker")
    resident = ResidentFactory(centre=far_centre)
    region_membership_grant(user=user, region=other_region, actor=admin_user)
    assert resident in residents_visible_to(user)
    region_membership_revoke(user=user, region=other_region, actor=admin_user)
    assert resident not in residents_visible_to(user)
    assert list(
        AccessChange.objects.filter(user=user).order_by("pk").values_list("kind", flat=True)
    ) == [AccessChange.Kind.REGION_GRANTED, AccessChange.Kind.REGION_REVOKED]


def test_admin_access_page_grants_and_revokes_through_the_service(
    client, superuser, user_factory, far_centre
):
    user = user_factory("centre_staff")
    client.force_login(superuser)
    response = client.post(
        access_page(user), {"action": "grant_centre", "centre": far_centre.pk, "reason": "Vakt"}
    )
    assert response.status_code == 302
    change = AccessChange.objects.get(user=user)
    assert (change.kind, change.actor, change.centre) == (
        AccessChange.Kind.CENTRE_GRANTED,
        superuser,
        far_centre,
    )
    page = client.get(access_page(user))
    assert page.status_code == 200
    assert far_centre.name in page.content.decode()

    client.post(access_page(user), {"action": "revoke_centre", "centre": far_centre.pk})
    assert AccessChange.objects.filter(user=user).count() == 2
    assert not residents_visible_to(user).filter(centre=far_centre).exists()


def test_admin_access_page_refuses_a_grant_without_a_centre(client, superuser, user_factory):
    user = user_factory("centre_staff")
    client.force_login(superuser)
    response = client.post(access_page(user), {"action": "grant_centre", "centre": ""})
    assert response.status_code == 200
    assert b"Choose a centre." in response.content
    assert not AccessChange.objects.exists()


def test_admin_reset_of_the_second_factor_is_audited(client, superuser, staff):
    TOTPDevice.objects.create(user=staff, name="app", confirmed=True)
    client.force_login(superuser)
    refused = client.post(access_page(staff), {"action": "reset_second_factor", "reason": ""})
    assert refused.status_code == 200 and TOTPDevice.objects.filter(user=staff).exists()
    response = client.post(
        access_page(staff), {"action": "reset_second_factor", "reason": "Mistet telefonen"}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=staff).exists()
    change = AccessChange.objects.get(user=staff, kind=AccessChange.Kind.SECOND_FACTOR_RESET)
    assert (change.kind, change.actor, change.reason) == (
        AccessChange.Kind.SECOND_FACTOR_RESET,
        superuser,
        "Mistet telefonen",
    )


def test_access_page_needs_the_admin(client, staff, leader):
    client.force_login(staff)
    response = client.get(access_page(leader))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.post(access_page(leader), {"action": "reset_second_factor", "reason": "x"})
    assert not AccessChange.objects.filter(kind=AccessChange.Kind.SECOND_FACTOR_RESET).exists()


def test_guardian_object_permission_pages_are_gone(superuser, centre, region, client):
    for model in (Centre, Region):
        with pytest.raises(NoReverseMatch):
            reverse(f"admin:mottak_{model._meta.model_name}_permissions", args=[1])
    client.force_login(superuser)
    response = client.get(f"/admin/mottak/centre/{centre.pk}/permissions/", follow=True)
    assert b"user-manage" not in response.content


# --- the admin's reads ---------------------------------------------------------------------


def test_admin_change_view_of_a_resident_is_read_logged(client, superuser, resident):
    client.force_login(superuser)
    assert client.get(f"/admin/mottak/resident/{resident.pk}/change/").status_code == 200
    row = ReadLog.objects.get()
    assert (row.subject, row.user, row.action, row.detail) == (
        resident,
        superuser,
        ReadLog.Action.VIEW,
        "admin",
    )


def test_admin_history_view_is_read_logged(client, superuser, resident):
    client.force_login(superuser)
    assert client.get(f"/admin/mottak/resident/{resident.pk}/history/").status_code == 200
    assert ReadLog.objects.get().action == ReadLog.Action.HISTORY


def test_admin_list_view_logs_every_record_shown(client, superuser, centre):
    residents = ResidentFactory.create_batch(3, centre=centre)
    stays = set(Stay.objects.all())
    assert stays
    client.force_login(superuser)
    assert client.get("/admin/mottak/resident/").status_code == 200
    assert {r.subject for r in ReadLog.objects.all()} == set(residents)
    assert set(ReadLog.objects.values_list("detail", flat=True)) == {"admin list"}
    ReadLog.objects.all().delete()
    assert client.get("/admin/mottak/stay/").status_code == 200
    assert {r.subject for r in ReadLog.objects.all()} == stays


def test_admin_pages_without_personal_data_write_no_read_log(client, superuser, centre):
    client.force_login(superuser)
    assert client.get("/admin/mottak/centre/").status_code == 200
    assert client.get(f"/admin/mottak/centre/{centre.pk}/change/").status_code == 200
    assert client.get("/admin/cases/readlog/").status_code == 200
    assert not ReadLog.objects.exists()


def test_every_admin_of_personal_data_searches_by_no_name_or_number(db):
    personal = [ma for model, ma in admin.site._registry.items() if holds_personal_data(model)]
    assert len(personal) > 20
    for model_admin in personal:
        for field in model_admin.search_fields:
            assert not any(word in field for word in ("name", "duf", "registration", "resident")), (
                model_admin,
                field,
            )
    assert not admin.site._registry[Resident].search_fields


def test_admin_resident_lookup_is_posted_and_lands_on_the_record(client, superuser, resident):
    client.force_login(superuser)
    listing = client.get("/admin/mottak/resident/").content.decode()
    assert 'name="q"' not in listing
    assert 'method="post" action="/admin/mottak/resident/finn/"' in listing
    response = client.post("/admin/mottak/resident/finn/", {"number": resident.duf_number})
    assert response.status_code == 302
    assert response["Location"] == f"/admin/mottak/resident/{resident.pk}/change/"
    assert resident.duf_number not in response["Location"]
    missing = client.post("/admin/mottak/resident/finn/", {"number": "999999999999"})
    assert missing["Location"] == "/admin/mottak/resident/"
    assert client.get("/admin/mottak/resident/finn/").status_code == 405


# --- headers and cookies -------------------------------------------------------------------


def test_pages_with_personal_data_are_never_stored(client, leader, resident):
    client.force_login(leader)
    for url in ("/", "/beboere/", f"/beboere/{resident.pk}/", f"/beboere/{resident.pk}/historikk/"):
        response = client.get(url)
        assert response.status_code == 200, url
        cache = response["Cache-Control"]
        assert "no-store" in cache and "private" in cache, (url, cache)


def test_admin_pages_are_never_stored(client, superuser, resident):
    client.force_login(superuser)
    response = client.get(f"/admin/mottak/resident/{resident.pk}/change/")
    assert "no-store" in response["Cache-Control"]


def test_csp_sets_base_uri_and_form_action(client, db):
    policy = client.get("/login/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["base-uri"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert directives["default-src"] == "'self'"


def test_language_cookie_is_secure_in_production():
    values = production_settings("LANGUAGE_COOKIE_SECURE", "LANGUAGE_COOKIE_HTTPONLY")
    assert values == {"LANGUAGE_COOKIE_SECURE": True, "LANGUAGE_COOKIE_HTTPONLY": True}


def test_second_factor_secrets_are_not_in_the_admin(client, superuser):
    """The app key and the backup codes are not shown; the access page resets them."""
    assert not [m for m in admin.site._registry if m._meta.app_label.startswith("otp_")]
    client.force_login(superuser)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
