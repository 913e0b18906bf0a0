"""Views of the leave routine: access → form → one service → redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases.downloads import download_name
from cases.models import Dispatch
from cases.selectors import routine_page
from cases.services import read_log_record
from cases.services.deadlines import can_waive
from cases.views_routines import routine_step_view
from mottak.access import Action, access_resident, centres_visible_to, may

from . import documents, forms, rules, selectors, services
from .models import LeaveApplication, LeaveReference
from .routine import AFTER_GRANT, BEFORE_DEPARTURE, LEAVE, PREPARATION
from .routine import WRITTEN as WRITTEN_CHANNELS

State = LeaveApplication.State


def _detail_url(application) -> str:
    return reverse("permisjon:detail", args=[application.pk])


def _add_errors(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


def _fail(request, application, error: ValidationError):
    for message in error.messages:
        messages.error(request, message)
    return redirect(_detail_url(application))


@login_required
def application_list(request):
    centres = centres_visible_to(request.user)
    centre = None
    if request.GET.get("centre"):
        try:
            centre = centres.get(pk=int(request.GET["centre"]))
        except (ValueError, TypeError, centres.model.DoesNotExist):
            raise Http404 from None
    states = [s for s in request.GET.getlist("state") if s in State.values]
    applications = selectors.leave_application_list(
        user=request.user, centre=centre, states=states
    )[:200]
    return render(
        request,
        "permisjon/application_list.html",
        {
            "applications": applications,
            "centres": centres,
            "centre": centre,
            "states": State.choices,
            "selected_states": states,
            "is_region": may(request.user, "permisjon.decide_in_region"),
        },
    )


@login_required
def region_queue(request):
    if not may(request.user, "permisjon.decide_in_region"):
        raise Http404
    return render(
        request,
        "permisjon/region_queue.html",
        {"applications": selectors.region_queue(user=request.user)[:200]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_create(request, resident_id):
    resident = access_resident(user=request.user, resident_id=resident_id, action=Action.CHANGE)
    form = forms.LeaveApplicationForm(request.POST or None, prefix="leave")
    contacts = forms.ContactPersonFormSet(request.POST or None, prefix="contact")
    if request.method == "POST" and form.is_valid() and contacts.is_valid():
        try:
            application = services.leave_application_submit(
                resident=resident,
                data=services.LeaveApplicationData(**form.cleaned_data),
                contact_persons=[
                    services.ContactPersonData(**c)
                    for c in contacts.cleaned_data
                    if c and not c.get("DELETE")
                ],
                by=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The leave application was registered."))
            return redirect(_detail_url(application))
    read_log_record(user=request.user, subject=resident, action="view", detail="leave form")
    return render(
        request,
        "permisjon/application_form.html",
        {"resident": resident, "form": form, "contacts": contacts},
    )


@login_required
@require_GET
def application_pdf(request, pk):
    """PERM-2: the application on UDI's form, printed for the minor's signature and the file."""
    application = selectors.access_leave_application(user=request.user, application_id=pk)
    pdf = selectors.application_form_pdf(application, by=request.user)
    read_log_record(
        user=request.user, subject=application.resident, action="download", detail="application"
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    name = download_name(_("leave application"), timezone.localdate(), "pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def application_detail(request, pk):
    application = selectors.access_leave_application(user=request.user, application_id=pk)
    application = selectors.leave_application_detail(application=application)
    outcome = selectors.leave_outcome(application)
    read_log_record(
        user=request.user, subject=application.resident, action="view", detail=str(application)
    )
    may_change = selectors.user_may_change(request.user, application)
    may_decide = selectors.decision_open_to(request.user, application)
    dispatches = list(selectors.dispatches_of(application))
    forwarding_due = rules.perm_3_forwarding_due(application.departure_at)
    return render(
        request,
        "permisjon/application_detail.html",
        {
            "application": application,
            "resident": application.resident,
            "outcome": outcome,
            "open_steps": selectors.preparation_open_steps(application, outcome),
            "preparation": routine_page(routine=LEAVE, case=application, checklist=PREPARATION),
            "may_change": may_change,
            "may_decide": may_decide,
            "decision_form": forms.DecisionForm(warnings=outcome.warnings) if may_decide else None,
            "pu_form": forms.PUViewForm(),
            "call_form": forms.FollowUpCallForm(),
            "told_form": forms.RepresentativeToldOrallyForm(),
            "departed_form": forms.MarkDepartedForm(),
            "returned_form": forms.MarkReturnedForm(),
            "missing_form": forms.MissingReportForm(
                initial={"police_municipality": services.default_police_municipality(application)}
            ),
            "answers": documents.preparation_answers(application),
            "designated": selectors.designated_contact(application),
            "before_departure": routine_page(
                routine=LEAVE, case=application, checklist=BEFORE_DEPARTURE
            )
            if application.state in AFTER_GRANT
            else [],
            "before_departure_open": selectors.before_departure_open_steps(application)
            if application.state == State.GRANTED
            else [],
            "agreement_issued": any(d.purpose == "letter" for d in dispatches),
            "call_prompts_missing": selectors.call_prompts_missing_report(application),
            "signed_form": forms.SignedAgreementForm(),
            "waive_form": forms.WaiveBeforeDepartureForm(),
            "may_waive": can_waive(request.user),
            "meeting_choices": LeaveApplication.Meeting.choices[1:],
            "representative_choices": LeaveApplication.RepresentativeAnswer.choices[1:],
            "police_choices": LeaveApplication.PoliceAnswer.choices[1:],
            "safety_choices": LeaveApplication.Safety.choices[1:],
            "place_check_choices": LeaveApplication.PlaceCheck.choices,
            "written_channel_choices": [
                c for c in Dispatch.Channel.choices if c[0] in WRITTEN_CHANNELS
            ],
            "suitable_choices": LeaveReference.Suitable.choices,
            "recommend_form": forms.RecommendRefusalForm(),
            "withdraw_form": forms.WithdrawForm(),
            "forward_form": forms.ForwardForm(),
            "notify_form": forms.NotifyRepresentativeForm(
                initial={
                    "name": application.resident.representative_name,
                    "address": application.resident.representative_address,
                    "channel": "post",
                }
            ),
            "may_withdraw": selectors.user_is_centre_decider(request.user, application)
            or request.user.is_admin_role,
            "deadlines": selectors.deadlines_of(application),
            "dispatches": dispatches,
            "has_representative_notice": any(d.purpose == "leave_notice" for d in dispatches),
            "forwarding_due": forwarding_due,
            "forwarding_late": timezone.now() > forwarding_due,
            "State": State,
        },
    )


def _changeable(request, pk) -> LeaveApplication:
    return selectors.access_leave_application(
        user=request.user, application_id=pk, action=Action.CHANGE
    )


def _post_action(form_class, service_call):
    """A POST-only step view of the leave case (cases.views_routines.routine_step_view)."""
    return routine_step_view(
        access=lambda user, pk: selectors.access_leave_application(
            user=user, application_id=pk, action=Action.CHANGE
        ),
        service=lambda application, by, data: service_call(
            application=application, data=data, by=by
        ),
        back_to=_detail_url,
        form_class=form_class,
    )


prepare_step = _post_action(
    forms.PreparationStepForm,
    lambda *, application, data, by: services.leave_application_prepare_step(
        application=application,
        step_code=data["step"],
        note=data["note"],
        attachment=data["attachment"],
        answers=forms.PreparationStepForm.answers_of(data),
        by=by,
    ),
)
record_pu_view = _post_action(
    forms.PUViewForm,
    lambda *, application, data, by: services.leave_application_record_pu_view(
        application=application, view=data["pu_view"], note=data["note"], by=by
    ),
)
recommend_refusal = _post_action(
    forms.RecommendRefusalForm,
    lambda *, application, data, by: services.leave_application_recommend_refusal(
        application=application, note=data["note"], by=by
    ),
)
withdraw = _post_action(
    forms.WithdrawForm,
    lambda *, application, data, by: services.leave_application_withdraw(
        application=application, reason=data["reason"], by=by
    ),
)
representative_told = _post_action(
    forms.RepresentativeToldOrallyForm,
    lambda *, application, data, by: services.leave_application_representative_told_orally(
        application=application, at=data["told_at"], note=data["note"], by=by
    ),
)
follow_up_call = _post_action(
    forms.FollowUpCallForm,
    lambda *, application, data, by: services.leave_follow_up_call_log(
        application=application, by=by, **data
    ),
)
mark_departed = _post_action(
    forms.MarkDepartedForm,
    lambda *, application, data, by: services.leave_application_mark_departed(
        application=application, at=data["at"], by=by
    ),
)
forward = _post_action(
    forms.ForwardForm,
    lambda *, application, data, by: services.leave_application_forward(
        application=application, channel=data["channel"], by=by
    ),
)
notify_representative = _post_action(
    forms.NotifyRepresentativeForm,
    lambda *, application, data, by: services.leave_application_notify_representative(
        application=application, by=by, **data
    ),
)
report_missing = _post_action(
    forms.MissingReportForm,
    lambda *, application, data, by: services.leave_application_report_missing(
        application=application,
        circumstances=data["circumstances"],
        reason_to_believe_at=data["reason_to_believe_at"],
        police_municipality=data["police_municipality"],
        by=by,
    ),
)
mark_returned = _post_action(
    forms.MarkReturnedForm,
    lambda *, application, data, by: services.leave_application_mark_returned(
        application=application,
        at=data["at"],
        note=data["note"],
        broken_agreement=data["broken_agreement"],
        by=by,
    ),
)
issue_agreement = _post_action(
    forms.IssueAgreementForm,
    lambda *, application, data, by: services.leave_application_issue_agreement(
        application=application, by=by
    ),
)
signed_agreement = _post_action(
    forms.SignedAgreementForm,
    lambda *, application, data, by: services.leave_application_upload_signed_agreement(
        application=application, attachment=data["attachment"], by=by
    ),
)
waive_before_departure = _post_action(
    forms.WaiveBeforeDepartureForm,
    lambda *, application, data, by: services.leave_application_waive_before_departure(
        application=application, step_code=data["step"], reason=data["reason"], by=by
    ),
)


@login_required
@require_http_methods(["GET", "POST"])
def decide(request, pk):
    application = selectors.access_leave_application(user=request.user, application_id=pk)
    if not selectors.decision_open_to(request.user, application):
        raise Http404
    outcome = selectors.leave_outcome(application)
    form = forms.DecisionForm(request.POST or None, warnings=outcome.warnings)
    if request.method == "POST" and form.is_valid():
        try:
            services.leave_application_decide(
                application=application,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                overrides=form.overrides,
                agreement_note=form.cleaned_data["agreement_note"],
                by=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("The decision was recorded."))
            return HttpResponseRedirect(_detail_url(application))
    return render(
        request,
        "permisjon/decide.html",
        {
            "application": application,
            "outcome": outcome,
            "form": form,
            "answers": documents.preparation_answers(application),
        },
    )
