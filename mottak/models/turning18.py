"""Turning 18 (MOT-4): one case per resident and 18th birthday, opened 6 weeks before it
(R-9); its steps are declared in mottak/routine_turning18.py."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .core import Centre, Resident


class TurningEighteen(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Ask the regional office")
        REQUESTED = "requested", _("Move decision asked for")
        PASSED = "passed", _("Turned 18")

    resident = models.ForeignKey(
        Resident,
        on_delete=models.CASCADE,
        related_name="turning_18_cases",
        verbose_name=_("resident"),
    )
    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    birthday = models.DateField(_("18th birthday"))
    # The first moment of the birthday in Europe/Oslo: the deadlines' anchor.
    birthday_at = models.DateTimeField(_("turns 18"))
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.OPEN)
    child_welfare_views = models.TextField(_("child welfare's views"), blank=True)
    child_welfare_views_at = models.DateTimeField(
        _("child welfare's views given"), null=True, blank=True
    )
    recommendation = models.TextField(_("recommended solution"), blank=True)
    requested_at = models.DateTimeField(_("asked for"), null=True, blank=True)
    passed_at = models.DateTimeField(_("turned 18"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["birthday", "pk"]
        verbose_name = _("turning 18")
        verbose_name_plural = _("turning 18")
        constraints = [
            models.UniqueConstraint(
                fields=["resident"],
                condition=~models.Q(state="passed"),
                name="one_open_turning_18_case_per_resident",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resident} {self.birthday}"

    def get_absolute_url(self) -> str:
        return reverse("mottak:turning_18_detail", args=[self.pk])
