"""Pages of the presence register and of outings: access → form → one service → redirect."""

import re
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import rules_presence as rules
from . import selectors_presence as selectors
from . import services
from .access import access_centre, centres_visible_to, may
from .forms_presence import OutingForm, PresenceSheetForm
from .models import Outing, PresenceCheck

RESIDENT_FIELD = re.compile(r"^r(\d+)$")


def _centre(user, centre_id):
    """A centre whose presence register the user keeps, else 404 (like a missing one)."""
    if not may(user, "mottak.keep_presence"):
        raise Http404
    return access_centre(user=user, centre_id=centre_id)


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Http404 from None


@login_required
@require_GET
def presence_home(request):
    if not may(request.user, "mottak.keep_presence"):
        raise Http404
    centres = list(centres_visible_to(request.user))
    if len(centres) == 1:
        return redirect("mottak:presence_day", centres[0].pk, timezone.localdate().isoformat())
    return render(
        request,
        "mottak/presence/home.html",
        {"slots": selectors.current_slots(centres), "today": timezone.localdate()},
    )


def _day_context(request, centre, on_date, outing_form=None) -> dict:
    residents = selectors.residents_in_house(user=request.user, centre=centre)
    return {
        "centre": centre,
        "on_date": on_date,
        "previous_day": date.fromordinal(on_date.toordinal() - 1),
        "next_day": date.fromordinal(on_date.toordinal() + 1),
        "is_today": on_date == timezone.localdate(),
        "slots": selectors.day_slots(centre, on_date),
        "outings": list(selectors.open_outings(centre)),
        "outing_form": outing_form or OutingForm(residents=residents),
        "now": timezone.now(),
    }


@login_required
@require_GET
def presence_day(request, centre_id: int, day: str):
    centre = _centre(request.user, centre_id)
    return render(request, "mottak/presence/day.html", _day_context(request, centre, _day(day)))


@login_required
@require_http_methods(["GET", "POST"])
def presence_check(request, centre_id: int, day: str, kind: str):
    centre = _centre(request.user, centre_id)
    on_date = _day(day)
    slot = selectors.check_time(centre, kind)
    if slot is None:
        raise Http404
    held_at = rules.check_moment(on_date, slot.time)
    check = PresenceCheck.objects.filter(centre=centre, on_date=on_date, kind=kind).first()
    rows = selectors.sheet(user=request.user, centre=centre, held_at=held_at, check=check)
    if request.method == "POST":
        known = {f"r{row.resident.pk}" for row in rows}
        # A resident who does not live here (another centre's, or made up) answers 404.
        if any(RESIDENT_FIELD.match(k) and k not in known for k in request.POST):
            raise Http404
        form = PresenceSheetForm(request.POST, rows=rows)
        if form.is_valid():
            try:
                services.presence_check_record(
                    centre=centre, kind=kind, on_date=on_date, marks=form.marks(), by=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The check is recorded."))
                return redirect("mottak:presence_day", centre.pk, on_date.isoformat())
    else:
        form = PresenceSheetForm(rows=rows)
    return render(
        request,
        "mottak/presence/check.html",
        {
            "centre": centre,
            "on_date": on_date,
            "slot": slot,
            "held_at": held_at,
            "check": check,
            "form": form,
            "rows": rows,
            "not_due": held_at > timezone.now(),
        },
    )


@login_required
@require_POST
def outing_new(request, centre_id: int):
    centre = _centre(request.user, centre_id)
    today = timezone.localdate()
    residents = selectors.residents_in_house(user=request.user, centre=centre)
    resident_id = request.POST.get("resident", "")
    if resident_id and not residents.filter(pk=resident_id if resident_id.isdigit() else 0):
        raise Http404
    form = OutingForm(request.POST, residents=residents)
    if form.is_valid():
        try:
            services.outing_record(
                resident=form.cleaned_data["resident"],
                return_by=rules.outing_return_at(
                    now=timezone.now(), at=form.cleaned_data["return_time"]
                ),
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The outing is recorded."))
            return redirect("mottak:presence_day", centre.pk, today.isoformat())
    context = _day_context(request, centre, today, outing_form=form)
    return render(request, "mottak/presence/day.html", context, status=200)


@login_required
@require_POST
def outing_back(request, outing_id: int):
    if not may(request.user, "mottak.keep_presence"):
        raise Http404
    try:
        outing = Outing.objects.select_related("centre").get(pk=outing_id)
    except Outing.DoesNotExist:
        raise Http404 from None
    centre = access_centre(user=request.user, centre_id=outing.centre_id)
    try:
        services.outing_mark_back(outing=outing, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Recorded as back."))
    return redirect("mottak:presence_day", centre.pk, timezone.localdate().isoformat())
