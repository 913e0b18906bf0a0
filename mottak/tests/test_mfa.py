"""The second factor: enrolment with a QR code, the code after a password login, backup codes,
an administrator's reset. Every login here is a real one (password, then a code); the suite's
`force_login` stands for both steps (conftest.py)."""

import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from mottak.models import AccessChange
from mottak.services.mfa import mfa_backup_codes_issue, mfa_reset
from mottak.tests.factories import PASSWORD, AdminFactory, ResidentFactory


def enrol_app(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def code_now(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def password_login(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def test_password_alone_reaches_no_personal_data(client, staff, centre):
    enrol_app(staff)
    resident = ResidentFactory(centre=centre, family_name="Hemmeligsen")
    password_login(client, staff)
    for url in ("/", "/beboere/", f"/beboere/{resident.pk}/", f"/beboere/{resident.pk}/historikk/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("mfa_verify")), url
        assert b"Hemmeligsen" not in response.content
    # A write is refused the same way.
    response = client.post(f"/beboere/{resident.pk}/endre/", {"family_name": "X"})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_verify")
    resident.refresh_from_db()
    assert resident.family_name == "Hemmeligsen"


def test_password_alone_reaches_no_admin_page(client, centre):
    admin = AdminFactory(is_staff=True)
    enrol_app(admin)
    ResidentFactory(centre=centre, family_name="Hemmeligsen")
    password_login(client, admin)
    for url in ("/admin/", "/admin/mottak/resident/", "/admin/mottak/user/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("mfa_verify")), url


def test_admin_login_page_also_leads_to_the_code(client, db):
    admin = AdminFactory(is_staff=True)
    enrol_app(admin)
    response = client.post(
        "/admin/login/?next=/admin/", {"username": admin.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response["Location"].startswith(reverse("mfa_verify"))


def test_a_code_from_the_app_verifies_the_session_and_returns_to_the_page(client, staff, centre):
    device = enrol_app(staff)
    resident = ResidentFactory(centre=centre)
    password_login(client, staff)
    page = f"/beboere/{resident.pk}/"
    response = client.get(page)
    assert response["Location"] == f"{reverse('mfa_verify')}?next=%2Fbeboere%2F{resident.pk}%2F"
    response = client.post(reverse("mfa_verify"), {"code": code_now(device), "next": page})
    assert response.status_code == 302 and response["Location"] == page
    assert client.get(page).status_code == 200


def test_wrong_code_is_refused(client, staff):
    device = enrol_app(staff)
    password_login(client, staff)
    right = code_now(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post(reverse("mfa_verify"), {"code": wrong})
    assert response.status_code == 200
    assert b"The code is wrong" in response.content
    assert client.get("/").status_code == 302


def test_next_outside_the_site_is_not_followed(client, staff):
    device = enrol_app(staff)
    password_login(client, staff)
    response = client.post(
        reverse("mfa_verify"), {"code": code_now(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_backup_code_works_once(client, staff):
    codes = mfa_backup_codes_issue(staff)
    assert len(codes) == 10 and len(set(codes)) == 10
    password_login(client, staff)
    response = client.post(reverse("mfa_verify"), {"code": codes[0].upper()})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post(reverse("logout"))
    password_login(client, staff)
    response = client.post(reverse("mfa_verify"), {"code": codes[0]})
    assert response.status_code == 200 and b"The code is wrong" in response.content
    assert client.get("/").status_code == 302
    left = StaticDevice.objects.get(user=staff).token_set.values_list("token", flat=True)
    assert sorted(left) == sorted(codes[1:])


def test_user_without_a_device_is_sent_to_enrolment(client, staff):
    password_login(client, staff)
    response = client.get("/beboere/")
    assert response["Location"].startswith(reverse("mfa_enrol"))
    # The code page sends them on too: there is nothing to verify with yet.
    assert client.get(reverse("mfa_verify"))["Location"] == reverse("mfa_enrol")


def test_enrolment_shows_a_server_drawn_qr_code_and_backup_codes_once(client, staff):
    password_login(client, staff)
    response = client.get(reverse("mfa_enrol"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'src="data:image/svg+xml' in body
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    secret = re.search(r'class="totp-secret">([A-Z2-7]+)<', body).group(1)
    assert len(secret) == 32
    # Reloading the page keeps the same secret (the app may already have it).
    assert secret in client.get(reverse("mfa_enrol")).content.decode()

    response = client.post(reverse("mfa_enrol"), {"code": code_now(device)})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert sorted(codes) == sorted(
        StaticDevice.objects.get(user=staff).token_set.values_list("token", flat=True)
    )
    # The session is verified; the codes are not shown again.
    assert client.get("/").status_code == 200
    again = client.get(reverse("mfa_enrol"))
    assert again.status_code == 302 and codes[0] not in again.content.decode()


def test_enrolment_with_a_wrong_code_confirms_nothing(client, staff):
    password_login(client, staff)
    client.get(reverse("mfa_enrol"))
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    wrong = f"{(int(code_now(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("mfa_enrol"), {"code": wrong})
    assert response.status_code == 200 and b"The code is wrong" in response.content
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticDevice.objects.filter(user=staff).exists()
    assert client.get("/").status_code == 302


def test_admin_reset_is_audited_and_the_user_enrols_again(client, staff, admin_user):
    device = enrol_app(staff)
    mfa_backup_codes_issue(staff)
    password_login(client, staff)
    client.post(reverse("mfa_verify"), {"code": code_now(device)})
    assert client.get("/").status_code == 200

    change = mfa_reset(user=staff, actor=admin_user, reason="Lost phone")
    assert (change.kind, change.user, change.actor) == (
        AccessChange.Kind.SECOND_FACTOR_RESET,
        staff,
        admin_user,
    )
    assert change.at is not None
    assert not TOTPDevice.objects.filter(user=staff).exists()
    assert not StaticDevice.objects.filter(user=staff).exists()
    # The open session loses its verification at once and is sent to enrol.
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("mfa_enrol"))


@pytest.mark.parametrize("path", ["/login/", "/healthz"])
def test_anonymous_pages_are_not_redirected(client, db, path):
    assert client.get(path).status_code == 200


@pytest.mark.slow
def test_demo_users_come_enrolled_with_the_printed_codes(client, db, capsys):
    from base64 import b32decode

    from django.core.management import call_command

    from mottak import demo

    call_command("seed_demo", "--force")
    printed = capsys.readouterr().out
    assert demo.DEMO_TOTP_SECRET in printed and demo.DEMO_BACKUP_CODES[0] in printed
    assert b32decode(demo.DEMO_TOTP_SECRET).hex() == demo.DEMO_TOTP_KEY_HEX

    leader = demo.User.objects.get(username="leder")
    password_login_as = {"username": "leder", "password": demo.DEMO_PASSWORD}
    client.post(reverse("login"), password_login_as)
    code = demo.DEMO_BACKUP_CODES[0]
    assert client.post(reverse("mfa_verify"), {"code": code}).status_code == 302
    assert client.get("/").status_code == 200
    # The app key verifies too (the demo's published secret).
    app = TOTPDevice.objects.get(user=leader, confirmed=True)
    client.post(reverse("logout"))
    client.post(reverse("login"), password_login_as)
    assert client.post(reverse("mfa_verify"), {"code": code_now(app)}).status_code == 302
    # Seeding again puts the used backup code back.
    call_command("seed_demo", "--force")
    assert StaticDevice.objects.get(user=leader).token_set.filter(token=code).exists()


# --- renewing one's own backup codes --------------------------------------------------------------


def test_user_renews_backup_codes_with_an_app_code_and_the_old_ones_stop_working(client, staff):
    device = enrol_app(staff)
    old = mfa_backup_codes_issue(staff)
    client.force_login(staff)
    page = client.get(reverse("mfa_backup_codes"))
    assert page.status_code == 200 and "10" in page.content.decode()
    response = client.post(reverse("mfa_backup_codes"), {"code": code_now(device)})
    new = re.findall(r"<li><code>([a-z0-9]+)</code></li>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    tokens = set(
        StaticDevice.objects.get(user=staff, name="backup").token_set.values_list(
            "token", flat=True
        )
    )
    assert tokens == set(new)
    change = AccessChange.objects.get(kind=AccessChange.Kind.BACKUP_CODES_RENEWED)
    assert change.user == staff and change.actor == staff


def test_a_backup_code_cannot_renew_the_backup_codes(client, staff):
    enrol_app(staff)
    old = mfa_backup_codes_issue(staff)
    client.force_login(staff)
    response = client.post(reverse("mfa_backup_codes"), {"code": old[0]})
    assert response.status_code == 200
    assert "The code is wrong or has expired" in response.content.decode()
    tokens = set(
        StaticDevice.objects.get(user=staff, name="backup").token_set.values_list(
            "token", flat=True
        )
    )
    assert tokens == set(old)
    assert not AccessChange.objects.filter(kind=AccessChange.Kind.BACKUP_CODES_RENEWED).exists()


def test_without_an_app_the_page_says_to_ask_an_administrator(client, staff):
    mfa_backup_codes_issue(staff)
    client.force_login(staff)
    body = client.get(reverse("mfa_backup_codes")).content.decode()
    assert "Ask an administrator" in body and 'name="code"' not in body


def test_the_backup_codes_page_needs_a_verified_session(client, staff):
    enrol_app(staff)
    password_login(client, staff)
    response = client.get(reverse("mfa_backup_codes"))
    assert response.status_code == 302 and reverse("mfa_verify") in response.url
