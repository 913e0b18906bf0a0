"""Views of the core records: access → form → one service → redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import exports
from cases.services import read_log_record
from cases.views_routines import routine_step_view

from . import selectors, selectors_home, services
from .access import (
    Action,
    access_resident,
    access_stay,
    can_export_subject_data,
    can_see_history,
    centres_visible_to,
    may,
)
from .forms import (
    AppointmentForm,
    ArrivalNoticeForm,
    ArrivalSesamForm,
    ArrivalStepForm,
    AsylumStageChangeForm,
    ChildWelfareViewsForm,
    DateOfBirthCorrectionForm,
    MoveRequestForm,
    RepresentativeForm,
    ResidentEditForm,
    ResidentRegisterForm,
    ResidentSearchForm,
    SesamNoticeForm,
    StayArrivalForm,
    StayEndForm,
)
from .models import Resident
from .selectors import centres_for_change, may_register

PAGE_SIZE = 50
# Search terms are names and DUF numbers: kept in the session, never in the URL.
SEARCH_SESSION_KEY = "resident_search"


def forbidden(request):
    """Registering is not a record, so there is nothing to hide: say plainly it is not allowed."""
    return render(request, "mottak/forbidden.html", status=403)


@login_required
def home(request):
    template, context = selectors_home.home_context(user=request.user)
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def resident_list(request):
    centres = centres_visible_to(request.user)
    if request.method == "POST":
        if "clear" in request.POST:
            request.session.pop(SEARCH_SESSION_KEY, None)
            return redirect("mottak:resident_list")
        form = ResidentSearchForm(request.POST, centres=centres)
        if form.is_valid():
            request.session[SEARCH_SESSION_KEY] = {
                "q": form.cleaned_data["q"],
                "centre": form.cleaned_data["centre"].pk if form.cleaned_data["centre"] else "",
                "stage": form.cleaned_data["stage"],
            }
            return redirect("mottak:resident_list")
    else:
        form = _saved_search(request, centres)
    residents = _searched(request.user, form)
    page = Paginator(residents, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "mottak/resident_list.html",
        {"form": form, "page": page, "searching": form.is_bound},
    )


def _saved_search(request, centres) -> ResidentSearchForm:
    saved = request.session.get(SEARCH_SESSION_KEY)
    return (
        ResidentSearchForm(saved, centres=centres) if saved else ResidentSearchForm(centres=centres)
    )


def _searched(user, form: ResidentSearchForm):
    """The residents the user's current search finds (all they may list without one)."""
    if form.is_bound and not form.is_valid():
        return Resident.objects.none()
    if form.is_bound:
        return selectors.resident_list(
            user=user,
            query=form.cleaned_data["q"],
            centre=form.cleaned_data["centre"],
            stage=form.cleaned_data["stage"],
        )
    return selectors.resident_list(user=user)


@login_required
@require_GET
def resident_export(request, fmt: str):
    """The resident list as the user sees it now (their search included), as a file."""
    if not may(request.user, "mottak.see_residents"):
        raise Http404
    form = _saved_search(request, centres_visible_to(request.user))
    residents = list(_searched(request.user, form))
    return exports.logged_export(
        user=request.user,
        subjects=residents,
        what="resident list",
        fmt=fmt,
        name="beboere",
        header=[
            _("Family name"),
            _("Given names"),
            _("DUF number"),
            _("Registration number"),
            _("Date of birth"),
            _("Centre"),
            _("Stage of the asylum case"),
        ],
        rows=selectors.resident_export_rows(residents),
    )


@login_required
def resident_detail(request, resident_id: int):
    page = selectors.resident_page(user=request.user, resident_id=resident_id)
    read_log_record(user=request.user, subject=page.resident, action="view")
    return render(
        request,
        "mottak/resident_detail.html",
        {
            "page": page,
            "resident": page.resident,
            "can_see_history": can_see_history(request.user),
            "can_export_subject_data": can_export_subject_data(request.user),
            "can_change": page.can_change,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def resident_edit(request, resident_id: int):
    resident, first_stay = selectors.resident_for_change(user=request.user, resident_id=resident_id)
    form = ResidentEditForm(
        request.POST or None,
        resident=resident,
        version=services.resident_version(resident),
        first_arrival=first_stay.started_at if first_stay else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.resident_update(
                resident=resident,
                data=form.resident_data(),
                by=request.user,
                version=form.cleaned_data["version"] or None,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if changed:
                messages.success(request, _("The record is saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            arrived_on = timezone.localtime(first_stay.started_at).date() if first_stay else None
            for warning in form.warnings(arrived_on=arrived_on):
                messages.warning(request, warning)
            return redirect("mottak:resident_detail", resident_id=resident.pk)
    return render(request, "mottak/resident_edit.html", {"form": form, "resident": resident})


@login_required
@require_http_methods(["GET", "POST"])
def appointment_new(request, resident_id: int):
    resident = access_resident(user=request.user, resident_id=resident_id, action=Action.CHANGE)
    form = AppointmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_create(
                resident=resident,
                kind=form.cleaned_data["kind"],
                starts_at=form.cleaned_data["starts_at"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The appointment is recorded."))
            return redirect(
                reverse("mottak:resident_detail", args=[resident.pk]) + "#appointments-heading"
            )
    return render(request, "mottak/appointment_form.html", {"form": form, "resident": resident})


@login_required
@require_POST
def appointment_cancel(request, resident_id: int, appointment_id: int):
    appointment = selectors.appointment_for_change(
        user=request.user, resident_id=resident_id, appointment_id=appointment_id
    )
    try:
        services.appointment_cancel(appointment=appointment, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The appointment is marked as cancelled."))
    return redirect(reverse("mottak:resident_detail", args=[resident_id]) + "#appointments-heading")


@login_required
def resident_history(request, resident_id: int):
    if not can_see_history(request.user):
        raise Http404
    resident, entries = selectors.resident_history(user=request.user, resident_id=resident_id)
    read_log_record(user=request.user, subject=resident, action="history")
    return render(
        request, "mottak/resident_history.html", {"resident": resident, "entries": entries}
    )


@login_required
@require_http_methods(["GET", "POST"])
def resident_register(request):
    if not may_register(request.user):
        return forbidden(request)
    form = ResidentRegisterForm(request.POST or None, centres=centres_for_change(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            resident = services.resident_register_with_arrival(
                data=form.resident_data(),
                centre=form.cleaned_data["centre"],
                arrived_at=form.cleaned_data["arrived_at"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The resident is registered and their arrival recorded."))
            arrived_on = timezone.localtime(form.cleaned_data["arrived_at"]).date()
            for warning in form.warnings(arrived_on=arrived_on):
                messages.warning(request, warning)
            return redirect("mottak:resident_detail", resident_id=resident.pk)
    return render(request, "mottak/resident_register.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def stay_arrival(request, resident_id: int):
    resident = access_resident(user=request.user, resident_id=resident_id, action=Action.CHANGE)
    form = StayArrivalForm(request.POST or None, centres=centres_for_change(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.stay_open(
                resident=resident,
                centre=form.cleaned_data["centre"],
                arrived_at=form.cleaned_data["arrived_at"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The arrival is recorded."))
            return redirect("mottak:resident_detail", resident_id=resident.pk)
    read_log_record(user=request.user, subject=resident, action="view", detail="arrival form")
    return render(request, "mottak/stay_arrival.html", {"form": form, "resident": resident})


@login_required
@require_http_methods(["GET", "POST"])
def stay_end(request, resident_id: int, stay_id: int):
    stay = access_stay(user=request.user, stay_id=stay_id, action=Action.CHANGE)
    if stay.resident_id != resident_id:
        raise Http404
    form = StayEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.stay_close(
                stay=stay,
                ended_at=form.cleaned_data["ended_at"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The stay is ended."))
            return redirect("mottak:resident_detail", resident_id=stay.resident_id)
    read_log_record(
        user=request.user, subject=stay.resident, action="view", detail="end of stay form"
    )
    return render(request, "mottak/stay_end.html", {"form": form, "stay": stay})


# --- the asylum case, Sesam notices, the representative: a form page each ---------------------


def _resident_form_page(
    request, resident_id: int, *, form_class, service, title, button, done, anchor
):
    """access (change) → form → one service → back to the resident's page."""
    resident = access_resident(user=request.user, resident_id=resident_id, action=Action.CHANGE)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(resident=resident, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return redirect(reverse("mottak:resident_detail", args=[resident.pk]) + anchor)
    return render(
        request,
        "mottak/resident_form.html",
        {
            "form": form,
            "resident": resident,
            "title": title,
            "button": button,
            "action": request.path,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def asylum_stage_change(request, resident_id: int):
    return _resident_form_page(
        request,
        resident_id,
        form_class=AsylumStageChangeForm,
        service=services.resident_asylum_stage_change,
        title=_("Record a change of the asylum case's stage"),
        button=_("Record the change"),
        done=_("The change of stage is recorded."),
        anchor="#asylum-heading",
    )


@login_required
@require_http_methods(["GET", "POST"])
def sesam_notice_new(request, resident_id: int):
    return _resident_form_page(
        request,
        resident_id,
        form_class=SesamNoticeForm,
        service=services.sesam_notice_record,
        title=_("Record a notice received in Sesam"),
        button=_("Record the notice"),
        done=_("The notice is recorded."),
        anchor="#asylum-heading",
    )


@login_required
@require_http_methods(["GET", "POST"])
def representative_new(request, resident_id: int):
    return _resident_form_page(
        request,
        resident_id,
        form_class=RepresentativeForm,
        service=services.representative_record,
        title=_("Record the representative's status"),
        button=_("Record"),
        done=_("The representative's status is recorded."),
        anchor="#representative-heading",
    )


# --- the arrival routine (MOT-1): its page and its steps ----------------------------------------


@login_required
@require_GET
def arrival_detail(request, arrival_id: int):
    page = selectors.arrival_page(user=request.user, arrival_id=arrival_id)
    read_log_record(
        user=request.user, subject=page.arrival.resident, action="view", detail="arrival"
    )
    return render(
        request,
        "mottak/arrival_detail.html",
        {
            "page": page,
            "arrival": page.arrival,
            "resident": page.arrival.resident,
            "sesam_form": ArrivalSesamForm(),
            "step_form": ArrivalStepForm(),
            "notice_form": ArrivalNoticeForm(),
        },
    )


def _arrival_to_change(user, arrival_id):
    return selectors.access_arrival(user=user, arrival_id=arrival_id, action=Action.CHANGE)


def _arrival_back(arrival) -> str:
    return reverse("mottak:arrival_detail", args=[arrival.pk])


def _arrival_step(form_class, work, done):
    return routine_step_view(
        access=_arrival_to_change,
        service=work,
        back_to=_arrival_back,
        form_class=form_class,
        done=done,
        pk_kwarg="arrival_id",
    )


arrival_sesam = _arrival_step(
    ArrivalSesamForm,
    lambda arrival, by, data: services.arrival_record_sesam(
        arrival=arrival, registered_at=data["registered_at"], by=by
    ),
    gettext_lazy("The Sesam registration is recorded."),
)
arrival_tick = _arrival_step(
    ArrivalStepForm,
    lambda arrival, by, data: services.arrival_step_tick(
        arrival=arrival, step_code=data["step_code"], note=data["note"], by=by
    ),
    gettext_lazy("Recorded."),
)
arrival_notice = _arrival_step(
    ArrivalNoticeForm,
    lambda arrival, by, data: services.arrival_notice_create(
        arrival=arrival, step_code=data["step_code"], channel=data["channel"], by=by
    ),
    gettext_lazy(
        "The arrival notice is made. Open it below, and record it as sent once it has gone out."
    ),
)


# --- turning 18 (MOT-4) and a corrected date of birth -------------------------------------------


@login_required
@require_GET
def turning_18_detail(request, case_id: int):
    page = selectors.turning_18_page(user=request.user, case_id=case_id)
    read_log_record(
        user=request.user, subject=page.case.resident, action="view", detail="turning 18"
    )
    return render(
        request,
        "mottak/turning_18_detail.html",
        {
            "page": page,
            "case": page.case,
            "resident": page.case.resident,
            "views_form": ChildWelfareViewsForm(),
            "request_form": MoveRequestForm(),
        },
    )


def _turning_18_to_change(user, case_id):
    return selectors.access_turning_18(user=user, case_id=case_id, action=Action.CHANGE)


def _turning_18_step(form_class, work, done):
    return routine_step_view(
        access=_turning_18_to_change,
        service=work,
        back_to=lambda case: reverse("mottak:turning_18_detail", args=[case.pk]),
        form_class=form_class,
        done=done,
        pk_kwarg="case_id",
    )


turning_18_views = _turning_18_step(
    ChildWelfareViewsForm,
    lambda case, by, data: services.turning_18_record_child_welfare_views(
        case=case, views=data["views"], given_at=data["given_at"], by=by
    ),
    gettext_lazy("Child welfare's views are recorded."),
)
turning_18_request = _turning_18_step(
    MoveRequestForm,
    lambda case, by, data: services.turning_18_request_move(
        case=case, recommendation=data["recommendation"], channel=data["channel"], by=by
    ),
    gettext_lazy(
        "The request to the regional office is made. Open it below, and record it as sent "
        "once it has gone out."
    ),
)


@login_required
@require_http_methods(["GET", "POST"])
def date_of_birth_correct(request, resident_id: int):
    return _resident_form_page(
        request,
        resident_id,
        form_class=DateOfBirthCorrectionForm,
        service=services.resident_date_of_birth_correct,
        title=_("Correct the date of birth"),
        button=_("Save the corrected date"),
        done=_("The date of birth is corrected; the deadlines counted from it have moved."),
        anchor="#details-heading",
    )


@login_required
@require_POST
def resident_data_export(request, resident_id: int):
    """An access request (GDPR art. 15): everything about the resident as one ZIP archive."""
    from django.http import HttpResponse

    from .subject_access import resident_data_export as export

    data = export(user=request.user, resident_id=resident_id)
    response = HttpResponse(data, content_type="application/zip")
    name = f"innsyn-{timezone.localdate():%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
