"""Directory data by place: which outside instances serve a municipality, and the county it
belongs to (whose county governor, Statsforvalteren, gets arrival and moving notices).

A police district or a duty service serves many municipalities, so the municipality points
at the directory entries (ExternalRecipient) rather than each entry naming one municipality.
Read through mottak.directory, the one recipient resolver.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .core import ExternalRecipient

Kind = ExternalRecipient.Kind


def _served_by(kind: str, label):
    return models.ForeignKey(
        ExternalRecipient,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": kind},
        verbose_name=label,
    )


class Municipality(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    county = models.CharField(_("county"), max_length=80)
    police_district = _served_by(Kind.POLICE, _("police district"))
    child_welfare = _served_by(Kind.CHILD_WELFARE, _("child-welfare service"))
    child_welfare_duty = _served_by(Kind.CHILD_WELFARE_DUTY, _("child-welfare duty service"))
    school = _served_by(Kind.SCHOOL, _("school (reception classes)"))
    health_office = _served_by(Kind.HEALTH_OFFICE, _("municipal health office"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name
