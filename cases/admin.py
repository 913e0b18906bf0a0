"""Admin for the case engine: read-only views of rows written by the services."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ChecklistStepCompletion, Consent


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """Writes go through the services (rules, uploads checked, timeline); admin only shows."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Consent)
class ConsentAdmin(ReadOnlyHistoryAdmin):
    list_display = [
        "id",
        "subject_ct",
        "subject_id",
        "given_by",
        "purpose",
        "given_on",
        "withdrawn_at",
    ]
    list_filter = ["given_by", "purpose"]
    exclude = ["declaration"]  # the file is served only by the access-checked download view
    list_select_related = ["subject_ct"]


@admin.register(ChecklistStepCompletion)
class ChecklistStepCompletionAdmin(ReadOnlyHistoryAdmin):
    list_display = ["id", "checklist", "step_code", "owner_ct", "owner_id", "done_at", "undone_at"]
    list_filter = ["checklist"]
    exclude = ["attachment"]
    list_select_related = ["owner_ct"]
