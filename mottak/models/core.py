"""Core records: regions, centres, residents, stays, appointments, external recipients, users."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    CENTRE_STAFF = "centre_staff", _("Centre staff")
    CHILD_WELFARE_LEAD = "child_welfare_lead", _("Child-welfare lead")
    CENTRE_LEADER = "centre_leader", _("Centre leader")
    REGION_CASEWORKER = "region_caseworker", _("Regional-office caseworker")
    ASA_CASEWORKER = "asa_caseworker", _("ASA caseworker")
    RMA = "rma", _("RMA (aggregates only)")
    ADMIN = "admin", _("Administrator")


CENTRE_ROLES = frozenset({Role.CENTRE_STAFF, Role.CHILD_WELFARE_LEAD, Role.CENTRE_LEADER})
REGION_ROLES = frozenset({Role.REGION_CASEWORKER})


class User(AbstractUser):
    role = models.CharField(
        _("role"), max_length=32, choices=Role.choices, default=Role.CENTRE_STAFF
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_admin_role(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN


class Region(models.Model):
    """A UDI regional office."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    address = models.CharField(_("postal address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("UDI regional office")
        verbose_name_plural = _("UDI regional offices")
        permissions = [("member_of_region", _("Works at this regional office"))]

    def __str__(self) -> str:
        return self.name


class Centre(models.Model):
    class Kind(models.TextChoices):
        ARRIVAL_TRANSIT = "arrival_transit", _("Arrival transit centre")
        TRANSIT = "transit", _("Transit centre")
        ORDINARY_MINORS = "ordinary_minors", _("Ordinary unit for unaccompanied minors")
        ORDINARY_ACCOMPANIED = "ordinary_accompanied", _("Ordinary centre with accompanied minors")
        # SAV-1: where residents presumed to be adults, but registered as minors in DUF, live.
        ORDINARY_ADULTS = "ordinary_adults", _("Ordinary centre for adults")

    class Operator(models.TextChoices):
        MUNICIPAL = "municipal", _("Municipal")
        PRIVATE = "private", _("Private")

    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    operator = models.CharField(_("operator"), max_length=16, choices=Operator.choices)
    municipality = models.CharField(_("municipality"), max_length=80)
    # Which Statsforvalteren (county governor) the centre's notices go to.
    county = models.CharField(_("county"), max_length=80, blank=True)
    address = models.CharField(_("postal address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # urgent forms (police, child-welfare duty service) name a number answered day and night.
    duty_phone = models.CharField(
        _("24-hour phone"),
        max_length=40,
        blank=True,
        help_text=_("Answered day and night; printed on urgent forms."),
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="centres", verbose_name=_("region")
    )
    capacity = models.PositiveIntegerField(_("capacity"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("centre")
        verbose_name_plural = _("centres")
        permissions = [("member_of_centre", _("Works at this centre"))]

    def __str__(self) -> str:
        return self.name

    @property
    def is_transit(self) -> bool:
        return self.kind in {self.Kind.ARRIVAL_TRANSIT, self.Kind.TRANSIT}


class CentreUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Centre, on_delete=models.CASCADE)


class CentreGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Centre, on_delete=models.CASCADE)


class RegionUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Region, on_delete=models.CASCADE)


class RegionGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Region, on_delete=models.CASCADE)


class AsylumStage(models.TextChoices):
    """The stage of the asylum case, split the way the return and mapping rules need it.

    The codes of the first version keep their meaning: "granted" is a grant with settlement,
    "rejected_udi" a UDI rejection with the appeal period running, "final_rejection" a
    rejection that became final without an appeal.
    """

    REGISTERED = "registered", _("Registered")
    DUBLIN = "dublin", _("Dublin procedure")
    AWAITING_INTERVIEW = "awaiting_interview", _("Awaiting interview or age assessment")
    DECISION_PENDING = "decision_pending", _("Decision pending")
    GRANTED_AWAITING_SETTLEMENT = "granted", _("Granted, awaiting settlement")
    GRANTED_LIMITED = "granted_limited", _("Granted, limited (no settlement)")
    REJECTED_UDI = "rejected_udi", _("Rejected by UDI (appeal period running)")
    APPEALED = "appealed", _("Appealed, pending at UNE")
    FINAL_REJECTION = "final_rejection", _("Final rejection (no appeal)")
    FINAL_REJECTION_UNE = "final_rejection_une", _("Final rejection from UNE")


# A rejection stands (first instance or final): the return track (RET-1..4, ASA's cases).
RETURN_STAGES = frozenset(
    {
        AsylumStage.REJECTED_UDI,
        AsylumStage.APPEALED,
        AsylumStage.FINAL_REJECTION,
        AsylumStage.FINAL_REJECTION_UNE,
    }
)
# A final rejection, with or without an appeal (PERM-10, RET-3, RET-4's overview).
FINAL_REJECTION_STAGES = frozenset({AsylumStage.FINAL_REJECTION, AsylumStage.FINAL_REJECTION_UNE})


class Resident(models.Model):
    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other / unknown")

    duf_number = models.CharField(
        _("DUF number"),
        max_length=12,
        unique=True,
        null=True,
        blank=True,
        help_text=_("12 digits; spaces are allowed when typing."),
    )
    registration_number = models.CharField(
        _("registration number"), max_length=40, unique=True, null=True, blank=True
    )
    given_names = models.CharField(_("given names"), max_length=120)
    family_name = models.CharField(_("family name"), max_length=120)
    date_of_birth = models.DateField(_("date of birth"))
    date_of_birth_uncertain = models.BooleanField(_("date of birth uncertain"), default=False)
    presumed_adult = models.BooleanField(
        _("presumed adult, registered as a minor"),
        default=False,
        help_text=_("Presumed to be an adult but registered in DUF as an unaccompanied minor."),
    )
    # SAV-1: DUF's registration, recorded as a fact of its own because the date of birth here
    # may be corrected after an age assessment before DUF is. While it is set, the routines
    # for minors keep covering the resident whatever the date of birth here says.
    registered_as_minor_in_duf = models.BooleanField(
        _("registered as an unaccompanied minor in DUF"),
        default=False,
        help_text=_(
            "Tick when DUF registers the resident as an unaccompanied minor although the date "
            "of birth here makes them an adult (a presumed adult, or before DUF is corrected)."
        ),
    )
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    nationality = models.CharField(_("nationality"), max_length=80)
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    interpreter_language = models.CharField(_("interpreter language"), max_length=80, blank=True)
    asylum_stage = models.CharField(
        _("stage of the asylum case"),
        max_length=32,
        choices=AsylumStage.choices,
        default=AsylumStage.REGISTERED,
    )
    representative_name = models.CharField(_("representative"), max_length=120, blank=True)
    representative_phone = models.CharField(_("representative's phone"), max_length=40, blank=True)
    representative_address = models.CharField(
        _("representative's address"), max_length=200, blank=True
    )
    lawyer_name = models.CharField(_("lawyer"), max_length=120, blank=True)
    lawyer_phone = models.CharField(_("lawyer's phone"), max_length=40, blank=True)
    lawyer_address = models.CharField(_("lawyer's address"), max_length=200, blank=True)
    child_welfare_case = models.BooleanField(_("ongoing child-welfare case"), default=False)
    child_welfare_service = models.CharField(_("child-welfare service"), max_length=120, blank=True)
    special_needs = models.TextField(_("special needs"), blank=True)
    school = models.CharField(_("school"), max_length=120, blank=True)
    # The centre of the open stay, or of the last one: the scope of access.
    # Kept in step by the stay services only.
    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, related_name="residents", verbose_name=_("centre")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["family_name", "given_names", "id"]
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        constraints = [
            models.CheckConstraint(
                condition=Q(duf_number__isnull=False) | Q(registration_number__isnull=False),
                name="resident_has_duf_or_registration_number",
            ),
        ]
        indexes = [
            models.Index(fields=["centre", "family_name", "given_names"]),
            models.Index(fields=["asylum_stage"]),
            # The list's order for those who see every centre: a page of 50 read from the
            # index instead of a sort of every resident.
            models.Index(
                fields=["family_name", "given_names", "id"], name="resident_list_order_idx"
            ),
        ]

    def __str__(self) -> str:
        # No names in logs: the string form is the identifier staff already use.
        return self.identifier

    def get_absolute_url(self) -> str:
        return reverse("mottak:resident_detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name}"

    @property
    def identifier(self) -> str:
        return self.duf_number or self.registration_number or f"#{self.pk}"

    @property
    def asylum_stage_label(self) -> str:
        """get_asylum_stage_display() without Django rebuilding the field's choices on every
        call, which a list of 50 residents paid 50 times."""
        try:
            return AsylumStage(self.asylum_stage).label
        except ValueError:
            return self.asylum_stage


class Stay(models.Model):
    class EndReason(models.TextChoices):
        MOVED = "moved", _("Moved to another centre")
        TURNED_18 = "turned_18", _("Turned 18, moved to an ordinary centre")
        PRIVATE = "private", _("Moved privately")
        SETTLED = "settled", _("Settled in a municipality")
        # MOT-6: a departure is recorded by kind (the return portfolio counts them);
        # "departed" is the other departures, and the code of those recorded before the split.
        ASSISTED_RETURN = "assisted_return", _("Assisted return (IOM)")
        FORCED_RETURN = "forced_return", _("Forced return (PU)")
        DUBLIN_TRANSFER = "dublin_transfer", _("Dublin transfer")
        DEPARTED = "departed", _("Left Norway, other departure")
        MISSING = "missing", _("Missing")
        OTHER = "other", _("Other")

    # Stays that ended with the resident leaving Norway (MOT-6), whatever the kind.
    DEPARTURE_REASONS = frozenset(
        {
            EndReason.ASSISTED_RETURN,
            EndReason.FORCED_RETURN,
            EndReason.DUBLIN_TRANSFER,
            EndReason.DEPARTED,
        }
    )

    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="stays", verbose_name=_("resident")
    )
    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, related_name="stays", verbose_name=_("centre")
    )
    started_at = models.DateTimeField(_("arrived"))
    ended_at = models.DateTimeField(_("left"), null=True, blank=True)
    end_reason = models.CharField(
        _("why it ended"), max_length=16, choices=EndReason.choices, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("stay")
        verbose_name_plural = _("stays")
        constraints = [
            models.UniqueConstraint(
                fields=["resident"],
                condition=Q(ended_at__isnull=True),
                name="one_open_stay_per_resident",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="stay_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resident} @ {self.centre}"


class Appointment(models.Model):
    """An appointment with UDI's asylum department (ASA)."""

    class Kind(models.TextChoices):
        ARRIVAL_INTERVIEW = "arrival_interview", _("Arrival interview")
        AGE_ASSESSMENT = "age_assessment", _("Age assessment")
        ASYLUM_INTERVIEW = "asylum_interview", _("Asylum interview")

    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="appointments", verbose_name=_("resident")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    starts_at = models.DateTimeField(_("time"))
    held = models.BooleanField(_("held"), default=False)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("appointment with UDI")
        verbose_name_plural = _("appointments with UDI")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M}"


class ExternalRecipient(models.Model):
    """Directory of the outside instances notices go to."""

    class Kind(models.TextChoices):
        POLICE = "police", _("Police district")
        CHILD_WELFARE = "child_welfare", _("Child-welfare service")
        CHILD_WELFARE_DUTY = "child_welfare_duty", _("Child-welfare duty service (barnevernsvakt)")
        COUNTY_GOVERNOR = "county_governor", _("County governor")
        SCHOOL = "school", _("School")
        HEALTH_OFFICE = "health_office", _("Municipal health office")
        IMDI = "imdi", _("IMDi regional office")
        UDI_REGION = "udi_region", _("UDI regional office")
        KOR = "kor", _("UDI ASA – KOR")
        BFE = "bfe", _("UDI ASA – BFE")
        PU = "pu", _("National Police Immigration Service (PU)")
        IOM = "iom", _("IOM")
        UNE = "une", _("Immigration Appeals Board (UNE)")

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=160)
    address = models.CharField(_("postal address"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    municipality = models.CharField(_("municipality"), max_length=80, blank=True)
    # For a county governor (Statsforvalteren): the county it serves.
    county = models.CharField(_("county"), max_length=80, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("external recipient")
        verbose_name_plural = _("external recipients")
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="unique_recipient_per_kind"),
        ]
        indexes = [models.Index(fields=["kind", "municipality"])]

    def __str__(self) -> str:
        return self.name
