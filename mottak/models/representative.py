"""The representative's lifecycle: not yet appointed, temporary, appointed, changed, ended.

Every change is a row (the newest is the current status); the resident's own
`representative_*` fields keep the current contact details, which the forms print. Written by
one service (mottak.services.representative).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .core import Resident


class RepresentativeStatus(models.TextChoices):
    NOT_APPOINTED = "not_appointed", _("Not yet appointed")
    TEMPORARY = "temporary", _("Temporary representative")
    APPOINTED = "appointed", _("Appointed")
    CHANGED = "changed", _("Changed (a new representative)")
    ENDED = "ended", _("Mandate ended")


# The statuses in which someone acts for the minor.
ACTING_STATUSES = frozenset(
    {RepresentativeStatus.TEMPORARY, RepresentativeStatus.APPOINTED, RepresentativeStatus.CHANGED}
)


class RepresentativeRecord(models.Model):
    class EndReason(models.TextChoices):
        TURNED_18 = "turned_18", _("The resident turned 18")
        RELIEVED = "relieved", _("Relieved by the county governor")
        OTHER = "other", _("Other")

    resident = models.ForeignKey(
        Resident,
        on_delete=models.CASCADE,
        related_name="representative_records",
        verbose_name=_("resident"),
    )
    status = models.CharField(_("status"), max_length=16, choices=RepresentativeStatus.choices)
    name = models.CharField(_("representative"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("postal address"), max_length=200, blank=True)
    appointed_by = models.CharField(
        _("appointed by (county governor)"),
        max_length=160,
        blank=True,
        help_text=_("The county governor (Statsforvalteren) that appointed the representative."),
    )
    effective_on = models.DateField(_("from"))
    end_reason = models.CharField(
        _("why the mandate ended"), max_length=16, choices=EndReason.choices, blank=True
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-effective_on", "-recorded_at", "-pk"]
        verbose_name = _("representative status")
        verbose_name_plural = _("representative statuses")

    def __str__(self) -> str:
        return f"{self.status} {self.effective_on}"

    @property
    def acting(self) -> bool:
        return self.status in ACTING_STATUSES
