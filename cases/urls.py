from django.urls import path

from . import views_checklists, views_consents, views_deadlines, views_dispatch

app_name = "cases"
urlpatterns: list = [
    # Consents (KART-13) on a case subject given by content type and id.
    path(
        "samtykke/<int:ct_id>/<int:obj_id>/",
        views_consents.consent_list,
        name="consent_list",
    ),
    path(
        "samtykke/<int:ct_id>/<int:obj_id>/ny/",
        views_consents.consent_new,
        name="consent_new",
    ),
    path(
        "samtykke/<int:consent_id>/trekk-tilbake/",
        views_consents.consent_withdraw,
        name="consent_withdraw",
    ),
    path(
        "samtykke/<int:consent_id>/erklaering/",
        views_consents.consent_download,
        name="consent_download",
    ),
    # Checklists: the owner by content type and id; the checklist and step by their codes.
    path(
        "sjekkliste/<int:ct_id>/<int:obj_id>/<slug:name>/",
        views_checklists.checklist_page,
        name="checklist",
    ),
    path(
        "sjekkliste/<int:ct_id>/<int:obj_id>/<slug:name>/<slug:step_code>/utfort/",
        views_checklists.checklist_step_complete,
        name="checklist_step_complete",
    ),
    path(
        "sjekkliste/steg/<int:completion_id>/angre/",
        views_checklists.checklist_step_undo,
        name="checklist_step_undo",
    ),
    path(
        "sjekkliste/steg/<int:completion_id>/vedlegg/",
        views_checklists.checklist_attachment,
        name="checklist_attachment",
    ),
    path("utsendelser/<int:pk>/", views_dispatch.dispatch_detail, name="dispatch_detail"),
    path(
        "utsendelser/<int:pk>/forhandsvis/",
        views_dispatch.dispatch_preview,
        name="dispatch_preview",
    ),
    path("utsendelser/<int:pk>/pdf/", views_dispatch.dispatch_pdf, name="dispatch_pdf"),
    path("utsendelser/<int:pk>/prov-igjen/", views_dispatch.dispatch_retry, name="dispatch_retry"),
    path("utsendelser/<int:pk>/sendt/", views_dispatch.dispatch_sent, name="dispatch_sent"),
    path(
        "frister/mottak/<int:centre_id>/",
        views_deadlines.deadlines_centre,
        name="deadlines_centre",
    ),
    path("frister/nasjonale/", views_deadlines.deadlines_national, name="deadlines_national"),
    path(
        "frister/region/<int:region_id>/",
        views_deadlines.deadlines_region,
        name="deadlines_region",
    ),
    path(
        "frister/mottak/<int:centre_id>/eksport.<slug:fmt>",
        views_deadlines.deadlines_centre_export,
        name="deadlines_centre_export",
    ),
    path(
        "frister/region/<int:region_id>/eksport.<slug:fmt>",
        views_deadlines.deadlines_region_export,
        name="deadlines_region_export",
    ),
    path(
        "frister/<int:deadline_id>/frafall/",
        views_deadlines.deadline_waive_view,
        name="deadline_waive",
    ),
    path("varsler/", views_deadlines.notifications_list, name="notifications"),
    path(
        "varsler/<int:notification_id>/lest/",
        views_deadlines.notification_read,
        name="notification_read",
    ),
    path(
        "varsler/alle-lest/", views_deadlines.notifications_read_all, name="notifications_read_all"
    ),
]
