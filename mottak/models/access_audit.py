"""The history of who may see whom: membership grants and revocations, second-factor resets."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessChange(models.Model):
    """One change to a user's access, written by the service that made it (append-only).

    `actor` is the administrator who made the change; empty for the system (the demo seed)."""

    class Kind(models.TextChoices):
        CENTRE_GRANTED = "centre_granted", _("Centre membership granted")
        CENTRE_REVOKED = "centre_revoked", _("Centre membership revoked")
        REGION_GRANTED = "region_granted", _("Regional-office membership granted")
        REGION_REVOKED = "region_revoked", _("Regional-office membership revoked")
        SECOND_FACTOR_RESET = "second_factor_reset", _("Second factor reset")
        BACKUP_CODES_RENEWED = "backup_codes_renewed", _("Backup codes renewed by the user")

    kind = models.CharField(_("change"), max_length=32, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="access_changes",
        verbose_name=_("user"),
    )
    centre = models.ForeignKey(
        "mottak.Centre",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("centre"),
    )
    region = models.ForeignKey(
        "mottak.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("UDI regional office"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("access change")
        verbose_name_plural = _("access changes")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
