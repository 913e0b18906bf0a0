"""Consents on a resident's record: list, record with the signed declaration, withdraw, download.

Every view asks the access layer about the consent's subject; a consent the user may not see
answers exactly like a missing one (404).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from . import services
from .access import access_row_of_subject, access_subject
from .downloads import download_name, private_file_response
from .forms import ConsentForm, errors_into
from .models import Consent
from .selectors import consents_for
from .services import read_log_record
from .services.consents import resident_for

# The downloaded declaration's file name, in Norwegian whatever the page language.
CONSENT_FILE_KIND = gettext_lazy("Consent")


def _consent_or_404(*, user, consent_id: int, action: str) -> Consent:
    return access_row_of_subject(
        user=user,
        model=Consent,
        pk=consent_id,
        ct_field="subject_ct_id",
        id_field="subject_id",
        action=action,
    )


def _list_url(ct_id: int, obj_id: int) -> str:
    return reverse("cases:consent_list", args=[ct_id, obj_id])


def safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _may_change(user, ct_id: int, obj_id: int) -> bool:
    """Whether the user may record or withdraw consents here (read-only roles may not)."""
    if user is None:
        return False
    try:
        access_subject(user=user, content_type_id=ct_id, object_id=obj_id, action="change")
    except Http404:
        return False
    return True


def consents_panel_context(*, subject, user=None, may_change: bool | None = None) -> dict:
    """What cases/consents/_consents.html needs, for the resident page to include. Links to
    record or withdraw show only to whoever may do it (a link must not lead to a 404)."""
    ct = ContentType.objects.get_for_model(subject)
    return {
        "consents": list(consents_for(subject)),
        "subject_ct_id": ct.pk,
        "subject_id": subject.pk,
        "may_change": _may_change(user, ct.pk, subject.pk) if may_change is None else may_change,
    }


@login_required
def consent_list(request, ct_id: int, obj_id: int):
    subject = access_subject(user=request.user, content_type_id=ct_id, object_id=obj_id)
    context = consents_panel_context(subject=subject, user=request.user)
    context["subject"] = subject
    read_log_record(user=request.user, subject=subject, action="view", detail="consents")
    return render(request, "cases/consents/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def consent_new(request, ct_id: int, obj_id: int):
    subject = access_subject(
        user=request.user, content_type_id=ct_id, object_id=obj_id, action="change"
    )
    form = ConsentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.consent_record(
                subject=subject,
                given_by=data["given_by"],
                given_by_name=data["given_by_name"],
                purpose=data["purpose"],
                purpose_note=data["purpose_note"],
                recipient_kinds=data["recipient_kinds"],
                given_on=data["given_on"],
                declaration_file=data["declaration"],
                by=request.user,
            )
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(request, _("The consent has been recorded."))
            return redirect(_list_url(ct_id, obj_id))
    return render(
        request,
        "cases/consents/form.html",
        {"form": form, "subject": subject, "subject_ct_id": ct_id, "subject_id": obj_id},
    )


@login_required
@require_POST
def consent_withdraw(request, consent_id: int):
    consent = _consent_or_404(user=request.user, consent_id=consent_id, action="change")
    try:
        services.consent_withdraw(consent=consent, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The consent has been withdrawn."))
    return redirect(safe_next(request, _list_url(consent.subject_ct_id, consent.subject_id)))


@login_required
def consent_download(request, consent_id: int):
    consent = _consent_or_404(user=request.user, consent_id=consent_id, action="view")
    extension = consent.declaration.name.rsplit(".", 1)[-1]
    return private_file_response(
        user=request.user,
        stored_file=consent.declaration,
        log_subject=resident_for(consent.subject),
        log_detail=f"consent {consent.pk}",
        filename=download_name(CONSENT_FILE_KIND, consent.given_on, extension),
        content_type=consent.declaration_mime,
    )
