"""Admin of the presence register and the folders: check times are set here per centre (the defaults apply
to a centre with none); checks, marks and outings are read here and written by the pages."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Folder,
    FolderHandOver,
    FolderItem,
    KeyWorker,
    Outing,
    PresenceCheck,
    PresenceCheckTime,
    PresenceMark,
    StandardContent,
)


@admin.register(PresenceCheckTime)
class PresenceCheckTimeAdmin(SimpleHistoryAdmin):
    list_display = ["centre", "kind", "time", "active"]
    list_filter = ["centre", "kind", "active"]
    list_select_related = ["centre"]


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PresenceCheck)
class PresenceCheckAdmin(ReadOnlyAdmin):
    list_display = ["centre", "on_date", "kind", "held_at", "recorded_by"]
    list_filter = ["centre", "kind"]
    list_select_related = ["centre", "recorded_by"]
    date_hierarchy = "held_at"


@admin.register(PresenceMark)
class PresenceMarkAdmin(ReadOnlyAdmin):
    list_display = ["check_event", "resident", "status"]
    list_filter = ["status"]
    list_select_related = ["check_event", "resident"]


@admin.register(Outing)
class OutingAdmin(ReadOnlyAdmin):
    list_display = ["resident", "centre", "left_at", "return_by", "back_at"]
    list_filter = ["centre"]
    list_select_related = ["resident", "centre"]


# --- the personal and private folders (MOT-2) -------------------------------------------------


@admin.register(StandardContent)
class StandardContentAdmin(SimpleHistoryAdmin):
    """The personal folder's standard contents (DAM logistikk): edited here when UDI changes
    the list."""

    list_display = ["order", "label", "category", "on_move_only", "active"]
    list_filter = ["category", "active"]


@admin.register(Folder)
class FolderAdmin(ReadOnlyAdmin):
    list_display = ["resident", "kind", "held_by", "opened_at", "closed_at"]
    list_filter = ["kind"]
    list_select_related = ["resident", "held_by"]


@admin.register(FolderItem)
class FolderItemAdmin(ReadOnlyAdmin):
    list_display = ["folder", "category", "added_at", "handed_back_at"]
    list_select_related = ["folder", "folder__resident"]

    def get_queryset(self, request):
        # Private folder items are read on the private folder page only (logged there).
        return super().get_queryset(request).exclude(folder__kind="private")


@admin.register(FolderHandOver)
class FolderHandOverAdmin(ReadOnlyAdmin):
    list_display = ["folder", "kind", "from_centre", "to_centre", "at"]
    list_select_related = ["folder", "folder__resident", "from_centre", "to_centre"]


@admin.register(KeyWorker)
class KeyWorkerAdmin(ReadOnlyAdmin):
    list_display = ["resident", "user", "assigned_at", "ended_at"]
    list_select_related = ["resident", "user"]
