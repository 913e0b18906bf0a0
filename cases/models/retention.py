from django.db import models
from django.utils.translation import gettext_lazy as _


class DeletionRecord(models.Model):
    """That the retention job deleted one record of a registered type (KART-16, SAV-12, R-21,
    cases/retention.py): the type, why, when, at which centre, and how many rows and files of
    each kind — never the data, and never whose it was."""

    record_type = models.CharField(_("record type"), max_length=64, db_index=True)
    reason = models.CharField(_("why"), max_length=32)
    deleted_at = models.DateTimeField(_("deleted"))
    centre = models.ForeignKey(
        "mottak.Centre",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("centre"),
    )
    counts = models.JSONField(_("what was deleted"), default=dict)

    class Meta:
        ordering = ["-deleted_at", "-id"]
        verbose_name = _("deletion record")
        verbose_name_plural = _("deletion records")
        indexes = [models.Index(fields=["record_type", "deleted_at"])]

    def __str__(self) -> str:
        return f"deletion #{self.pk}"
