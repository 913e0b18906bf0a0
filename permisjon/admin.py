from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ContactPerson, FollowUpCall, LeaveApplication, LeaveReference


class ContactPersonInline(admin.TabularInline):
    model = ContactPerson
    extra = 0


class LeaveReferenceInline(admin.TabularInline):
    model = LeaveReference
    extra = 0


class FollowUpCallInline(admin.TabularInline):
    model = FollowUpCall
    extra = 0


@admin.register(LeaveApplication)
class LeaveApplicationAdmin(SimpleHistoryAdmin):
    # Writes go through the services; the admin is for looking, not for moving states.
    list_display = ["__str__", "centre", "state", "decider", "departure_at", "return_at"]
    list_filter = ["state", "decider", "centre"]
    list_select_related = ["centre", "resident"]
    readonly_fields = [f.name for f in LeaveApplication._meta.fields]
    inlines = [ContactPersonInline, LeaveReferenceInline, FollowUpCallInline]

    def has_add_permission(self, request):
        return False


@admin.register(LeaveReference)
class LeaveReferenceAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "application", "suitable"]
    list_select_related = ["application"]
    readonly_fields = [f.name for f in LeaveReference._meta.fields]

    def has_add_permission(self, request):
        return False
