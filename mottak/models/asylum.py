"""The asylum case as a history: every change of stage, and the Sesam notices that start
deadlines (the decision notice, the notice about the return conversation).

`Resident.asylum_stage` stays the current value (the routines' rules read it); each change is
also a row here, written by one service (mottak.services.asylum).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .core import AsylumStage, Resident


class AsylumStageChange(models.Model):
    """One change of the stage of the asylum case: from, to, when it took effect, the date of
    the decision behind it (when there is one) and who recorded it."""

    resident = models.ForeignKey(
        Resident,
        on_delete=models.CASCADE,
        related_name="asylum_stage_changes",
        verbose_name=_("resident"),
    )
    from_stage = models.CharField(
        _("from stage"), max_length=32, choices=AsylumStage.choices, blank=True
    )
    to_stage = models.CharField(_("to stage"), max_length=32, choices=AsylumStage.choices)
    effective_on = models.DateField(_("took effect"))
    decision_date = models.DateField(_("date of the decision"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-effective_on", "-recorded_at", "-pk"]
        verbose_name = _("change of asylum stage")
        verbose_name_plural = _("changes of asylum stage")

    def __str__(self) -> str:
        return f"{self.from_stage or '–'} → {self.to_stage} ({self.effective_on})"


class SesamNotice(models.Model):
    """A notice received through Sesam that starts deadlines elsewhere (KART-8, KART-9, RET-1)."""

    class Kind(models.TextChoices):
        DECISION = "decision", _("Decision notice")
        RETURN_CONVERSATION = "return_conversation", _("Notice about the return conversation")

    resident = models.ForeignKey(
        Resident,
        on_delete=models.CASCADE,
        related_name="sesam_notices",
        verbose_name=_("resident"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    received_on = models.DateField(_("received"))
    decision_date = models.DateField(_("date of the decision"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_on", "-recorded_at", "-pk"]
        verbose_name = _("Sesam notice")
        verbose_name_plural = _("Sesam notices")
        constraints = [
            # The same notice entered twice (a double submit) is one notice.
            models.UniqueConstraint(
                fields=["resident", "kind", "received_on"], name="one_sesam_notice_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.received_on}"
