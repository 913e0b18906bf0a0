"""Pages of the personal folder and the private folder (MOT-2): access → form → one service →
redirect. The private folder answers 404 to whoever may not open it, like a missing record,
and every opening is written to the read log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from guardian.shortcuts import get_users_with_perms

from cases.models import ReadLog
from cases.services import read_log_record

from . import rules_folders as rules
from . import selectors_folders as selectors
from . import services
from .access import MEMBER_OF_CENTRE, Action, access_resident, may
from .forms_folders import FolderItemForm, KeyWorkerForm, PrivateFolderRequestForm
from .models import CENTRE_ROLES, FolderItem, FolderKind, KeyWorker, User

PRIVATE_FOLDER_READ = "private folder"


def _resident(user, resident_id, action=Action.VIEW):
    if not may(user, "mottak.keep_folders"):
        raise Http404
    return access_resident(user=user, resident_id=resident_id, action=action)


def _private_resident(user, resident_id, action=Action.VIEW):
    resident = _resident(user, resident_id, action)
    if not services.may_open_private_folder(user=user, resident=resident):
        raise Http404
    return resident


def _centre_staff(resident):
    """Who may be named key worker: active staff of the resident's centre."""
    users = get_users_with_perms(
        resident.centre, only_with_perms_in=[MEMBER_OF_CENTRE.partition(".")[2]]
    )
    return User.objects.filter(
        pk__in=[u.pk for u in users], role__in=CENTRE_ROLES, is_active=True
    ).order_by("first_name", "last_name", "username")


@login_required
@require_GET
def personal_folder(request, resident_id: int, item_form=None):
    resident = _resident(request.user, resident_id)
    context = selectors.personal_folder_page(resident) | {
        "resident": resident,
        "form": item_form or FolderItemForm(),
        "may_open_private": services.may_open_private_folder(user=request.user, resident=resident),
    }
    return render(request, "mottak/folders/personal.html", context)


@login_required
@require_POST
def personal_folder_open(request, resident_id: int):
    resident = _resident(request.user, resident_id, Action.CHANGE)
    services.personal_folder_open(resident=resident, by=request.user)
    messages.success(request, _("The personal folder is opened."))
    return redirect("mottak:personal_folder", resident.pk)


def _add_item(request, resident, kind):
    folder = selectors.open_folder(resident, kind)
    if folder is None:
        raise Http404
    form = FolderItemForm(request.POST)
    if form.is_valid():
        try:
            services.folder_item_add(
                folder=folder,
                category=form.cleaned_data["category"],
                standard=form.cleaned_data["standard"],
                description=form.cleaned_data["description"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Recorded in the folder."))
            return None
    return form


@login_required
@require_http_methods(["POST"])
def personal_folder_item_new(request, resident_id: int):
    resident = _resident(request.user, resident_id, Action.CHANGE)
    form = _add_item(request, resident, FolderKind.PERSONAL)
    if form is None:
        return redirect("mottak:personal_folder", resident.pk)
    request.method = "GET"
    return personal_folder(request, resident.pk, item_form=form)


@login_required
@require_POST
def folder_item_hand_back(request, resident_id: int, item_id: int):
    resident = _resident(request.user, resident_id, Action.CHANGE)
    try:
        item = FolderItem.objects.select_related("folder").get(
            pk=item_id, folder__resident=resident
        )
    except FolderItem.DoesNotExist:
        raise Http404 from None
    private = item.folder.kind == FolderKind.PRIVATE
    if private and not services.may_open_private_folder(user=request.user, resident=resident):
        raise Http404
    services.folder_item_hand_back(item=item, by=request.user)
    messages.success(request, _("Recorded as handed to the resident."))
    return redirect("mottak:private_folder" if private else "mottak:personal_folder", resident.pk)


@login_required
@require_GET
def private_folder(request, resident_id: int, forms=None):
    resident = _private_resident(request.user, resident_id)
    read_log_record(
        user=request.user, subject=resident, action=ReadLog.Action.VIEW, detail=PRIVATE_FOLDER_READ
    )
    forms = forms or {}
    context = selectors.private_folder_page(resident) | {
        "resident": resident,
        "form": forms.get("item") or FolderItemForm(),
        "request_form": forms.get("asked") or PrivateFolderRequestForm(),
        "key_worker_form": forms.get("key_worker") or KeyWorkerForm(staff=_centre_staff(resident)),
        "may_assign": rules.may_assign_key_workers(role=request.user.role),
    }
    return render(request, "mottak/folders/private.html", context)


def _again(request, resident, **forms):
    request.method = "GET"
    return private_folder(request, resident.pk, forms=forms)


@login_required
@require_POST
def private_folder_open(request, resident_id: int):
    resident = _private_resident(request.user, resident_id, Action.CHANGE)
    form = PrivateFolderRequestForm(request.POST)
    if form.is_valid():
        try:
            services.private_folder_open(
                resident=resident,
                requested_at=form.cleaned_data["requested_at"],
                asked_by_resident=form.cleaned_data["asked_by_resident"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The private folder is opened."))
            return redirect("mottak:private_folder", resident.pk)
    return _again(request, resident, asked=form)


@login_required
@require_POST
def private_folder_item_new(request, resident_id: int):
    resident = _private_resident(request.user, resident_id, Action.CHANGE)
    form = _add_item(request, resident, FolderKind.PRIVATE)
    if form is None:
        return redirect("mottak:private_folder", resident.pk)
    return _again(request, resident, item=form)


@login_required
@require_POST
def key_worker_new(request, resident_id: int):
    resident = _private_resident(request.user, resident_id, Action.CHANGE)
    if not rules.may_assign_key_workers(role=request.user.role):
        raise Http404
    form = KeyWorkerForm(request.POST, staff=_centre_staff(resident))
    if form.is_valid():
        try:
            services.key_worker_assign(
                resident=resident, user=form.cleaned_data["user"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The key worker is named."))
            return redirect("mottak:private_folder", resident.pk)
    return _again(request, resident, key_worker=form)


@login_required
@require_POST
def key_worker_end(request, resident_id: int, assignment_id: int):
    resident = _private_resident(request.user, resident_id, Action.CHANGE)
    if not rules.may_assign_key_workers(role=request.user.role):
        raise Http404
    try:
        assignment = KeyWorker.objects.get(pk=assignment_id, resident=resident)
    except KeyWorker.DoesNotExist:
        raise Http404 from None
    services.key_worker_end(assignment=assignment, by=request.user)
    return redirect("mottak:private_folder", resident.pk)
