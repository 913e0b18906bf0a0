"""Executing declared routines (cases.routines): the only place that composes locking, the
state table, notices, the checklist record, deadlines and the timeline.

A routine app's service is its own rules and facts around one call:

    def missing_report_send_to_police(*, report, by, channel="by_hand"):
        def work(locked):
            return routine_notice_create(routine=MISSING, case=locked, step_code="police",
                                         channel=channel, context=..., by=by)
        return routine_step_do(routine=MISSING, case=report, step_code="police", by=by,
                               work=work).value

Everything happens in one transaction: a refusal anywhere leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import legal, routines
from ..models import ChecklistStepCompletion, Deadline, Dispatch
from ..routines import Routine, Step, english
from .audit import timeline_event_record
from .checklists import checklist_status, checklist_step_complete, checklist_step_undo
from .deadlines import (
    can_waive,
    deadline_hand_over,
    deadline_meet_for,
    deadline_open,
    deadline_waive,
)
from .dispatches import dispatch_create


@dataclass(frozen=True)
class StepResult:
    case: models.Model
    value: Any
    recorded: bool  # False when the step was already done (the work itself still ran)


# --- the case and its state ---------------------------------------------------------------


def _model(routine: Routine) -> type[models.Model]:
    return apps.get_model(routine.model)


def routine_case_lock(
    *, routine: Routine, case: models.Model, states: Iterable[str] | None = None
) -> models.Model:
    """Inside a transaction: lock the case row (only its own row, not the joined centre or
    resident) and, when `states` is given, refuse unless the case is in one of them."""
    locked = (
        _model(routine)
        .objects.select_for_update(of=("self",))
        .select_related(*routine.lock_related)
        .get(pk=case.pk)
    )
    if states is not None:
        routine_require_state(routine=routine, case=locked, states=states)
    return locked


def _state(routine: Routine, case: models.Model) -> str:
    return getattr(case, routine.state_field)


def routine_refusal(routine: Routine, case: models.Model) -> ValidationError:
    return ValidationError(
        str(routine.refusal) % {"state": routine.state_label(_state(routine, case))}
    )


def routine_require_state(*, routine: Routine, case: models.Model, states: Iterable[str]) -> None:
    if _state(routine, case) not in set(states):
        raise routine_refusal(routine, case)


def routine_transition(
    *,
    routine: Routine,
    case: models.Model,
    to: str,
    by=None,
    kind: str = "",
    summary: str = "",
    rule_id: str = "",
    at: datetime | None = None,
) -> models.Model:
    """Move a locked case to `to` if the transition table allows it, and say so on the timeline."""
    if not routine.may_move(_state(routine, case), to):
        raise routine_refusal(routine, case)
    setattr(case, routine.state_field, to)
    case.save()
    if summary:
        timeline_event_record(
            subject=routine.subject_of(case),
            kind=kind or f"{routine.name}_{to}",
            actor=by,
            rule_id=rule_id,
            at=at,
            summary=summary,
        )
    return case


def routine_may(*, routine: Routine, user, case: models.Model, action: str) -> bool:
    """Who may do what beyond view/change: asked of the routine's declared predicates."""
    if action == "waive":
        return can_waive(user)
    check = routine.permissions.get(action)
    return bool(check and check(user, case))


# --- steps ----------------------------------------------------------------------------------


def done_codes(case: models.Model, checklist: str) -> set[str]:
    return {row.step.code for row in checklist_status(case, checklist) if row.done}


def routine_step_record(
    *,
    routine: Routine,
    case: models.Model,
    step_code: str,
    by,
    at: datetime | None = None,
    note: str = "",
    attachment=None,
    by_hand: bool = False,
) -> bool:
    """Inside a transaction holding the case lock: check the state, record the step once,
    meet its deadline (opening the next where it repeats) and run the routine's after-step
    hook. Returns False when the step was already done: it stays as it was."""
    if _state(routine, case) not in routine.step(step_code).states:
        raise routine_refusal(routine, case)
    return _record(
        routine,
        case,
        routine.step(step_code),
        by=by,
        at=at,
        note=note,
        attachment=attachment,
        by_hand=by_hand,
    )


def _awaiting_sending(case: models.Model, step: Step) -> bool:
    """R-13: a written notice of this step is made but not yet sent or handed over."""
    if not step.notices:
        return False
    return any(
        d.awaits_sending
        for d in Dispatch.objects.filter(
            owner_ct=ContentType.objects.get_for_model(case), owner_id=case.pk, step_code=step.code
        )
    )


def _record(routine: Routine, case, step: Step, *, by, at, note, attachment, by_hand) -> bool:
    if by_hand and not step.manual:
        raise ValidationError(_("This step is recorded by doing the work itself, not by hand."))
    if step.needs_attachment and by_hand and not attachment:
        raise ValidationError(_("This step needs the document: upload it."))
    at = min(at or timezone.now(), timezone.now())
    if _awaiting_sending(case, step):
        return False  # met when its last written notice is recorded as sent
    if step.checklist:
        if step.code in done_codes(case, step.checklist):
            if by_hand:
                raise ValidationError(_("This step has already been recorded as done."))
            return False
        checklist_step_complete(
            owner=case,
            checklist=step.checklist,
            step_code=step.code,
            by=by,
            note=note,
            attachment=attachment,
            at=at,
        )
    _meet_step_deadline(routine, case, step, by=by, at=at)
    if step.checklist and routine.after_step is not None:
        routine.after_step(case, by=by)
    return True


def _meet_step_deadline(routine: Routine, case, step: Step, *, by, at: datetime) -> None:
    if step.due is None and not step.deadline_kind:
        return  # a step without a deadline has none to meet
    met = deadline_meet_for(owner=case, kind=routine.deadline_kind(step), by=by, at=at)
    if met is not None and step.due is not None and step.due.repeat:
        routine_deadline_open(routine=routine, case=case, step_code=step.code, start=at, by=by)


def routine_step_do(
    *,
    routine: Routine,
    case: models.Model,
    step_code: str,
    by,
    work: Callable[[models.Model], Any] | None = None,
    at: datetime | None = None,
    note: str = "",
    attachment=None,
    by_hand: bool = False,
    permission: str = "",
    then: Callable[[models.Model], Any] | None = None,
) -> StepResult:
    """Perform one step in one transaction: lock the case, check the state (and the
    declared permission), do the routine's own work on the locked case, record the step and
    meet or open its deadlines, move the case where the step is a transition, then run
    `then` on the moved case (the notices a decision sends)."""
    step = routine.step(step_code)
    with transaction.atomic():
        locked = routine_case_lock(routine=routine, case=case)
        if _state(routine, locked) not in step.states:
            raise routine_refusal(routine, locked)
        if permission and not routine_may(routine=routine, user=by, case=locked, action=permission):
            raise PermissionDenied
        refusal = routine.step_refusal(locked, step_code) if routine.step_refusal else ""
        if refusal:
            raise ValidationError(str(refusal))
        value = work(locked) if work is not None else None
        recorded = _record(
            routine,
            locked,
            step,
            by=by,
            at=at,
            note=note,
            attachment=attachment,
            by_hand=by_hand,
        )
        if step.to:
            routine_transition(routine=routine, case=locked, to=step.to, by=by)
        if then is not None:
            then(locked)
    return StepResult(case=locked, value=value, recorded=recorded)


def routine_step_by_hand(
    *, owner: models.Model, checklist: str, step_code: str, by, note="", attachment=None
) -> ChecklistStepCompletion | None:
    """The generic checklist page: a step of a routine goes through the routine's own checks;
    a free-standing checklist is recorded as it is."""
    routine = routines.for_checklist(checklist)
    if routine is None:
        return checklist_step_complete(
            owner=owner,
            checklist=checklist,
            step_code=step_code,
            by=by,
            note=note,
            attachment=attachment,
            by_hand=True,
        )
    if not routine.has_step(step_code) or routine.step(step_code).checklist != checklist:
        raise ValidationError(_("This checklist has no such step."))
    routine_step_do(
        routine=routine,
        case=owner,
        step_code=step_code,
        by=by,
        note=note,
        attachment=attachment,
        by_hand=True,
    )
    return None


def routine_step_undo_by_hand(*, completion: ChecklistStepCompletion, by, reason: str):
    """The generic checklist page's undo: a routine's step only where a person may tick it,
    and only in a state where it may be done."""
    routine = routines.for_checklist(completion.checklist)
    if routine is None:
        return checklist_step_undo(completion=completion, by=by, reason=reason, by_hand=True)
    with transaction.atomic():
        locked = routine_case_lock(routine=routine, case=completion.owner)
        step = (
            routine.step(completion.step_code) if routine.has_step(completion.step_code) else None
        )
        if step is None or not step.manual:
            raise ValidationError(_("This step is recorded by doing the work itself, not by hand."))
        routine_require_state(routine=routine, case=locked, states=step.states)
        undone = checklist_step_undo(completion=completion, by=by, reason=reason, by_hand=True)
        if routine.after_step is not None:
            routine.after_step(locked, by=by)
    return undone


def routine_step_waive(
    *, routine: Routine, case: models.Model, step_code: str, reason: str, by, states=None
) -> models.Model:
    """A leader decides a step does not apply: its deadline is waived and the step is
    recorded with the reason."""
    step = routine.step(step_code)
    if not can_waive(by):
        raise PermissionDenied(_("Only a centre leader or an administrator may waive a step."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for waiving the step."))
    with transaction.atomic():
        locked = routine_case_lock(routine=routine, case=case)
        routine_require_state(routine=routine, case=locked, states=states or step.states)
        pending = deadline_pending(case=locked, kind=routine.deadline_kind(step))
        if pending is not None:
            deadline_waive(deadline=pending, by=by, reason=reason)
        if step.checklist:
            checklist_step_complete(
                owner=locked,
                checklist=step.checklist,
                step_code=step.code,
                by=by,
                note=_("Waived: %(reason)s") % {"reason": reason},
            )
    return locked


def routine_case_hand_over(*, routine: Routine, case: models.Model, centre, by) -> models.Model:
    """Responsibility for an open case passes to another centre (a move between centres,
    MOT-3): the case's centre and the centre of its pending deadlines change, and the timeline
    says so. A case that is no longer open is refused."""
    with transaction.atomic():
        locked = routine_case_lock(routine=routine, case=case, states=routine.open_states)
        if getattr(locked, f"{routine.centre_field}_id") == centre.pk:
            return locked
        setattr(locked, routine.centre_field, centre)
        locked.save()
        for deadline in Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(locked),
            object_id=locked.pk,
            state__in=Deadline.PENDING,
        ):
            deadline_hand_over(deadline=deadline, centre=centre, by=by)
        timeline_event_record(
            subject=routine.subject_of(locked),
            kind=f"{routine.name}_handed_over",
            actor=by,
            summary=_("%(routine)s handed over to %(centre)s")
            % {"routine": routine.label, "centre": centre.name},
        )
    return locked


# --- deadlines ------------------------------------------------------------------------------


def deadline_pending(*, case: models.Model, kind: str) -> Deadline | None:
    return Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(case),
        object_id=case.pk,
        kind=kind,
        state__in=Deadline.PENDING,
    ).first()


def routine_deadline_open(
    *,
    routine: Routine,
    case: models.Model,
    step_code: str,
    by=None,
    start: datetime | None = None,
    label=None,
) -> Deadline:
    """Open the step's deadline, counted from `start` or from the case's anchor field."""
    step = routine.step(step_code)
    if step.due is None:
        raise ValueError(f"{routine.name}.{step.code} has no deadline.")
    start = start or getattr(case, step.due.anchor)
    return deadline_open(
        owner=case,
        kind=routine.deadline_kind(step),
        rule_id=step.rule_id,
        due_at=step.due.at(start),
        label=english(label or step.label),
        centre=None if routine.national else routine.centre_of(case),
        national=routine.national,
        responsible=routine.responsible_of(case) if routine.responsible_of else None,
        subject=routine.subject_of(case),
        by=by,
        urgency=step.due.urgency,
    )


def routine_deadlines_open(
    *, routine: Routine, case: models.Model, checklist: str, by=None, start=None
) -> list[Deadline]:
    """Open the deadline of every step of the checklist not yet done."""
    done = done_codes(case, checklist)
    return [
        routine_deadline_open(routine=routine, case=case, step_code=s.code, by=by, start=start)
        for s in routine.steps_of(checklist)
        if s.due is not None and s.code not in done
    ]


def routine_deadline_meet(
    *, routine: Routine, case: models.Model, step_code: str, by=None, at=None
) -> Deadline | None:
    """Meet a step's deadline without recording a checklist step (a transition's deadline)."""
    step = routine.step(step_code)
    return deadline_meet_for(owner=case, kind=routine.deadline_kind(step), by=by, at=at)


# --- notices --------------------------------------------------------------------------------


def routine_dispatch_sent(*, dispatch: Dispatch, by) -> bool:
    """R-13: the notice a step is made of has gone out; the step is met once the last of its
    written notices is sent (inside dispatch_mark_sent's transaction). The step was allowed
    when the notice was made, so the case's state since then does not matter."""
    owner_model = dispatch.owner_ct.model_class()
    routine = routines.for_model(owner_model._meta.label) if owner_model else None
    if routine is None or not routine.has_step(dispatch.step_code):
        return False
    case = routine_case_lock(routine=routine, case=dispatch.owner)
    return _record(
        routine,
        case,
        routine.step(dispatch.step_code),
        by=by,
        at=dispatch.sent_at,
        note="",
        attachment=None,
        by_hand=False,
    )


def routine_notice_create(
    *,
    routine: Routine,
    case: models.Model,
    step_code: str,
    channel: str,
    context: dict,
    by,
    purpose: str = "",
    recipient: dict | None = None,
    version: int = 1,
    legal_basis: str = "",
    template: str = "",
    enclosures=(),
    enclosed_files=(),
    routine_reference: str = "",
    consent_decision: str = "",
    letterhead: dict | None = None,
):
    """Create the step's declared notice: the declared recipient (or the one given), an
    allowed channel, the declared legal basis; the dispatch engine checks the purpose's
    recipients, channel and consent and makes a double submit one dispatch. `letterhead`: the
    sender when it is not the subject's centre now (a copy from the centre a minor left)."""
    step = routine.step(step_code)
    notice = _notice(step, purpose)
    if channel not in notice.channels:
        raise ValidationError(_("A notice of this kind may not be sent by this channel."))
    addressee = recipient if recipient is not None else notice.recipient(case)
    if legal_basis or routine_reference:  # the wording of an earlier notice, given again
        citation = legal.Citation(statutes=legal_basis, routines=routine_reference)
    else:
        citation = legal.cite(notice.basis_for(case), on=timezone.localdate())
    return dispatch_create(
        owner=case,
        subject=routine.subject_of(case),
        step_code=step.code,
        purpose=notice.purpose,
        template=template or notice.template,
        channel=channel,
        legal_basis=citation.statutes,
        routine_reference=citation.routines,
        context=context,
        version=version,
        by=by,
        enclosures=enclosures,
        enclosed_files=enclosed_files,
        consent_decision=consent_decision,
        letterhead=letterhead,
        **addressee,
    )


def _notice(step: Step, purpose: str):
    matching = [n for n in step.notices if not purpose or n.purpose == purpose]
    if len(matching) != 1:
        raise ValueError(f"{step.code}: say which notice ({purpose!r}).")
    return matching[0]
