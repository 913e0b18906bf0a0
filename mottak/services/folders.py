"""Writes of the personal folder and the private folder (MOT-2), key workers, and the folders'
hand-overs: to the new centre on a move (MOT-3 f) and back to the resident on leaving.

For the move and departure flows: call `personal_folder_hand_over(resident=…, to_centre=…,
by=…)` in the move's transaction when the resident leaves for the new centre, and
`folders_hand_back(resident=…, by=…)` when the resident leaves reception for good. Both
handle the personal and the private folder, record a hand-over row and a timeline line per
folder, and are idempotent (a folder already at the new centre, or already handed back, is
left as it is).
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.services import timeline_event_record

from .. import rules_folders as rules
from ..access import member_centre_ids
from ..models import (
    Centre,
    DocumentCategory,
    Folder,
    FolderHandOver,
    FolderItem,
    FolderKind,
    KeyWorker,
    Resident,
    StandardContent,
    User,
)

FOLDER_MESSAGES = {
    "refused_category": lambda: _(
        "Personal documents and health information are never kept in the personal folder. "
        "If the resident wishes, they can be kept in a private folder."
    ),
    "refused_words": lambda: _(
        "The description points at health information or a personal document, which are "
        "never kept in the personal folder. Describe the paper without them, or keep it in "
        "the private folder if the resident wishes."
    ),
}


def is_key_worker(*, user: User, resident: Resident) -> bool:
    return KeyWorker.objects.filter(resident=resident, user=user, ended_at__isnull=True).exists()


def may_open_private_folder(*, user: User, resident: Resident) -> bool:
    return rules.may_open_private_folder(
        role=user.role, is_key_worker=is_key_worker(user=user, resident=resident)
    )


def _refuse_private(user: User, resident: Resident) -> None:
    if not may_open_private_folder(user=user, resident=resident):
        raise ValidationError(
            _(
                "Only the child-welfare lead, the centre leader and the resident's key workers "
                "may open the private folder."
            )
        )


def _open_folder(resident: Resident, kind: str) -> Folder | None:
    return Folder.objects.filter(resident=resident, kind=kind, closed_at__isnull=True).first()


def personal_folder_open(*, resident: Resident, by: User, at: datetime | None = None) -> Folder:
    """Open the resident's personal folder at their centre; the open one is given back."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = Resident.objects.select_for_update().get(pk=resident.pk)
        folder = _open_folder(locked, FolderKind.PERSONAL)
        if folder is not None:
            return folder
        folder = Folder(
            resident=locked,
            kind=FolderKind.PERSONAL,
            held_by=locked.centre,
            opened_at=at,
            opened_by=by,
        )
        folder._history_user = by
        folder.save()
        timeline_event_record(
            subject=locked,
            kind="personal_folder_opened",
            actor=by,
            at=at,
            rule_id="MOT-2",
            summary=_("Personal folder opened"),
        )
    return folder


def private_folder_open(
    *, resident: Resident, requested_at: datetime, asked_by_resident: bool, by: User
) -> Folder:
    """MOT-2: a private folder exists only because the resident asked for one."""
    _refuse_private(by, resident)
    if not asked_by_resident:
        raise ValidationError(
            _("A private folder is opened only when the resident asks for one themselves.")
        )
    if requested_at > timezone.now():
        raise ValidationError(_("The time of the request cannot be in the future."))
    try:
        with transaction.atomic():
            locked = Resident.objects.select_for_update().get(pk=resident.pk)
            folder = _open_folder(locked, FolderKind.PRIVATE)
            if folder is not None:
                return folder
            folder = Folder(
                resident=locked,
                kind=FolderKind.PRIVATE,
                held_by=locked.centre,
                opened_at=timezone.now(),
                opened_by=by,
                requested_at=requested_at,
            )
            folder._history_user = by
            folder.save()
            timeline_event_record(
                subject=locked,
                kind="private_folder_opened",
                actor=by,
                at=requested_at,
                rule_id="MOT-2",
                summary=_("Private folder opened at the resident's request"),
            )
    except IntegrityError:
        return _open_folder(resident, FolderKind.PRIVATE)
    return folder


def folder_item_add(
    *,
    folder: Folder,
    category: str,
    by: User,
    description: str = "",
    standard: StandardContent | None = None,
) -> FolderItem:
    """Record what was put in a folder. The personal folder refuses personal documents and
    health information (MOT-2); the private folder is the resident's and takes anything."""
    description = (description or "").strip()
    if standard is not None:
        category = standard.category
    if category not in DocumentCategory.values:
        raise ValidationError(_("Choose what kind of paper it is."))
    if folder.kind == FolderKind.PERSONAL:
        problems = rules.personal_folder_problems(category=category, description=description)
        if problems:
            raise ValidationError([FOLDER_MESSAGES[p]() for p in problems])
    else:
        _refuse_private(by, folder.resident)
    with transaction.atomic():
        locked = Folder.objects.select_for_update().get(pk=folder.pk)
        if locked.closed_at is not None:
            raise ValidationError(_("This folder was handed back to the resident."))
        item = FolderItem(
            folder=locked,
            category=category,
            standard=standard,
            description=description,
            added_at=timezone.now(),
            added_by=by,
        )
        item._history_user = by
        item.save()
        timeline_event_record(
            subject=locked.resident,
            kind="folder_item_added",
            actor=by,
            rule_id="MOT-2",
            # The private folder's contents stay out of the timeline everyone can read.
            summary=_("Put in the personal folder: %(what)s")
            % {"what": item.get_category_display()}
            if locked.kind == FolderKind.PERSONAL
            else _("Private folder updated"),
        )
    return item


def folder_item_hand_back(*, item: FolderItem, by: User) -> FolderItem:
    """The resident takes an item out (any time); recording it twice changes nothing."""
    if item.folder.kind == FolderKind.PRIVATE:
        _refuse_private(by, item.folder.resident)
    with transaction.atomic():
        locked = FolderItem.objects.select_for_update().select_related("folder").get(pk=item.pk)
        if locked.handed_back_at is not None:
            return locked
        locked.handed_back_at = timezone.now()
        locked.handed_back_by = by
        locked._history_user = by
        locked.save()
        timeline_event_record(
            subject=locked.folder.resident,
            kind="folder_item_handed_back",
            actor=by,
            rule_id="MOT-2",
            summary=_("Handed to the resident from the personal folder: %(what)s")
            % {"what": locked.get_category_display()}
            if locked.folder.kind == FolderKind.PERSONAL
            else _("Private folder updated"),
        )
    return locked


# --- key workers -----------------------------------------------------------------------------


def key_worker_assign(*, resident: Resident, user: User, by: User) -> KeyWorker:
    """Name a key worker, who may then open the resident's private folder."""
    if not rules.may_assign_key_workers(role=by.role):
        raise ValidationError(
            _("Only the child-welfare lead and the centre leader name key workers.")
        )
    if resident.centre_id not in member_centre_ids(user):
        raise ValidationError(_("A key worker must work at the resident's centre."))
    try:
        with transaction.atomic():
            current = KeyWorker.objects.filter(resident=resident, user=user, ended_at=None).first()
            if current is not None:
                return current
            assignment = KeyWorker(
                resident=resident, user=user, assigned_at=timezone.now(), assigned_by=by
            )
            assignment._history_user = by
            assignment.save()
            timeline_event_record(
                subject=resident,
                kind="key_worker_assigned",
                actor=by,
                summary=_("Key worker named: %(name)s")
                % {"name": user.get_full_name() or user.username},
            )
    except IntegrityError:
        return KeyWorker.objects.get(resident=resident, user=user, ended_at=None)
    return assignment


def key_worker_end(*, assignment: KeyWorker, by: User) -> KeyWorker:
    if not rules.may_assign_key_workers(role=by.role):
        raise ValidationError(
            _("Only the child-welfare lead and the centre leader name key workers.")
        )
    with transaction.atomic():
        locked = KeyWorker.objects.select_for_update().get(pk=assignment.pk)
        if locked.ended_at is not None:
            return locked
        locked.ended_at = timezone.now()
        locked._history_user = by
        locked.save()
        timeline_event_record(
            subject=locked.resident,
            kind="key_worker_ended",
            actor=by,
            summary=_("Key worker no longer named: %(name)s")
            % {"name": locked.user.get_full_name() or locked.user.username},
        )
    return locked


# --- hand-overs: on a move and on leaving ----------------------------------------------------


def personal_folder_hand_over(
    *, resident: Resident, to_centre: Centre, by: User, at: datetime | None = None
) -> list[FolderHandOver]:
    """MOT-3 f: the personal folder (and the private folder, if any) go to the new centre.
    Returns the hand-overs recorded; a folder already held by `to_centre` is left alone."""
    at = at or timezone.now()
    recorded = []
    with transaction.atomic():
        folders = Folder.objects.select_for_update().filter(
            resident=resident, closed_at__isnull=True
        )
        for folder in folders.order_by("kind"):
            if folder.held_by_id == to_centre.pk:
                continue
            recorded.append(
                FolderHandOver.objects.create(
                    folder=folder,
                    kind=FolderHandOver.Kind.MOVED,
                    from_centre_id=folder.held_by_id,
                    to_centre=to_centre,
                    at=at,
                    by=by,
                )
            )
            folder.held_by = to_centre
            folder._history_user = by
            folder.save()
            timeline_event_record(
                subject=resident,
                kind="folder_handed_over",
                actor=by,
                at=at,
                rule_id="MOT-3",
                summary=_("%(folder)s sent to %(centre)s")
                % {"folder": folder.get_kind_display(), "centre": to_centre.name},
            )
    return recorded


def folders_hand_back(
    *, resident: Resident, by: User, at: datetime | None = None
) -> list[FolderHandOver]:
    """On leaving reception: the folders and everything still in them go to the resident."""
    at = at or timezone.now()
    recorded = []
    with transaction.atomic():
        folders = Folder.objects.select_for_update().filter(
            resident=resident, closed_at__isnull=True
        )
        for folder in folders.order_by("kind"):
            recorded.append(
                FolderHandOver.objects.create(
                    folder=folder,
                    kind=FolderHandOver.Kind.TO_RESIDENT,
                    from_centre_id=folder.held_by_id,
                    to_centre=None,
                    at=at,
                    by=by,
                )
            )
            for item in folder.items.filter(handed_back_at__isnull=True):
                item.handed_back_at = at
                item.handed_back_by = by
                item._history_user = by
                item.save()
            folder.closed_at = at
            folder._history_user = by
            folder.save()
            timeline_event_record(
                subject=resident,
                kind="folder_handed_back",
                actor=by,
                at=at,
                rule_id="MOT-2",
                summary=_("%(folder)s handed back to the resident")
                % {"folder": folder.get_kind_display()},
            )
    return recorded
