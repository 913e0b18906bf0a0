"""Completion of the steps of a routine's checklist (definitions live in cases.checklists)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..uploads import checklist_upload_to


class ChecklistStepCompletion(models.Model):
    """One step of one checklist done for one owner (a case or a resident).

    An undone completion stays as a row (with who, when and why) so the record is kept;
    only one live completion per owner, checklist and step.
    """

    owner_ct = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    owner_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("owner_ct", "owner_id")
    checklist = models.CharField(_("checklist"), max_length=64)
    step_code = models.CharField(_("step"), max_length=64)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    done_at = models.DateTimeField(_("done"))
    note = models.TextField(_("note"), blank=True)
    attachment = models.FileField(
        _("attachment"), upload_to=checklist_upload_to, max_length=200, blank=True
    )
    attachment_mime = models.CharField(max_length=40, blank=True)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("undone by"),
    )
    undo_reason = models.CharField(_("why it was undone"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["done_at", "id"]
        verbose_name = _("checklist step done")
        verbose_name_plural = _("checklist steps done")
        constraints = [
            models.UniqueConstraint(
                fields=["owner_ct", "owner_id", "checklist", "step_code"],
                condition=models.Q(undone_at__isnull=True),
                name="checklist_step_done_once",
            ),
        ]
        indexes = [models.Index(fields=["owner_ct", "owner_id", "checklist"])]

    def __str__(self) -> str:
        return f"{self.checklist}:{self.step_code} {self.done_at:%Y-%m-%d %H:%M}"
