from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Deadline, DeadlineAlert, Notification


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
