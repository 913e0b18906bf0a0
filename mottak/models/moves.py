"""Leaving a centre: a move to another centre (MOT-3), a private move (MOT-5), a departure
from Norway (MOT-6). Each is a case of a routine declared in mottak/routine_moves.py."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .core import Stay


class Move(models.Model):
    """MOT-3: a move of one resident from the centre being left to another centre."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Waiting for the regional office's decision")
        APPROVED = "approved", _("Approved, being prepared")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        COMPLETED = "completed", _("Completed")

    class Origin(models.TextChoices):
        CENTRE = "centre", _("The centre")
        REGION = "region", _("The regional office")

    class ToldHow(models.TextChoices):
        PHONE = "phone", _("By phone")
        IN_PERSON = "in_person", _("In person")
        LETTER = "letter", _("By letter")
        ENCRYPTED_EMAIL = "encrypted_email", _("By encrypted e-mail")

    OPEN_STATES = (State.REQUESTED, State.APPROVED)

    resident = models.ForeignKey(
        "mottak.Resident",
        on_delete=models.PROTECT,
        related_name="moves",
        verbose_name=_("resident"),
    )
    # The centre being left: it does the work of the move and keeps this record.
    centre = models.ForeignKey(
        "mottak.Centre",
        on_delete=models.PROTECT,
        related_name="moves_out",
        verbose_name=_("centre being left"),
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.REQUESTED
    )
    origin = models.CharField(_("requested by"), max_length=8, choices=Origin.choices)
    reasons = models.TextField(
        _("what matters for choosing the new centre"),
        help_text=_(
            "The minor's needs, school, network, health follow-up, wishes and anything else "
            "the regional office should weigh."
        ),
    )
    special_needs_note = models.TextField(
        _("the minor's special needs"),
        blank=True,
        help_text=_("Required when the minor has special needs: what the new centre must offer."),
    )
    proposed_centre = models.ForeignKey(
        "mottak.Centre",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed centre"),
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)

    # MOT-3 a: an ongoing child-welfare case when the move was requested.
    child_welfare_required = models.BooleanField(_("child welfare's views needed"), default=False)
    child_welfare_views = models.TextField(_("child welfare's views"), blank=True)
    child_welfare_views_at = models.DateTimeField(
        _("child welfare's views received"), null=True, blank=True
    )
    child_welfare_placement = models.BooleanField(
        _("child welfare decides a placement"), default=False
    )

    target_centre = models.ForeignKey(
        "mottak.Centre",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="moves_in",
        verbose_name=_("new centre"),
    )
    move_date = models.DateField(_("moving date"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    refusal_reason = models.TextField(_("reason for the refusal"), blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawing"), blank=True)

    representative_told_at = models.DateTimeField(_("representative told"), null=True, blank=True)
    representative_told_how = models.CharField(
        _("how the representative was told"), max_length=16, choices=ToldHow.choices, blank=True
    )
    sesam_registered_at = models.DateTimeField(_("registered in Sesam"), null=True, blank=True)
    folder_handed_at = models.DateTimeField(
        _("personal folder handed to the new centre"), null=True, blank=True
    )
    arrived_at = models.DateTimeField(_("arrived at the new centre"), null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("move to another centre")
        verbose_name_plural = _("moves to another centre")
        constraints = [
            # Concurrent double submits create one move (MOT-3).
            models.UniqueConstraint(
                fields=["resident"],
                condition=Q(state__in=["requested", "approved"]),
                name="one_open_move_per_resident",
            ),
            models.CheckConstraint(
                condition=~Q(target_centre=models.F("centre")),
                name="move_target_is_another_centre",
            ),
        ]
        indexes = [models.Index(fields=["state", "requested_at"], name="move_state_idx")]

    def __str__(self) -> str:
        return f"{self.resident} {self.centre_id}→{self.target_centre_id or '?'}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    @property
    def waits_for_child_welfare(self) -> bool:
        """MOT-3 a: the regional office may not decide yet."""
        return (
            self.child_welfare_required
            and self.child_welfare_views_at is None
            and not self.child_welfare_placement
        )


class MoveHandoverItem(models.Model):
    """One open thing about the resident (a case, a deadline, a consent) that the move either
    hands to the new centre or closes on purpose before it completes."""

    class Kind(models.TextChoices):
        CASE = "case", _("Open case")
        DEADLINE = "deadline", _("Open deadline")
        CONSENT = "consent", _("Consent")

    class Decision(models.TextChoices):
        MOVED = "moved", _("Moved to the new centre")
        CLOSED = "closed", _("Closed on purpose")

    move = models.ForeignKey(
        Move, on_delete=models.CASCADE, related_name="handover_items", verbose_name=_("move")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    ref_ct = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    ref_id = models.PositiveBigIntegerField()
    label = models.CharField(_("what"), max_length=200)
    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("hand-over item")
        verbose_name_plural = _("hand-over items")
        constraints = [
            models.UniqueConstraint(
                fields=["move", "ref_ct", "ref_id"], name="one_handover_item_per_record"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.move_id}: {self.kind} {self.ref_id}"


class ConditionStatus(models.TextChoices):
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")
    UNKNOWN = "unknown", _("Not clarified")


class PrivateMove(models.Model):
    """MOT-5: the minor wishes to move to a private address."""

    class State(models.TextChoices):
        WISH = "wish", _("Wish recorded")
        MOVED = "moved", _("Moved out")
        WITHDRAWN = "withdrawn", _("Stays at the centre")

    # MOT-5 a–e: the field of each condition, in order.
    CONDITION_FIELDS = (
        "condition_transit",
        "condition_family",
        "condition_child_welfare",
        "condition_agreement",
        "condition_parent",
    )

    resident = models.ForeignKey(
        "mottak.Resident",
        on_delete=models.PROTECT,
        related_name="private_moves",
        verbose_name=_("resident"),
    )
    centre = models.ForeignKey(
        "mottak.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.WISH)
    address = models.CharField(_("address"), max_length=200)
    municipality = models.CharField(_("municipality"), max_length=80)
    relation = models.CharField(_("relation to the people there"), max_length=200)
    carers = models.TextField(
        _("the people there"),
        blank=True,
        help_text=_("Who lives there and will care for the minor: names, ages, phone numbers."),
    )
    care_needs = models.TextField(
        _("what the centre knows of the minor's care needs and situation"), blank=True
    )
    condition_transit = models.CharField(
        _("the mandatory transit programme is completed"),
        max_length=8,
        choices=ConditionStatus.choices,
        default=ConditionStatus.UNKNOWN,
    )
    condition_family = models.CharField(
        _("family relations are clarified"),
        max_length=8,
        choices=ConditionStatus.choices,
        default=ConditionStatus.UNKNOWN,
    )
    condition_child_welfare = models.CharField(
        _("child welfare has found the living and care arrangement suitable"),
        max_length=8,
        choices=ConditionStatus.choices,
        default=ConditionStatus.UNKNOWN,
    )
    condition_agreement = models.CharField(
        _("an agreement on alternative placement exists between UDI and the municipality"),
        max_length=8,
        choices=ConditionStatus.choices,
        default=ConditionStatus.UNKNOWN,
    )
    condition_parent = models.CharField(
        _("any parent/child relation has been assessed by UDI"),
        max_length=8,
        choices=ConditionStatus.choices,
        default=ConditionStatus.UNKNOWN,
    )
    encouraged_at = models.DateTimeField(
        _("encouraged to stay at the centre"), null=True, blank=True
    )
    encouraged_by = models.CharField(_("encouraged by"), max_length=120, blank=True)
    encouraged_interpreter = models.CharField(
        _("interpreter (language)"),
        max_length=80,
        blank=True,
        help_text=_("Leave empty when no interpreter was used."),
    )
    moved_at = models.DateTimeField(_("moved out"), null=True, blank=True)
    concern_required = models.BooleanField(_("concern report required"), default=False)
    recorded_at = models.DateTimeField(_("wish recorded"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("wish to move privately")
        verbose_name_plural = _("wishes to move privately")
        constraints = [
            models.UniqueConstraint(
                fields=["resident"],
                condition=Q(state="wish"),
                name="one_open_private_move_per_resident",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resident} private move"

    def condition_rows(self) -> list[tuple[str, str, str]]:
        """(field, label, status) of MOT-5 a–e, in order."""
        return [
            (
                name,
                str(self._meta.get_field(name).verbose_name),
                getattr(self, name),
            )
            for name in self.CONDITION_FIELDS
        ]


class Departure(models.Model):
    """MOT-6: leaving Norway for the home country or the first asylum country."""

    class State(models.TextChoices):
        PLANNED = "planned", _("Being prepared")
        DEPARTED = "departed", _("Departed")
        CANCELLED = "cancelled", _("Cancelled")

    class Kind(models.TextChoices):
        ASSISTED_RETURN = Stay.EndReason.ASSISTED_RETURN.value, _("Assisted return (IOM)")
        FORCED_RETURN = Stay.EndReason.FORCED_RETURN.value, _("Forced return (PU)")
        DUBLIN_TRANSFER = Stay.EndReason.DUBLIN_TRANSFER.value, _("Dublin transfer (PU)")
        OTHER = Stay.EndReason.DEPARTED.value, _("Other departure")

    class Answer(models.TextChoices):
        ACCEPTED = "accepted", _("Wanted them")
        DECLINED = "declined", _("Did not want them")

    resident = models.ForeignKey(
        "mottak.Resident",
        on_delete=models.PROTECT,
        related_name="departures",
        verbose_name=_("resident"),
    )
    centre = models.ForeignKey(
        "mottak.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PLANNED
    )
    kind = models.CharField(_("kind of departure"), max_length=16, choices=Kind.choices)
    planned_at = models.DateTimeField(_("planned departure"), null=True, blank=True)
    instructions = models.TextField(_("instructions from PU or IOM"), blank=True)
    instructions_received_at = models.DateTimeField(
        _("instructions received"), null=True, blank=True
    )
    follow_up_needs = models.TextField(_("special follow-up needs"), blank=True)
    follow_up_told_at = models.DateTimeField(
        _("follow-up needs told to PU or IOM and the regional office"), null=True, blank=True
    )
    arrangements = models.TextField(
        _("what was arranged to make the departure easy"),
        blank=True,
        help_text=_("Time of day, who goes with the minor, belongings, saying goodbye."),
    )
    ready_at = models.DateTimeField(_("packed and ready"), null=True, blank=True)
    mapping_offered_at = models.DateTimeField(
        _("mapping and action plan offered"), null=True, blank=True
    )
    mapping_answer = models.CharField(
        _("the minor's answer"), max_length=8, choices=Answer.choices, blank=True
    )
    departed_at = models.DateTimeField(_("departed"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("departure")
        verbose_name_plural = _("departures")
        constraints = [
            models.UniqueConstraint(
                fields=["resident"],
                condition=Q(state="planned"),
                name="one_planned_departure_per_resident",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resident} departure"

    @property
    def counterpart(self) -> str:
        """Whose instructions the centre follows: IOM for an assisted return, else PU."""
        return "iom" if self.kind == self.Kind.ASSISTED_RETURN else "pu"
