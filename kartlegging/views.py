"""Pages of the mapping routine: access → form → one service → redirect."""

import uuid
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from cases.services import read_log_record
from cases.services.routines import routine_may
from cases.views_routines import form_errors_as_messages, refusal_as_messages
from mottak.access import Action, access_resident, may

from . import forms, rules, selectors, services
from .models import Mapping, Measure
from .routine import MAPPING


def _detail(mapping: Mapping, anchor: str = ""):
    url = reverse("kartlegging:detail", args=[mapping.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _may(user, mapping: Mapping, action: str) -> bool:
    return routine_may(routine=MAPPING, user=user, case=mapping, action=action)


# ---- the child-welfare lead's overview ---------------------------------------------------------


@login_required
@require_GET
def overview(request):
    if not may(request.user, "kartlegging.see_overview"):
        raise Http404
    data = selectors.overview(request.user, now=timezone.now())
    return render(request, "kartlegging/overview.html", {"overview": data})


# ---- the resident's way in ---------------------------------------------------------------------


def _resident_for_mapping(request, resident_id, action=Action.VIEW):
    if not may(request.user, "kartlegging.work"):
        raise Http404
    return access_resident(user=request.user, resident_id=resident_id, action=action)


@login_required
@require_GET
def resident(request, resident_id: int):
    person = _resident_for_mapping(request, resident_id)
    mapping = selectors.mapping_of(person)
    if mapping is not None:
        return _detail(selectors.access_mapping(user=request.user, mapping_id=mapping.pk))
    has_stay = person.stays.filter(ended_at__isnull=True).exists()
    return render(
        request, "kartlegging/not_opened.html", {"resident": person, "has_stay": has_stay}
    )


@login_required
@require_POST
def resident_open(request, resident_id: int):
    person = _resident_for_mapping(request, resident_id, Action.CHANGE)
    try:
        mapping = services.mapping_open_for_current_stay(resident=person, by=request.user)
    except ValidationError as error:
        refusal_as_messages(request, error)
        return redirect("kartlegging:resident", resident_id=person.pk)
    return _detail(mapping)


# ---- the mapping page -------------------------------------------------------------------------


@login_required
@require_GET
def detail(request, mapping_id: int):
    mapping = selectors.access_mapping(user=request.user, mapping_id=mapping_id)
    read_log_record(
        user=request.user, subject=mapping.resident, action="view", detail="individual mapping"
    )
    page = selectors.mapping_page(mapping, now=timezone.now())
    can_change = (
        selectors.mappings_visible_to(request.user, Action.CHANGE).filter(pk=mapping.pk).exists()
    )
    can_write = can_change and _may(request.user, mapping, "write")
    can_lead = can_change and _may(request.user, mapping, "lead")
    can_welcome = can_change and _may(request.user, mapping, "welcome")
    key = uuid.uuid4()
    now_local = timezone.localtime().replace(second=0, microsecond=0)
    context = {
        "mapping": mapping,
        "resident": mapping.resident,
        "page": page,
        "can_write": can_write,
        "can_lead": can_lead,
        "can_welcome": can_welcome,
    }
    context["copy_offers"] = list(mapping.copy_offers.select_related("centre"))
    if can_welcome:
        context["copy_form"] = forms.CopyOfferForm()
        context["welcome_form"] = forms.WelcomeForm(
            initial={"submission_key": key, "held_at": now_local, "kind": "welcome"}
        )
    if can_write:
        context["conversation_form"] = forms.ConversationForm(
            initial={"submission_key": key, "held_at": now_local, "kind": "mapping"}
        )
        context["entry_form"] = forms.EntryForm(
            conversations=mapping.conversations.all(),
            initial={"submission_key": key, "recorded_on": timezone.localdate()},
        )
        context["health_form"] = forms.HealthFlagForm(initial={"has_needs": mapping.health_needs})
    context["transfers"] = selectors.transfers_of(mapping)
    context["assessments"] = selectors.recipient_assessments_of(mapping)
    if can_change and rules.may_assess_recipient(role=request.user.role):
        context["assessment_form"] = forms.RecipientAssessmentForm(
            recipients=selectors.recipients_outside_the_list()
        )
    if can_lead:
        context["other_transfer_form"] = forms.OtherTransferForm(
            recipients=selectors.assessed_recipients(mapping), initial={"channel": "post"}
        )
        context["sesam_form"] = forms.SesamNoticeForm(initial={"received_at": now_local})
        context["transfer_form"] = forms.TransferForm(initial={"channel": "post"})
        context["key_worker_form"] = forms.KeyWorkerForm(
            candidates=selectors.key_worker_candidates(mapping.centre)
        )
        context["reading_form"] = forms.ReadingForm(
            initial={
                "withhold": mapping.reading_withheld,
                "reason": mapping.reading_withheld_reason,
            }
        )
    return render(request, "kartlegging/detail.html", context)


@login_required
@require_GET
def plan(request, mapping_id: int):
    mapping = selectors.access_mapping(user=request.user, mapping_id=mapping_id)
    read_log_record(
        user=request.user, subject=mapping.resident, action="view", detail="action plan"
    )
    can_write = selectors.mappings_visible_to(request.user, Action.CHANGE).filter(
        pk=mapping.pk
    ).exists() and _may(request.user, mapping, "write")
    measures = selectors.measures_of(mapping)
    context = {
        "mapping": mapping,
        "resident": mapping.resident,
        "measures": measures,
        "awaiting": [m for m in measures if m.awaiting_move_decision],
        "can_write": can_write,
    }
    if can_write:
        context["measure_form"] = forms.MeasureForm(
            entries=mapping.entries.all(), initial={"submission_key": uuid.uuid4()}
        )
        context["update_form"] = forms.MeasureUpdateForm()
        context["decision_form"] = forms.MoveDecisionForm()
    return render(request, "kartlegging/plan.html", context)


@login_required
@require_GET
def reading(request, mapping_id: int):
    """KART-5: the page staff read with the minor — what is documented, unless a special
    reason is recorded."""
    mapping = selectors.access_mapping(user=request.user, mapping_id=mapping_id)
    read_log_record(
        user=request.user, subject=mapping.resident, action="view", detail="mapping with minor"
    )
    page = selectors.mapping_page(mapping, now=timezone.now())
    return render(
        request,
        "kartlegging/reading.html",
        {
            "mapping": mapping,
            "resident": mapping.resident,
            "page": page,
            "measures": [] if mapping.reading_withheld else selectors.measures_of(mapping),
        },
    )


# ---- the writes: each a POST that calls one service -----------------------------------------------


def _post(
    form_factory: Callable, service: Callable, done, *, anchor: str = "", to_plan: bool = False
):
    """access (change) → form → one service → back to the page. A refusal is shown there and
    nothing is saved; an action the user may not take answers like a missing record (404)."""

    @login_required
    @require_POST
    def view(request, mapping_id: int, **kwargs):
        mapping = selectors.access_mapping(
            user=request.user, mapping_id=mapping_id, action=Action.CHANGE
        )
        form = form_factory(request.POST, mapping)
        back = (
            redirect("kartlegging:plan", mapping_id=mapping.pk)
            if to_plan
            else _detail(mapping, anchor)
        )
        if not form.is_valid():
            form_errors_as_messages(request, form)
            return back
        try:
            service(mapping, request.user, form.cleaned_data, **kwargs)
        except ValidationError as error:
            refusal_as_messages(request, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, str(done))
        return back

    return view


def _conversation(mapping, by, data):
    return services.conversation_record(
        mapping=mapping,
        kind=data["kind"],
        held_at=data["held_at"],
        interpreter_used=data["interpreter_used"],
        interpreter_language=data["interpreter_language"],
        interpreter_mode=data["interpreter_mode"],
        by=by,
        submission_key=data["submission_key"],
    )


key_worker = _post(
    lambda post, m: forms.KeyWorkerForm(post, candidates=selectors.key_worker_candidates(m.centre)),
    lambda m, by, data: services.key_worker_assign(mapping=m, key_worker=data["key_worker"], by=by),
    gettext_lazy("The key worker is named."),
    anchor="who",
)
welcome = _post(
    lambda post, m: forms.WelcomeForm(post),
    _conversation,
    gettext_lazy("The welcome conversation is recorded."),
    anchor="conversations",
)
conversation = _post(
    lambda post, m: forms.ConversationForm(post),
    _conversation,
    gettext_lazy("The conversation is recorded."),
    anchor="conversations",
)
entry = _post(
    lambda post, m: forms.EntryForm(post, conversations=m.conversations.all()),
    lambda m, by, data: services.entry_add(
        mapping=m,
        area=data["area"],
        source=data["source"],
        text=data["text"],
        recorded_on=data["recorded_on"],
        conversation=data["conversation"],
        by=by,
        submission_key=data["submission_key"],
    ),
    gettext_lazy("The entry is written."),
    anchor="entries",
)
health = _post(
    lambda post, m: forms.HealthFlagForm(post),
    lambda m, by, data: services.mapping_set_health_flag(
        mapping=m, has_needs=data["has_needs"], by=by
    ),
    gettext_lazy("Saved."),
    anchor="health",
)
reading_set = _post(
    lambda post, m: forms.ReadingForm(post),
    lambda m, by, data: services.mapping_set_reading(
        mapping=m, withhold=data["withhold"], reason=data["reason"], by=by
    ),
    gettext_lazy("Saved."),
    anchor="reading",
)
finish = _post(
    lambda post, m: forms.ConfirmForm(post),
    lambda m, by, data: services.mapping_finish(mapping=m, by=by),
    gettext_lazy("The mapping is finished."),
)
measure_add = _post(
    lambda post, m: forms.MeasureForm(post, entries=m.entries.all()),
    lambda m, by, data: services.measure_add(
        mapping=m,
        area=data["area"],
        need_entry=data["need_entry"],
        goal=data["goal"],
        actions=data["actions"],
        responsible=data["responsible"],
        by=by,
        submission_key=data["submission_key"],
    ),
    gettext_lazy("The measure is added to the plan."),
    to_plan=True,
)


def _measure(mapping: Mapping, measure_id) -> Measure:
    try:
        return mapping.measures.get(pk=int(measure_id))
    except (Measure.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


measure_update = _post(
    lambda post, m: forms.MeasureUpdateForm(post),
    lambda m, by, data, measure_id: services.measure_update(
        measure=_measure(m, measure_id), status=data["status"], actions=data["actions"], by=by
    ),
    gettext_lazy("The measure is updated."),
    to_plan=True,
)
measure_decide = _post(
    lambda post, m: forms.MoveDecisionForm(post),
    lambda m, by, data, measure_id: services.measure_decide_after_move(
        measure=_measure(m, measure_id),
        decision=data["decision"],
        minor_view=data["minor_view"],
        by=by,
    ),
    gettext_lazy("The decision and the minor's view are recorded."),
    to_plan=True,
)


sesam_notice = _post(
    lambda post, m: forms.SesamNoticeForm(post),
    lambda m, by, data: services.mapping_record_sesam_notice(
        mapping=m, track=data["track"], received_at=data["received_at"], by=by
    ),
    gettext_lazy("The notice in Sesam is recorded; the two weeks run from it."),
    anchor="transfers",
)
transfer = _post(
    lambda post, m: forms.TransferForm(post),
    lambda m, by, data: services.mapping_transfer_send(
        mapping=m,
        channel=data["channel"],
        nothing_new=data["nothing_new"],
        consent_decision=data["consent_decision"],
        by=by,
    ),
    gettext_lazy("The paper copy is made. Print it, send it and record it as sent."),
    anchor="transfers",
)

recipient_assess = _post(
    lambda post, m: forms.RecipientAssessmentForm(
        post, recipients=selectors.recipients_outside_the_list()
    ),
    lambda m, by, data: services.mapping_recipient_assess(
        mapping=m,
        recipient=data["recipient"],
        function=data["function"],
        reason=data["reason"],
        areas=data["areas"],
        by=by,
    ),
    gettext_lazy("The assessment is recorded."),
    anchor="other-recipients",
)
transfer_other = _post(
    lambda post, m: forms.OtherTransferForm(post, recipients=selectors.assessed_recipients(m)),
    lambda m, by, data: services.mapping_transfer_other_send(
        mapping=m, recipient=data["recipient"], channel=data["channel"], by=by
    ),
    gettext_lazy("The paper copy is made. Print it, send it and record it as sent."),
    anchor="other-recipients",
)

copies = _post(
    lambda post, m: forms.CopyOfferForm(post),
    lambda m, by, data: services.mapping_offer_copies(mapping=m, accepted=data["accepted"], by=by),
    gettext_lazy("The offer of copies is recorded."),
    anchor="copies",
)
