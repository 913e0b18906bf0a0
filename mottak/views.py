"""Views of the core records: access → form → one service → redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.services import read_log_record

from . import selectors, selectors_home, services
from .access import Action, access_resident, access_stay, can_see_history, centres_visible_to
from .forms import ResidentRegisterForm, ResidentSearchForm, StayArrivalForm, StayEndForm
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
        saved = request.session.get(SEARCH_SESSION_KEY)
        form = ResidentSearchForm(saved, centres=centres) if saved else None
        if form is None:
            form = ResidentSearchForm(centres=centres)
    if form.is_bound and not form.is_valid():
        residents = Resident.objects.none()
    elif form.is_bound:
        residents = selectors.resident_list(
            user=request.user,
            query=form.cleaned_data["q"],
            centre=form.cleaned_data["centre"],
            stage=form.cleaned_data["stage"],
        )
    else:
        residents = selectors.resident_list(user=request.user)
    page = Paginator(residents, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "mottak/resident_list.html",
        {"form": form, "page": page, "searching": form.is_bound},
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
            "can_change": selectors.can_change(user=request.user, resident=page.resident),
        },
    )


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
    return render(request, "mottak/stay_end.html", {"form": form, "stay": stay})
