"""The shared case machinery. Points at other apps' models only by string or generic relation."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReadLog(models.Model):
    """Who opened which record, PDF or export, and when (X-4)."""

    class Action(models.TextChoices):
        VIEW = "view", _("Opened the record")
        DOWNLOAD = "download", _("Downloaded a document")
        EXPORT = "export", _("Exported")
        HISTORY = "history", _("Opened the change history")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("read log entry")
        verbose_name_plural = _("read log")
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class TimelineEvent(models.Model):
    """A domain event in a resident's case, written in the same transaction as the change."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("kind"), max_length=64)
    rule_id = models.CharField(_("rule"), max_length=16, blank=True)
    summary = models.CharField(_("summary"), max_length=300)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline")
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"
