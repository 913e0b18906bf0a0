"""Pages of leaving a centre: moving (MOT-3), moving privately (MOT-5), departure (MOT-6).
Each view: access → form → one service → redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from cases.downloads import download_name, private_file_response
from cases.models import Dispatch
from cases.services import read_log_record
from cases.views_routines import routine_step_view

from . import forms_moves as forms
from . import routine_moves as steps
from . import selectors_moves as selectors
from . import services
from .access import (
    Action,
    access_departure,
    access_move,
    access_private_move,
    access_resident,
    may,
)
from .models import Centre, Move, MoveHandoverItem, Role

# --- MOT-3: moving to another centre ------------------------------------------------------------


@login_required
@require_GET
def move_list(request):
    if not may(request.user, "mottak.see_moves"):
        raise Http404
    context = selectors.move_list(user=request.user)
    context["residents"] = selectors.residents_to_move(user=request.user).select_related("centre")
    return render(request, "mottak/move_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def move_new(request, resident_id: int):
    resident = access_resident(user=request.user, resident_id=resident_id)
    if not selectors.may_request_move(user=request.user, resident=resident):
        raise Http404
    centres = Centre.objects.filter(region_id=resident.centre.region_id).exclude(
        pk=resident.centre_id
    )
    form = forms.MoveRequestForm(request.POST or None, centres=centres)
    if request.method == "POST" and form.is_valid():
        origin = (
            Move.Origin.REGION
            if request.user.role == Role.REGION_CASEWORKER
            else Move.Origin.CENTRE
        )
        try:
            move = services.move_request(
                resident=resident, by=request.user, origin=origin, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The move is requested from the regional office."))
            return redirect("mottak:move_detail", move_id=move.pk)
    return render(
        request,
        "mottak/move_new.html",
        {"form": form, "resident": resident, "has_special_needs": bool(resident.special_needs)},
    )


@login_required
@require_GET
def move_detail(request, move_id: int):
    move = access_move(user=request.user, move_id=move_id)
    page = selectors.move_page(user=request.user, move=move)
    if page.sees_resident:
        read_log_record(user=request.user, subject=move.resident, action="view", detail="move")
    context = {"page": page, "move": move}
    if page.can_change:
        context.update(
            child_welfare_form=forms.ChildWelfareViewsForm(prefix="views"),
            representative_form=forms.RepresentativeToldForm(prefix="representative"),
            sesam_form=forms.WhenForm(prefix="sesam"),
            folder_form=forms.WhenForm(prefix="folder"),
            notice_forms={code: forms.NoticeForm(prefix=code) for code in steps.NOTICE_STEPS},
        )
    if page.may_decide:
        context.update(
            approve_form=forms.MoveApproveForm(
                centres=selectors.region_centres(move),
                initial={"target_centre": move.proposed_centre_id},
                prefix="approve",
            ),
            refuse_form=forms.MoveRefuseForm(prefix="refuse"),
        )
    if page.may_withdraw:
        context["withdraw_form"] = forms.MoveWithdrawForm(prefix="withdraw")
    if page.may_confirm_arrival:
        context["arrival_form"] = forms.ArrivalForm(prefix="arrival")
    return render(request, "mottak/move_detail.html", context)


def _move_changeable(user, move_id) -> Move:
    return access_move(user=user, move_id=move_id, action=Action.CHANGE)


def _move_visible(user, move_id) -> Move:
    return access_move(user=user, move_id=move_id)


def _back_to_move(move: Move) -> str:
    return reverse("mottak:move_detail", args=[move.pk])


def _move_step(service, done, *, form_class=None, access=_move_changeable, **form_kwargs):
    return routine_step_view(
        access=access,
        service=service,
        back_to=_back_to_move,
        form_class=form_class,
        done=done,
        form_kwargs=form_kwargs or None,
        pk_kwarg="move_id",
    )


move_child_welfare = _move_step(
    lambda move, by, data: services.move_child_welfare_views_record(move=move, by=by, **data),
    gettext_lazy("Child welfare's views are recorded."),
    form_class=forms.ChildWelfareViewsForm,
    prefix="views",
)
move_representative = _move_step(
    lambda move, by, data: services.move_representative_told(move=move, by=by, **data),
    gettext_lazy("Recorded that the representative was told."),
    form_class=forms.RepresentativeToldForm,
    prefix="representative",
)
move_sesam = _move_step(
    lambda move, by, data: services.move_sesam_record(move=move, by=by, at=data["at"]),
    gettext_lazy("The Sesam registration is recorded."),
    form_class=forms.WhenForm,
    prefix="sesam",
)
move_folder = _move_step(
    lambda move, by, data: services.move_folder_handed(move=move, by=by, **data),
    gettext_lazy("The personal folder is recorded as handed over."),
    form_class=forms.WhenForm,
    prefix="folder",
)
move_handover_refresh = _move_step(
    lambda move, by, data: services.move_handover_refresh(move=move, by=by),
    gettext_lazy("The hand-over list is read again."),
)
move_approve = _move_step(
    lambda move, by, data: services.move_approve(move=move, by=by, **data),
    gettext_lazy("The move is approved."),
    form_class=forms.MoveApproveForm,
    access=_move_visible,
    centres=Centre.objects.all(),
    prefix="approve",
)
move_refuse = _move_step(
    lambda move, by, data: services.move_refuse(move=move, by=by, **data),
    gettext_lazy("The move is refused."),
    form_class=forms.MoveRefuseForm,
    access=_move_visible,
    prefix="refuse",
)
move_withdraw = _move_step(
    lambda move, by, data: services.move_withdraw(move=move, by=by, reason=data["withdraw_reason"]),
    gettext_lazy("The move is withdrawn."),
    form_class=forms.MoveWithdrawForm,
    access=_move_visible,
    prefix="withdraw",
)
move_complete = _move_step(
    lambda move, by, data: services.move_complete(move=move, by=by, **data),
    gettext_lazy("The arrival is confirmed: the resident now lives at the new centre."),
    form_class=forms.ArrivalForm,
    access=_move_visible,
    prefix="arrival",
)


def move_notice(step_code: str):
    return _move_step(
        lambda move, by, data: services.move_notice_create(
            move=move, by=by, step_code=step_code, **data
        ),
        gettext_lazy("The moving notice is made. Record it as sent when it has gone out."),
        form_class=forms.NoticeForm,
        prefix=step_code,
    )


move_notice_county_governor = move_notice(steps.NOTICE_COUNTY_GOVERNOR)
move_notice_school = move_notice(steps.NOTICE_SCHOOL)
move_notice_health_office = move_notice(steps.NOTICE_HEALTH_OFFICE)


@login_required
@require_http_methods(["POST"])
def move_handover_mark(request, move_id: int, item_id: int):
    move = _move_changeable(request.user, move_id)
    item = MoveHandoverItem.objects.filter(pk=item_id, move=move).first()
    if item is None:
        raise Http404
    form = forms.HandoverMarkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether the item moves to the new centre or is closed."))
        return redirect("mottak:move_detail", move_id=move.pk)
    try:
        services.move_handover_mark(item=item, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You may not do this."))
    else:
        messages.success(request, _("Saved."))
    return redirect("mottak:move_detail", move_id=move.pk)


@login_required
@require_GET
def move_dispatch_pdf(request, move_id: int, dispatch_id: int):
    """The centre's own register of the move's notices: the centre being left keeps it after
    the move, when it no longer sees the resident."""
    move = access_move(user=request.user, move_id=move_id)
    dispatch = Dispatch.objects.filter(
        pk=dispatch_id, owner_ct=ContentType.objects.get_for_model(Move), owner_id=move.pk
    ).first()
    if dispatch is None:
        raise Http404
    return private_file_response(
        user=request.user,
        stored_file=dispatch.pdf,
        log_subject=move.resident,
        log_detail="moving notice",
        filename=download_name(_("moving-notice"), timezone.localdate(), "pdf"),
        content_type="application/pdf",
    )


# --- MOT-5: moving privately -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def private_move_new(request, resident_id: int):
    resident = access_resident(user=request.user, resident_id=resident_id, action=Action.CHANGE)
    form = forms.PrivateMoveForm(
        request.POST or None, initial={"care_needs": resident.special_needs}
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = services.private_move_record_wish(
                resident=resident, by=request.user, **form.service_data()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The wish to move privately is recorded."))
            return redirect("mottak:private_move_detail", private_move_id=case.pk)
    return render(request, "mottak/private_move_new.html", {"form": form, "resident": resident})


@login_required
@require_GET
def private_move_detail(request, private_move_id: int):
    case = access_private_move(user=request.user, private_move_id=private_move_id)
    read_log_record(user=request.user, subject=case.resident, action="view", detail="private move")
    context = selectors.private_move_page(user=request.user, case=case)
    if context["can_change"]:
        context.update(
            edit_form=forms.PrivateMoveForm(
                prefix="edit",
                initial={
                    name: getattr(case, name)
                    for name in forms.PrivateMoveForm.base_fields
                    if hasattr(case, name)
                },
            ),
            when_form=forms.WhenForm(prefix="region"),
            encouraged_form=forms.EncouragedForm(prefix="encouraged"),
            moved_form=forms.MovedForm(prefix="moved"),
            notice_forms={code: forms.NoticeForm(prefix=code) for code in steps.CONCERN_STEPS},
        )
    return render(request, "mottak/private_move_detail.html", context)


def _private_changeable(user, pk):
    return access_private_move(user=user, private_move_id=pk, action=Action.CHANGE)


def _private_step(service, done, *, form_class=None, prefix=None):
    return routine_step_view(
        access=_private_changeable,
        service=service,
        back_to=lambda case: reverse("mottak:private_move_detail", args=[case.pk]),
        form_class=form_class,
        done=done,
        form_kwargs={"prefix": prefix} if prefix else None,
        pk_kwarg="private_move_id",
    )


private_move_edit = _private_step(
    lambda case, by, data: services.private_move_update(
        private_move=case, by=by, **forms.PrivateMoveForm.service_data_of(data)
    ),
    gettext_lazy("Saved."),
    form_class=forms.PrivateMoveForm,
    prefix="edit",
)
private_move_region_told = _private_step(
    lambda case, by, data: services.private_move_region_told(private_move=case, by=by, **data),
    gettext_lazy("Recorded that the regional office was told."),
    form_class=forms.WhenForm,
    prefix="region",
)
private_move_encouraged = _private_step(
    lambda case, by, data: services.private_move_encouraged(private_move=case, by=by, **data),
    gettext_lazy("The conversation is recorded."),
    form_class=forms.EncouragedForm,
    prefix="encouraged",
)
private_move_moved = _private_step(
    lambda case, by, data: services.private_move_moved(private_move=case, by=by, **data),
    gettext_lazy("The move is recorded and the stay has ended."),
    form_class=forms.MovedForm,
    prefix="moved",
)
private_move_stays = _private_step(
    lambda case, by, data: services.private_move_stays(private_move=case, by=by),
    gettext_lazy("Recorded that the minor stays at the centre."),
)


def private_move_notice(step_code: str):
    return _private_step(
        lambda case, by, data: services.private_move_concern_create(
            private_move=case, by=by, step_code=step_code, **data
        ),
        gettext_lazy("The notice is made. Record it as sent when it has gone out."),
        form_class=forms.NoticeForm,
        prefix=step_code,
    )


private_move_concern = private_move_notice(steps.CONCERN_REPORT)
private_move_copy_region = private_move_notice(steps.COPY_REGION)
private_move_copy_imdi = private_move_notice(steps.COPY_IMDI)


# --- MOT-6: departure --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def departure_new(request, resident_id: int):
    resident = access_resident(user=request.user, resident_id=resident_id, action=Action.CHANGE)
    form = forms.DepartureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.departure_prepare(
                resident=resident, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The departure is being prepared."))
            return redirect("mottak:departure_detail", departure_id=case.pk)
    return render(request, "mottak/departure_new.html", {"form": form, "resident": resident})


@login_required
@require_GET
def departure_detail(request, departure_id: int):
    case = access_departure(user=request.user, departure_id=departure_id)
    read_log_record(user=request.user, subject=case.resident, action="view", detail="departure")
    context = selectors.departure_page(user=request.user, case=case)
    if context["can_change"]:
        context.update(
            instructions_form=forms.InstructionsForm(prefix="instructions"),
            follow_up_form=forms.FollowUpForm(prefix="follow_up"),
            arrangements_form=forms.ArrangementsForm(prefix="arrangements"),
            when_form=forms.WhenForm(prefix="ready"),
            mapping_form=forms.MappingOfferForm(prefix="mapping"),
            departed_form=forms.DepartedForm(prefix="departed"),
        )
    return render(request, "mottak/departure_detail.html", context)


def _departure_step(service, done, *, form_class=None, prefix=None):
    return routine_step_view(
        access=lambda user, pk: access_departure(user=user, departure_id=pk, action=Action.CHANGE),
        service=service,
        back_to=lambda case: reverse("mottak:departure_detail", args=[case.pk]),
        form_class=form_class,
        done=done,
        form_kwargs={"prefix": prefix} if prefix else None,
        pk_kwarg="departure_id",
    )


departure_instructions = _departure_step(
    lambda case, by, data: services.departure_instructions_record(departure=case, by=by, **data),
    gettext_lazy("The instructions are recorded."),
    form_class=forms.InstructionsForm,
    prefix="instructions",
)
departure_follow_up = _departure_step(
    lambda case, by, data: services.departure_follow_up_told(departure=case, by=by, **data),
    gettext_lazy("Recorded that the follow-up needs were told."),
    form_class=forms.FollowUpForm,
    prefix="follow_up",
)
departure_arrangements = _departure_step(
    lambda case, by, data: services.departure_arrangements_record(departure=case, by=by, **data),
    gettext_lazy("The arrangements are recorded."),
    form_class=forms.ArrangementsForm,
    prefix="arrangements",
)
departure_ready = _departure_step(
    lambda case, by, data: services.departure_ready(departure=case, by=by, at=data["at"]),
    gettext_lazy("Recorded as packed and ready."),
    form_class=forms.WhenForm,
    prefix="ready",
)
departure_mapping = _departure_step(
    lambda case, by, data: services.departure_mapping_offered(departure=case, by=by, **data),
    gettext_lazy("The offer and the answer are recorded."),
    form_class=forms.MappingOfferForm,
    prefix="mapping",
)
departure_depart = _departure_step(
    lambda case, by, data: services.departure_depart(departure=case, by=by, **data),
    gettext_lazy("The departure is recorded and the stay has ended."),
    form_class=forms.DepartedForm,
    prefix="departed",
)
departure_cancel = _departure_step(
    lambda case, by, data: services.departure_cancel(departure=case, by=by),
    gettext_lazy("The departure is cancelled."),
)
