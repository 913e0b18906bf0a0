"""Return cases (RET-1..RET-6, IM 2012-021): one per minor with a rejection, followed by a named
ASA caseworker until the child has returned or return proves not feasible."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

# R-19, RET-5: the object permission that assigning a case grants its named ASA caseworker;
# ASA sees the case and its resident through it, and nothing else.
WORK_RETURN_CASE = "retur.work_return_case"


class ReturnCase(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Open")
        RETURNED = "returned", _("Returned")
        NOT_FEASIBLE = "not_feasible", _("Return not feasible: follow-up with UNE")
        CLOSED = "closed", _("Closed")

    class Path(models.TextChoices):
        UNDECIDED = "undecided", _("Not chosen yet")
        ASSISTED = "assisted", _("Assisted return (IOM)")
        FORCED = "forced", _("Forced return (PU)")
        ESCORTED = "escorted", _("Escorted return")
        DUBLIN = "dublin", _("Dublin transfer")

    resident = models.ForeignKey(
        "mottak.Resident",
        on_delete=models.PROTECT,
        related_name="return_cases",
        verbose_name=_("resident"),
    )
    # The centre when the case opened; the resident may move, the case stays with the child.
    centre = models.ForeignKey(
        "mottak.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.OPEN)
    path = models.CharField(
        _("return path"), max_length=12, choices=Path.choices, default=Path.UNDECIDED
    )
    stage_at_opening = models.CharField(_("asylum stage when opened"), max_length=32)
    opened_at = models.DateTimeField(_("opened"))
    # RET-5, R-19: the named ASA caseworker; ASA sees only the cases assigned to it.
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="return_cases",
        verbose_name=_("ASA caseworker"),
    )
    # IM §2: the decision's care premise ("return to the parents in X"), verified before departure.
    care_premise = models.TextField(_("care premise of the final decision"), blank=True)
    care_premise_verified_at = models.DateTimeField(
        _("care premise verified"), null=True, blank=True
    )
    care_premise_verification = models.TextField(_("how it was verified"), blank=True)
    # RET-1: the Sesam notice about the return conversation, which calls for it (and starts
    # the mapping's two weeks, KART-9).
    conversation_notice_on = models.DateField(
        _("notice about the return conversation received"), null=True, blank=True
    )
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    outcome_note = models.TextField(_("note on the outcome"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("return case")
        verbose_name_plural = _("return cases")
        permissions = [("work_return_case", _("Follows this return case as its ASA caseworker"))]
        constraints = [
            models.UniqueConstraint(
                fields=["resident"],
                condition=Q(state="open"),
                name="one_open_return_case_per_resident",
            ),
        ]

    def __str__(self) -> str:
        return f"R-{self.pk}"


class ReturnCaseUserObjectPermission(UserObjectPermissionBase):
    """Direct foreign-key object permissions: the grant a case's assignment gives (R-19)."""

    content_object = models.ForeignKey(ReturnCase, on_delete=models.CASCADE)


class ReturnCaseGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(ReturnCase, on_delete=models.CASCADE)


class UneReversalShare(models.Model):
    """RET-2: the share of cases that UNE reverses, as dated reference data with its source;
    an administrator records a new figure, and conversations print the one in force."""

    share_percent = models.DecimalField(
        _("share reversed (per cent)"), max_digits=4, decimal_places=1
    )
    period = models.CharField(_("period the figure covers"), max_length=60)
    source = models.CharField(_("source"), max_length=200)
    valid_from = models.DateField(_("in force from"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-valid_from", "-id"]
        verbose_name = _("UNE reversal share")
        verbose_name_plural = _("UNE reversal shares")

    def __str__(self) -> str:
        return f"{self.share_percent} % ({self.period})"


class ReturnConversation(models.Model):
    """RET-1..RET-3: a formal, structured and mandatory conversation about the rejection."""

    class Kind(models.TextChoices):
        AFTER_UDI = "after_udi", _("After UDI's rejection")
        AFTER_UNE = "after_une", _("After UNE's rejection")

    class InterpreterMode(models.TextChoices):
        NONE = "", _("No interpreter")
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("By phone")

    case = models.ForeignKey(
        ReturnCase, on_delete=models.CASCADE, related_name="conversations", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    held_at = models.DateTimeField(_("held"), null=True, blank=True)
    # Not attended: recorded with the new time.
    not_attended_at = models.DateTimeField(_("not attended"), null=True, blank=True)
    new_time = models.DateTimeField(_("new time"), null=True, blank=True)
    topics = models.JSONField(_("topics covered"), default=list, blank=True)
    minor_questions = models.TextField(_("the minor's questions"), blank=True)
    minor_reactions = models.TextField(_("the minor's reactions"), blank=True)
    interpreter_language = models.CharField(_("interpreter language"), max_length=80, blank=True)
    interpreter_mode = models.CharField(
        _("interpreter"), max_length=12, choices=InterpreterMode.choices, blank=True
    )
    representative_invited = models.BooleanField(_("representative invited"), default=False)
    representative_present = models.BooleanField(_("representative present"), default=False)
    # RET-2: the figure printed in the record, frozen as it was said.
    reversal_share_text = models.CharField(_("UNE reversal share told"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("return conversation")
        verbose_name_plural = _("return conversations")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=Q(held_at__isnull=False),
                name="one_held_return_conversation_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.kind}"


class ContactLogEntry(models.Model):
    """RET-5: ASA's contacts in the case (the minor, the representative, carers, PU, UNE …)."""

    class Party(models.TextChoices):
        MINOR = "minor", _("The minor")
        REPRESENTATIVE = "representative", _("The representative")
        CARERS_NORWAY = "carers_norway", _("Carers in Norway")
        CARERS_HOME = "carers_home", _("Carers in the home country")
        PU = "pu", _("PU")
        UNE = "une", _("UNE")
        LANDINFO = "landinfo", _("Landinfo")
        IOM = "iom", _("IOM")
        OTHER = "other", _("Other")

    case = models.ForeignKey(
        ReturnCase, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("case")
    )

    class Topic(models.TextChoices):
        GENERAL = "general", _("Follow-up of the case")
        MOTIVATION = "motivation", _("Motivation work")
        FAMILY_CONTACT = "family_contact", _("Contact between the minor and the family")
        ALTERNATIVE_CARE = "alternative_care", _("Alternative care investigated")

    at = models.DateTimeField(_("when"))
    party = models.CharField(_("with whom"), max_length=16, choices=Party.choices)
    # RET-5: what the contact served — motivation work, the minor's contact with the family,
    # and the investigation of alternative care are each followed on the case.
    topic = models.CharField(
        _("what it was about"), max_length=20, choices=Topic.choices, default=Topic.GENERAL
    )
    summary = models.TextField(_("what was said or agreed"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return f"{self.case} {self.party}"


class AssistedReturnInformation(models.Model):
    """RET-4: information about assisted return given to the minor and their carers, wherever
    the minor lives; a minor with a final rejection without it is a gap in RMA's portfolio."""

    case = models.ForeignKey(
        ReturnCase, on_delete=models.CASCADE, related_name="information", verbose_name=_("case")
    )
    given_at = models.DateTimeField(_("given"))
    to_minor = models.BooleanField(_("to the minor"), default=False)
    to_carers = models.BooleanField(_("to the carers"), default=False)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-given_at", "-id"]
        verbose_name = _("information about assisted return")
        verbose_name_plural = _("information about assisted return")

    def __str__(self) -> str:
        return f"{self.case} {self.given_at:%Y-%m-%d}"


class ReturnHandover(models.Model):
    """RET-4: an assisted-return application withdrawn or excluded — RMA hands the case over to
    ASA with all relevant information for the forced-return track."""

    class Reason(models.TextChoices):
        WITHDRAWN = "withdrawn", _("Application for assisted return withdrawn")
        EXCLUDED = "excluded", _("Excluded from assisted return")

    case = models.ForeignKey(
        ReturnCase, on_delete=models.CASCADE, related_name="handovers", verbose_name=_("case")
    )
    reason = models.CharField(_("why"), max_length=12, choices=Reason.choices)
    information = models.TextField(_("what ASA needs to know"))
    at = models.DateTimeField(_("handed over"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("hand-over to ASA")
        verbose_name_plural = _("hand-overs to ASA")

    def __str__(self) -> str:
        return f"{self.case} {self.reason}"


class QuarterlyMeeting(models.Model):
    """RET-6: each quarter RMA calls ASA, RMA and AUA to a meeting; the minutes say when, who
    took part, what was discussed and what was clarified. One row per quarter, opened with
    its deadline (the quarter's end) and followed by the next quarter's once it is held."""

    class State(models.TextChoices):
        DUE = "due", _("To be called")
        HELD = "held", _("Held")

    class Party(models.TextChoices):
        ASA = "asa", _("ASA (UDI's asylum department)")
        RMA = "rma", _("RMA (UDI's regional and reception department)")
        AUA = "aua", _("AUA (the Police Immigration Service's return unit)")

    # The quarter's first moment in Oslo (1 January, 1 April, 1 July, 1 October, 00.00).
    quarter_start = models.DateTimeField(_("quarter starts"), unique=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.DUE)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    participants = models.JSONField(_("participants"), default=list, blank=True)
    topics = models.TextField(_("topics"), blank=True)
    clarifications = models.TextField(_("clarifications"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-quarter_start"]
        verbose_name = _("quarterly return meeting")
        verbose_name_plural = _("quarterly return meetings")

    def __str__(self) -> str:
        from django.utils import timezone

        start = timezone.localtime(self.quarter_start)
        return _("Quarter %(quarter)s %(year)s") % {
            "quarter": (start.month - 1) // 3 + 1,
            "year": start.year,
        }

    def participant_labels(self) -> list[str]:
        labels = dict(self.Party.choices)
        return [str(labels.get(code, code)) for code in self.participants]


class ReturnTask(models.Model):
    """RET-5: a task in the return case with its due date and the ASA caseworker responsible;
    its deadline is a kernel row the sweeper reminds that caseworker of."""

    class State(models.TextChoices):
        OPEN = "open", _("To do")
        DONE = "done", _("Done")

    case = models.ForeignKey(
        ReturnCase, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("case")
    )
    title = models.CharField(_("task"), max_length=200)
    # The end of the due day in Oslo: the deadline's anchor.
    due_at = models.DateTimeField(_("due"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible ASA caseworker"),
    )
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.OPEN)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["state", "due_at", "id"]
        verbose_name = _("return task")
        verbose_name_plural = _("return tasks")

    def __str__(self) -> str:
        return self.title

    @property
    def resident(self):
        return self.case.resident

    @property
    def centre(self):
        return self.case.centre
