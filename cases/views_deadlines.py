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

from . import access, exports
from .forms_deadlines import WaiveForm
from .selectors_deadlines import (
    centre_deadlines,
    deadlines_visible_to,
    national_deadlines,
    notification_groups,
    notifications_for,
    region_centre_counts,
    region_deadlines,
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
def deadlines_national(request):
    """National deadlines (RET-6): no centre answers for them, the user's own role does."""
    rows = national_deadlines(user=request.user)
    links = deadline_links(rows)
    for row in rows:
        row.step_url = links.get(row.pk, "")
    return render(
        request,
        "cases/deadlines/national.html",
        {"deadlines": rows, "overdue_count": sum(1 for r in rows if r.is_overdue)},
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


def _export_rows(deadlines) -> list[list]:
    return [
        [
            d.centre.name if d.centre else "",
            d.due_at,
            -d.hours_over if d.is_overdue else d.hours_left,
            _(d.label),
            str(d.subject) if d.subject else "",
            d.get_state_display(),
        ]
        for d in deadlines
    ]


def _deadline_export(request, *, scope, deadlines, fmt: str, name: str):
    """The deadlines as a file, read-logged for the centre or region and every resident in it."""
    about = {(d.subject_ct_id, d.subject_id) for d in deadlines if d.subject_id}
    return exports.logged_export(
        user=request.user,
        subjects=[scope, *sorted(about)],
        what="deadlines",
        fmt=fmt,
        name=name,
        header=[
            _("Centre"),
            _("Due"),
            _("Hours left (negative: overdue)"),
            _("What"),
            _("About"),
            _("State"),
        ],
        rows=_export_rows(deadlines),
    )


@login_required
@require_GET
def deadlines_centre_export(request, centre_id: int, fmt: str):
    centre = access.access_centre(user=request.user, centre_id=centre_id)
    deadlines = centre_deadlines(user=request.user, centre=centre)
    return _deadline_export(request, scope=centre, deadlines=deadlines, fmt=fmt, name="frister")


@login_required
@require_GET
def deadlines_region_export(request, region_id: int, fmt: str):
    centres = region_centre_counts(user=request.user, region_id=region_id)
    if not centres:
        raise Http404
    deadlines = region_deadlines(user=request.user, region_id=region_id)
    return _deadline_export(
        request, scope=centres[0].region, deadlines=deadlines, fmt=fmt, name="frister-region"
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
