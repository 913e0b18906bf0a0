from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AssistedReturnInformation,
    ContactLogEntry,
    QuarterlyMeeting,
    ReturnCase,
    ReturnConversation,
    ReturnHandover,
    ReturnTask,
    UneReversalShare,
)


@admin.register(UneReversalShare)
class UneReversalShareAdmin(SimpleHistoryAdmin):
    """RET-2: the share of cases UNE reverses, dated, with its source; conversations print the
    figure in force on their day."""

    list_display = ["share_percent", "period", "source", "valid_from"]


class ReadOnlyAdminMixin:
    """For looking: every change goes through retur.services, which keeps the steps in step."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReturnConversationInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ReturnConversation
    extra = 0
    fields = readonly_fields = ["kind", "held_at", "not_attended_at", "new_time", "recorded_by"]


class ContactLogEntryInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ContactLogEntry
    extra = 0
    fields = readonly_fields = ["at", "party", "by"]


@admin.register(ReturnCase)
class ReturnCaseAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "centre", "state", "path", "opened_at", "caseworker"]
    list_filter = ["state", "path", "centre__region"]
    list_select_related = ["centre", "caseworker"]
    inlines = [ReturnConversationInline, ContactLogEntryInline]


@admin.register(ReturnConversation)
class ReturnConversationAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "kind", "held_at", "not_attended_at"]
    list_filter = ["kind"]
    list_select_related = ["case"]


@admin.register(ContactLogEntry)
class ContactLogEntryAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "at", "party", "topic"]
    list_filter = ["party", "topic"]
    list_select_related = ["case"]


@admin.register(AssistedReturnInformation)
class AssistedReturnInformationAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "given_at", "to_minor", "to_carers"]
    list_select_related = ["case"]


@admin.register(ReturnHandover)
class ReturnHandoverAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "reason", "at"]
    list_filter = ["reason"]
    list_select_related = ["case"]


@admin.register(ReturnTask)
class ReturnTaskAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "case", "due_at", "responsible", "state"]
    list_filter = ["state"]
    list_select_related = ["case", "responsible"]


@admin.register(QuarterlyMeeting)
class QuarterlyMeetingAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """RET-6: kept through the meeting pages; the beat plans each quarter's row."""

    list_display = ["__str__", "state", "held_on"]
    list_filter = ["state"]
