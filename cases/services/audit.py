"""Writes of the shared case machinery."""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from ..models import ReadLog, TimelineEvent


def read_log_record(*, user, subject: models.Model, action: str, detail: str = "") -> ReadLog:
    return ReadLog.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        action=action,
        detail=detail,
    )


def read_log_record_many(*, user, subjects, action: str, detail: str = "") -> int:
    """One read-log row per record in an export, written in one insert; `subjects` are model
    instances or (content type id, object id) pairs. Returns how many rows were written."""
    rows = []
    for subject in subjects:
        if isinstance(subject, tuple):
            content_type_id, object_id = subject
        else:
            content_type_id = ContentType.objects.get_for_model(subject).pk
            object_id = subject.pk
        rows.append(
            ReadLog(
                user=user,
                content_type_id=content_type_id,
                object_id=object_id,
                action=action,
                detail=detail,
            )
        )
    ReadLog.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def timeline_event_record(
    *,
    subject: models.Model,
    kind: str,
    summary: str,
    actor=None,
    rule_id: str = "",
    at: datetime | None = None,
) -> TimelineEvent:
    """Call inside the transaction of the change the event describes."""
    return TimelineEvent.objects.create(
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        kind=kind,
        summary=summary,
        actor=actor,
        rule_id=rule_id,
        at=at or timezone.now(),
    )
