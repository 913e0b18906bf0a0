"""Missing minors (SAV-1..SAV-11): the report, the phone calls, Sesam, the follow-up conversation."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class MissingReport(models.Model):
    """One disappearance of one resident, from the first look-around to the follow-up."""

    class State(models.TextChoices):
        INVESTIGATING = "investigating", _("Being looked into")
        OPEN = "open", _("Reported missing")
        FOUND = "found", _("Found or returned")
        CLOSED = "closed", _("Closed")

    class Source(models.TextChoices):
        ABSENCE = "absence", _("Absent from daily activities")
        LATE_RETURN = "late_return", _("Not back on time from leave")

    class FoundHow(models.TextChoices):
        CAME_BACK = "came_back", _("Came back by themselves")
        POLICE = "police", _("Brought by the police")
        CHILD_WELFARE = "child_welfare", _("Brought by child welfare")
        OTHER = "other", _("Other")

    class TransportRequestedBy(models.TextChoices):
        POLICE = "police", _("The police")
        CHILD_WELFARE = "child_welfare", _("Child welfare")

    # States in which the resident counts as missing: one such report per resident (SAV-2).
    ACTIVE_STATES = (State.INVESTIGATING, State.OPEN)

    resident = models.ForeignKey(
        "mottak.Resident",
        on_delete=models.PROTECT,
        related_name="missing_reports",
        verbose_name=_("resident"),
    )
    # The centre at the time: the resident may move later, the report stays with this centre.
    centre = models.ForeignKey(
        "mottak.Centre",
        on_delete=models.PROTECT,
        related_name="missing_reports",
        verbose_name=_("centre"),
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.INVESTIGATING
    )
    source = models.CharField(
        _("how it started"), max_length=16, choices=Source.choices, default=Source.ABSENCE
    )
    noticed_at = models.DateTimeField(_("absence noticed"))
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    circumstances = models.TextField(_("circumstances"), blank=True)
    description = models.TextField(
        _("appearance and clothing"),
        blank=True,
        help_text=_("What the police need to recognise the resident."),
    )
    reason_to_believe_at = models.DateTimeField(
        _("reason to believe the resident has left"),
        null=True,
        blank=True,
        help_text=_(
            "The 24-hour limit runs from this moment or the end of the investigation window, "
            "whichever is earlier."
        ),
    )
    limit_at = models.DateTimeField(
        _("24-hour limit"), null=True, blank=True, db_index=True, editable=False
    )
    # the end of the investigation window opened when the absence was noticed.
    investigation_limit_at = models.DateTimeField(
        _("end of the investigation window"), null=True, blank=True, editable=False
    )
    late_reason = models.TextField(
        _("why there was reason to believe only after the investigation window"), blank=True
    )
    known_address = models.CharField(_("known address"), max_length=200, blank=True)
    known_address_municipality = models.CharField(
        _("municipality of the known address"), max_length=80, blank=True
    )

    # R-17 (SAV-8): the whereabouts became known while the minor is not back; the case stays open.
    whereabouts_known_at = models.DateTimeField(_("whereabouts known"), null=True, blank=True)
    whereabouts = models.CharField(_("whereabouts"), max_length=200, blank=True)
    whereabouts_municipality = models.CharField(
        _("municipality of the whereabouts"), max_length=80, blank=True
    )
    police_advise_against_telling_representative = models.CharField(
        _("the police advise against telling the representative where the minor is"),
        max_length=300,
        blank=True,
    )
    found_at = models.DateTimeField(_("found or returned"), null=True, blank=True)
    found_how = models.CharField(_("how"), max_length=16, choices=FoundHow.choices, blank=True)
    where_they_were = models.TextField(_("where they had been"), blank=True)
    taken_in_while_full = models.BooleanField(
        _("taken in while the centre was full"), default=False
    )
    transport_outside_office_hours = models.BooleanField(
        _("transport arranged outside UDI's office hours"), default=False
    )
    transport_requested_by = models.CharField(
        _("transport requested by"), max_length=16, choices=TransportRequestedBy.choices, blank=True
    )
    refund_claimed = models.BooleanField(_("refund to be claimed"), default=False)

    opened_at = models.DateTimeField(_("reported missing"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-noticed_at", "-id"]
        verbose_name = _("missing report")
        verbose_name_plural = _("missing reports")
        constraints = [
            models.UniqueConstraint(
                fields=["resident"],
                condition=Q(state__in=["investigating", "open"]),
                name="one_active_missing_report_per_resident",
            ),
            models.CheckConstraint(
                condition=Q(last_seen_at__isnull=True) | Q(last_seen_at__lte=F("noticed_at")),
                name="missing_last_seen_not_after_noticed",
            ),
            models.CheckConstraint(
                condition=Q(reason_to_believe_at__isnull=True)
                | Q(reason_to_believe_at__gte=F("noticed_at")),
                name="missing_reason_not_before_noticed",
            ),
            models.CheckConstraint(
                condition=Q(found_at__isnull=True) | Q(found_at__gte=F("noticed_at")),
                name="missing_found_not_before_noticed",
            ),
            models.CheckConstraint(
                condition=~Q(state="open") | Q(reason_to_believe_at__isnull=False),
                name="missing_open_has_reason_to_believe",
            ),
        ]
        indexes = [
            models.Index(fields=["centre", "state"]),
            models.Index(fields=["state", "limit_at"]),
        ]

    def __str__(self) -> str:
        # No names: the identifier staff already use.
        return f"{self.resident} {self.noticed_at:%Y-%m-%d}"

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE_STATES


class PhoneCall(models.Model):
    """A call to the representative or lawyer about the disappearance (SAV-5)."""

    class Party(models.TextChoices):
        REPRESENTATIVE = "representative", _("Representative / guardian")
        LAWYER = "lawyer", _("Lawyer")

    report = models.ForeignKey(
        MissingReport, on_delete=models.CASCADE, related_name="calls", verbose_name=_("report")
    )
    party = models.CharField(_("called"), max_length=16, choices=Party.choices)
    party_name = models.CharField(_("name of the person called"), max_length=120, blank=True)
    phone_number = models.CharField(_("number called"), max_length=40, blank=True)
    called_at = models.DateTimeField(_("when"))
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("called by"),
    )
    reached = models.BooleanField(_("reached"))
    what_they_knew = models.TextField(
        _("what they knew"),
        blank=True,
        help_text=_("Anything that could help the police, child welfare or UDI."),
    )
    # One per submitted form: a double submit of the same form finds the row already there.
    submission_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["called_at", "id"]
        verbose_name = _("phone call")
        verbose_name_plural = _("phone calls")

    def __str__(self) -> str:
        return f"{self.get_party_display()} {self.called_at:%Y-%m-%d %H:%M}"


class SesamRegistration(models.Model):
    """That the disappearance was registered in Sesam, when and by whom (SAV-7)."""

    report = models.OneToOneField(
        MissingReport,
        on_delete=models.CASCADE,
        related_name="sesam_registration",
        verbose_name=_("report"),
    )
    registered_at = models.DateTimeField(_("registered in Sesam"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Sesam registration")
        verbose_name_plural = _("Sesam registrations")

    def __str__(self) -> str:
        return f"Sesam {self.registered_at:%Y-%m-%d %H:%M}"


class AppointmentCancellation(models.Model):
    """An appointment with UDI's asylum department reported cancelled to KOR or BFE (SAV-6)."""

    class Unit(models.TextChoices):
        KOR = "kor", _("KOR (coordination unit)")
        BFE = "bfe", _("BFE (child-expert unit)")

    report = models.ForeignKey(
        MissingReport,
        on_delete=models.CASCADE,
        related_name="appointment_cancellations",
        verbose_name=_("report"),
    )
    appointment = models.ForeignKey(
        "mottak.Appointment",
        on_delete=models.PROTECT,
        related_name="missing_cancellations",
        verbose_name=_("appointment"),
    )
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices)
    high_priority = models.BooleanField(_("high priority"), default=False)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["appointment__starts_at", "id"]
        verbose_name = _("appointment cancellation")
        verbose_name_plural = _("appointment cancellations")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "appointment"], name="one_cancellation_per_appointment_and_report"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_unit_display()} {self.created_at:%Y-%m-%d}"


class FollowUpConversation(models.Model):
    """The conversation after the return (SAV-10), kept in the personal folder."""

    report = models.OneToOneField(
        MissingReport,
        on_delete=models.CASCADE,
        related_name="follow_up",
        verbose_name=_("report"),
    )
    held_at = models.DateTimeField(_("held"))
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("held by"),
    )
    why_left = models.TextField(_("why the resident left"))
    where_stayed = models.TextField(_("where the resident stayed"))
    what_did = models.TextField(_("what the resident did"))
    feels_safe = models.BooleanField(_("feels safe at the centre"))
    threatened = models.BooleanField(_("is threatened by someone"), default=False)
    pressured = models.BooleanField(_("is pressured by someone"), default=False)
    interpreter_used = models.BooleanField(_("interpreter used"), default=False)
    interpreter_language = models.CharField(_("interpreter language"), max_length=80, blank=True)
    trafficking_suspected = models.BooleanField(_("human trafficking suspected"), default=False)
    domestic_violence_suspected = models.BooleanField(
        _("domestic violence suspected"), default=False
    )
    serious_neglect_suspected = models.BooleanField(
        _("grounded suspicion of serious neglect"), default=False
    )
    neglect_grounds = models.TextField(_("grounds for the suspicion"), blank=True)
    asylum_relevant_info = models.TextField(
        _("information that matters for the asylum case"),
        blank=True,
        help_text=_(
            "Sent to the regional office only with the consent of the minor or representative."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up conversation")
        verbose_name_plural = _("follow-up conversations")
        constraints = [
            models.CheckConstraint(
                condition=Q(interpreter_used=False) | ~Q(interpreter_language=""),
                name="followup_interpreter_has_language",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.held_at:%Y-%m-%d}"

    @property
    def flags(self) -> list[str]:
        """Suspicions that open their own follow-up (SAV-10, SAV-11)."""
        return [
            name
            for name in (
                "trafficking_suspected",
                "domestic_violence_suspected",
                "serious_neglect_suspected",
            )
            if getattr(self, name)
        ]
