from django.urls import path

from . import views

app_name = "savnet"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("oversikt/", views.overview, name="overview"),
    path("oversikt/eksport.<slug:fmt>", views.overview_export, name="overview_export"),
    path("ny/", views.report_start, name="start"),
    path("<int:report_id>/", views.report_detail, name="detail"),
    path("<int:report_id>/meld-savnet/", views.report_open, name="open"),
    path("<int:report_id>/avklart/", views.investigation_end, name="investigation_end"),
    path("<int:report_id>/politi/", views.police_send, name="police"),
    path("<int:report_id>/barnevern/", views.child_welfare_send, name="child_welfare"),
    path("<int:report_id>/samtaler/", views.call_log, name="call"),
    path("<int:report_id>/avtaler/", views.appointments_cancel, name="appointments"),
    path("<int:report_id>/sesam/", views.sesam_record, name="sesam"),
    path("<int:report_id>/regionkontor/", views.regional_copies, name="regional_copies"),
    path("<int:report_id>/steg/<slug:step_code>/frafall/", views.step_waive, name="waive"),
    path("<int:report_id>/funnet/", views.found, name="found"),
    path("<int:report_id>/plass/", views.placement_record, name="placement"),
    path("<int:report_id>/avslutt-opphold/", views.stay_end, name="end_stay"),
    path("<int:report_id>/oppholdssted/", views.whereabouts_known, name="whereabouts"),
    path("<int:report_id>/opplysninger/", views.search_facts, name="search_facts"),
    path("<int:report_id>/bekymring-ved-retur/", views.concern_observed, name="concern"),
    path("beboer/<int:resident_id>/kjennetegn/", views.profile, name="profile"),
    path("beboer/<int:resident_id>/foto/", views.photo, name="photo"),
    path("beboer/<int:resident_id>/foto/slett/", views.photo_delete, name="photo_delete"),
    path("<int:report_id>/oppfolging/", views.follow_up, name="follow_up"),
    path(
        "<int:report_id>/oppfolging/prosedyre/", views.general_procedure, name="general_procedure"
    ),
    path("<int:report_id>/oppfolging/bekymring/", views.neglect_reports, name="neglect_reports"),
    path("<int:report_id>/oppfolging/asylsak/", views.asylum_info, name="asylum_info"),
    path("<int:report_id>/avslutt/", views.close, name="close"),
]
