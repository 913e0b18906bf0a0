"""Reads of the shared case machinery."""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import Consent, Dispatch, ReadLog, TimelineEvent


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
