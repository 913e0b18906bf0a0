"""Admin of the presence register: check times are set here per centre (the defaults apply
to a centre with none); checks, marks and outings are read here and written by the pages."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Outing, PresenceCheck, PresenceCheckTime, PresenceMark


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
