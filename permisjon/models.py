"""Leave (permisjon): applications, contact persons, follow-up calls (PERM-1..PERM-10)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class LeaveApplication(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        PREPARED = "prepared", _("Prepared")
        FORWARDED = "forwarded", _("Forwarded to the regional office")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")
        ONGOING = "ongoing", _("On leave")
        LATE = "late", _("Not back on time")
        RETURNED = "returned", _("Back from leave")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Decider(models.TextChoices):
        CENTRE = "centre", _("The centre")
        REGION = "region", _("UDI regional office")

    class PUView(models.TextChoices):
        NONE = "none", _("Not yet received")
        NO_CLASH = "no_clash", _("No clash with transfer or removal plans")
        CLASHES = "clashes", _("Clashes with transfer or removal plans")

    class Meeting(models.TextChoices):
        NONE = "none", _("Not recorded")
        MET = "met", _("Met at the centre")
        NOT_POSSIBLE = "not_possible", _("A meeting was not possible")

    class RepresentativeAnswer(models.TextChoices):
        NONE = "none", _("Not yet asked")
        SUPPORTS = "supports", _("Supports the leave")
        OBJECTS = "objects", _("Objects to the leave")
        NOT_REACHED = "not_reached", _("Not reached")

    class PoliceAnswer(models.TextChoices):
        NONE = "none", _("Not yet asked")
        NO_OBJECTION = "no_objection", _("No objection")
        OBJECTS = "objects", _("Objects")
        CONTACTS_REGION = "contacts_region", _("Will contact the UDI regional office instead")

    class PlaceCheck(models.TextChoices):
        """PERM-4 g: how child welfare was brought in when the centre was unsure."""

        REQUEST = "request", _("Child welfare in the centre's municipality asked to look into it")
        CONCERN_REPORT = (
            "concern",
            _("Concern report to child welfare where the minor wants to stay"),
        )

    class Safety(models.TextChoices):
        NONE = "none", _("Not concluded")
        SAFE = "safe", _("The place is safe")
        UNSURE = "unsure", _("The centre is unsure whether the place is safe")

    # States in which the leave still holds its period: a new one may not overlap it.
    HOLDS_PERIOD = frozenset({"draft", "prepared", "forwarded", "granted", "ongoing", "late"})
    UNDECIDED = frozenset({"draft", "prepared", "forwarded"})

    resident = models.ForeignKey(
        "mottak.Resident",
        on_delete=models.PROTECT,
        related_name="leave_applications",
        verbose_name=_("resident"),
    )
    # The centre the minor lived at when applying; the scope of the centre's work on it.
    centre = models.ForeignKey(
        "mottak.Centre",
        on_delete=models.PROTECT,
        related_name="leave_applications",
        verbose_name=_("centre"),
    )
    departure_at = models.DateTimeField(_("departure"))
    return_at = models.DateTimeField(_("agreed return"))
    destination_address = models.CharField(_("address during the leave"), max_length=200)
    destination_municipality = models.CharField(_("municipality"), max_length=80)
    abroad = models.BooleanField(
        _("travel out of Norway"),
        default=False,
        help_text=_("Leave to travel out of Norway is never granted."),
    )
    reason = models.TextField(_("reason for the application"))
    # PERM-2: the minor's own words on the application, over their signature.
    minor_statement = models.TextField(_("the minor's own statement"), blank=True)
    filled_in_by_staff = models.BooleanField(
        _("filled in by staff for the minor"),
        default=False,
        help_text=_("Tick when the minor cannot write and staff wrote the application."),
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.DRAFT, db_index=True
    )
    decider = models.CharField(_("who decides"), max_length=8, choices=Decider.choices)
    pu_view = models.CharField(
        _("PU's view"), max_length=16, choices=PUView.choices, default=PUView.NONE
    )
    pu_view_note = models.TextField(_("PU's view in detail"), blank=True)
    pu_view_at = models.DateTimeField(_("PU's view received"), null=True, blank=True)
    # Overridden "normally not" warnings: {warning code: the decider's reason}.
    override_reasons = models.JSONField(_("reasons for exceptions"), default=dict, blank=True)
    # PERM-4 d–g: the preparation as answers the decider reads and the form prints.
    met_contact_person = models.CharField(
        _("meeting with the contact person"),
        max_length=16,
        choices=Meeting.choices,
        default=Meeting.NONE,
    )
    meeting_not_possible_reason = models.TextField(_("why a meeting was not possible"), blank=True)
    representative_answer = models.CharField(
        _("the representative's answer"),
        max_length=16,
        choices=RepresentativeAnswer.choices,
        default=RepresentativeAnswer.NONE,
    )
    representative_answer_note = models.TextField(
        _("the representative's answer in detail"), blank=True
    )
    police_answer = models.CharField(
        _("the police's answer"),
        max_length=16,
        choices=PoliceAnswer.choices,
        default=PoliceAnswer.NONE,
    )
    police_answer_note = models.TextField(_("the police's answer in detail"), blank=True)
    safety_conclusion = models.CharField(
        _("is the place safe"), max_length=8, choices=Safety.choices, default=Safety.NONE
    )
    safety_note = models.TextField(_("the centre's safety assessment"), blank=True)
    place_check = models.CharField(
        _("child welfare brought in"), max_length=8, choices=PlaceCheck.choices, blank=True
    )
    centre_recommends_refusal = models.BooleanField(
        _("the centre recommends refusal"), default=False
    )
    centre_recommendation_note = models.TextField(_("the centre's recommendation"), blank=True)

    forwarded_at = models.DateTimeField(_("forwarded"), null=True, blank=True)
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("forwarded by"),
    )
    forwarded_late = models.BooleanField(_("forwarded late"), default=False)

    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    # PERM-1, PERM-9/10: the stage the decision was made on; a change stops the departure.
    asylum_stage_at_decision = models.CharField(
        _("asylum stage when decided"), max_length=32, blank=True
    )
    # 1 for the first decision; a leave sent back for a new decision counts up, and its notices
    # (agreement, representative) are made again as new versions.
    decision_round = models.PositiveSmallIntegerField(_("decision round"), default=1)

    # The written agreement and notices (PERM-5).
    agreement_note = models.TextField(_("terms of the agreement"), blank=True)
    representative_told_orally_at = models.DateTimeField(
        _("representative told orally"), null=True, blank=True
    )
    representative_told_orally_note = models.CharField(
        _("what the representative said"), max_length=300, blank=True
    )

    departed_at = models.DateTimeField(_("left the centre"), null=True, blank=True)
    returned_at = models.DateTimeField(_("back at the centre"), null=True, blank=True)
    # PERM-7: not back on time or otherwise did not keep to the agreement.
    broken_agreement = models.BooleanField(_("agreement broken"), default=False)
    broken_agreement_note = models.TextField(_("how the agreement was broken"), blank=True)
    # PERM-6: the missing report opened from this leave (a row of the missing routine).
    missing_report_id = models.PositiveBigIntegerField(
        _("missing report"), null=True, blank=True, editable=False
    )
    missing_report_opened_at = models.DateTimeField(_("reported missing"), null=True, blank=True)
    # the police district nearest the minor; by default the leave address's.
    police_municipality = models.CharField(
        _("municipality of the police district told"), max_length=80, blank=True
    )

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-departure_at", "-id"]
        verbose_name = _("leave application")
        verbose_name_plural = _("leave applications")
        constraints = [
            models.CheckConstraint(
                condition=Q(return_at__gt=models.F("departure_at")),
                name="leave_returns_after_departure",
            ),
        ]
        indexes = [
            models.Index(fields=["resident", "departure_at"]),
            models.Index(fields=["centre", "state"]),
            models.Index(fields=["state", "return_at"]),
        ]

    def __str__(self) -> str:
        # No names: the number staff use.
        return f"P-{self.pk}"

    @property
    def is_undecided(self) -> bool:
        return self.state in self.UNDECIDED


class ContactPerson(models.Model):
    """A person at the leave address (PERM-2, PERM-4 c). Exactly one is the designated contact
    person, who must have turned 25 (R-4); the others may be any age and are recorded for the
    police's and the centre's checks."""

    application = models.ForeignKey(
        LeaveApplication,
        on_delete=models.CASCADE,
        related_name="contact_persons",
        verbose_name=_("leave application"),
    )
    name = models.CharField(_("name"), max_length=160)
    address = models.CharField(_("address"), max_length=200)
    date_of_birth = models.DateField(_("date of birth"))
    relation = models.CharField(_("relation to the minor"), max_length=120)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    designated = models.BooleanField(_("designated contact person"), default=False)
    # PERM-4 d: the copy of the designated contact person's ID document.
    id_document_type = models.CharField(_("ID document"), max_length=60, blank=True)
    id_document_number = models.CharField(_("document number"), max_length=60, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-designated", "id"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class LeaveReference(models.Model):
    """A reference on the designated contact person: whether they are suitable (PERM-4 d)."""

    class Suitable(models.TextChoices):
        YES = "yes", _("Suitable")
        NO = "no", _("Not suitable")
        NO_VIEW = "no_view", _("No view")

    application = models.ForeignKey(
        LeaveApplication,
        on_delete=models.CASCADE,
        related_name="references",
        verbose_name=_("leave application"),
    )
    name = models.CharField(_("name"), max_length=160)
    role = models.CharField(_("role or position"), max_length=120)
    contact = models.CharField(_("phone or e-mail"), max_length=120)
    statement = models.TextField(_("statement"))
    suitable = models.CharField(_("suitable?"), max_length=8, choices=Suitable.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        verbose_name = _("reference")
        verbose_name_plural = _("references")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class FollowUpCall(models.Model):
    """A call during the leave to check that the minor is well and keeps to the agreement (PERM-5 c)."""

    class Outcome(models.TextChoices):
        WELL = "well", _("All well, keeps to the agreement")
        CONCERN = "concern", _("Cause for concern")
        NOT_REACHED = "not_reached", _("Not reached")

    application = models.ForeignKey(
        LeaveApplication,
        on_delete=models.CASCADE,
        related_name="follow_up_calls",
        verbose_name=_("leave application"),
    )
    called_at = models.DateTimeField(_("time of the call"))
    spoke_with = models.CharField(_("spoke with"), max_length=160)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    note = models.TextField(_("note"), blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("logged by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["called_at", "id"]
        verbose_name = _("follow-up call")
        verbose_name_plural = _("follow-up calls")

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} {self.called_at:%Y-%m-%d %H:%M}"
