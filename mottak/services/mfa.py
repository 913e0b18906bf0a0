"""The second factor: an authenticator app (TOTP) with backup codes, for every user.

Enrolment makes an unconfirmed TOTP device whose secret the user scans as a QR code; the
first correct code confirms it and issues backup codes, shown once. After a password login a
code from the app, or one unused backup code, verifies the session (mottak.middleware
sends a logged-in user who is not verified there). An administrator can reset a user's
devices; the reset is written to the access history. A user renews their own backup codes
with a code from the app; the renewal is written there too."""

from base64 import b32encode
from binascii import unhexlify

from django.db import transaction
from django_otp import devices_for_user
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..models import AccessChange, User

BACKUP_CODE_COUNT = 10
APP_DEVICE_NAME = "app"
BACKUP_DEVICE_NAME = "backup"


def normalise_code(raw: str) -> str:
    """People type codes with spaces or hyphens, backup codes in either case."""
    return "".join(ch for ch in (raw or "") if ch.isalnum()).lower()


def mfa_is_enrolled(user: User) -> bool:
    """An app device, or backup codes left to use."""
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or StaticToken.objects.filter(device__user=user, device__confirmed=True).exists()
    )


def mfa_enrolment_device(user: User) -> TOTPDevice:
    """The unconfirmed device the user is enrolling; one per user until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def totp_secret_base32(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed in by hand."""
    return b32encode(unhexlify(device.key.encode())).decode()


@transaction.atomic
def mfa_enrolment_confirm(*, device: TOTPDevice, code: str) -> tuple[TOTPDevice, list[str]] | None:
    """The first correct code confirms the device and issues fresh backup codes (returned once,
    for the page to show) with the confirmed device. None when the code is wrong."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, confirmed=False)
    if not device.verify_token(normalise_code(code)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    return device, mfa_backup_codes_issue(device.user)


@transaction.atomic
def mfa_backup_codes_issue(user: User, codes: list[str] | None = None) -> list[str]:
    """Replaces the user's backup codes; each works once. `codes` only for the demo seed."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = codes or [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


@transaction.atomic
def mfa_verify(*, user: User, code: str) -> Device | None:
    """The device that accepts the code, or None. Six digits are asked of the app; anything
    else of the backup codes (a used backup code is deleted). The devices throttle repeated
    failures themselves (each failure doubles the wait)."""
    code = normalise_code(code)
    if not code:
        return None
    want = TOTPDevice if (len(code) == 6 and code.isdigit()) else StaticDevice
    for device in devices_for_user(user, confirmed=True, for_verify=True):
        if isinstance(device, want) and device.verify_token(code):
            return device
    return None


@transaction.atomic
def mfa_reset(*, user: User, actor: User, reason: str = "") -> AccessChange:
    """An administrator removes every device of the user; the user enrols again at the next
    login (an open session loses its verification at its next request)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    return AccessChange.objects.create(
        kind=AccessChange.Kind.SECOND_FACTOR_RESET, user=user, actor=actor, reason=reason
    )


@transaction.atomic
def mfa_backup_codes_renew(*, user: User, app_code: str) -> list[str] | None:
    """New backup codes in place of the old, for a code from the app (not a backup code: whoever
    holds a leaked list must not be able to mint a fresh one). None when the code is refused."""
    code = normalise_code(app_code)
    devices = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True)
    if not any(device.verify_token(code) for device in devices):
        return None
    codes = mfa_backup_codes_issue(user)
    AccessChange.objects.create(kind=AccessChange.Kind.BACKUP_CODES_RENEWED, user=user, actor=user)
    return codes


def mfa_backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def mfa_has_app(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()
