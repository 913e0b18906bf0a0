"""Reads of the personal and private folders (MOT-2): a fixed number of queries per page."""

from dataclasses import dataclass

from .models import (
    Folder,
    FolderHandOver,
    FolderItem,
    FolderKind,
    KeyWorker,
    Resident,
    StandardContent,
)


@dataclass(frozen=True)
class StandardRow:
    content: StandardContent
    held: bool


def open_folder(resident: Resident, kind: str) -> Folder | None:
    return (
        Folder.objects.filter(resident=resident, kind=kind, closed_at__isnull=True)
        .select_related("held_by")
        .first()
    )


def items_of(folder: Folder | None) -> list[FolderItem]:
    if folder is None:
        return []
    return list(folder.items.select_related("standard").order_by("category", "added_at", "pk"))


def hand_overs_of(resident: Resident) -> list[FolderHandOver]:
    return list(
        FolderHandOver.objects.filter(folder__resident=resident)
        .select_related("folder", "from_centre", "to_centre", "by")
        .order_by("-at", "-pk")
    )


def personal_folder_page(resident: Resident) -> dict:
    folder = open_folder(resident, FolderKind.PERSONAL)
    items = items_of(folder)
    held = {i.standard_id for i in items if i.standard_id and i.handed_back_at is None}
    standard = [StandardRow(c, c.pk in held) for c in StandardContent.objects.filter(active=True)]
    return {
        "folder": folder,
        "items": items,
        "standard": standard,
        "has_private_folder": open_folder(resident, FolderKind.PRIVATE) is not None,
        "hand_overs": [h for h in hand_overs_of(resident) if h.folder.kind == FolderKind.PERSONAL],
    }


def private_folder_page(resident: Resident) -> dict:
    folder = open_folder(resident, FolderKind.PRIVATE)
    return {
        "folder": folder,
        "items": items_of(folder),
        "key_workers": list(
            KeyWorker.objects.filter(resident=resident, ended_at__isnull=True).select_related(
                "user"
            )
        ),
        "hand_overs": [h for h in hand_overs_of(resident) if h.folder.kind == FolderKind.PRIVATE],
    }
