"""Deadlines (X-5): every time limit of a routine is a row that the sweeper watches."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from .. import urgency as urgency_classes


class Deadline(models.Model):
    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("deadline state", "Open")  # not the verb on buttons
        MET = "met", _("Met")
        MISSED = "missed", _("Missed")
        WAIVED = "waived", _("Waived")

    # States that still ask for work: a missed deadline stays on the pages until met or waived.
    PENDING = (State.OPEN, State.MISSED)

    # The case (or resident) the time limit belongs to.
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("content_type", "object_id")
    # About whom (normally the resident), so a resident's deadlines are one query.
    subject_ct = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_ct", "subject_id")
    # Who is responsible: the pages and the escalation are scoped by these.
    centre = models.ForeignKey(
        "mottak.Centre",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deadlines",
        verbose_name=_("centre"),
    )
    region = models.ForeignKey(
        "mottak.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deadlines",
        verbose_name=_("regional office"),
    )
    # A national time limit (RET-6: RMA's quarterly meeting): no centre or office answers for
    # it, the users of this role slot (cases.roles) do, wherever they sit.
    national_role = models.CharField(_("responsible nationwide"), max_length=32, blank=True)
    # A named person who answers for it (RET-5: the ASA caseworker a task is given to): the
    # alerts go to them while they are active, else to the audiences above.
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible person"),
    )
    kind = models.CharField(_("kind"), max_length=64)
    # Who is told when (cases/urgency.py): at opening, reminders, escalations.
    urgency = models.CharField(
        _("urgency"),
        max_length=16,
        choices=urgency_classes.CHOICES,
        default=urgency_classes.DEFAULT,
    )
    rule_id = models.CharField(_("rule"), max_length=16, blank=True)
    # An English msgid or a short free text; never personal data (notifications show it).
    label = models.CharField(_("what"), max_length=200)
    due_at = models.DateTimeField(_("due"))
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.OPEN)
    opened_at = models.DateTimeField(_("opened"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    met_at = models.DateTimeField(_("met"), null=True, blank=True)
    met_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("met by"),
    )
    was_missed = models.BooleanField(_("met late"), default=False)
    waived_at = models.DateTimeField(_("waived"), null=True, blank=True)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("waived by"),
    )
    waive_reason = models.TextField(_("why it was waived"), blank=True)
    # Sweeper marks: how many reminder points are handled, when it last reminded, when it
    # escalated, and when it should look at the row next (the next reminder point, else due_at).
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    reminded_at = models.DateTimeField(_("last reminded"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    next_alert_at = models.DateTimeField(_("next check"), null=True, blank=True)
    failure_count = models.PositiveIntegerField(_("failed sweeps"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        constraints = [
            # Opening the same kind twice for one owner gives back the pending row.
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind"],
                condition=Q(state__in=["open", "missed"]),
                name="one_pending_deadline_per_owner_and_kind",
            ),
            models.CheckConstraint(
                condition=Q(centre__isnull=False) | Q(region__isnull=False) | ~Q(national_role=""),
                name="deadline_has_someone_responsible",
            ),
        ]
        indexes = [
            # Open rows by due time: small however many closed rows pile up.
            models.Index(
                fields=["due_at"], condition=Q(state="open"), name="deadline_open_due_idx"
            ),
            # What the sweeper selects: its cost grows with the due rows, not with all rows.
            models.Index(
                fields=["next_alert_at"], condition=Q(state="open"), name="deadline_sweep_idx"
            ),
            models.Index(fields=["centre", "state", "due_at"], name="deadline_centre_idx"),
            models.Index(fields=["subject_ct", "subject_id"], name="deadline_subject_idx"),
            models.Index(fields=["content_type", "object_id"], name="deadline_owner_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id or self.kind} {self.due_at:%Y-%m-%d %H:%M} ({self.state})"

    @property
    def is_national(self) -> bool:
        return not self.centre_id and not self.region_id and bool(self.national_role)

    @property
    def is_pending(self) -> bool:
        return self.state in self.PENDING


class DeadlineAlert(models.Model):
    """One reminder or escalation of one deadline: unique per stage, so it is sent once only."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reminder")
        ESCALATION = "escalation", _("Escalation")
        # An urgent ("straks") deadline opened; and still undone after a while (to leaders).
        OPENED = "opened", _("Urgent deadline opened")
        UNDONE = "undone", _("Urgent deadline still undone")

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="alerts")
    # "opened", "reminder-1", "reminder-2", …, "escalation-leader", "escalation".
    stage = models.CharField(_("stage"), max_length=32)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("deadline alert")
        verbose_name_plural = _("deadline alerts")
        constraints = [
            models.UniqueConstraint(fields=["deadline", "stage"], name="one_alert_per_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.stage} #{self.deadline_id}"
