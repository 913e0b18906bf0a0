"""Recording the steps of a routine's checklist (definitions: cases.checklists)."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import checklists
from ..checklists import ChecklistDefinition, Step
from ..models import ChecklistStepCompletion
from ..uploads import stored_file_delete, upload_check
from .audit import timeline_event_record
from .consents import resident_for


@dataclass(frozen=True)
class StepStatus:
    step: Step
    completion: ChecklistStepCompletion | None

    @property
    def done(self) -> bool:
        return self.completion is not None


def _definition(checklist: str | ChecklistDefinition) -> ChecklistDefinition:
    if isinstance(checklist, ChecklistDefinition):
        return checklist
    try:
        return checklists.get(checklist)
    except checklists.UnknownChecklist:
        raise ValidationError(_("This checklist does not exist.")) from None


def _live_completions(owner: models.Model, name: str):
    return ChecklistStepCompletion.objects.filter(
        owner_ct=ContentType.objects.get_for_model(owner),
        owner_id=owner.pk,
        checklist=name,
        undone_at__isnull=True,
    ).select_related("done_by")


def checklist_status(owner: models.Model, checklist: str | ChecklistDefinition) -> list[StepStatus]:
    """Every step of the checklist in order, with its live completion or None (one query)."""
    definition = _definition(checklist)
    done = {c.step_code: c for c in _live_completions(owner, definition.name)}
    return [StepStatus(step=s, completion=done.get(s.code)) for s in definition.steps]


def open_required_steps(owner: models.Model, checklist: str | ChecklistDefinition) -> list[Step]:
    return [s.step for s in checklist_status(owner, checklist) if s.step.required and not s.done]


def checklist_is_complete(owner: models.Model, checklist: str | ChecklistDefinition) -> bool:
    return not open_required_steps(owner, checklist)


def _already_done() -> ValidationError:
    return ValidationError(_("This step has already been recorded as done."))


def checklist_step_complete(
    *,
    owner: models.Model,
    checklist: str | ChecklistDefinition,
    step_code: str,
    by,
    note: str = "",
    attachment=None,
    at: datetime | None = None,
    by_hand: bool = False,
) -> ChecklistStepCompletion:
    """Record that a step was done, once; a second completion (or a double submit) is refused.

    `by_hand`: ticked off on the checklist page rather than by the routine's own service.
    """
    definition = _definition(checklist)
    step = definition.step(step_code)
    if step is None:
        raise ValidationError(_("This checklist has no such step."))
    if by_hand and not step.manual:
        raise _not_by_hand()
    at = at or timezone.now()
    if at > timezone.now():
        raise ValidationError(_("A step cannot be recorded as done in the future."))
    upload = upload_check(attachment) if attachment else None
    completion = ChecklistStepCompletion(
        owner_ct=ContentType.objects.get_for_model(owner),
        owner_id=owner.pk,
        checklist=definition.name,
        step_code=step.code,
        done_by=by,
        done_at=at,
        note=(note or "").strip(),
        attachment_mime=upload.mime if upload else "",
    )
    try:
        with transaction.atomic():
            if _live_completions(owner, definition.name).filter(step_code=step.code).exists():
                raise _already_done()
            if upload:
                completion.attachment.save(
                    f"attachment.{upload.extension}", upload.file, save=False
                )
            completion.save()
            timeline_event_record(
                subject=resident_for(owner),
                kind="checklist_step_done",
                actor=by,
                at=at,
                rule_id=step.rule_id,
                summary=_("%(checklist)s: %(step)s")
                % {"checklist": definition.label, "step": step.label},
            )
    except IntegrityError:
        # A concurrent double submit lost the race on the unique live completion.
        stored_file_delete(completion.attachment.name)
        raise _already_done() from None
    except BaseException:
        stored_file_delete(completion.attachment.name)
        raise
    return completion


def _not_by_hand() -> ValidationError:
    return ValidationError(_("This step is recorded by doing the work itself, not by hand."))


def checklist_step_undo(
    *,
    completion: ChecklistStepCompletion,
    by,
    reason: str,
    at: datetime | None = None,
    by_hand: bool = False,
) -> ChecklistStepCompletion:
    """Correct a step recorded by mistake; the row and its history are kept, the step is open again."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the step is being undone."))
    at = at or timezone.now()
    with transaction.atomic():
        locked = ChecklistStepCompletion.objects.select_for_update().get(pk=completion.pk)
        if locked.undone_at is not None:
            raise ValidationError(_("This step has already been undone."))
        known = checklists.get(locked.checklist) if _known(locked.checklist) else None
        known_step = known.step(locked.step_code) if known else None
        if by_hand and known_step is not None and not known_step.manual:
            raise _not_by_hand()
        locked.undone_at = at
        locked.undone_by = by
        locked.undo_reason = reason[:300]
        locked.save()
        definition = checklists.get(locked.checklist) if _known(locked.checklist) else None
        step = definition.step(locked.step_code) if definition else None
        timeline_event_record(
            subject=resident_for(locked.owner),
            kind="checklist_step_undone",
            actor=by,
            at=at,
            rule_id=step.rule_id if step else "",
            summary=_("Step undone: %(step)s") % {"step": step.label if step else locked.step_code},
        )
    return locked


def _known(name: str) -> bool:
    try:
        checklists.get(name)
    except checklists.UnknownChecklist:
        return False
    return True
