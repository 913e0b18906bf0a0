"""PERM-2..PERM-4, PERM-7, PERM-9/10: registering, preparing, forwarding and withdrawing an application."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.services import deadline_waive
from cases.services.routines import (
    routine_case_lock,
    routine_deadline_open,
    routine_transition,
)
from mottak.models import Resident

from .. import documents, rules, selectors
from .. import routine as steps
from ..models import ContactPerson, LeaveApplication, LeaveReference
from ..routine import (
    ATTACHMENT_STEP_CODES,
    LEAVE,
    STEPS_BY_CODE,
)
from ._base import (
    ContactPersonData,
    LeaveApplicationData,
    State,
    _check_nothing_open,
    _do,
    _event,
    _notice,
)

# --- submit ------------------------------------------------------------------------------


def _with_designated(contacts: list[ContactPersonData]) -> list[ContactPersonData]:
    """A single person given is the designated contact person (R-4)."""
    if len(contacts) == 1 and not contacts[0].designated:
        return [replace(contacts[0], designated=True)]
    return contacts


def _check_input(
    data: LeaveApplicationData, contacts: list[ContactPersonData], *, now: datetime
) -> None:
    problems = rules.application_input_problems(
        departure_at=data.departure_at,
        return_at=data.return_at,
        contact_birth_dates=[c.date_of_birth for c in contacts],
        designated_birth_dates=[c.date_of_birth for c in contacts if c.designated],
        today=timezone.localdate(now),
        now=now,
        abroad=data.abroad,
    )
    if problems:
        raise ValidationError([rules.input_message(p) for p in problems])


def leave_application_submit(
    *,
    resident: Resident,
    data: LeaveApplicationData,
    contact_persons: list[ContactPersonData],
    by,
    now: datetime | None = None,
) -> LeaveApplication:
    """Register an application (PERM-2) with its contact persons, all or nothing.

    `now`: the moment of registering (a departure before it is refused); given only when
    recording an application made earlier on paper, as the demo data does."""
    contact_persons = _with_designated(list(contact_persons))
    _check_input(data, contact_persons, now=now or timezone.now())
    with transaction.atomic():
        # The resident's row serialises applications: two submits cannot both pass the overlap check.
        locked = (
            Resident.objects.select_for_update(of=("self",))
            .select_related("centre")
            .get(pk=resident.pk)
        )
        if selectors.overlapping_leave_exists(
            resident=locked, departure_at=data.departure_at, return_at=data.return_at
        ):
            raise ValidationError(str(rules.INPUT_MESSAGES["overlap"]))
        facts = selectors.leave_facts(
            resident=locked,
            centre=locked.centre,
            departure_at=data.departure_at,
            return_at=data.return_at,
            abroad=data.abroad,
            contact_birth_dates=[c.date_of_birth for c in contact_persons if c.designated],
        )
        outcome = rules.assess(facts)
        application = LeaveApplication.objects.create(
            resident=locked,
            centre=locked.centre,
            decider=outcome.decider,
            created_by=by,
            **data.__dict__,
        )
        for contact in contact_persons:
            ContactPerson.objects.create(application=application, **contact.__dict__)
        _event(
            application,
            "leave_submitted",
            ngettext(
                "Leave application %(number)s registered (%(days)s day)",
                "Leave application %(number)s registered (%(days)s days)",
                outcome.length_days,
            ),
            days=outcome.length_days,
            by=by,
            rule_id="PERM-2",
        )
        _after_submit(application, by=by)
    return application


def _after_submit(application: LeaveApplication, *, by) -> None:
    if application.decider == LeaveApplication.Decider.REGION:
        _open_forwarding_deadline(application, by=by)


def _open_forwarding_deadline(application: LeaveApplication, *, by) -> None:
    """PERM-3: the regional office must have it one week before the leave starts."""
    routine_deadline_open(routine=LEAVE, case=application, step_code=steps.FORWARD, by=by)


# --- preparation ---------------------------------------------------------------------------


def leave_application_record_pu_view(
    *, application: LeaveApplication, view: str, note: str, by, at: datetime | None = None
) -> LeaveApplication:
    """PU's view on a clash with transfer or removal plans (PERM-9, PERM-10)."""
    if view not in {LeaveApplication.PUView.NO_CLASH, LeaveApplication.PUView.CLASHES}:
        raise ValidationError(_("Choose PU's view."))

    def record(locked: LeaveApplication) -> None:
        locked.pu_view = view
        locked.pu_view_note = note
        locked.pu_view_at = at or timezone.now()
        locked.save()
        final = locked.resident.asylum_stage in rules.FINAL_REJECTIONS
        rule_id = "PERM-10" if final else "PERM-9"
        _event(locked, "leave_pu_view", by=by, rule_id=rule_id, view=locked.get_pu_view_display())
        leave_application_refresh_prepared(locked, by=by)

    return _do(application, steps.PU_VIEW, by=by, work=record).case


def leave_application_refresh_prepared(locked: LeaveApplication, *, by) -> None:
    """Keep the stored decider in step with the facts; mark prepared when nothing is open.
    Runs in the transaction of every preparation step (the routine's after-step hook)."""
    outcome = selectors.leave_outcome(locked)
    if outcome.decider != locked.decider and outcome.decider == LeaveApplication.Decider.REGION:
        _open_forwarding_deadline(locked, by=by)
    locked.decider = outcome.decider
    if locked.state == State.DRAFT and not selectors.preparation_open_steps(locked, outcome):
        routine_transition(routine=LEAVE, case=locked, to=State.PREPARED, by=by)
        _event(locked, "leave_prepared", by=by)
    locked.save()


def leave_application_prepare_step(
    *,
    application: LeaveApplication,
    step_code: str,
    by,
    note: str = "",
    attachment=None,
    at: datetime | None = None,
    answers: dict | None = None,
) -> LeaveApplication:
    """Record one documented preparation step (PERM-4 a–g); the ID copy needs the document.

    `answers`: the structured answer of the steps that have one (routine.ANSWER_STEP_CODES),
    stored on the application for the decider and the form."""
    step = STEPS_BY_CODE.get(step_code)
    if step is None:
        raise ValidationError(_("This checklist has no such step."))
    if step.code in ATTACHMENT_STEP_CODES and not attachment:
        raise ValidationError(_("Upload the copy of the contact person's ID document."))
    store = _answer_writer(step.code, answers or {}, note=note.strip(), by=by)
    return _do(
        application,
        step.code,
        by=by,
        note=note,
        attachment=attachment,
        at=at,
        by_hand=True,
        work=store,
    ).case


PLACE_CHECK_PURPOSES = {
    LeaveApplication.PlaceCheck.REQUEST: "place_check_request",
    LeaveApplication.PlaceCheck.CONCERN_REPORT: "concern_report",
}


def _place_check_writer(answers: dict, *, note: str, by):
    """PERM-4 g: ask child welfare in the centre's municipality to look into the place, or
    send a concern report to child welfare where the minor wants to stay — in writing, with
    what the centre found uncertain."""
    how = _choice(
        answers,
        "answer",
        set(PLACE_CHECK_PURPOSES),
        _("Choose whether child welfare is asked to look into the place or gets a concern report."),
    )
    channel = _choice(
        answers, "channel", steps.WRITTEN, _("Choose how the letter goes: post, by hand or e-mail.")
    )
    if not note:
        raise ValidationError(_("Write what makes the centre unsure; the letter prints it."))

    def store(locked):
        locked.place_check = how
        locked.save(update_fields=["place_check"])
        return _notice(
            locked,
            steps.G_CHILD_WELFARE,
            purpose=PLACE_CHECK_PURPOSES[how],
            channel=channel,
            context=documents.place_check_context(locked, concern=note),
            by=by,
        )

    return store


def _choice(answers: dict, key: str, allowed, message: str) -> str:
    value = (answers.get(key) or "").strip()
    if value not in allowed:
        raise ValidationError(message)
    return value


def _answer_writer(code: str, answers: dict, *, note: str, by):
    """Check the step's answer before anything is locked; the returned work stores it."""
    App = LeaveApplication
    if code == "d_met":
        meeting = _choice(
            answers,
            "meeting",
            {App.Meeting.MET, App.Meeting.NOT_POSSIBLE},
            _("Say whether the contact person was met."),
        )
        reason = (answers.get("reason") or "").strip()
        if meeting == App.Meeting.NOT_POSSIBLE and not reason:
            raise ValidationError(_("Say why a meeting was not possible."))

        def store(locked):
            locked.met_contact_person = meeting
            locked.meeting_not_possible_reason = reason if meeting != App.Meeting.MET else ""
            locked.save()

        return store
    if code == "d_id_copy":
        kind = (answers.get("document_type") or "").strip()
        number = (answers.get("document_number") or "").strip()
        if not kind or not number:
            raise ValidationError(_("Give the kind and number of the ID document."))

        def store(locked):
            contact = locked.contact_persons.filter(designated=True).first()
            if contact is None:
                raise ValidationError(rules.INPUT_MESSAGES["designated_not_one"])
            contact.id_document_type = kind
            contact.id_document_number = number
            contact.save()

        return store
    if code == steps.G_CHILD_WELFARE:
        return _place_check_writer(answers, note=note, by=by)
    if code == "d_references":
        reference = _reference_checked(answers.get("reference") or {})
        return lambda locked: LeaveReference.objects.create(application=locked, **reference)
    fields = {
        "e_representative": ("representative_answer", "representative_answer_note"),
        "f_police": ("police_answer", "police_answer_note"),
        steps.SAFETY: ("safety_conclusion", "safety_note"),
    }
    if code in fields:
        answer_field, note_field = fields[code]
        choices = {value for value, label in App._meta.get_field(answer_field).choices} - {"none"}
        answer = _choice(answers, "answer", choices, _("Choose the answer."))

        def store(locked):
            setattr(locked, answer_field, answer)
            setattr(locked, note_field, note)
            locked.save()

        return store
    return None


def _reference_checked(reference: dict) -> dict:
    cleaned = {
        k: (reference.get(k) or "").strip()
        for k in ("name", "role", "contact", "statement", "suitable")
    }
    if not all(cleaned.values()):
        raise ValidationError(
            _("Give the reference's name, role, contact details, statement and view.")
        )
    if cleaned["suitable"] not in LeaveReference.Suitable.values:
        raise ValidationError(_("Choose the reference's view."))
    return cleaned


def leave_application_add_reference(
    *, application: LeaveApplication, reference: dict, by
) -> LeaveReference:
    """One more reference after the references step is recorded (PERM-4 d: one or two)."""
    cleaned = _reference_checked(reference)

    def add(locked: LeaveApplication) -> LeaveReference:
        return LeaveReference.objects.create(application=locked, **cleaned)

    with transaction.atomic():
        locked = routine_case_lock(routine=LEAVE, case=application, states=steps.PREPARING)
        return add(locked)


def leave_application_recommend_refusal(
    *, application: LeaveApplication, note: str, by
) -> LeaveApplication:
    """The centre recommends that the regional office refuses (PERM-7)."""
    if not note.strip():
        raise ValidationError(_("Say why the centre recommends refusal."))

    def recommend(locked: LeaveApplication) -> None:
        locked.centre_recommends_refusal = True
        locked.centre_recommendation_note = note.strip()
        locked.save()
        _event(locked, "leave_refusal_recommended", by=by)

    return _do(application, steps.RECOMMEND_REFUSAL, by=by, work=recommend).case


def leave_application_withdraw(
    *, application: LeaveApplication, reason: str, by
) -> LeaveApplication:
    """The minor withdraws, or the leave is called off before departure: the centre leader
    ends the case, and its open deadlines with it."""
    if not reason.strip():
        raise ValidationError(_("Say why the application is withdrawn."))

    def withdraw(locked: LeaveApplication) -> None:
        locked.decision_reason = reason.strip()
        for deadline in selectors.pending_deadlines(locked):
            deadline_waive(deadline=deadline, by=by, reason=reason.strip())
        _event(locked, "leave_withdrawn", by=by)

    return _do(application, steps.WITHDRAW, by=by, work=withdraw, permission="withdraw").case


# --- forwarding to the regional office (PERM-3) ------------------------------------------------


def leave_application_forward(
    *, application: LeaveApplication, by, channel: str, at: datetime | None = None
) -> LeaveApplication:
    """Send the prepared application with its documents to the regional office (PERM-3).

    Late forwarding is allowed, but recorded and shown as late; forwarding meets its deadline.
    """
    at = at or timezone.now()

    def forward(locked: LeaveApplication) -> None:
        outcome = selectors.leave_outcome(locked)
        if outcome.decider != LeaveApplication.Decider.REGION:
            raise ValidationError(_("The centre decides this leave itself."))
        _check_nothing_open(locked, outcome)
        locked.decider = outcome.decider
        locked.forwarded_at = at
        locked.forwarded_by = by
        locked.forwarded_late = rules.perm_3_forwarded_late(
            forwarded_at=at, departure_at=locked.departure_at
        )
        _notice(
            locked,
            steps.FORWARD,
            channel=channel,
            context=selectors.application_form_context(locked, outcome=outcome),
            enclosed_files=selectors.id_copies_enclosed(locked),
            by=by,
        )
        late = "_late" if locked.forwarded_late else ""
        _event(locked, f"leave_forwarded{late}", by=by, at=at)

    return _do(application, steps.FORWARD, by=by, work=forward, at=at).case
