"""Pages of the missing-minors routine: access → form → one service → redirect."""

import uuid
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from cases import exports
from cases.downloads import download_name, private_file_response
from cases.rules import purpose_label
from cases.selectors import routine_page
from cases.services import read_log_record
from cases.services.deadlines import can_waive
from cases.views_routines import form_errors_as_messages, refusal_as_messages, routine_step_view
from mottak.access import Action, access_resident, may, residents_visible_to

from . import forms, rules, selectors, services
from .models import MissingReport
from .routine import MISSING, MISSING_CHECKLIST, RETURN_CHECKLIST
from .services import profiles as profile_services


def _detail(report: MissingReport):
    return redirect("savnet:detail", report_id=report.pk)


def _changeable(request, report_id) -> MissingReport:
    return selectors.access_report(user=request.user, report_id=report_id, action=Action.CHANGE)


# ---- lists -------------------------------------------------------------------------------------


@login_required
@require_GET
def report_list(request):
    if may(request.user, "savnet.see_overview"):
        return redirect("savnet:overview")
    rows = selectors.report_rows(request.user, active_only=request.GET.get("state") == "active")
    return render(
        request,
        "savnet/list.html",
        {
            "rows": rows,
            "region_view": may(request.user, "savnet.see_region"),
            "can_report": residents_visible_to(request.user, Action.CHANGE).exists(),
        },
    )


@login_required
@require_GET
def overview(request):
    data = selectors.overview(request.user)
    bars = _bars(data)
    return render(
        request,
        "savnet/overview.html",
        {"overview": data, "bars": bars, "chart_width": max(240, len(bars) * 48 + 24)},
    )


@login_required
@require_GET
def overview_export(request, fmt: str):
    rows, centres = selectors.overview_export(request.user)
    return exports.logged_export(
        user=request.user,
        subjects=centres,
        what="missing-minors overview",
        fmt=fmt,
        name="savnet-oversikt",
        header=[_("Centre"), _("Month"), _("Reports")],
        rows=rows,
    )


def _bars(data) -> list[dict]:
    """The chart as SVG geometry computed here: CSP forbids inline styles and scripts."""
    width, height, gap = 36, 160, 12
    scale = height / data.max_count if data.max_count else 0
    bars = []
    for index, (month, count) in enumerate(data.by_month):
        bar_height = round(count * scale)
        bars.append(
            {
                "month": month,
                "count": count,
                "x": index * (width + gap) + gap,
                "y": height - bar_height + 20,
                "width": width,
                "height": bar_height,
                "label_x": index * (width + gap) + gap + width // 2,
            }
        )
    return bars


# ---- starting a report ---------------------------------------------------------------------------


def _resident_choices(user):
    active = MissingReport.objects.filter(state__in=MissingReport.ACTIVE_STATES).values(
        "resident_id"
    )
    return residents_visible_to(user, Action.CHANGE).exclude(pk__in=active)


@login_required
def report_start(request):
    """Record an absence being looked into, or report missing straight away."""
    resident = None
    resident_id = request.POST.get("resident") or request.GET.get("resident")
    if resident_id:
        resident = access_resident(user=request.user, resident_id=resident_id, action=Action.CHANGE)
    action = request.POST.get("action")
    investigation_form = forms.InvestigationForm(
        request.POST if action == "investigate" else None, prefix="inv"
    )
    open_form = forms.OpenReportForm(request.POST if action == "open" else None, prefix="open")
    if request.method == "POST":
        if resident is None:
            messages.error(request, _("Choose the resident."))
        else:
            form = investigation_form if action == "investigate" else open_form
            if form.is_valid():
                try:
                    report = _start(
                        action, resident=resident, data=form.cleaned_data, by=request.user
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(
                        request,
                        _("Reported missing. The 24-hour limit runs from now on the steps below.")
                        if report.state == MissingReport.State.OPEN
                        else _("The absence is recorded as being looked into."),
                    )
                    return _detail(report)
    if resident is not None:
        read_log_record(user=request.user, subject=resident, action="view", detail="report form")
    return render(
        request,
        "savnet/start.html",
        {
            "resident": resident,
            "residents": _resident_choices(request.user).select_related("centre")[:500],
            "investigation_form": investigation_form,
            "open_form": open_form,
        },
    )


def _start(action: str, *, resident, data: dict, by) -> MissingReport:
    if action == "investigate":
        return services.missing_report_start_investigation(resident=resident, by=by, **data)
    return services.missing_report_open(resident=resident, by=by, **data)


# ---- the report page -------------------------------------------------------------------------------


@login_required
@require_GET
def report_detail(request, report_id: int):
    report = selectors.access_report(user=request.user, report_id=report_id)
    read_log_record(
        user=request.user, subject=report.resident, action="view", detail="missing report"
    )
    now = timezone.now()
    steps = routine_page(routine=MISSING, case=report, checklist=MISSING_CHECKLIST)
    done_return = routine_page(routine=MISSING, case=report, checklist=RETURN_CHECKLIST)
    # A step whose notice is made (sent or not) offers no form to make it again.
    made_codes = {row.step.code for row in steps if row.done or row.awaiting_sending}
    can_change = (
        residents_visible_to(request.user, Action.CHANGE).filter(pk=report.resident_id).exists()
    )
    context = {
        "report": report,
        "has_agreement": selectors.police_agreement_of(report) is not None,
        "duty_service": services.duty_service_of(report),
        "steps": steps,
        "steps_left": [row for row in steps if not row.done],
        "return_done": [row for row in done_return if row.done],
        "return_unsent": [row for row in done_return if row.awaiting_sending],
        "return_left": selectors.open_return_steps(report) if report.state != "open" else [],
        "hours_left": rules.hours_left(limit=report.limit_at, now=now)
        if report.limit_at and report.state == MissingReport.State.OPEN
        else None,
        "dispatches": [(d, purpose_label(d.purpose)) for d in selectors.dispatches_of(report)],
        "made_codes": made_codes,
        "calls": list(report.calls.select_related("called_by")),
        "sesam": getattr(report, "sesam_registration", None),
        "conversation": getattr(report, "follow_up", None),
        "appointments": selectors.appointments_to_cancel(report, now=now)
        if report.state == MissingReport.State.OPEN
        else [],
        "can_change": can_change,
        "can_waive": can_change and can_waive(request.user) and report.state != "investigating",
        "can_end_stay": report.state == MissingReport.State.OPEN
        and report.stay_ended_at is None
        and may(request.user, "savnet.end_stay"),
        "end_stay_form": forms.EndStayForm(prefix="end"),
    }
    if can_change:
        context.update(_action_forms(report))
    return render(request, "savnet/detail.html", context)


def _action_forms(report: MissingReport) -> dict:
    key = uuid.uuid4()
    return {
        "open_form": forms.OpenReportForm(
            prefix="open",
            initial={
                "noticed_at": report.noticed_at and timezone.localtime(report.noticed_at),
                "last_seen_at": report.last_seen_at and timezone.localtime(report.last_seen_at),
                "circumstances": report.circumstances,
            },
        ),
        "police_form": forms.PoliceReportForm(),
        "child_welfare_form": forms.ChildWelfareReportForm(),
        "facts_form": forms.SearchFactsForm(
            initial={name: getattr(report, name) for name in forms.SearchFactsForm.base_fields}
        ),
        "concern_form": forms.ConcernObservationForm(),
        "call_form": forms.PhoneCallForm(initial={"submission_key": key}),
        "sesam_form": forms.SesamForm(),
        "found_form": forms.FoundForm(initial={"submission_key": key}),
        "whereabouts_form": forms.WhereaboutsForm(prefix="whereabouts"),
        "follow_up_form": forms.FollowUpForm(),
        "placement_form": forms.PlacementForm(),
        "end_form": forms.InvestigationEndForm(),
        "note_form": forms.NoteForm(),
    }


# ---- the steps: each a POST that calls one service ---------------------------------------------------


def _post_form(request, report_id, form_class, **form_kwargs):
    report = _changeable(request, report_id)
    form = form_class(request.POST, **form_kwargs)
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return report, None
    return report, form.cleaned_data


def _access_to_change(user, report_id) -> MissingReport:
    return selectors.access_report(user=user, report_id=report_id, action=Action.CHANGE)


def _back(report: MissingReport) -> str:
    return reverse("savnet:detail", args=[report.pk])


def _form_step(form_class, work: Callable, done, **form_kwargs):
    """A step with a form: access (change) → form → one service → back to the report."""
    return routine_step_view(
        access=_access_to_change,
        service=work,
        back_to=_back,
        form_class=form_class,
        done=done,
        form_kwargs=form_kwargs,
        pk_kwarg="report_id",
    )


def _button_step(work: Callable, done):
    """A step that is one button: access (change) → one service → back to the report."""
    return routine_step_view(
        access=_access_to_change,
        service=lambda report, by, data: work(report, by),
        back_to=_back,
        done=done,
        pk_kwarg="report_id",
    )


report_open = _form_step(
    forms.OpenReportForm,
    lambda report, by, data: services.missing_report_open(
        resident=report.resident, by=by, source=report.source, **data
    ),
    gettext_lazy("Reported missing. The 24-hour limit runs on the steps below."),
    prefix="open",
)
whereabouts_known = _form_step(
    forms.WhereaboutsForm,
    lambda report, by, data: services.missing_report_whereabouts_known(
        report=report, by=by, **data
    ),
    gettext_lazy(
        "The whereabouts are recorded. Send the written notices below; the report stays open."
    ),
    prefix="whereabouts",
)
investigation_end = _form_step(
    forms.InvestigationEndForm,
    lambda report, by, data: services.missing_report_investigation_end(
        report=report, note=data["note"], by=by
    ),
    gettext_lazy("The absence is recorded as explained."),
)
police_send = _form_step(
    forms.PoliceReportForm,
    lambda report, by, data: services.missing_report_send_to_police(report=report, by=by, **data),
    gettext_lazy("The missing-person report to the police is made. Download it below."),
)
child_welfare_send = _form_step(
    forms.ChildWelfareReportForm,
    lambda report, by, data: services.missing_report_send_to_child_welfare(
        report=report, by=by, **data
    ),
    gettext_lazy("The concern report to child welfare is made."),
)
call_log = _form_step(
    forms.PhoneCallForm,
    lambda report, by, data: services.missing_report_log_call(report=report, by=by, **data),
    gettext_lazy("The call is logged."),
)
sesam_record = _form_step(
    forms.SesamForm,
    lambda report, by, data: services.missing_report_record_sesam(report=report, by=by, **data),
    gettext_lazy("The Sesam registration is recorded."),
)
follow_up = _form_step(
    forms.FollowUpForm,
    lambda report, by, data: services.missing_report_record_follow_up(
        report=report, data=services.FollowUpData(**data), by=by
    ),
    gettext_lazy("The follow-up conversation is recorded."),
)
general_procedure = _form_step(
    forms.NoteForm,
    lambda report, by, data: services.missing_report_record_general_procedure(
        report=report, note=data["note"], by=by
    ),
    gettext_lazy("Recorded."),
)
appointments_cancel = _button_step(
    lambda report, by: services.missing_report_cancel_appointments(report=report, by=by),
    gettext_lazy("The cancellation notices to UDI's asylum department are made."),
)
regional_copies = _button_step(
    lambda report, by: services.missing_report_send_regional_copies(report=report, by=by),
    gettext_lazy("The copies to the regional office are made."),
)
neglect_reports = _button_step(
    lambda report, by: services.missing_report_send_neglect_reports(report=report, by=by),
    gettext_lazy("The concern reports to child welfare and the regional office are made."),
)
asylum_info = _button_step(
    lambda report, by: services.missing_report_send_asylum_info(report=report, by=by),
    gettext_lazy("The information for the asylum case is made ready for the regional office."),
)
placement_record = _form_step(
    forms.PlacementForm,
    lambda report, by, data: services.missing_report_record_placement(report=report, by=by, **data),
    gettext_lazy("The placement after the return is recorded."),
)


def _access_as_regional_office(user, report_id) -> MissingReport:
    """R-20: the regional office, which sees the report but may not change the resident, ends
    the stay; anyone else is answered as if the report did not exist."""
    if not may(user, "savnet.end_stay"):
        raise Http404
    return selectors.access_report(user=user, report_id=report_id)


stay_end = routine_step_view(
    access=_access_as_regional_office,
    service=lambda report, by, data: services.missing_report_end_stay(report=report, by=by, **data),
    back_to=_back,
    form_class=forms.EndStayForm,
    form_kwargs={"prefix": "end"},
    done=gettext_lazy("The stay is ended as missing. A return opens a new stay."),
    pk_kwarg="report_id",
)
search_facts = _form_step(
    forms.SearchFactsForm,
    lambda report, by, data: services.missing_report_update_search_facts(
        report=report, by=by, **data
    ),
    gettext_lazy("Saved. Forms made from now on print it."),
)
concern_observed = _form_step(
    forms.ConcernObservationForm,
    lambda report, by, data: services.missing_report_record_concern(report=report, by=by, **data),
    gettext_lazy("Recorded. The new concern report to child welfare is due now."),
)
close = _button_step(
    lambda report, by: services.missing_report_close(report=report, by=by),
    gettext_lazy("The report is closed."),
)


@login_required
@require_POST
def step_waive(request, report_id: int, step_code: str):
    report, data = _post_form(request, report_id, forms.NoteForm)
    if data is None:
        return _detail(report)
    try:
        services.missing_report_waive_step(
            report=report, step_code=step_code, reason=data["note"], by=request.user
        )
    except ValidationError as error:
        if error.code == "unknown_step":
            raise Http404 from None
        refusal_as_messages(request, error)
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You may not do this."))
    else:
        messages.success(request, _("The step is waived."))
    return _detail(report)


@login_required
@require_POST
def found(request, report_id: int):
    report, data = _post_form(request, report_id, forms.FoundForm)
    if data is None:
        return _detail(report)
    data.pop("submission_key")
    if report.found_at is not None:
        # The same form sent twice: the first did the work.
        messages.info(request, _("The return was already recorded."))
        return _detail(report)
    try:
        result = services.missing_report_found(report=report, by=request.user, **data)
    except ValidationError as error:
        refusal_as_messages(request, error)
        return _detail(report)
    if "steps_left_open" in result.warnings:
        messages.warning(
            request,
            _(
                "Some steps of the missing routine were not done. A centre leader should waive them on this page."
            ),
        )
    if "new_stay" in result.warnings:
        messages.info(
            request,
            _(
                "The regional office had ended the stay: the resident is taken in on a new stay at this centre."
            ),
        )
    if "centre_full" in result.warnings:
        messages.warning(
            request,
            _(
                "The centre is full. The resident is taken in all the same until UDI has clarified the placement."
            ),
        )
    messages.success(
        request,
        ngettext(
            "The return is recorded; %(count)s written notice is made.",
            "The return is recorded; %(count)s written notices are made.",
            len(result.notices),
        )
        % {"count": len(result.notices)},
    )
    return _detail(report)


# ---- what the police need to recognise the minor (SAV-3) -------------------------------------------


@login_required
def profile(request, resident_id: int):
    """The description and photo kept for a missing-person report: seen by whoever may see the
    resident, changed by whoever may change them."""
    action = Action.CHANGE if request.method == "POST" else Action.VIEW
    resident = access_resident(user=request.user, resident_id=resident_id, action=action)
    current = selectors.search_profile_of(resident)
    profile_form = forms.SearchProfileForm(
        request.POST if request.POST.get("part") == "profile" else None,
        initial={name: getattr(current, name) for name in forms.SearchProfileForm.base_fields}
        if current
        else None,
    )
    photo_form = forms.PhotoForm(
        request.POST if request.POST.get("part") == "photo" else None,
        request.FILES if request.POST.get("part") == "photo" else None,
    )
    if request.method == "POST":
        form = profile_form if request.POST.get("part") == "profile" else photo_form
        if form.is_valid():
            try:
                if form is profile_form:
                    profile_services.search_profile_save(
                        resident=resident, by=request.user, **form.cleaned_data
                    )
                else:
                    profile_services.resident_photo_upload(
                        resident=resident,
                        upload=form.cleaned_data["image"],
                        taken_on=form.cleaned_data["taken_on"],
                        by=request.user,
                    )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("savnet:profile", resident_id=resident.pk)
    read_log_record(
        user=request.user, subject=resident, action="view", detail="missing-person description"
    )
    return render(
        request,
        "savnet/profile.html",
        {
            "resident": resident,
            "profile_form": profile_form,
            "photo_form": photo_form,
            "photo": selectors.photo_of(resident),
            "can_change": residents_visible_to(request.user, Action.CHANGE)
            .filter(pk=resident.pk)
            .exists(),
        },
    )


@login_required
@require_GET
def photo(request, resident_id: int):
    """The photo, only through the access layer: never a public media URL (X-3)."""
    resident = access_resident(user=request.user, resident_id=resident_id, action=Action.VIEW)
    stored = selectors.photo_of(resident)
    if stored is None:
        raise Http404
    extension = stored.image.name.rsplit(".", 1)[-1]
    return private_file_response(
        user=request.user,
        stored_file=stored.image,
        log_subject=resident,
        log_detail="resident photo",
        filename=download_name("foto", stored.uploaded_at.date(), extension),
        content_type="image/png" if extension == "png" else "image/jpeg",
    )


@login_required
@require_POST
def photo_delete(request, resident_id: int):
    resident = access_resident(user=request.user, resident_id=resident_id, action=Action.CHANGE)
    if profile_services.resident_photo_delete(resident=resident, by=request.user):
        messages.success(request, _("The photo is deleted."))
    return redirect("savnet:profile", resident_id=resident.pk)
