"""Demo presence register and folders for `make run`, through the services, all fictional: yesterday's
checks at the demo centre (everyone present, on leave or absent as the routines say) and one
resident out with an agreed time back. Today's checks are left to do. A second run creates
nothing."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from . import rules_presence as rules
from . import selectors_presence as selectors
from . import services
from .demo import DemoContext
from .models import Folder, FolderKind, PresenceCheck, StandardContent


def seed(context: DemoContext) -> None:
    if not context.cast_list:
        return
    centre = context.cast_list[0].centre
    staff = context.users["ansatt"]
    if PresenceCheck.objects.filter(centre=centre).exists():
        context.result.add("presence checks", False)
        return
    yesterday = timezone.localdate(context.now) - timedelta(days=1)
    for slot in selectors.check_times(centre):
        held_at = rules.check_moment(yesterday, slot.time)
        rows = selectors.sheet(user=staff, centre=centre, held_at=held_at, check=None)
        marks = {row.resident.pk: row.mark or rules.PRESENT for row in rows}
        services.presence_check_record(
            centre=centre, kind=slot.kind, on_date=yesterday, marks=marks, by=staff
        )
        context.result.add("presence checks", True)
    resident = context.cast()
    services.outing_record(
        resident=resident,
        return_by=context.now + timedelta(hours=2),
        left_at=context.now - timedelta(minutes=30),
        by=staff,
        now=context.now,
    )
    context.result.add("outings", True)


def seed_folders(context: DemoContext) -> None:
    """Personal folders with the standard contents for the demo centre's residents; one
    resident asked for a private folder, and the staff member "ansatt" is their key worker."""
    if not context.cast_list:
        return
    staff, lead = context.users["ansatt"], context.users["barnefaglig"]
    standard = list(StandardContent.objects.filter(active=True, on_move_only=False))
    for resident in context.cast_list[:5]:
        if Folder.objects.filter(resident=resident).exists():
            context.result.add("folders", False)
            continue
        folder = services.personal_folder_open(resident=resident, by=staff)
        for content in standard:
            services.folder_item_add(folder=folder, category="", standard=content, by=staff)
        context.result.add("folders", True)
    resident = context.cast_list[0]
    if not Folder.objects.filter(resident=resident, kind=FolderKind.PRIVATE).exists():
        services.key_worker_assign(resident=resident, user=staff, by=lead)
        private = services.private_folder_open(
            resident=resident,
            requested_at=context.now - timedelta(days=3),
            asked_by_resident=True,
            by=lead,
        )
        for category, description in (
            ("lawyer_letter", "Brev fra advokaten om asylintervjuet"),
            ("report_card", "Karakterbok, 9. trinn"),
        ):
            services.folder_item_add(
                folder=private, category=category, description=description, by=lead
            )
        context.result.add("folders", True)
