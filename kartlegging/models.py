"""The individual mapping and action plan of an unaccompanied minor (KART-1..7).

One `Mapping` per minor: a continuous record that follows them from centre to centre
(KART-4, KART-15); it is the routine's case (kartlegging/routine.py). Its entries are dated,
signed and say whose words they are (KART-1); each conversation records the interpreter
(KART-6); the action plan's measures are tied to a need in the mapping (KART-7).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Area(models.TextChoices):
    """The mapping's areas (UDI's mapping form). Health needs are a flag on the mapping only:
    the mapping is no health record."""

    BACKGROUND = "background", _("Background and network")
    FAMILY = "family", _("Family")
    SCHOOL = "school", _("School and language")
    LEISURE = "leisure", _("Leisure")
    RESOURCES = "resources", _("Resources and potential")
    CARE_NEEDS = "care_needs", _("Care needs")
    SAFETY = "safety", _("Safety")
    FUTURE = "future", _("Future plans")


class TransferTrack(models.TextChoices):
    """KART-8/9: what the decision leads to, and so who receives the paper copy."""

    SETTLEMENT = "settlement", _("Settlement: the IMDi regional office")
    RETURN = "return", _("Return: the UDI regional office")


class Mapping(models.Model):
    class State(models.TextChoices):
        NOT_STARTED = "not_started", _("Ordinary mapping not started")
        ONGOING = "ongoing", _("Ordinary mapping under way")
        FINISHED = "finished", _("Finished")

    resident = models.OneToOneField(
        "mottak.Resident",
        on_delete=models.CASCADE,
        related_name="mapping",
        verbose_name=_("resident"),
    )
    # The centre of the stay the work is done at now (kept in step with the stays).
    centre = models.ForeignKey(
        "mottak.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.NOT_STARTED
    )
    stay_started_at = models.DateTimeField(_("moved in"))
    welcome_held_at = models.DateTimeField(_("welcome conversation held"), null=True, blank=True)
    # KART-2/3: when the ordinary mapping is to start (at once, or on day 22 in transit).
    ordinary_from = models.DateTimeField(_("ordinary mapping from"))
    started_at = models.DateTimeField(_("ordinary mapping started"), null=True, blank=True)
    # KART-8: when the asylum decision's notice reached Sesam (mottak's life event).
    decision_notice_at = models.DateTimeField(_("decision notice received"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # KART-8/9: where the paper copy goes and when its two weeks started (the notice in Sesam:
    # the decision leading to settlement, or the return conversation).
    transfer_track = models.CharField(
        _("transfer"), max_length=16, choices=TransferTrack.choices, blank=True
    )
    transfer_clock_from = models.DateTimeField(_("Sesam notice received"), null=True, blank=True)
    # the first transfer sent; the three-month clock runs from it.
    first_transfer_at = models.DateTimeField(_("first transfer sent"), null=True, blank=True)
    health_needs = models.BooleanField(
        _("has health needs"),
        default=False,
        help_text=_("A flag only: the health details belong to the health service."),
    )
    # KART-5: the minor reads what is documented unless a recorded special reason says not.
    reading_withheld = models.BooleanField(_("the minor may not read the mapping"), default=False)
    reading_withheld_reason = models.TextField(_("special reason"), blank=True)
    reading_withheld_at = models.DateTimeField(_("recorded"), null=True, blank=True)
    reading_withheld_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("individual mapping")
        verbose_name_plural = _("individual mappings")
        constraints = [
            models.CheckConstraint(
                condition=Q(reading_withheld=False) | ~Q(reading_withheld_reason=""),
                name="mapping_withheld_reading_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["centre", "state"])]

    def __str__(self) -> str:
        return f"mapping #{self.pk}"


class KeyWorkerAssignment(models.Model):
    """KART-1: the minor's named key worker, working under the child-welfare lead. One open
    assignment per minor; earlier ones stay as the history."""

    resident = models.ForeignKey(
        "mottak.Resident",
        on_delete=models.CASCADE,
        related_name="key_worker_assignments",
        verbose_name=_("resident"),
    )
    centre = models.ForeignKey(
        "mottak.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    key_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="key_worker_assignments",
        verbose_name=_("key worker"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("key worker assignment")
        verbose_name_plural = _("key worker assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["resident"],
                condition=Q(ended_at__isnull=True),
                name="one_key_worker_per_resident",
            ),
        ]

    def __str__(self) -> str:
        return f"key worker #{self.pk}"


class Conversation(models.Model):
    """A conversation with the minor: the welcome conversation at a move-in (KART-3), a
    mapping or plan conversation, or the regular review (KART-4); KART-6: the interpreter."""

    class Kind(models.TextChoices):
        WELCOME = "welcome", _("Welcome conversation")
        MAPPING = "mapping", _("Mapping conversation")
        REVIEW = "review", _("Review of the mapping and plan")
        PLAN = "plan", _("Plan conversation")

    class InterpreterMode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("By phone")

    mapping = models.ForeignKey(
        Mapping, on_delete=models.CASCADE, related_name="conversations", verbose_name=_("mapping")
    )
    centre = models.ForeignKey(
        "mottak.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    held_at = models.DateTimeField(_("held"))
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("held by"),
    )
    interpreter_used = models.BooleanField(_("interpreter used"))
    interpreter_language = models.CharField(_("interpreter language"), max_length=80, blank=True)
    interpreter_mode = models.CharField(
        _("interpreter"), max_length=16, choices=InterpreterMode.choices, blank=True
    )
    # A double submit of the same form records one conversation.
    submission_key = models.UUIDField(unique=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_at", "-id"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.CheckConstraint(
                condition=Q(interpreter_used=False, interpreter_language="", interpreter_mode="")
                | (
                    Q(interpreter_used=True) & ~Q(interpreter_language="") & ~Q(interpreter_mode="")
                ),
                name="conversation_interpreter_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"conversation #{self.pk}"


class Entry(models.Model):
    """One dated, signed entry of the mapping: the minor's own words or a staff observation
    (KART-1)."""

    class Source(models.TextChoices):
        MINOR = "minor", _("The minor's own words")
        STAFF = "staff", _("Staff observation")

    mapping = models.ForeignKey(
        Mapping, on_delete=models.CASCADE, related_name="entries", verbose_name=_("mapping")
    )
    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("conversation"),
    )
    centre = models.ForeignKey(
        "mottak.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    area = models.CharField(_("area"), max_length=16, choices=Area.choices)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    text = models.TextField(_("text"))
    recorded_on = models.DateField(_("date"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written by"),
    )
    submission_key = models.UUIDField(unique=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["area", "-recorded_on", "-id"]
        verbose_name = _("mapping entry")
        verbose_name_plural = _("mapping entries")

    def __str__(self) -> str:
        return f"entry #{self.pk}"


class Measure(models.Model):
    """A measure of the action plan (KART-7): its goal, what is done, who is responsible, its
    status, and the need in the mapping it answers."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ACTIVE = "active", _("Under way")
        DONE = "done", _("Done")
        ENDED = "ended", _("Ended")

    class MoveDecision(models.TextChoices):
        CONTINUE = "continue", _("Continues at the new centre")
        END = "end", _("Ends")

    OPEN_STATUSES = (Status.PLANNED, Status.ACTIVE)

    mapping = models.ForeignKey(
        Mapping, on_delete=models.CASCADE, related_name="measures", verbose_name=_("mapping")
    )
    centre = models.ForeignKey(
        "mottak.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    area = models.CharField(_("need (area)"), max_length=16, choices=Area.choices)
    need_entry = models.ForeignKey(
        Entry,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("the entry describing the need"),
    )
    goal = models.TextField(_("goal"))
    actions = models.TextField(_("what is done"))
    responsible = models.CharField(_("who is responsible"), max_length=160)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # KART-7: after a move, the centre and the minor decide whether it ends or continues.
    awaiting_move_decision = models.BooleanField(_("to decide after the move"), default=False)
    move_decision = models.CharField(
        _("decision at the move"), max_length=16, choices=MoveDecision.choices, blank=True
    )
    minor_view = models.TextField(_("the minor's view"), blank=True)
    move_decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    move_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submission_key = models.UUIDField(unique=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["area", "id"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    def __str__(self) -> str:
        return f"measure #{self.pk}"


class CopyOffer(models.Model):
    """KART-11: the minor is offered their own copies of the mapping and the plan on moving;
    the offer and the answer are recorded."""

    mapping = models.ForeignKey(
        Mapping, on_delete=models.CASCADE, related_name="copy_offers", verbose_name=_("mapping")
    )
    centre = models.ForeignKey(
        "mottak.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    offered_at = models.DateTimeField(_("offered"))
    accepted = models.BooleanField(_("the minor took the copies"))
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("offered by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-offered_at", "-id"]
        verbose_name = _("offer of copies")
        verbose_name_plural = _("offers of copies")

    def __str__(self) -> str:
        return f"copy offer #{self.pk}"


class RecipientAssessment(models.Model):
    """KART-12: a recipient outside the list of those who need the mapping gets a copy only after
    the centre leader's recorded assessment — who, when, why, the recipient's function and the
    areas it needs (the redaction of its copy, KART-14)."""

    mapping = models.ForeignKey(
        Mapping,
        on_delete=models.CASCADE,
        related_name="recipient_assessments",
        verbose_name=_("mapping"),
    )
    recipient = models.ForeignKey(
        "mottak.ExternalRecipient",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recipient"),
    )
    function = models.CharField(_("the recipient's function for the minor"), max_length=200)
    reason = models.TextField(_("why the recipient needs it"))
    areas = models.JSONField(_("areas the recipient needs"), default=list)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assessed by"),
    )
    assessed_at = models.DateTimeField(_("assessed"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-assessed_at", "-id"]
        verbose_name = _("assessment of a recipient")
        verbose_name_plural = _("assessments of recipients")

    def __str__(self) -> str:
        return f"assessment #{self.pk}"
