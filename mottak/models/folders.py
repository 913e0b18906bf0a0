"""The personal folder and the private folder (MOT-2): what each holds, by category; the
personal folder's standard contents as data; key workers, who may open the private folder;
and each folder's hand-overs between centres and back to the resident."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .core import Centre, Resident


class FolderKind(models.TextChoices):
    PERSONAL = "personal", _("Personal folder")
    PRIVATE = "private", _("Private folder")


class DocumentCategory(models.TextChoices):
    # What the personal folder holds (DAM logistikk and MOT-3 f).
    ADMINISTRATIVE = "administrative", _("Administrative papers")
    AGREEMENT = "agreement", _("Agreements and house rules")
    RECEIPT = "receipt", _("Receipts for what was handed out")
    MAPPING_PRINTOUT = "mapping_printout", _("Printout of the individual mapping")
    ACTION_PLAN_PRINTOUT = "action_plan_printout", _("Printout of the individual action plan")
    # What the resident may keep in the private folder (seed §1.1's examples).
    LAWYER_LETTER = "lawyer_letter", _("Letter from the lawyer")
    UDI_LETTER = "udi_letter", _("Letter from UDI")
    PRESCRIPTION = "prescription", _("Prescription")
    MEDICAL_SUMMONS = "medical_summons", _("Summons to a medical examination")
    SCHOOL_LETTER = "school_letter", _("Letter from school")
    REPORT_CARD = "report_card", _("Report card")
    # Never in the personal folder (MOT-2).
    PERSONAL_DOCUMENT = "personal_document", _("Personal document (passport, ID, certificate)")
    HEALTH = "health", _("Health information")
    OTHER = "other", _("Other")


class StandardContent(models.Model):
    """One of the personal folder's standard contents (UDI's "DAM logistikk"), kept as data
    an administrator can edit when UDI changes the list."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("what"), max_length=200)
    category = models.CharField(_("category"), max_length=32, choices=DocumentCategory.choices)
    # Only when the resident moves (MOT-3 f: the printouts of the mapping and action plan).
    on_move_only = models.BooleanField(_("added when moving"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("standard content of the personal folder")
        verbose_name_plural = _("standard contents of the personal folder")

    def __str__(self) -> str:
        return self.label


class Folder(models.Model):
    """A resident's personal folder, or the private folder they asked for. Physical folders:
    the record says where each is and what it holds, not the papers themselves."""

    resident = models.ForeignKey(
        Resident, on_delete=models.PROTECT, related_name="folders", verbose_name=_("resident")
    )
    kind = models.CharField(_("folder"), max_length=16, choices=FolderKind.choices)
    # The centre that holds the folder now (it follows the resident, MOT-3 f).
    held_by = models.ForeignKey(
        Centre,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="folders",
        verbose_name=_("held by"),
    )
    opened_at = models.DateTimeField(_("opened"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    # The private folder: the resident's own request (MOT-2: only if they ask for one).
    requested_at = models.DateTimeField(_("asked for by the resident"), null=True, blank=True)
    # Handed back to the resident on leaving: the folder is closed.
    closed_at = models.DateTimeField(_("handed back to the resident"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["resident", "kind"]
        verbose_name = _("folder")
        verbose_name_plural = _("folders")
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "kind"],
                condition=Q(closed_at__isnull=True),
                name="one_open_folder_per_kind",
            ),
            models.CheckConstraint(
                condition=~Q(kind="private") | Q(requested_at__isnull=False),
                name="private_folder_only_on_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.resident}"


class FolderItem(models.Model):
    """One thing a folder holds: its category and a short description (no health details)."""

    folder = models.ForeignKey(
        Folder, on_delete=models.CASCADE, related_name="items", verbose_name=_("folder")
    )
    category = models.CharField(_("category"), max_length=32, choices=DocumentCategory.choices)
    standard = models.ForeignKey(
        StandardContent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("standard content"),
    )
    description = models.CharField(_("what it is"), max_length=200, blank=True)
    added_at = models.DateTimeField(_("put in"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    handed_back_at = models.DateTimeField(_("handed to the resident"), null=True, blank=True)
    handed_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handed over by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["folder", "category", "added_at", "id"]
        verbose_name = _("folder item")
        verbose_name_plural = _("folder items")

    def __str__(self) -> str:
        return self.get_category_display()


class FolderHandOver(models.Model):
    """A folder handed to another centre on a move (MOT-3 f), or back to the resident."""

    class Kind(models.TextChoices):
        MOVED = "moved", _("Sent to the new centre")
        TO_RESIDENT = "to_resident", _("Handed back to the resident")

    folder = models.ForeignKey(
        Folder, on_delete=models.CASCADE, related_name="hand_overs", verbose_name=_("folder")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    from_centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("from")
    )
    to_centre = models.ForeignKey(
        Centre,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("to"),
    )
    at = models.DateTimeField(_("when"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("folder hand-over")
        verbose_name_plural = _("folder hand-overs")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


class KeyWorker(models.Model):
    """A named key worker (primærkontakt) of a resident: may open the private folder."""

    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="key_workers", verbose_name=_("resident")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="key_worker_of",
        verbose_name=_("key worker"),
    )
    assigned_at = models.DateTimeField(_("assigned"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["resident", "assigned_at"]
        verbose_name = _("key worker")
        verbose_name_plural = _("key workers")
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "user"],
                condition=Q(ended_at__isnull=True),
                name="one_active_key_worker_assignment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.resident}"
