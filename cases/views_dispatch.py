"""Dispatch pages: state, retry, sent, HTML preview and PDF download.

Every view finds the dispatch, then asks the access layer about its subject: a dispatch
the user may not see answers exactly like a missing one (404).
"""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .access import access_subject, dispatch_readable
from .downloads import download_name, private_file_response
from .forms import DispatchSentForm
from .models import Dispatch
from .routines import for_model
from .selectors_work import case_url
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
    if not dispatch_readable(user=user, dispatch=dispatch):
        raise Http404
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


def _case_of(dispatch: Dispatch) -> tuple[str, str]:
    """(the routine's name, the case page) when a declared routine's case owns the notice;
    no query (content types are cached)."""
    content_type = ContentType.objects.get_for_id(dispatch.owner_ct_id)
    routine = for_model(f"{content_type.app_label}.{content_type.model}")
    if routine is None:
        return "", ""
    return str(routine.label), case_url(routine, dispatch.owner_id)


def _detail_context(request, dispatch: Dispatch, subject, *, sent_form=None) -> dict:
    case_label, case_page = _case_of(dispatch)
    return {
        "dispatch": dispatch,
        "subject": subject,
        "subject_url": getattr(subject, "get_absolute_url", lambda: "")(),
        "case_label": case_label,
        "case_url": case_page,
        "may_change": _may_change(user=request.user, dispatch=dispatch),
        "sent_form": sent_form or DispatchSentForm(),
    }


@login_required
@require_GET
def dispatch_detail(request, pk: int):
    dispatch, subject = _access_dispatch(user=request.user, pk=pk)
    read_log_record(
        user=request.user, subject=subject, action="view", detail=f"dispatch {dispatch.pk}"
    )
    return _private(
        render(request, "cases/dispatches/detail.html", _detail_context(request, dispatch, subject))
    )


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
    return _private(HttpResponse(_with_navigation(request, html, dispatch, subject)))


def _with_navigation(request, html: str, dispatch: Dispatch, subject) -> str:
    """The letter as the PDF shows it, with the way back into the site above the sheet (the
    bar is not part of the letter and is not printed)."""
    case_label, case_page = _case_of(dispatch)
    nav = render_to_string(
        "cases/dispatches/_preview_nav.html",
        {
            "dispatch": dispatch,
            "subject": subject,
            "subject_url": getattr(subject, "get_absolute_url", lambda: "")(),
            "case_label": case_label,
            "case_url": case_page,
        },
        request=request,
    )
    body = re.search(r"<body[^>]*>", html)
    if body is None:
        return html
    return html[: body.end()] + nav + html[body.end() :]


@login_required
@require_GET
def dispatch_pdf(request, pk: int):
    dispatch, subject = _access_dispatch(user=request.user, pk=pk)
    return private_file_response(
        user=request.user,
        stored_file=dispatch.pdf,
        log_subject=subject,
        log_detail=f"dispatch {dispatch.pk}",
        filename=download_name(
            dispatch.purpose_label,
            timezone.localdate(dispatch.rendered_at or dispatch.created_at),
            "pdf",
        ),
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
    dispatch, subject = _access_dispatch(user=request.user, pk=pk, action="change")
    form = DispatchSentForm(request.POST)
    if not form.is_valid():
        return _private(
            render(
                request,
                "cases/dispatches/detail.html",
                _detail_context(request, dispatch, subject, sent_form=form),
                status=400,
            )
        )
    try:
        dispatch_mark_sent(
            dispatch=dispatch,
            by=request.user,
            at=form.cleaned_data["sent_at"],
            reference=form.cleaned_data["reference"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The notice is recorded as sent."))
    return redirect("cases:dispatch_detail", pk=dispatch.pk)
