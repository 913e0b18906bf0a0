"""Consents to transfer a resident's data (KART-13, X-2)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..consent_rules import GivenBy, RecipientKind, purpose_choices
from ..uploads import consent_upload_to


class Consent(models.Model):
    """A signed consent: who gave it, for what, to which kinds of recipient, since when."""

    GivenBy = GivenBy

    subject_ct = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_ct", "subject_id")
    given_by = models.CharField(_("given by"), max_length=16, choices=GivenBy.choices)
    given_by_name = models.CharField(_("name of the person who signed"), max_length=120)
    # The purposes are the consent table's rows, registered by the apps that own them.
    purpose = models.CharField(_("purpose"), max_length=40, choices=purpose_choices)
    purpose_note = models.CharField(_("purpose, in words"), max_length=300, blank=True)
    # A list of RecipientKind codes, checked by the service.
    recipient_kinds = models.JSONField(_("recipients it covers"), default=list)
    given_on = models.DateField(_("signed on"))
    # First day the consent no longer holds: a representative's ends when the resident turns 18.
    valid_until = models.DateField(_("valid until (exclusive)"), null=True, blank=True)
    declaration = models.FileField(
        _("signed declaration"), upload_to=consent_upload_to, max_length=200
    )
    declaration_mime = models.CharField(max_length=40)
    declaration_sha256 = models.CharField(max_length=64)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawal recorded by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            # The same signed document recorded twice for one subject is a double submit.
            models.UniqueConstraint(
                fields=["subject_ct", "subject_id", "declaration_sha256"],
                name="consent_declaration_once_per_subject",
            ),
            models.CheckConstraint(
                condition=models.Q(given_by__in=GivenBy.values),
                name="consent_given_by_known",
            ),
        ]
        indexes = [models.Index(fields=["subject_ct", "subject_id", "-given_on"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.given_on:%Y-%m-%d}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def recipient_kind_labels(self) -> list[str]:
        labels = dict(RecipientKind.choices)
        return [str(labels.get(code, code)) for code in self.recipient_kinds]
