"""The daily presence register: check times per centre, checks, marks, and agreed returns
from ordinary outings (SAV-2, reviews/domain.md §6 items 1-2)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .core import Centre, Resident


class CheckKind(models.TextChoices):
    MORNING = "morning", _("Morning")
    AFTER_SCHOOL = "after_school", _("After school")
    EVENING = "evening", _("Evening (curfew)")
    NIGHT = "night", _("Night")


class PresenceCheckTime(models.Model):
    """When a centre holds a check of a kind. A centre without rows uses the defaults
    (mottak.rules_presence.DEFAULT_CHECK_TIMES); a centre with rows uses exactly its active
    rows."""

    centre = models.ForeignKey(
        Centre, on_delete=models.CASCADE, related_name="check_times", verbose_name=_("centre")
    )
    kind = models.CharField(_("check"), max_length=16, choices=CheckKind.choices)
    time = models.TimeField(_("time of day"))
    active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["centre", "time"]
        verbose_name = _("presence check time")
        verbose_name_plural = _("presence check times")
        constraints = [
            models.UniqueConstraint(fields=["centre", "kind"], name="one_check_time_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.time:%H:%M}"


class PresenceCheck(models.Model):
    """One check held at a centre: the record set is its marks, one per resident."""

    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, related_name="presence_checks", verbose_name=_("centre")
    )
    kind = models.CharField(_("check"), max_length=16, choices=CheckKind.choices)
    on_date = models.DateField(_("date"))
    # The time of the check: what an absence found at it counts from (SAV-2, R-1).
    held_at = models.DateTimeField(_("time of the check"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_at", "-id"]
        verbose_name = _("presence check")
        verbose_name_plural = _("presence checks")
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "on_date", "kind"], name="one_presence_check_per_slot"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on_date:%Y-%m-%d}"


class PresenceMark(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ON_LEAVE = "on_leave", _("On leave")
        AWAY_AGREED = "away_agreed", _("Away, back at an agreed time")
        ABSENT = "absent", _("Absent without agreement")

    check_event = models.ForeignKey(
        PresenceCheck, on_delete=models.CASCADE, related_name="marks", verbose_name=_("check")
    )
    resident = models.ForeignKey(
        Resident,
        on_delete=models.PROTECT,
        related_name="presence_marks",
        verbose_name=_("resident"),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["check_event", "resident"]
        verbose_name = _("presence mark")
        verbose_name_plural = _("presence marks")
        constraints = [
            models.UniqueConstraint(
                fields=["check_event", "resident"], name="one_mark_per_check_and_resident"
            ),
        ]
        indexes = [models.Index(fields=["resident", "status"])]

    def __str__(self) -> str:
        return f"{self.resident} {self.status}"


class Outing(models.Model):
    """An ordinary outing with an agreed return time ("out until 22:00"). Not back by then
    is an absence to look into (SAV-2: "ikke har kommet tilbake … til avtalt tid")."""

    resident = models.ForeignKey(
        Resident, on_delete=models.PROTECT, related_name="outings", verbose_name=_("resident")
    )
    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, related_name="outings", verbose_name=_("centre")
    )
    left_at = models.DateTimeField(_("went out"))
    return_by = models.DateTimeField(_("agreed return"))
    back_at = models.DateTimeField(_("back"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    back_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("back recorded by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["return_by", "id"]
        verbose_name = _("outing")
        verbose_name_plural = _("outings")
        constraints = [
            models.UniqueConstraint(
                fields=["resident"], condition=Q(back_at__isnull=True), name="one_open_outing"
            ),
            models.CheckConstraint(
                condition=Q(return_by__gt=models.F("left_at")), name="outing_returns_after_leaving"
            ),
        ]
        indexes = [models.Index(fields=["centre", "back_at"])]

    def __str__(self) -> str:
        return f"{self.resident} {self.return_by:%Y-%m-%d %H:%M}"
