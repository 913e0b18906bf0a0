"""Admin for the mapping routine: for looking. Every change goes through kartlegging.services,
which keeps the clocks, the key worker's history and the plan in step. The lists show no
names and no text of the mapping."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Conversation,
    CopyOffer,
    Entry,
    KeyWorkerAssignment,
    Mapping,
    Measure,
    RecipientAssessment,
)


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Mapping)
class MappingAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "centre", "state", "stay_started_at", "welcome_held_at"]
    list_filter = ["state", "centre"]
    list_select_related = ["centre"]


@admin.register(KeyWorkerAssignment)
class KeyWorkerAssignmentAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "centre", "started_at", "ended_at"]
    list_select_related = ["centre"]


@admin.register(Conversation)
class ConversationAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "kind", "held_at", "interpreter_used", "interpreter_mode"]
    list_filter = ["kind", "interpreter_used"]


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "area", "source", "recorded_on"]
    list_filter = ["area", "source"]


@admin.register(Measure)
class MeasureAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "area", "status", "awaiting_move_decision"]
    list_filter = ["status", "area"]


@admin.register(CopyOffer)
class CopyOfferAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "centre", "offered_at", "accepted"]


@admin.register(RecipientAssessment)
class RecipientAssessmentAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """KART-12: the centre leader's assessments of recipients outside the list."""

    list_display = ["__str__", "recipient", "assessed_at", "assessed_by"]
