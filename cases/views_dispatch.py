"""Dispatch pages: state, retry, sent, HTML preview and PDF download.

Every view finds the dispatch, then asks the access layer about its subject: a dispatch
the user may not see answers exactly like a missing one (404).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .access import access_subject
from .downloads import private_file_response
from .models import Dispatch
from .services import dispatch_mark_sent, dispatch_retry_render, read_log_record
from .services.dispatches import dispatch_html


def _access_dispatch(*, user, pk: int, action: str = "view"):
    """(dispatch, subject) the user may act on, else 404."""
    dispatch = Dispatch.objects.select_related("created_by", "sent_by").filter(pk=pk).first()
    if dispatch is None:
        raise Http404
    subject = access_subject(
        user=user,
        content_type_id=dispatch.subject_ct_id,
        object_id=dispatch.subject_id,
        action=action,
    )
    return dispatch, subject


def _may_change(*, user, dispatch: Dispatch) -> bool:
    try:
        access_subject(
            user=user,
            content_type_id=dispatch.subject_ct_id,
            object_id=dispatch.subject_id,
            action="change",
        )
    except Http404:
        return False
    return True


def _private(response):
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def dispatch_detail(request, pk: int):
    dispatch, subject = _access_dispatch(user=request.user, pk=pk)
    context = {
        "dispatch": dispatch,
        "subject": subject,
        "may_change": _may_change(user=request.user, dispatch=dispatch),
    }
    return _private(render(request, "cases/dispatches/detail.html", context))


@login_required
@require_GET
def dispatch_preview(request, pk: int):
    dispatch, subject = _access_dispatch(user=request.user, pk=pk)
    try:
        html = dispatch_html(dispatch, preview=True)
    except TemplateDoesNotExist:  # a form removed after the dispatch was made
        raise Http404 from None
    read_log_record(
        user=request.user, subject=subject, action="view", detail=f"dispatch {dispatch.pk} preview"
    )
    return _private(HttpResponse(html))


@login_required
@require_GET
def dispatch_pdf(request, pk: int):
    dispatch, subject = _access_dispatch(user=request.user, pk=pk)
    return private_file_response(
        user=request.user,
        stored_file=dispatch.pdf,
        log_subject=subject,
        log_detail=f"dispatch {dispatch.pk}",
        filename=f"utsendelse-{dispatch.pk}.pdf",
        content_type="application/pdf",
    )


@login_required
@require_POST
def dispatch_retry(request, pk: int):
    dispatch, _subject = _access_dispatch(user=request.user, pk=pk, action="change")
    try:
        dispatch_retry_render(dispatch=dispatch, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The PDF will be made again."))
    return redirect("cases:dispatch_detail", pk=dispatch.pk)


@login_required
@require_POST
def dispatch_sent(request, pk: int):
    dispatch, _subject = _access_dispatch(user=request.user, pk=pk, action="change")
    try:
        dispatch_mark_sent(
            dispatch=dispatch,
            by=request.user,
            reference=request.POST.get("reference", "")[:100],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The notice is recorded as sent."))
    return redirect("cases:dispatch_detail", pk=dispatch.pk)
