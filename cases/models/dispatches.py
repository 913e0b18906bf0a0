"""Outgoing notices (X-1, X-2): recorded, rendered once to PDF, kept unchanged."""

import os

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import FileSystemStorage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .. import rules


@deconstructible(path="cases.models.dispatches.DispatchStorage")
class DispatchStorage(FileSystemStorage):
    """MEDIA_ROOT/dispatches/, read from settings at each use; no URL.

    The files hold personal data: they are served only by an access-checked view.
    """

    @property
    def base_location(self):
        return os.path.join(settings.MEDIA_ROOT, "dispatches")

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


class Dispatch(models.Model):
    class Channel(models.TextChoices):
        POST = rules.Channel.POST.value, _("Post")
        BY_HAND = rules.Channel.BY_HAND.value, _("By hand")
        PHONE = rules.Channel.PHONE.value, _("Phone")
        ENCRYPTED_EMAIL = rules.Channel.ENCRYPTED_EMAIL.value, _("Encrypted e-mail")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        QUEUED = "queued", _("Waiting to be rendered")
        RENDERED = "rendered", _("Rendered, not sent")
        RENDER_FAILED = "render_failed", _("Rendering failed")
        SENT = "sent", _("Sent")

    # The case the notice belongs to (a resident, a missing report, a leave application …).
    owner_ct = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    owner_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("owner_ct", "owner_id")
    # About whom: decides access and the listing on the resident page.
    subject_ct = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_ct", "subject_id")

    recipient = models.ForeignKey(
        "mottak.ExternalRecipient",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recipient"),
    )
    # Copied from the directory entry when there is one: the notice keeps the address it went to.
    recipient_name = models.CharField(_("recipient's name"), max_length=160)
    recipient_address = models.CharField(_("recipient's address"), max_length=300, blank=True)
    recipient_kind = models.CharField(_("kind of recipient"), max_length=32)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    # statutes (printed after "Hjemmel:") and the routine followed (after "Jf.").
    legal_basis = models.TextField(_("legal basis"), blank=True)
    routine_reference = models.TextField(_("routine followed"), blank=True)
    template = models.CharField(_("form"), max_length=100)
    purpose = models.CharField(_("purpose"), max_length=40)
    # The routine step this notice is the work of (cases.routines): sending it meets the step.
    step_code = models.CharField(_("step"), max_length=64, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    # Everything the form shows, frozen at creation: rendering never re-reads other records.
    context = models.JSONField(_("content"), default=dict, encoder=DjangoJSONEncoder)
    letterhead = models.JSONField(_("sender"), default=dict, encoder=DjangoJSONEncoder)
    idempotency_key = models.CharField(max_length=64, unique=True, editable=False)

    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.QUEUED, db_index=True
    )
    attempts = models.PositiveIntegerField(_("render attempts"), default=0)
    render_count = models.PositiveIntegerField(_("renders"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    pdf = models.FileField(_("PDF"), storage=DispatchStorage(), max_length=200, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    rendered_at = models.DateTimeField(_("rendered"), null=True, blank=True)
    # When a render was last asked for (queued, retried, failed, queued again): the requeue of
    # lost renders waits this long before asking again (dispatches_requeue_stale).
    queued_at = models.DateTimeField(_("render asked for"), null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    # the recipient's own reference (journal number, receipt) when they give one.
    sent_reference = models.CharField(_("recipient's reference"), max_length=100, blank=True)
    # Notices whose PDFs are appended to this one's (SAV-7: copies go with the cover letter).
    enclosures = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="enclosed_in",
        verbose_name=_("enclosures"),
    )
    # Stored uploads printed after the notice (PERM-3: the ID copy goes with the application):
    # [{"name": storage name, "mime": detected type, "label": what it is}]. The render copies
    # them into the PDF once, so the dispatch keeps what was sent even if the upload goes.
    enclosed_files = models.JSONField(_("enclosed files"), default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")
        indexes = [
            models.Index(fields=["subject_ct", "subject_id", "-created_at"]),
            models.Index(fields=["owner_ct", "owner_id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(recipient_name=""), name="dispatch_has_recipient"
            ),
            models.CheckConstraint(
                condition=~models.Q(state="sent") | models.Q(sent_at__isnull=False),
                name="dispatch_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        # No names: the purpose and the number identify it.
        return f"{self.purpose} #{self.pk}"

    @property
    def is_written(self) -> bool:
        return self.channel != self.Channel.PHONE

    @property
    def awaits_sending(self) -> bool:
        """R-13: a written notice made but not yet recorded as sent or handed over."""
        return self.is_written and self.state != self.State.SENT

    @property
    def purpose_label(self) -> str:
        return rules.purpose_label(self.purpose)
