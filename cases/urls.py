from django.urls import path

from . import views_checklists, views_consents

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
]
