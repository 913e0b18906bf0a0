"""Reads of the shared case machinery."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import ChecklistStepCompletion, Consent, Deadline, Dispatch, ReadLog, TimelineEvent
from .routines import Routine, Step


def timeline_for(subject: models.Model, *, limit: int = 50):
    ct = ContentType.objects.get_for_model(subject)
    return TimelineEvent.objects.filter(content_type=ct, object_id=subject.pk).select_related(
        "actor"
    )[:limit]


def read_log_for(subject: models.Model, *, limit: int = 100):
    ct = ContentType.objects.get_for_model(subject)
    return ReadLog.objects.filter(content_type=ct, object_id=subject.pk).select_related("user")[
        :limit
    ]


def consents_for(subject: models.Model):
    """A subject's consents, newest first, with the users shown beside them."""
    ct = ContentType.objects.get_for_model(subject)
    return Consent.objects.filter(subject_ct=ct, subject_id=subject.pk).select_related(
        "created_by", "withdrawn_by"
    )


def dispatches_for_subject(subject: models.Model):
    """Notices about one resident (or case), newest first, for the resident page."""
    ct = ContentType.objects.get_for_model(subject)
    return Dispatch.objects.filter(subject_ct=ct, subject_id=subject.pk).select_related(
        "created_by", "sent_by"
    )


@dataclass(frozen=True)
class StepRow:
    """One step of a routine as its case page shows it."""

    step: Step
    completion: ChecklistStepCompletion | None
    deadline: Deadline | None
    unsent: tuple[Dispatch, ...]  # its written notices made but not yet sent
    allowed: bool  # may be done (or undone) in the case's current state

    @property
    def spec(self) -> Step:
        return self.step

    @property
    def done(self) -> bool:
        return self.completion is not None

    @property
    def awaiting_sending(self) -> bool:
        return not self.done and bool(self.unsent)


def routine_page(*, routine: Routine, case: models.Model, checklist: str) -> list[StepRow]:
    """The steps of one checklist of a case, each with its completion, deadline and unsent
    notices: three queries whatever the number of steps."""
    ct = ContentType.objects.get_for_model(case)
    completions = {
        c.step_code: c
        for c in ChecklistStepCompletion.objects.filter(
            owner_ct=ct, owner_id=case.pk, checklist=checklist, undone_at__isnull=True
        ).select_related("done_by")
    }
    deadlines = {}
    for deadline in Deadline.objects.filter(content_type=ct, object_id=case.pk).order_by(
        "opened_at", "id"
    ):
        deadlines[deadline.kind] = deadline  # the latest of a kind (a repeating one reopens)
    unsent: dict[str, list[Dispatch]] = {}
    for dispatch in Dispatch.objects.filter(owner_ct=ct, owner_id=case.pk).exclude(step_code=""):
        if dispatch.awaits_sending:
            unsent.setdefault(dispatch.step_code, []).append(dispatch)
    state = getattr(case, routine.state_field)
    return [
        StepRow(
            step=step,
            completion=completions.get(step.code),
            deadline=deadlines.get(routine.deadline_kind(step)),
            unsent=tuple(unsent.get(step.code, ())),
            allowed=state in step.states,
        )
        for step in routine.steps_of(checklist)
    ]
