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

    class Taken(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        UNKNOWN = "unknown", _("Not known")

    class TransportRequestedBy(models.TextChoices):
        POLICE = "police", _("The police")
        CHILD_WELFARE = "child_welfare", _("Child welfare")

    class Placement(models.TextChoices):
        KEPT = "kept", _("Stays at this centre")
        MOVE = "move", _("Moves to another centre; the regional office arranges the move")

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
    # SAV-3, R-22: what a police officer (and the child-welfare duty service) needs to search.
    # Facts of this disappearance; facts of the minor are on the SearchProfile.
    last_seen_where = models.CharField(_("where last seen"), max_length=200, blank=True)
    last_seen_by = models.CharField(_("last seen by"), max_length=200, blank=True)
    id_taken = models.CharField(
        _("took an ID document"), max_length=8, choices=Taken.choices, default=Taken.UNKNOWN
    )
    money_taken = models.CharField(
        _("took money or belongings"), max_length=8, choices=Taken.choices, default=Taken.UNKNOWN
    )
    network = models.TextField(
        _("known network"),
        blank=True,
        help_text=_("Friends, relatives in Norway and abroad, earlier addresses."),
    )
    possible_destinations = models.TextField(_("possible destinations"), blank=True)
    threats = models.TextField(_("threats or pressure known to the centre"), blank=True)
    trafficking_indicators = models.TextField(_("signs of human trafficking"), blank=True)
    # Leave cases (PERM-6): passed in by the leave routine, never read from its records.
    leave_contact = models.CharField(
        _("contact person during the leave"), max_length=200, blank=True
    )
    leave_address = models.CharField(_("address during the leave"), max_length=200, blank=True)
    # the police district to report to, when not the centre's (a leave: the leave
    # address's municipality by default, changeable by staff).
    police_municipality = models.CharField(
        _("municipality of the police district"), max_length=80, blank=True
    )

    # the first reports go by phone (police only under a recorded agreement) or in
    # person; the written report follows. When and to whom the call was made.
    police_phoned_at = models.DateTimeField(_("police told by phone"), null=True, blank=True)
    police_phoned_to = models.CharField(_("police officer spoken to"), max_length=120, blank=True)
    child_welfare_phoned_at = models.DateTimeField(
        _("child-welfare duty service told by phone"), null=True, blank=True
    )
    child_welfare_phoned_to = models.CharField(
        _("child-welfare worker spoken to"), max_length=120, blank=True
    )

    # R-16 (SAV-11): a staff observation at the return that gives reason to believe the minor
    # is or has been exposed to serious neglect or other circumstances that trigger the duty
    # to report; it opens the new concern report before the follow-up conversation.
    concern_observed_at = models.DateTimeField(
        _("concern observed at the return"), null=True, blank=True
    )
    concern_grounds = models.TextField(_("what staff observed"), blank=True)

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

    # the minor keeps the place while missing; the regional office may end the stay.
    stay_ended_at = models.DateTimeField(_("stay ended as missing"), null=True, blank=True)
    # SAV-9: taken in until the placement is clarified with the regional office.
    placement = models.CharField(
        _("placement after the return"), max_length=8, choices=Placement.choices, blank=True
    )
    placement_clarified_with = models.CharField(
        _("clarified with (regional office)"), max_length=120, blank=True
    )
    placement_clarified_at = models.DateTimeField(_("placement clarified"), null=True, blank=True)
    placement_note = models.TextField(_("note on the placement"), blank=True)

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
    # "grunn til å tro" — serious neglect or other circumstances that trigger the duty
    # to report (abuse, serious behavioural problems, exploitation).
    serious_neglect_suspected = models.BooleanField(
        _(
            "reason to believe: serious neglect or other circumstances that trigger the duty to report"
        ),
        default=False,
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


class PoliceAgreement(models.Model):
    """R-12: the centre's recorded agreement with a police district that a missing-person
    report may be given by phone, the written report following. Without one the first report
    is made in person."""

    centre = models.ForeignKey(
        "mottak.Centre",
        on_delete=models.CASCADE,
        related_name="police_agreements",
        verbose_name=_("centre"),
    )
    police = models.ForeignKey(
        "mottak.ExternalRecipient",
        on_delete=models.CASCADE,
        related_name="police_agreements",
        limit_choices_to={"kind": "police"},
        verbose_name=_("police district"),
    )
    agreed_on = models.DateField(_("agreed on"))
    agreed_with = models.CharField(_("agreed with (name and role at the police)"), max_length=160)
    note = models.TextField(_("what was agreed"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["centre", "police"]
        verbose_name = _("agreement with a police district")
        verbose_name_plural = _("agreements with police districts")
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "police"], name="one_police_agreement_per_centre_and_district"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.centre} – {self.police}"


class SearchProfile(models.Model):
    """What the police and the child-welfare duty service need to recognise and find the minor
    (SAV-3, SAV-4): kept ahead of a disappearance, printed only on the missing routine's forms.

    Deliberately no health record: one flag says that the minor needs medication.
    Deleted with the resident's record (cascade).
    """

    resident = models.OneToOneField(
        "mottak.Resident",
        on_delete=models.CASCADE,
        related_name="search_profile",
        verbose_name=_("resident"),
    )
    phone = models.CharField(_("the minor's mobile number"), max_length=40, blank=True)
    social_media = models.TextField(
        _("social-media accounts"), blank=True, help_text=_("Service and user name, one a line.")
    )
    height_cm = models.PositiveSmallIntegerField(_("height (cm)"), null=True, blank=True)
    build = models.CharField(_("build"), max_length=80, blank=True)
    hair = models.CharField(_("hair"), max_length=80, blank=True)
    distinguishing_marks = models.TextField(_("distinguishing marks"), blank=True)
    needs_medication = models.BooleanField(
        _("needs medication"),
        default=False,
        help_text=_("Only the fact: no diagnosis or medicine is recorded here."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("updated by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("search profile")
        verbose_name_plural = _("search profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(height_cm__isnull=True) | Q(height_cm__gte=50, height_cm__lte=250),
                name="search_profile_height_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.resident}"


def photo_upload_to(instance, filename: str) -> str:
    from cases.uploads import random_name

    return random_name("photos", filename)


class ResidentPhoto(models.Model):
    """The resident's photo for a missing-person report (SAV-3).

    Stored privately under a random name, re-encoded without its metadata, served only through
    an access-checked view, never by a public media URL. Deleted with the resident's record, and
    by `manage.py savnet_photos_purge` for residents who left more than N months ago.
    """

    resident = models.OneToOneField(
        "mottak.Resident",
        on_delete=models.CASCADE,
        related_name="photo",
        verbose_name=_("resident"),
    )
    image = models.FileField(_("photo"), upload_to=photo_upload_to, max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    taken_on = models.DateField(_("taken on"), null=True, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("photo of a resident")
        verbose_name_plural = _("photos of residents")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.resident}"
