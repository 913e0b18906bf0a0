"""The return routine's pages: access (the assigned ASA caseworker works the case, R-19) →
form → one service → back to the case."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from cases import exports
from cases.downloads import download_name
from cases.selectors_deadlines import deadlines_for_owner
from cases.services import read_log_record
from cases.views_routines import routine_step_view
from mottak.access import Action, may

from . import documents, forms, selectors, selectors_portfolio, services, services_meetings
from .models import ReturnCase, ReturnConversation, ReturnHandover

Kind = ReturnConversation.Kind


@login_required
@require_GET
def case_list(request):
    if not may(request.user, "retur.follow_cases"):
        raise Http404
    cases = selectors.return_cases_visible_to(request.user).order_by("state", "-opened_at")[:200]
    return render(request, "retur/list.html", {"cases": cases})


@login_required
@require_GET
def case_detail(request, case_id: int):
    case = selectors.access_return_case(user=request.user, case_id=case_id)
    read_log_record(user=request.user, subject=case.resident, action="view", detail="return case")
    may_work = selectors.may_work_on(request.user, case)
    held = {c.kind for c in case.conversations.all() if c.held_at}
    context = {
        "case": case,
        "may_work": may_work and case.state == case.State.OPEN,
        "may_assign": request.user.is_admin_role and case.state == case.State.OPEN,
        "conversations": list(case.conversations.select_related("recorded_by")),
        "contacts": list(case.contacts.select_related("by")[:100]),
        "forms_by_kind": [
            (kind, label, forms.ConversationForm(kind=kind, prefix=kind))
            for kind, label in Kind.choices
            if kind not in held
        ],
        "not_attended_form": forms.NotAttendedForm(prefix="missed"),
        "contact_form": forms.ContactForm(prefix="contact"),
        "path_form": forms.PathForm(initial={"path": case.path}),
        "care_form": forms.CarePremiseForm(
            initial={"care_premise": case.care_premise}, prefix="care"
        ),
        "returned_form": forms.ReturnedForm(prefix="returned"),
        "not_feasible_form": forms.NotFeasibleForm(prefix="nf"),
        "assign_form": forms.AssignForm(initial={"caseworker": case.caseworker_id}),
        "information": list(case.information.all()),
        "tasks": selectors.tasks_of(case),
        "may_work_tasks": may_work and case.state in (case.State.OPEN, case.State.NOT_FEASIBLE),
        "task_form": forms.TaskForm(prefix="task"),
        "information_form": forms.InformationForm(prefix="info"),
        "handovers": list(case.handovers.all()),
        "may_hand_over": case.state == case.State.OPEN
        and case.path == case.Path.ASSISTED
        and may(request.user, "retur.portfolio"),
        "handover_form": forms.HandoverForm(prefix="handover"),
    }
    return render(request, "retur/detail.html", context)


def _workable(user, case_id):
    return selectors.access_return_case(user=user, case_id=case_id, action=Action.CHANGE)


def _back(case) -> str:
    return reverse("retur:detail", args=[case.pk])


def _step(form_class, service, done, **form_kwargs):
    return routine_step_view(
        access=_workable,
        service=service,
        back_to=_back,
        form_class=form_class,
        done=done,
        form_kwargs=form_kwargs,
        pk_kwarg="case_id",
    )


def _conversation(kind: str):
    return _step(
        forms.ConversationForm,
        lambda case, by, data: services.return_conversation_record(
            case=case, kind=kind, by=by, **data
        ),
        gettext_lazy("The return conversation is recorded."),
        kind=kind,
        prefix=kind,
    )


conversation_after_udi = _conversation(Kind.AFTER_UDI)
conversation_after_une = _conversation(Kind.AFTER_UNE)
not_attended = _step(
    forms.NotAttendedForm,
    lambda case, by, data: services.return_conversation_not_attended(case=case, by=by, **data),
    gettext_lazy("Not attended; the new time is recorded."),
    prefix="missed",
)
contact = _step(
    forms.ContactForm,
    lambda case, by, data: services.return_case_record_contact(case=case, by=by, **data),
    gettext_lazy("The contact is recorded."),
    prefix="contact",
)
path_choose = _step(
    forms.PathForm,
    lambda case, by, data: services.return_case_choose_path(case=case, by=by, **data),
    gettext_lazy("The return path is recorded."),
)
care_premise = _step(
    forms.CarePremiseForm,
    lambda case, by, data: services.return_case_verify_care_premise(case=case, by=by, **data),
    gettext_lazy("The care premise is recorded as verified."),
    prefix="care",
)
returned = _step(
    forms.ReturnedForm,
    lambda case, by, data: services.return_case_mark_returned(case=case, by=by, **data),
    gettext_lazy("The return is recorded."),
    prefix="returned",
)
not_feasible = _step(
    forms.NotFeasibleForm,
    lambda case, by, data: services.return_case_not_feasible(case=case, by=by, **data),
    gettext_lazy("Recorded: return not feasible, follow-up with UNE."),
    prefix="nf",
)
information = _step(
    forms.InformationForm,
    lambda case, by, data: services.return_case_record_information(case=case, by=by, **data),
    gettext_lazy("The information about assisted return is recorded."),
    prefix="info",
)
handover = routine_step_view(
    access=lambda user, case_id: selectors.access_return_case(user=user, case_id=case_id),
    service=lambda case, by, data: services.return_case_hand_over(case=case, by=by, **data),
    back_to=lambda case: reverse("retur:portfolio"),
    form_class=forms.HandoverForm,
    done=gettext_lazy("The case is handed over to ASA."),
    form_kwargs={"prefix": "handover"},
    pk_kwarg="case_id",
)
assign = routine_step_view(
    access=lambda user, case_id: selectors.access_return_case(user=user, case_id=case_id),
    service=lambda case, by, data: services.return_case_assign(case=case, by=by, **data),
    back_to=_back,
    form_class=forms.AssignForm,
    done=gettext_lazy("The caseworker is assigned."),
    pk_kwarg="case_id",
)


@login_required
@require_GET
def minutes_pdf(request, conversation_id: int):
    """RET-1: the minutes of a held conversation, as a PDF for the case file."""
    conversation = selectors.access_held_conversation(
        user=request.user, conversation_id=conversation_id
    )
    case = conversation.case
    pdf = documents.conversation_minutes_pdf(conversation, by=request.user)
    read_log_record(
        user=request.user, subject=case.resident, action="download", detail="return minutes"
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    name = download_name(_("return conversation"), timezone.localdate(conversation.held_at), "pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


# ---- RET-4: RMA's portfolio, in aggregates ----------------------------------------------------

PATH_COLOURS = {
    "assisted": "#1f5f8b",
    "forced": "#b3261e",
    "escorted": "#7a4f01",
    "dublin": "#3b6e3b",
}


def _stacked_bars(by_month) -> tuple[list[dict], int]:
    """The chart as SVG geometry computed here: CSP forbids inline styles and scripts."""
    width, height, gap, top = 36, 160, 12, 20
    highest = max((sum(paths.values()) for _month, paths in by_month), default=0)
    scale = height / highest if highest else 0
    bars = []
    for index, (month, paths) in enumerate(by_month):
        x = index * (width + gap) + gap
        y = top + height
        segments = []
        for path, count in paths.items():
            segment_height = round(count * scale)
            y -= segment_height
            if count:
                segments.append(
                    {
                        "path": path,
                        "count": count,
                        "y": y,
                        "height": segment_height,
                        "fill": PATH_COLOURS.get(path, "#555"),
                    }
                )
        bars.append(
            {
                "month": month,
                "x": x,
                "width": width,
                "label_x": x + width // 2,
                "total": sum(paths.values()),
                "total_y": y - 4,
                "segments": segments,
            }
        )
    return bars, max(240, len(bars) * (width + gap) + gap)


@login_required
@require_GET
def portfolio(request):
    if not may(request.user, "retur.portfolio"):
        raise Http404
    data = selectors_portfolio.portfolio()
    bars, chart_width = _stacked_bars(data.returned_by_month)
    path_labels = dict(ReturnCase.Path.choices)
    return render(
        request,
        "retur/portfolio.html",
        {
            "portfolio": data,
            "bars": bars,
            "chart_width": chart_width,
            "legend": [(path_labels[p], colour) for p, colour in PATH_COLOURS.items()],
            "returned_rows": [
                (month, region, nationality, path_labels.get(path, path), count)
                for month, region, nationality, path, count in data.returned_rows
            ],
            "handovers": [
                (dict(ReturnHandover.Reason.choices).get(reason, reason), count)
                for reason, count in data.handovers.items()
            ],
            "assisted_track": selectors.return_cases_visible_to(request.user).filter(
                path=ReturnCase.Path.ASSISTED, state=ReturnCase.State.OPEN
            )[:200],
        },
    )


@login_required
@require_GET
def portfolio_export(request, fmt: str):
    """Aggregates only (R-19): nothing in the file identifies a child, so nothing is read-logged."""
    if not may(request.user, "retur.portfolio"):
        raise Http404
    data = selectors_portfolio.portfolio()
    path_labels = dict(ReturnCase.Path.choices)
    return exports.export_response(
        fmt=fmt,
        name="returportefolje",
        header=[_("Month"), _("Region"), _("Nationality"), _("Return path"), _("Returned")],
        rows=[
            (month, region, nationality, str(path_labels.get(path, path)), count)
            for month, region, nationality, path, count in data.returned_rows
        ],
    )


# ---- RET-6: RMA's quarterly meetings -------------------------------------------------------


@login_required
@require_GET
def meeting_list(request):
    if not may(request.user, "retur.meetings"):
        raise Http404
    meetings = list(selectors.meetings_visible_to(request.user)[:40])
    return render(request, "retur/meetings.html", {"meetings": meetings})


@login_required
@require_GET
def meeting_detail(request, meeting_id: int):
    meeting = selectors.access_meeting(user=request.user, meeting_id=meeting_id)
    return render(
        request,
        "retur/meeting.html",
        {
            "meeting": meeting,
            "deadlines": list(deadlines_for_owner(meeting)),
            "minutes_form": forms.MeetingMinutesForm(initial={"held_on": timezone.localdate()}),
        },
    )


meeting_record = routine_step_view(
    access=lambda user, meeting_id: selectors.access_meeting(user=user, meeting_id=meeting_id),
    service=lambda meeting, by, data: services_meetings.quarterly_meeting_record(
        meeting=meeting, by=by, **data
    ),
    back_to=lambda meeting: reverse("retur:meeting", args=[meeting.pk]),
    form_class=forms.MeetingMinutesForm,
    done=gettext_lazy("The minutes are recorded; the next quarter's meeting is planned."),
    pk_kwarg="meeting_id",
)


# ---- RET-5: tasks with deadlines -----------------------------------------------------------

task_new = _step(
    forms.TaskForm,
    lambda case, by, data: services.return_task_create(case=case, by=by, **data),
    gettext_lazy("The task is added."),
    prefix="task",
)


def _task_back(task) -> str:
    return f"{reverse('retur:detail', args=[task.case_id])}#task-{task.pk}"


task_done = routine_step_view(
    access=lambda user, task_id: selectors.access_task(user=user, task_id=task_id),
    service=lambda task, by, data: services.return_task_done(task=task, by=by),
    back_to=_task_back,
    done=gettext_lazy("The task is marked as done."),
    pk_kwarg="task_id",
)
task_reopen = routine_step_view(
    access=lambda user, task_id: selectors.access_task(user=user, task_id=task_id),
    service=lambda task, by, data: services.return_task_reopen(task=task, by=by),
    back_to=_task_back,
    done=gettext_lazy("The task is open again."),
    pk_kwarg="task_id",
)


@login_required
@require_GET
def task_detail(request, task_id: int):
    """A task's place: its row on the case page (where its deadline links to)."""
    return redirect(_task_back(selectors.access_task(user=request.user, task_id=task_id)))
