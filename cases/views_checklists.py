"""A checklist for one owner (a case or a resident): see what is done and left, record a step."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import checklists, services
from .access import access_row_of_subject, access_subject
from .downloads import private_file_response
from .forms import ChecklistStepForm, ChecklistUndoForm, errors_into
from .models import ChecklistStepCompletion
from .services import read_log_record
from .services.consents import resident_for
from .services.routines import routine_step_by_hand, routine_step_undo_by_hand
from .views_consents import safe_next


def _definition_or_404(name: str) -> checklists.ChecklistDefinition:
    try:
        return checklists.get(name)
    except checklists.UnknownChecklist:
        raise Http404 from None


def _page_url(ct_id: int, obj_id: int, name: str) -> str:
    return reverse("cases:checklist", args=[ct_id, obj_id, name])


def checklist_panel_context(*, owner, checklist: str, step_form=None, error_step="") -> dict:
    """What cases/checklists/_checklist.html needs, for a case page to include."""
    definition = checklists.get(checklist)
    return {
        "definition": definition,
        "rows": services.checklist_status(owner, definition),
        "owner_ct_id": ContentType.objects.get_for_model(owner).pk,
        "owner_id": owner.pk,
        "step_form": step_form,
        "error_step": error_step,
    }


def _completion_or_404(*, user, completion_id: int, action: str) -> ChecklistStepCompletion:
    return access_row_of_subject(
        user=user,
        model=ChecklistStepCompletion,
        pk=completion_id,
        ct_field="owner_ct_id",
        id_field="owner_id",
        action=action,
    )


@login_required
def checklist_page(request, ct_id: int, obj_id: int, name: str):
    definition = _definition_or_404(name)
    owner = access_subject(user=request.user, content_type_id=ct_id, object_id=obj_id)
    context = checklist_panel_context(owner=owner, checklist=definition.name)
    read_log_record(user=request.user, subject=owner, action="view", detail="checklist")
    return render(request, "cases/checklists/page.html", context)


@login_required
@require_POST
def checklist_step_complete(request, ct_id: int, obj_id: int, name: str, step_code: str):
    definition = _definition_or_404(name)
    owner = access_subject(
        user=request.user, content_type_id=ct_id, object_id=obj_id, action="change"
    )
    form = ChecklistStepForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            # A routine's step goes through the routine's own state checks (one door).
            routine_step_by_hand(
                owner=owner,
                checklist=definition.name,
                step_code=step_code,
                by=request.user,
                note=form.cleaned_data["note"],
                attachment=form.cleaned_data["attachment"],
            )
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(request, _("The step has been recorded as done."))
            return redirect(safe_next(request, _page_url(ct_id, obj_id, definition.name)))
    context = checklist_panel_context(
        owner=owner, checklist=definition.name, step_form=form, error_step=step_code
    )
    return render(request, "cases/checklists/page.html", context)


@login_required
@require_POST
def checklist_step_undo(request, completion_id: int):
    completion = _completion_or_404(user=request.user, completion_id=completion_id, action="change")
    form = ChecklistUndoForm(request.POST)
    fallback = _page_url(completion.owner_ct_id, completion.owner_id, completion.checklist)
    if not form.is_valid():
        messages.error(request, _("Say why the step is being undone."))
        return redirect(safe_next(request, fallback))
    try:
        routine_step_undo_by_hand(
            completion=completion, by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The step is open again."))
    return redirect(safe_next(request, fallback))


@login_required
def checklist_attachment(request, completion_id: int):
    completion = _completion_or_404(user=request.user, completion_id=completion_id, action="view")
    extension = completion.attachment.name.rsplit(".", 1)[-1]
    return private_file_response(
        user=request.user,
        stored_file=completion.attachment,
        log_subject=resident_for(completion.owner),
        log_detail=f"checklist attachment {completion.pk}",
        filename=f"attachment-{completion.pk}.{extension}",
        content_type=completion.attachment_mime,
    )
