"""Deadline pages and staff notifications: access → form → one service → redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import access
from .forms_deadlines import WaiveForm
from .selectors_deadlines import (
    centre_deadlines,
    deadlines_visible_to,
    notification_groups,
    notifications_for,
    region_centre_counts,
)
from .selectors_work import deadline_links
from .services.deadlines import can_waive, deadline_place_path, deadline_waive
from .services.notifications import notification_mark_read, notifications_mark_all_read


@login_required
@require_GET
def deadlines_centre(request, centre_id: int):
    centre = access.access_centre(user=request.user, centre_id=centre_id)
    rows = centre_deadlines(user=request.user, centre=centre)
    links = deadline_links(rows)
    for row in rows:
        row.step_url = links.get(row.pk, "")
    return render(
        request,
        "cases/deadlines/centre.html",
        {
            "centre": centre,
            "deadlines": rows,
            "overdue_count": sum(1 for r in rows if r.is_overdue),
            "can_waive": can_waive(request.user),
            "waive_form": WaiveForm(),
        },
    )


@login_required
@require_GET
def deadlines_region(request, region_id: int):
    centres = region_centre_counts(user=request.user, region_id=region_id)
    if not centres:
        raise Http404
    return render(
        request,
        "cases/deadlines/region.html",
        {
            "region": centres[0].region,
            "centres": centres,
            "open_total": sum(c.open_count for c in centres),
            "overdue_total": sum(c.overdue_count for c in centres),
        },
    )


@login_required
@require_POST
def deadline_waive_view(request, deadline_id: int):
    deadline = get_object_or_404(deadlines_visible_to(request.user), pk=deadline_id)
    form = WaiveForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("reason", []):
            messages.error(request, error)
    else:
        try:
            deadline_waive(deadline=deadline, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The deadline was waived."))
    return redirect(f"{deadline_place_path(deadline)}#deadline-{deadline.pk}")


@login_required
@require_GET
def notifications_list(request):
    page = Paginator(notifications_for(request.user), 50).get_page(request.GET.get("side"))
    rows = list(page.object_list)
    links = deadline_links([note.deadline for note in rows])
    groups = notification_groups(rows, links=links)
    return render(request, "cases/notifications/list.html", {"page": page, "groups": groups})


@login_required
@require_POST
def notification_read(request, notification_id: int):
    notification = get_object_or_404(notifications_for(request.user), pk=notification_id)
    notification_mark_read(notification=notification)
    if request.POST.get("open"):
        # The step the deadline belongs to when it is a routine case's, else its centre's page.
        step = deadline_links([notification.deadline]).get(notification.deadline_id)
        return redirect(step or notification.link)
    return redirect("cases:notifications")


@login_required
@require_POST
def notifications_read_all(request):
    notifications_mark_all_read(user=request.user)
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect("cases:notifications")
