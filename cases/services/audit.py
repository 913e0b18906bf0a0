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
