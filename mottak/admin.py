"""Django admin for the core records.

Memberships are object permissions on centres and regions; they are changed only on a user's
access page (mottak/admin_access.py), through the services that write the access history —
not with guardian's object-permission pages. Residents are found by DUF or registration
number in a posted form, so no name or number lands in a URL."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Count
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from .admin_access import user_access_view
from .forms_account import ResidentLookupForm
from .models import (
    AccessChange,
    Appointment,
    Arrival,
    AsylumStageChange,
    Centre,
    ExternalRecipient,
    Municipality,
    Region,
    RepresentativeRecord,
    Resident,
    SesamNotice,
    Stay,
    TurningEighteen,
    User,
)
from .selectors_admin import resident_by_number


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "is_active", "is_superuser"]
    list_filter = ["role", "is_active", "is_staff", "is_superuser"]
    search_fields = ["username", "first_name", "last_name", "email"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets[:1],
        (_("Role"), {"fields": ["role", "access_link"]}),
        *DjangoUserAdmin.fieldsets[1:],
    ]
    readonly_fields = ["access_link"]

    def get_urls(self):
        return [
            path(
                "<int:user_id>/tilgang/",
                self.admin_site.admin_view(self.access_view),
                name="mottak_user_access",
            ),
            *super().get_urls(),
        ]

    def access_view(self, request, user_id):
        return user_access_view(self, request, user_id)

    @admin.display(description=_("Access"))
    def access_link(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:mottak_user_access", args=[obj.pk]),
            _("Centres, regional offices and second factor"),
        )

    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "role", "password1", "password2"]}),
    ]


@admin.register(AccessChange)
class AccessChangeAdmin(admin.ModelAdmin):
    """The access history, for looking: rows are written by the membership and second-factor
    services only."""

    list_display = ["at", "kind", "user", "centre", "region", "actor", "reason"]
    list_filter = ["kind"]
    list_select_related = ["user", "centre", "region", "actor"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "phone", "centre_count"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(centre_total=Count("centres"))

    @admin.display(description=_("centres"), ordering="centre_total")
    def centre_count(self, obj):
        return obj.centre_total


@admin.register(Centre)
class CentreAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "operator", "municipality", "region", "capacity"]
    list_filter = ["kind", "operator", "region"]
    list_select_related = ["region"]
    search_fields = ["name", "municipality"]


class StayInline(admin.TabularInline):
    model = Stay
    extra = 0
    fields = ["centre", "started_at", "ended_at", "end_reason"]
    autocomplete_fields = ["centre"]


class AppointmentInline(admin.TabularInline):
    model = Appointment
    extra = 0
    fields = ["kind", "starts_at", "held", "cancelled_at"]


@admin.register(Resident)
class ResidentAdmin(SimpleHistoryAdmin):
    list_display = [
        "identifier",
        "family_name",
        "given_names",
        "date_of_birth",
        "centre",
        "asylum_stage",
    ]
    list_filter = [
        "asylum_stage",
        "centre__region",
        "centre",
        "gender",
        "presumed_adult",
        "registered_as_minor_in_duf",
    ]
    list_select_related = ["centre"]
    autocomplete_fields = ["centre"]
    readonly_fields = ["created_at"]
    inlines = [StayInline, AppointmentInline]
    change_list_template = "admin/mottak/resident/change_list.html"

    def get_urls(self):
        return [
            path(
                "finn/",
                self.admin_site.admin_view(self.lookup_view),
                name="mottak_resident_lookup",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "lookup_form": ResidentLookupForm()}
        return super().changelist_view(request, extra_context)

    def lookup_view(self, request):
        """Posted: the number never appears in a URL; the answer is the record's own page."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_view_or_change_permission(request):
            return HttpResponseRedirect(reverse("admin:index"))
        form = ResidentLookupForm(request.POST)
        resident = resident_by_number(form.cleaned_data["number"]) if form.is_valid() else None
        if resident is None:
            self.message_user(
                request, _("No resident has that DUF or registration number."), messages.WARNING
            )
            return HttpResponseRedirect(reverse("admin:mottak_resident_changelist"))
        return HttpResponseRedirect(reverse("admin:mottak_resident_change", args=[resident.pk]))

    @admin.display(description=_("DUF or registration number"), ordering="duf_number")
    def identifier(self, obj):
        return obj.identifier


@admin.register(Stay)
class StayAdmin(SimpleHistoryAdmin):
    list_display = ["resident", "centre", "started_at", "ended_at", "end_reason"]
    list_filter = ["centre", "end_reason"]
    list_select_related = ["resident", "centre"]
    raw_id_fields = ["resident"]
    autocomplete_fields = ["centre"]
    date_hierarchy = "started_at"


@admin.register(Appointment)
class AppointmentAdmin(SimpleHistoryAdmin):
    list_display = ["resident", "kind", "starts_at", "held", "cancelled_at"]
    list_filter = ["kind", "held"]
    list_select_related = ["resident"]
    raw_id_fields = ["resident"]
    date_hierarchy = "starts_at"


@admin.register(ExternalRecipient)
class ExternalRecipientAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "municipality", "phone"]
    list_filter = ["kind"]
    search_fields = ["name", "municipality", "address"]


@admin.register(Municipality)
class MunicipalityAdmin(SimpleHistoryAdmin):
    """Directory data by place (which instances serve the municipality), kept by admins."""

    list_display = ["name", "county", "police_district", "child_welfare", "school"]
    list_filter = ["county"]
    search_fields = ["name", "county"]
    autocomplete_fields = [
        "police_district",
        "child_welfare",
        "child_welfare_duty",
        "school",
        "health_office",
    ]
    list_select_related = ["police_district", "child_welfare", "school"]


class _ResidentRecordAdmin(SimpleHistoryAdmin):
    list_select_related = ["resident"]
    raw_id_fields = ["resident"]


@admin.register(AsylumStageChange)
class AsylumStageChangeAdmin(_ResidentRecordAdmin):
    list_display = ["resident", "from_stage", "to_stage", "effective_on", "decision_date"]
    list_filter = ["to_stage"]


@admin.register(SesamNotice)
class SesamNoticeAdmin(_ResidentRecordAdmin):
    list_display = ["resident", "kind", "received_on", "decision_date"]
    list_filter = ["kind"]


@admin.register(RepresentativeRecord)
class RepresentativeRecordAdmin(_ResidentRecordAdmin):
    list_display = ["resident", "status", "effective_on", "appointed_by"]
    list_filter = ["status"]


@admin.register(Arrival)
class ArrivalAdmin(_ResidentRecordAdmin):
    list_display = ["resident", "centre", "arrived_at", "state"]
    list_filter = ["state", "centre_kind"]
    list_select_related = ["resident", "centre"]
    raw_id_fields = ["resident", "stay"]


@admin.register(TurningEighteen)
class TurningEighteenAdmin(_ResidentRecordAdmin):
    list_display = ["resident", "centre", "birthday", "state"]
    list_filter = ["state"]
    list_select_related = ["resident", "centre"]


# Registering the admins of the moves (MOT-3, MOT-5, MOT-6) and of the presence register.
from . import admin_moves, admin_presence  # noqa: E402, F401

# The second factor's devices hold the secrets (the app key, the backup codes): they are not
# shown in the admin; a user's access page resets them through the audited service.
for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)
