"""Dated wordings of the legal references printed on forms (R-22), edited by administrators."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .. import legal


class LegalReference(models.Model):
    """A new wording of a registered reference from a date on (cases.legal)."""

    code = models.CharField(_("reference"), max_length=64)
    kind = models.CharField(_("kind"), max_length=16, choices=legal.KINDS)
    text = models.CharField(_("wording"), max_length=300)
    valid_from = models.DateField(_("in force from"))
    note = models.CharField(_("why it changed"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code", "-valid_from"]
        verbose_name = _("legal reference")
        verbose_name_plural = _("legal references")
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="one_wording_per_date"),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.valid_from:%d.%m.%Y})"
