"""The second factor: enrolment with a QR code and the code page after a password login."""

import segno
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from .forms_account import EnrolmentCodeForm, RenewBackupCodesForm, SecondFactorCodeForm
from .services.mfa import (
    mfa_backup_codes_left,
    mfa_backup_codes_renew,
    mfa_enrolment_confirm,
    mfa_enrolment_device,
    mfa_has_app,
    mfa_is_enrolled,
    mfa_verify,
    totp_secret_base32,
)


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@login_required
@require_http_methods(["GET", "POST"])
def mfa_verify_view(request):
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not mfa_is_enrolled(request.user):
        return redirect("mfa_enrol")
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = mfa_verify(user=request.user, code=form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error(
            "code",
            _(
                "The code is wrong, has expired or has been used. Wait a few seconds and try "
                "the code the app shows now."
            ),
        )
    return render(
        request, "mottak/account/mfa_verify.html", {"form": form, "next": _next_url(request)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def mfa_enrol_view(request):
    if mfa_is_enrolled(request.user):
        return redirect("mfa_verify")
    device = mfa_enrolment_device(request.user)
    form = EnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        confirmed = mfa_enrolment_confirm(device=device, code=form.cleaned_data["code"])
        if confirmed is not None:
            device, codes = confirmed
            otp_login(request, device)
            # Shown this once: the codes are not displayed again.
            return render(
                request,
                "mottak/account/mfa_backup_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        form.add_error("code", _("The code is wrong. Try the code the app shows now."))
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "mottak/account/mfa_enrol.html",
        {
            "form": form,
            "qr_data_uri": qr.svg_data_uri(scale=5, border=2),
            "secret": totp_secret_base32(device),
            "next": _next_url(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def mfa_backup_codes_view(request):
    """The user's own backup codes: how many are left, and new ones for a code from the app."""
    form = RenewBackupCodesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = mfa_backup_codes_renew(user=request.user, app_code=form.cleaned_data["code"])
        if codes is not None:
            return render(
                request, "mottak/account/mfa_backup_codes.html", {"codes": codes, "next": "/"}
            )
        form.add_error(
            "code",
            _(
                "The code is wrong or has expired. Type the code the app shows now, not a backup code."
            ),
        )
    return render(
        request,
        "mottak/account/mfa_backup_codes_renew.html",
        {
            "form": form,
            "codes_left": mfa_backup_codes_left(request.user),
            "has_app": mfa_has_app(request.user),
        },
    )
