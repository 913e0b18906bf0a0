"""Every read the leave views and services need. Access goes through mottak.access."""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import legal
from cases.models import Deadline, Dispatch
from cases.services import checklist_status, form_printout_pdf
from mottak import directory
from mottak.access import Action, member_centre_ids, member_region_ids, residents_visible_to
from mottak.models import Appointment, Resident, Role, Stay

from . import documents, rules
from .models import ContactPerson, FollowUpCall, LeaveApplication, LeaveReference
from .routine import (
    ATTACHMENT_STEP_CODES,
    BEFORE_DEPARTURE,
    BEFORE_DEPARTURE_STEPS,
    FORWARD,
    G_CHILD_WELFARE,
    LEAVE,
    PREPARATION,
)


def _with_related(qs: QuerySet[LeaveApplication]) -> QuerySet[LeaveApplication]:
    return qs.select_related("resident", "centre", "centre__region")


def leave_applications_visible_to(user, action: Action = Action.LIST) -> QuerySet[LeaveApplication]:
    """Applications of residents the user may see (X-3)."""
    return LeaveApplication.objects.filter(
        resident__in=residents_visible_to(user, action).values("pk")
    )


def access_leave_application(
    *, user, application_id, action: Action = Action.VIEW
) -> LeaveApplication:
    """The application, or Http404 exactly as for a missing one."""
    try:
        return _with_related(leave_applications_visible_to(user, action)).get(
            pk=int(application_id)
        )
    except (LeaveApplication.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def leave_application_list(*, user, centre=None, states=None) -> QuerySet[LeaveApplication]:
    qs = _with_related(leave_applications_visible_to(user))
    if centre is not None:
        qs = qs.filter(centre=centre)
    if states:
        qs = qs.filter(state__in=states)
    return qs


def region_queue(*, user) -> QuerySet[LeaveApplication]:
    """Forwarded applications from the centres in the caseworker's regions, oldest leave first."""
    if not user.is_authenticated or user.role != Role.REGION_CASEWORKER:
        return LeaveApplication.objects.none()
    return _with_related(
        LeaveApplication.objects.filter(
            centre__region_id__in=member_region_ids(user),
            state=LeaveApplication.State.FORWARDED,
        )
    ).order_by("departure_at", "id")


def user_is_centre_decider(user, application: LeaveApplication) -> bool:
    """The centre leader of the application's centre decides what the centre may decide."""
    return (
        user.is_authenticated
        and user.is_active
        and user.role == Role.CENTRE_LEADER
        and application.centre_id in member_centre_ids(user)
    )


def user_is_region_decider(user, application: LeaveApplication) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.role == Role.REGION_CASEWORKER
        and application.centre.region_id in member_region_ids(user)
    )


def user_may_decide(user, application: LeaveApplication) -> bool:
    if application.decider == LeaveApplication.Decider.CENTRE:
        return user_is_centre_decider(user, application)
    return user_is_region_decider(user, application)


def leave_application_detail(*, application: LeaveApplication) -> LeaveApplication:
    """The application with its contact persons and calls loaded in a fixed number of queries."""
    return (
        _with_related(LeaveApplication.objects.filter(pk=application.pk))
        .prefetch_related(
            Prefetch(
                "contact_persons", queryset=ContactPerson.objects.order_by("-designated", "id")
            ),
            Prefetch("references", queryset=LeaveReference.objects.order_by("id")),
            Prefetch(
                "follow_up_calls",
                queryset=FollowUpCall.objects.select_related("logged_by").order_by("called_at"),
            ),
        )
        .get()
    )


# --- the facts the rules need -------------------------------------------------------------


def current_stay_start(resident: Resident) -> datetime | None:
    stay = resident.stays.filter(ended_at__isnull=True).order_by("-started_at").first()
    return stay.started_at if stay else None


def transit_run_start(resident: Resident) -> date | None:
    """First day of the unbroken run of stays at transit centres up to now, if in transit."""
    since = None
    for stay in (
        Stay.objects.filter(resident=resident).select_related("centre").order_by("-started_at")
    ):
        if not stay.centre.is_transit:
            break
        since = rules.local_date(stay.started_at)
    return since


def before_interview_or_age_assessment(resident: Resident) -> bool:
    """No asylum interview held yet, or an age assessment still ahead (PERM-8 b)."""
    appointments = list(
        Appointment.objects.filter(resident=resident, cancelled_at__isnull=True).only(
            "kind", "held"
        )
    )
    interview_held = any(
        a.kind == Appointment.Kind.ASYLUM_INTERVIEW and a.held for a in appointments
    )
    age_assessment_ahead = any(
        a.kind == Appointment.Kind.AGE_ASSESSMENT and not a.held for a in appointments
    )
    return not interview_held or age_assessment_ahead


def broken_agreements_before(resident: Resident, *, exclude_id: int | None = None) -> int:
    qs = LeaveApplication.objects.filter(resident=resident, broken_agreement=True)
    if exclude_id:
        qs = qs.exclude(pk=exclude_id)
    return qs.count()


def leave_facts(
    *,
    resident: Resident,
    centre,
    departure_at: datetime,
    return_at: datetime,
    abroad: bool,
    contact_birth_dates,
    pu_view: str = rules.PU_NONE,
    exclude_id: int | None = None,
    representative_answer: str = "none",
    police_answer: str = "none",
) -> rules.LeaveFacts:
    stay_start = current_stay_start(resident)
    departure_on = rules.local_date(departure_at)
    return rules.LeaveFacts(
        centre_kind=centre.kind,
        asylum_stage=resident.asylum_stage,
        departure_on=departure_on,
        return_on=rules.local_date(return_at),
        at_centre_since=rules.local_date(stay_start) if stay_start else departure_on,
        abroad=abroad,
        contact_birth_dates=tuple(contact_birth_dates),
        transit_since=transit_run_start(resident) if centre.is_transit else None,
        # a warning at every centre kind, not only in transit.
        before_interview_or_age_assessment=before_interview_or_age_assessment(resident),
        pu_view=pu_view,
        representative_answer=representative_answer,
        police_answer=police_answer,
        broken_agreements=broken_agreements_before(resident, exclude_id=exclude_id),
    )


def leave_outcome(application: LeaveApplication) -> rules.Outcome:
    """The rules applied to the application as it stands now (the resident's stage may move)."""
    return rules.assess(
        leave_facts(
            resident=application.resident,
            centre=application.centre,
            departure_at=application.departure_at,
            return_at=application.return_at,
            abroad=application.abroad,
            contact_birth_dates=[
                c.date_of_birth for c in application.contact_persons.all() if c.designated
            ],
            pu_view=application.pu_view,
            exclude_id=application.pk,
            representative_answer=application.representative_answer,
            police_answer=application.police_answer,
        )
    )


def designated_contact(application: LeaveApplication) -> ContactPerson | None:
    return next((c for c in application.contact_persons.all() if c.designated), None)


def last_confirmed_contact_at(application: LeaveApplication) -> datetime | None:
    """PERM-6: "last seen" for the police — the latest follow-up call that reached the minor
    or the contact person, else the departure."""
    reached = (
        application.follow_up_calls.exclude(outcome=FollowUpCall.Outcome.NOT_REACHED)
        .order_by("-called_at")
        .values_list("called_at", flat=True)
        .first()
    )
    return reached or application.departed_at


def latest_call(application: LeaveApplication) -> FollowUpCall | None:
    calls = list(application.follow_up_calls.all())
    return max(calls, key=lambda c: (c.called_at, c.pk)) if calls else None


def call_prompts_missing_report(application: LeaveApplication) -> bool:
    """PERM-5 c → PERM-6: the latest call did not reach the minor or gave cause for concern,
    and no missing report is open yet: reporting missing is offered at once."""
    call = latest_call(application)
    return (
        call is not None
        and call.outcome in {FollowUpCall.Outcome.NOT_REACHED, FollowUpCall.Outcome.CONCERN}
        and not application.missing_report_id
        and application.state in {LeaveApplication.State.ONGOING, LeaveApplication.State.LATE}
    )


def before_departure_open_steps(application: LeaveApplication) -> list:
    """PERM-5: the steps still to do (or waive) before the minor may leave."""
    from .routine import LEAVE

    done = {row.step.code for row in checklist_status(application, BEFORE_DEPARTURE) if row.done}
    return [LEAVE.step(code) for code in BEFORE_DEPARTURE_STEPS if code not in done]


def overlapping_leave_exists(
    *, resident: Resident, departure_at: datetime, return_at: datetime, exclude_id=None
) -> bool:
    """Another leave of the resident, not refused or withdrawn, in the same period.

    A leave the minor came back from early holds its period only until the return.
    """
    holds = Q(state__in=LeaveApplication.HOLDS_PERIOD, return_at__gt=departure_at)
    came_back = Q(state=LeaveApplication.State.RETURNED, returned_at__gt=departure_at)
    qs = LeaveApplication.objects.filter(resident=resident, departure_at__lt=return_at).filter(
        holds | came_back
    )
    if exclude_id:
        qs = qs.exclude(pk=exclude_id)
    return qs.exists()


def user_may_change(user, application: LeaveApplication) -> bool:
    """Centre work on the application: the resident's centre staff (and admins)."""
    return residents_visible_to(user, Action.CHANGE).filter(pk=application.resident_id).exists()


def deadlines_of(application: LeaveApplication):
    """The application's own deadlines (forwarding, late return), newest first."""
    return Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(LeaveApplication),
        object_id=application.pk,
    ).order_by("-opened_at", "-id")


def pending_deadlines(application: LeaveApplication):
    return deadlines_of(application).filter(state__in=Deadline.PENDING)


def dispatches_of(application: LeaveApplication):
    """The notices sent in this leave case (application, agreement, representative)."""
    return Dispatch.objects.filter(
        owner_ct=ContentType.objects.get_for_model(LeaveApplication), owner_id=application.pk
    ).order_by("created_at", "id")


def decision_open_to(user, application: LeaveApplication) -> bool:
    """Whether the user may decide the application now: the centre before forwarding (its own
    leaves), the regional office once forwarded."""
    if application.decider == LeaveApplication.Decider.CENTRE:
        ready = application.state in {LeaveApplication.State.DRAFT, LeaveApplication.State.PREPARED}
    else:
        ready = application.state == LeaveApplication.State.FORWARDED
    return ready and user_may_decide(user, application)


def preparation_open_steps(application: LeaveApplication, outcome: rules.Outcome) -> list[str]:
    """Labels of the required steps still open: the checklist (PERM-4) and PU's view."""
    return [str(label) for label in _open_checklist_steps(application)] + [
        s.message for s in outcome.required_steps
    ]


def safety_needs_child_welfare(application: LeaveApplication) -> bool:
    """PERM-4 g is required when the centre is unsure whether the place is safe."""
    return application.safety_conclusion == LeaveApplication.Safety.UNSURE


def _open_checklist_steps(application: LeaveApplication) -> list[str]:
    """Required PERM-4 steps not done; a step that needs a document counts as open without it."""
    g_required = safety_needs_child_welfare(application)
    return [
        row.step.label
        for row in checklist_status(application, PREPARATION)
        if (row.step.required or (g_required and row.step.code == G_CHILD_WELFARE))
        and (
            not row.done
            or (row.step.code in ATTACHMENT_STEP_CODES and not row.completion.attachment)
        )
    ]


def designated_contact_line(application: LeaveApplication) -> str:
    """The designated contact person as the police read it: name, relation, phone."""
    person = application.contact_persons.filter(designated=True).first()
    if person is None:
        person = application.contact_persons.first()
    if person is None:
        return ""
    return ", ".join(part for part in (person.name, person.relation, person.phone) if part)


# ---- PERM-2 / PERM-3: the application on the form, with its documents ----------------------------

ID_COPY_LABEL = "Kopi av kontaktpersonens identitetspapirer"


def preparation_for_form(application: LeaveApplication) -> tuple[list[dict], list[str]]:
    """The PERM-4 steps as the form prints them, and the names of the documents enclosed."""
    rows, attachments = [], []
    for row in checklist_status(application, PREPARATION):
        completion = row.completion
        rows.append(
            {
                "label": documents.STEP_LABELS_NB[row.step.code],
                "done": row.done,
                "done_at": completion.done_at if completion else None,
                "note": completion.note if completion else "",
            }
        )
        if completion and completion.attachment and row.step.code in ATTACHMENT_STEP_CODES:
            attachments.append(ID_COPY_LABEL)
    return rows, attachments


def id_copies_enclosed(application: LeaveApplication) -> list[dict]:
    """PERM-3: the uploaded ID copy is printed with the application, not only named."""
    return [
        {
            "name": row.completion.attachment.name,
            "mime": row.completion.attachment_mime,
            "label": ID_COPY_LABEL,
        }
        for row in checklist_status(application, PREPARATION)
        if row.completion and row.completion.attachment and row.step.code in ATTACHMENT_STEP_CODES
    ]


def application_form_context(application: LeaveApplication, *, outcome=None) -> dict:
    """What UDI's application form prints (PERM-2), as forwarded or printed at the centre."""
    outcome = outcome or leave_outcome(application)
    preparation, attachments = preparation_for_form(application)
    return documents.application_context(
        application,
        preparation=preparation,
        assessment=documents.assessment_lines(outcome, {}),
        attachments=attachments,
        broken_agreements=broken_agreements_before(application.resident, exclude_id=application.pk),
    )


def application_form_pdf(application: LeaveApplication, *, by) -> bytes:
    """PERM-2: the application on UDI's form for every leave — the centre's own decisions too —
    to be signed by the minor and kept; addressed to whoever decides it."""
    forward = LEAVE.step(FORWARD).notices[0]
    citation = legal.cite(forward.basis_for(application), on=timezone.localdate())
    if application.decider == LeaveApplication.Decider.REGION:
        recipient = forward.recipient(application)
    else:
        recipient = directory.named(
            "centre", application.centre.name, _("Decided by the reception centre")
        )
    return form_printout_pdf(
        subject=application.resident,
        template=forward.template,
        context=application_form_context(application),
        by=by,
        recipient=recipient,
        legal_basis=citation.statutes,
        routine_reference=citation.routines,
        enclosed_files=id_copies_enclosed(application),
    )
