"""Life events that cross apps (P9): rows written by the app where something happened, in the
transaction of the change, and drained by the handlers other apps register (cases/events.py).
No signals, no upward imports: `mottak` writes the row, routine apps react."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CaseEvent(models.Model):
    # What happened, e.g. "mottak.stay_ended" (the publishing app's constants).
    kind = models.CharField(_("kind"), max_length=64)
    # Whom it is about (normally the resident).
    subject_ct = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_ct", "subject_id")
    # Ids and codes only, never names or free text: handlers read the rows themselves.
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    # Set by publishers that may publish the same fact twice (a daily check): one row per key.
    key = models.CharField(_("key"), max_length=120, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Handler name → when it succeeded: a retry runs only the handlers that have not.
    handled_by = models.JSONField(_("handled by"), default=dict, blank=True)
    # Every handler has succeeded (or none is registered): the drain no longer looks at it.
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("failed attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        indexes = [
            # What the drain selects: small however many handled rows pile up.
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=Q(handled_at__isnull=True),
                name="case_event_drain_idx",
            ),
            models.Index(fields=["subject_ct", "subject_id"], name="case_event_subject_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"
