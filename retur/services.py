"""Every write of the return routine (RET-1..RET-6). Each service goes through the kernel's one
step service: it locks the case, checks the state, does the work and records the step."""

from datetime import datetime, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from guardian.shortcuts import assign_perm, remove_perm

from cases import periods
from cases.services import deadline_reassign, timeline_event_record
from cases.services.routines import routine_deadline_open, routine_step_do
from mottak.models import Resident, Role

from . import routine as steps
from . import rules, selectors
from .models import (
    WORK_RETURN_CASE,
    AssistedReturnInformation,
    ContactLogEntry,
    ReturnCase,
    ReturnConversation,
    ReturnHandover,
    ReturnTask,
)
from .routine import RETURN, TASK_DONE, TASK_REOPEN, TASKS

DEPARTURE_MESSAGES = {
    "no_care_premise": gettext_lazy(
        "Record the care premise of the final decision (who takes care of the minor on return) "
        "before the return."
    ),
    "care_premise_unverified": gettext_lazy(
        "The care premise of the decision is not verified: the minor cannot return yet."
    ),
}


def _event(case: ReturnCase, kind: str, summary: str, *, by, rule_id: str, at=None) -> None:
    timeline_event_record(
        subject=case.resident, kind=kind, summary=summary, actor=by, rule_id=rule_id, at=at
    )


def _do(case: ReturnCase, code: str, *, by, work, at=None):
    def guarded(locked: ReturnCase):
        if not selectors.may_work_on(by, locked):
            raise PermissionDenied
        return work(locked)

    return routine_step_do(routine=RETURN, case=case, step_code=code, by=by, work=guarded, at=at)


def _not_in_future(moment: datetime, message: str) -> None:
    if moment > timezone.now():
        raise ValidationError(message)


# ---- opening and assignment --------------------------------------------------------------------


def return_case_open(*, resident: Resident, stage: str, at: datetime, by=None) -> ReturnCase:
    """RET-5: a rejection opens the minor's return case; a second call gives the open one back."""
    existing = selectors.open_case_of(resident.pk)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            case = ReturnCase.objects.create(
                resident=resident, centre=resident.centre, stage_at_opening=stage, opened_at=at
            )
            _event(case, "return_opened", _("Return case opened"), by=by, rule_id="RET-5", at=at)
    except IntegrityError:  # opened at the same moment by another worker
        return selectors.open_case_of(resident.pk)
    return case


def return_case_assign(*, case: ReturnCase, caseworker, by) -> ReturnCase:
    """RET-5, R-19: an administrator names the ASA caseworker who follows the case, or takes
    the case from one (caseworker None). The assignment is the access grant: the new caseworker
    gets the case's object permission, the one before loses it, in the same transaction; the
    case's history and the timeline record the change."""
    if not by.is_admin_role:
        raise PermissionDenied
    if caseworker is not None and (
        caseworker.role != Role.ASA_CASEWORKER or not caseworker.is_active
    ):
        raise ValidationError(_("Choose a caseworker in UDI's asylum department (ASA)."))

    def assign(locked: ReturnCase) -> None:
        before = locked.caseworker
        if before is not None and before != caseworker:
            remove_perm(WORK_RETURN_CASE, before, locked)
        if caseworker is not None:
            assign_perm(WORK_RETURN_CASE, caseworker, locked)
        if before == caseworker:
            return
        locked.caseworker = caseworker
        locked.save(update_fields=["caseworker"])
        if caseworker is not None:
            _tasks_move(locked, to=caseworker, by=by)
        if caseworker is None:
            summary = _("ASA caseworker unassigned")
        elif before is None:
            summary = _("ASA caseworker assigned")
        else:
            summary = _("ASA caseworker reassigned")
        _event(locked, "return_assigned", summary, by=by, rule_id="RET-5")

    return routine_step_do(
        routine=RETURN, case=case, step_code=steps.ASSIGN, by=by, work=assign
    ).case


def return_case_conversation_called(*, case: ReturnCase, received_on) -> ReturnCase:
    """RET-1: the Sesam notice calls for the return conversation; the first notice is kept."""
    with transaction.atomic():
        locked = ReturnCase.objects.select_for_update().get(pk=case.pk)
        if locked.conversation_notice_on is None:
            locked.conversation_notice_on = received_on
            locked.save(update_fields=["conversation_notice_on"])
            _event(
                locked,
                "return_conversation_called",
                _("Notice about the return conversation received in Sesam"),
                by=None,
                rule_id="RET-1",
            )
    return locked


# ---- RET-1..RET-3: the return conversations -----------------------------------------------------


def _reversal_share_text() -> str:
    share = selectors.reversal_share_in_force()
    if share is None:
        return "Andelen UNE omgjør er ikke registrert i systemet."
    return (
        f"UNE omgjorde {share.share_percent} % av sakene ({share.period}). Kilde: {share.source}."
    )


def _conversation_checked(kind: str, topics, interpreter_mode: str, interpreter_language: str):
    if kind not in ReturnConversation.Kind.values:
        raise ValidationError(_("Choose which rejection the conversation follows."))
    unknown = rules.unknown_topics(kind, topics)
    if unknown:
        raise ValidationError(_("A topic was not recognised. Reload the page and try again."))
    missing = rules.missing_topics(kind, topics)
    if missing:
        raise ValidationError(
            _(
                "The conversation cannot be recorded as held before every mandatory topic is covered: %(topics)s"
            )
            % {"topics": "; ".join(topic.text_nb for topic in missing)}
        )
    if interpreter_mode not in ReturnConversation.InterpreterMode.values:
        raise ValidationError(_("Choose whether an interpreter took part, and how."))
    if interpreter_mode and not interpreter_language.strip():
        raise ValidationError(_("Give the interpreter's language."))


def return_conversation_record(
    *,
    case: ReturnCase,
    kind: str,
    held_at: datetime,
    topics,
    by,
    minor_questions: str = "",
    minor_reactions: str = "",
    interpreter_mode: str = "",
    interpreter_language: str = "",
    representative_invited: bool = False,
    representative_present: bool = False,
) -> ReturnConversation:
    """RET-1..RET-3: recorded as held only when every mandatory topic of its kind is covered;
    after UDI's rejection the record prints the share of cases UNE reverses (RET-2)."""
    _conversation_checked(kind, topics, interpreter_mode, interpreter_language)
    _not_in_future(held_at, _("The conversation cannot be held in the future."))
    if representative_present and not representative_invited:
        representative_invited = True  # present means invited

    def record(locked: ReturnCase) -> ReturnConversation:
        if locked.conversations.filter(kind=kind, held_at__isnull=False).exists():
            raise ValidationError(_("This return conversation is already recorded as held."))
        conversation = ReturnConversation.objects.create(
            case=locked,
            kind=kind,
            held_at=held_at,
            topics=sorted(set(topics)),
            minor_questions=minor_questions.strip(),
            minor_reactions=minor_reactions.strip(),
            interpreter_mode=interpreter_mode,
            interpreter_language=interpreter_language.strip() if interpreter_mode else "",
            representative_invited=representative_invited,
            representative_present=representative_present,
            reversal_share_text=_reversal_share_text() if kind == rules.AFTER_UDI else "",
            recorded_by=by,
        )
        _event(
            locked,
            "return_conversation",
            _("Return conversation held: %(kind)s") % {"kind": conversation.get_kind_display()},
            by=by,
            rule_id="RET-1",
            at=held_at,
        )
        return conversation

    return _do(case, steps.CONVERSATION, by=by, work=record).value


def return_conversation_not_attended(
    *, case: ReturnCase, kind: str, planned_at: datetime, new_time: datetime, by
) -> ReturnConversation:
    """RET-1: a conversation the minor did not attend is recorded with its new time."""
    if kind not in ReturnConversation.Kind.values:
        raise ValidationError(_("Choose which rejection the conversation follows."))
    _not_in_future(planned_at, _("A conversation not yet due cannot be missed."))
    if new_time <= timezone.now():
        raise ValidationError(_("The new time must be in the future."))

    def record(locked: ReturnCase) -> ReturnConversation:
        conversation = ReturnConversation.objects.create(
            case=locked, kind=kind, not_attended_at=planned_at, new_time=new_time, recorded_by=by
        )
        _event(
            locked,
            "return_conversation_missed",
            _("Return conversation not attended; a new time is set"),
            by=by,
            rule_id="RET-1",
            at=planned_at,
        )
        return conversation

    return _do(case, steps.NOT_ATTENDED, by=by, work=record).value


# ---- RET-5: following the case ------------------------------------------------------------------


def return_case_record_contact(
    *,
    case: ReturnCase,
    at: datetime,
    party: str,
    summary: str,
    by,
    topic: str = ContactLogEntry.Topic.GENERAL,
) -> ContactLogEntry:
    """RET-5: a contact in the case, with what it served (motivation work, the minor's contact
    with the family, alternative care investigated, or the case's follow-up)."""
    if party not in ContactLogEntry.Party.values:
        raise ValidationError(_("Choose who the contact was with."))
    if topic not in ContactLogEntry.Topic.values:
        raise ValidationError(_("Choose what the contact was about."))
    if not summary.strip():
        raise ValidationError(_("Write what was said or agreed."))
    _not_in_future(at, _("A contact cannot be recorded in the future."))

    def record(locked: ReturnCase) -> ContactLogEntry:
        return ContactLogEntry.objects.create(
            case=locked, at=at, party=party, topic=topic, summary=summary.strip(), by=by
        )

    return _do(case, steps.CONTACT, by=by, work=record).value


def return_case_choose_path(*, case: ReturnCase, path: str, by) -> ReturnCase:
    if path not in ReturnCase.Path.values or path == ReturnCase.Path.UNDECIDED:
        raise ValidationError(_("Choose the return path."))

    def choose(locked: ReturnCase) -> None:
        locked.path = path
        locked.save(update_fields=["path"])

    return _do(case, steps.PATH, by=by, work=choose).case


def return_case_verify_care_premise(
    *, case: ReturnCase, care_premise: str, verification: str, by
) -> ReturnCase:
    """IM §2: the decision's care premise, and how ASA verified it (Landinfo, carers, IOM …)."""
    if not care_premise.strip():
        raise ValidationError(_("Write the care premise of the final decision."))
    if not verification.strip():
        raise ValidationError(_("Write how the care premise was verified."))

    def verify(locked: ReturnCase) -> None:
        locked.care_premise = care_premise.strip()
        locked.care_premise_verification = verification.strip()
        locked.care_premise_verified_at = timezone.now()
        locked.save(
            update_fields=["care_premise", "care_premise_verification", "care_premise_verified_at"]
        )
        _event(locked, "return_care_verified", _("Care premise verified"), by=by, rule_id="RET-5")

    return _do(case, steps.CARE_PREMISE, by=by, work=verify).case


def return_case_mark_returned(*, case: ReturnCase, at: datetime, by) -> ReturnCase:
    """RET-5: the case is followed until the child has returned — never before the care premise
    is verified (IM §2)."""
    _not_in_future(at, _("The return cannot be recorded in the future."))

    def returned(locked: ReturnCase) -> None:
        problems = rules.departure_problems(
            care_premise=locked.care_premise,
            verified=locked.care_premise_verified_at is not None,
        )
        if problems:
            raise ValidationError([str(DEPARTURE_MESSAGES[p]) for p in problems])
        if locked.path == ReturnCase.Path.UNDECIDED:
            raise ValidationError(_("Choose the return path first."))
        locked.returned_at = at
        locked.save(update_fields=["returned_at"])
        _event(
            locked, "return_returned", _("The minor has returned"), by=by, rule_id="RET-5", at=at
        )

    return _do(case, steps.RETURNED, by=by, work=returned, at=at).case


def return_case_not_feasible(*, case: ReturnCase, note: str, by) -> ReturnCase:
    """RET-5: return proves not feasible: the case is followed up towards UNE."""
    if not note.strip():
        raise ValidationError(_("Write why return is not feasible."))

    def record(locked: ReturnCase) -> None:
        locked.outcome_note = note.strip()
        locked.save(update_fields=["outcome_note"])
        _event(
            locked,
            "return_not_feasible",
            _("Return not feasible: follow-up with UNE"),
            by=by,
            rule_id="RET-5",
        )

    return _do(case, steps.NOT_FEASIBLE, by=by, work=record).case


# ---- RET-4: information about assisted return, and RMA's hand-over to ASA ---------------------


def return_case_record_information(
    *, case: ReturnCase, given_at: datetime, to_minor: bool, to_carers: bool, note: str = "", by
) -> AssistedReturnInformation:
    """RET-4: information about assisted return given to the minor and/or the carers."""
    if not (to_minor or to_carers):
        raise ValidationError(_("Say whether the minor, the carers or both were informed."))
    _not_in_future(given_at, _("Information cannot be recorded as given in the future."))

    def record(locked: ReturnCase) -> AssistedReturnInformation:
        return AssistedReturnInformation.objects.create(
            case=locked,
            given_at=given_at,
            to_minor=to_minor,
            to_carers=to_carers,
            note=note.strip(),
            by=by,
        )

    return _do(case, steps.INFORMATION, by=by, work=record).value


def return_case_hand_over(*, case: ReturnCase, reason: str, information: str, by) -> ReturnHandover:
    """RET-4: the assisted-return application was withdrawn or excluded: RMA hands the case to
    ASA with what it needs for the forced-return track. The case leaves the assisted track, so
    RMA sees it no longer one by one (R-19)."""
    if by.role != Role.RMA and not by.is_admin_role:
        raise PermissionDenied
    if reason not in ReturnHandover.Reason.values:
        raise ValidationError(_("Choose whether the application was withdrawn or excluded."))
    if not information.strip():
        raise ValidationError(_("Write what ASA needs to know for the forced-return track."))

    def hand_over(locked: ReturnCase) -> ReturnHandover:
        if locked.path != ReturnCase.Path.ASSISTED:
            raise ValidationError(_("Only a case in the assisted-return track is handed over."))
        handover = ReturnHandover.objects.create(
            case=locked, reason=reason, information=information.strip(), at=timezone.now(), by=by
        )
        locked.path = ReturnCase.Path.FORCED
        locked.save(update_fields=["path"])
        _event(
            locked,
            "return_handover",
            _("Handed over to ASA: %(reason)s") % {"reason": handover.get_reason_display()},
            by=by,
            rule_id="RET-4",
        )
        return handover

    return routine_step_do(
        routine=RETURN, case=case, step_code=steps.HANDOVER, by=by, work=hand_over
    ).value


# ---- RET-5: tasks with deadlines ---------------------------------------------------------------

# The deadline's label, shown in notifications: never the task's own words (they may name the
# child); the case page shows those.
TASK_LABEL = gettext_lazy("Task in the return case")


def _tasks_move(case: ReturnCase, *, to, by) -> None:
    """Reassigned: the open tasks and their deadlines follow the case to its new caseworker."""
    for task in case.tasks.select_for_update().filter(state=ReturnTask.State.OPEN):
        if task.responsible_id == to.pk:
            continue
        task.responsible = to
        task.save(update_fields=["responsible"])
        deadline_reassign(owner=task, responsible=to, by=by)


def return_task_create(*, case: ReturnCase, title: str, due_on, by, responsible=None) -> ReturnTask:
    """RET-5: a task with a due date (the end of that day) for the case's ASA caseworker; its
    deadline is a kernel row that reminds the caseworker and is met when the task is done."""
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Write what is to be done."))
    if due_on < timezone.localdate():
        raise ValidationError(_("The due date cannot be in the past."))

    def create(locked: ReturnCase) -> ReturnTask:
        person = responsible or locked.caseworker
        if person is None or not selectors.may_work_on(person, locked) or person.is_admin_role:
            raise ValidationError(
                _("The task is given to the case's assigned ASA caseworker; assign one first.")
            )
        due_at = periods.end_of_day(timezone.make_aware(datetime.combine(due_on, time(12))))
        task = ReturnTask.objects.create(
            case=locked, title=title[:200], due_at=due_at, responsible=person
        )
        routine_deadline_open(
            routine=TASKS, case=task, step_code=TASK_DONE, by=by, label=TASK_LABEL
        )
        return task

    return _do(case, steps.TASK, by=by, work=create).value


def _task_step(task: ReturnTask, code: str, *, by, work):
    def guarded(locked: ReturnTask):
        if not selectors.may_work_on(by, locked.case):
            raise PermissionDenied
        return work(locked)

    return routine_step_do(routine=TASKS, case=task, step_code=code, by=by, work=guarded).case


def return_task_done(*, task: ReturnTask, by) -> ReturnTask:
    """The task is done: its deadline is met (late if past due)."""

    def done(locked: ReturnTask) -> None:
        locked.done_at = timezone.now()
        locked.save(update_fields=["done_at"])

    return _task_step(task, TASK_DONE, by=by, work=done)


def return_task_reopen(*, task: ReturnTask, by) -> ReturnTask:
    """Marked done by mistake: the task is open again, with a new deadline at its due time."""

    def reopen(locked: ReturnTask) -> None:
        locked.done_at = None
        locked.save(update_fields=["done_at"])

    with transaction.atomic():
        reopened = _task_step(task, TASK_REOPEN, by=by, work=reopen)
        routine_deadline_open(
            routine=TASKS, case=reopened, step_code=TASK_DONE, by=by, label=TASK_LABEL
        )
    return reopened
