"""Django admin for moves, private moves and departures (MOT-3, MOT-5, MOT-6). The routines'
pages do the work; the admin shows the records and their history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Departure, Move, MoveHandoverItem, PrivateMove


class MoveHandoverItemInline(admin.TabularInline):
    model = MoveHandoverItem
    extra = 0
    fields = ["kind", "label", "decision", "note", "decided_at", "decided_by"]
    readonly_fields = fields
    can_delete = False


@admin.register(Move)
class MoveAdmin(SimpleHistoryAdmin):
    list_display = ["resident", "centre", "target_centre", "state", "requested_at", "move_date"]
    list_filter = ["state", "centre"]
    list_select_related = ["resident", "centre", "target_centre"]
    raw_id_fields = ["resident", "centre", "target_centre", "proposed_centre"]
    readonly_fields = ["state", "created_by", "decided_by"]
    inlines = [MoveHandoverItemInline]


@admin.register(PrivateMove)
class PrivateMoveAdmin(SimpleHistoryAdmin):
    list_display = ["resident", "centre", "state", "municipality", "recorded_at"]
    list_filter = ["state", "centre"]
    list_select_related = ["resident", "centre"]
    raw_id_fields = ["resident", "centre"]
    readonly_fields = ["state", "created_by"]


@admin.register(Departure)
class DepartureAdmin(SimpleHistoryAdmin):
    list_display = ["resident", "centre", "kind", "state", "departed_at"]
    list_filter = ["state", "kind", "centre"]
    list_select_related = ["resident", "centre"]
    raw_id_fields = ["resident", "centre"]
    readonly_fields = ["state", "created_by"]
