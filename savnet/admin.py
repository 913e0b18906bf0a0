"""Admin for the missing routine: for looking. Every change goes through savnet.services, which
keeps the steps, their deadlines and the notices in step."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AppointmentCancellation,
    FollowUpConversation,
    MissingReport,
    PhoneCall,
    PoliceAgreement,
    ResidentPhoto,
    SearchProfile,
    SesamRegistration,
)


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PhoneCallInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = PhoneCall
    extra = 0
    fields = readonly_fields = ["party", "called_at", "reached", "called_by"]


class AppointmentCancellationInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = AppointmentCancellation
    extra = 0
    fields = readonly_fields = ["unit", "high_priority", "created_at", "created_by"]


@admin.register(MissingReport)
class MissingReportAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "centre", "state", "source", "reason_to_believe_at", "limit_at"]
    list_filter = ["state", "source", "centre__region", "centre"]
    list_select_related = ["resident", "centre"]
    # Search by the number staff use, never by name.
    date_hierarchy = "reason_to_believe_at"
    inlines = [PhoneCallInline, AppointmentCancellationInline]


@admin.register(SesamRegistration)
class SesamRegistrationAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "registered_at", "registered_by"]
    list_select_related = ["report__resident", "registered_by"]


@admin.register(FollowUpConversation)
class FollowUpConversationAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "__str__",
        "held_at",
        "trafficking_suspected",
        "domestic_violence_suspected",
        "serious_neglect_suspected",
    ]
    list_filter = [
        "trafficking_suspected",
        "domestic_violence_suspected",
        "serious_neglect_suspected",
        "interpreter_used",
    ]
    list_select_related = ["report__resident"]


@admin.register(PoliceAgreement)
class PoliceAgreementAdmin(SimpleHistoryAdmin):
    """R-12: an administrator records the centre's agreement with a police district that the
    missing-person report may be given by phone; who recorded it and when are kept."""

    list_display = ["centre", "police", "agreed_on", "agreed_with", "recorded_by", "recorded_at"]
    list_filter = ["centre"]
    fields = ["centre", "police", "agreed_on", "agreed_with", "note", "recorded_by", "recorded_at"]
    readonly_fields = ["recorded_by", "recorded_at"]

    def save_model(self, request, obj, form, change):
        obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(SearchProfile)
class SearchProfileAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """For looking; the description is kept on the resident's page in the missing routine."""

    list_display = ["resident", "updated_at", "updated_by"]
    list_select_related = ["resident", "updated_by"]


@admin.register(ResidentPhoto)
class ResidentPhotoAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Only that a photo exists: the photo itself is served by the access-checked view."""

    list_display = ["resident", "taken_on", "uploaded_at", "uploaded_by"]
    list_select_related = ["resident", "uploaded_by"]
    fields = readonly_fields = ["resident", "taken_on", "uploaded_at", "uploaded_by", "sha256"]
