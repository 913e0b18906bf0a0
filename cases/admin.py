"""Admin for the case engine: read-only views of rows written by the services."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import legal
from .models import (
    CaseEvent,
    ChecklistStepCompletion,
    Consent,
    Deadline,
    DeadlineAlert,
    DeletionRecord,
    Dispatch,
    LegalReference,
    Notification,
    ReadLog,
    TimelineEvent,
)


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


@admin.register(Deadline)
class DeadlineAdmin(SimpleHistoryAdmin):
    list_display = ["id", "rule_id", "kind", "due_at", "state", "centre", "region", "failure_count"]
    list_filter = ["state", "kind", "rule_id"]
    list_select_related = ["centre", "region"]
    date_hierarchy = "due_at"
    # State changes go through the services (meet, waive, the sweep), not the admin form.
    readonly_fields = [f.name for f in Deadline._meta.fields if f.name not in {"due_at", "label"}]
    search_fields = ["rule_id", "kind"]


@admin.register(DeadlineAlert)
class DeadlineAlertAdmin(admin.ModelAdmin):
    list_display = ["id", "deadline", "stage", "kind", "created_at"]
    list_filter = ["kind"]
    raw_id_fields = ["deadline"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["id", "recipient", "kind", "deadline", "created_at", "read_at"]
    list_filter = ["kind"]
    raw_id_fields = ["recipient", "alert", "deadline"]


class LegalReferenceForm(forms.ModelForm):
    """The code is one the routines cite (cases.legal): a free text could cite nothing."""

    code = forms.ChoiceField(label=_("reference"))

    class Meta:
        model = LegalReference
        fields = ["code", "kind", "text", "valid_from", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [(c, c) for c in legal.registered_codes()]


@admin.register(LegalReference)
class LegalReferenceAdmin(SimpleHistoryAdmin):
    """R-22: a new wording of a legal reference from a date; the forms made from that date
    print it, those made earlier keep theirs."""

    form = LegalReferenceForm
    list_display = ("code", "kind", "valid_from", "text")
    list_filter = ("kind",)


@admin.register(Dispatch)
class DispatchAdmin(ReadOnlyHistoryAdmin):
    list_display = ["id", "purpose", "recipient_kind", "channel", "state", "created_at", "sent_at"]
    list_filter = ["state", "purpose", "recipient_kind", "channel"]
    date_hierarchy = "created_at"
    # The PDF is served only by the access-checked, read-logged download view.
    exclude = ["pdf"]


@admin.register(ReadLog)
class ReadLogAdmin(admin.ModelAdmin):
    """Who opened which record: an audit trail, never edited."""

    list_display = ["at", "user", "action", "content_type", "object_id", "detail"]
    list_filter = ["action", "content_type"]
    list_select_related = ["user", "content_type"]
    search_fields = ["user__username"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TimelineEvent)
class TimelineEventAdmin(ReadLogAdmin):
    list_display = ["at", "kind", "rule_id", "actor", "content_type", "object_id"]
    list_filter = ["kind", "rule_id", "content_type"]
    list_select_related = ["actor", "content_type"]
    search_fields = ["rule_id", "kind"]


@admin.register(CaseEvent)
class CaseEventAdmin(ReadLogAdmin):
    """Life events and their handlers' progress: a failing handler shows here."""

    list_display = ["id", "kind", "created_at", "handled_at", "attempts", "next_attempt_at"]
    list_filter = ["kind"]
    list_select_related = ["subject_ct"]
    search_fields = ["kind", "last_error"]
    date_hierarchy = "created_at"


@admin.register(DeletionRecord)
class DeletionRecordAdmin(admin.ModelAdmin):
    """KART-16, SAV-12: the report of what the retention job deleted (counts only)."""

    list_display = ["id", "record_type", "reason", "deleted_at", "centre", "counts"]
    list_filter = ["record_type", "reason", "centre"]
    date_hierarchy = "deleted_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
