"""In-app notifications to staff: urgent openings, reminders and escalations of deadlines."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .deadlines import Deadline, DeadlineAlert


class Notification(models.Model):
    """One alert for one person. Holds no personal data: the text is built from the deadline's
    label and the centre's or regional office's name."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    alert = models.ForeignKey(DeadlineAlert, on_delete=models.CASCADE, related_name="notifications")
    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=16, choices=DeadlineAlert.Kind.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "recipient"], name="one_notification_per_alert_and_recipient"
            ),
        ]
        indexes = [
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_list_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.deadline_id} → {self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def place(self) -> str:
        deadline = self.deadline
        if deadline.is_national:
            return gettext("the national level")
        return deadline.centre.name if deadline.centre_id else deadline.region.name

    @property
    def message(self) -> str:
        values = {"place": self.place, "label": gettext(self.deadline.label)}
        if self.kind == DeadlineAlert.Kind.ESCALATION:
            return gettext("Deadline overdue at %(place)s: %(label)s") % values
        if self.kind == DeadlineAlert.Kind.OPENED:
            return gettext("Urgent deadline opened at %(place)s: %(label)s") % values
        if self.kind == DeadlineAlert.Kind.UNDONE:
            return gettext("Urgent deadline still undone at %(place)s: %(label)s") % values
        return gettext("Deadline soon due at %(place)s: %(label)s") % values

    @property
    def link(self) -> str:
        """The step the deadline belongs to on its case page; for a deadline of no routine
        case, its row on its centre's (or regional office's) page. No queries."""
        from ..selectors_work import deadline_links  # the reads import the models

        deadline = self.deadline
        step = deadline_links([deadline]).get(deadline.pk)
        if step:
            return step
        if deadline.centre_id:
            path = reverse("cases:deadlines_centre", args=[deadline.centre_id])
        elif deadline.is_national:
            path = reverse("cases:deadlines_national")
        else:
            path = reverse("cases:deadlines_region", args=[deadline.region_id])
        return f"{path}#deadline-{deadline.pk}"
