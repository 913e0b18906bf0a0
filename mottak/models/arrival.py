"""The arrival routine's case (MOT-1): one per stay, opened with the stay at every arrival,
first or transfer. Its steps and deadlines are declared in mottak/arrival.py."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .core import Centre, Resident, Stay


class Arrival(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Steps left")
        DONE = "done", _("Done")
        ENDED = "ended", _("Stay ended first")

    stay = models.OneToOneField(
        Stay, on_delete=models.CASCADE, related_name="arrival", verbose_name=_("stay")
    )
    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="arrivals", verbose_name=_("resident")
    )
    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, related_name="arrivals", verbose_name=_("centre")
    )
    # The kind of the centre when the resident arrived: which steps apply (MOT-1).
    centre_kind = models.CharField(_("kind of centre"), max_length=32, choices=Centre.Kind.choices)
    previous_centre = models.ForeignKey(
        Centre,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("came from"),
    )
    arrived_at = models.DateTimeField(_("arrived"))
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.OPEN)
    sesam_registered_at = models.DateTimeField(_("registered in Sesam"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-arrived_at", "-pk"]
        verbose_name = _("arrival")
        verbose_name_plural = _("arrivals")
        indexes = [models.Index(fields=["centre", "state"])]

    def __str__(self) -> str:
        return f"{self.resident} @ {self.centre_id} {self.arrived_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("mottak:arrival_detail", args=[self.pk])
