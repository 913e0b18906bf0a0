"""Login, the start page and the core records' pages.

"home", "login", "logout" and the second-factor pages are top-level names (the settings point at them); the record
pages live in the "mottak" namespace.
"""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import urls_moves, views, views_account, views_folders, views_presence

record_patterns = [
    path("beboere/", views.resident_list, name="resident_list"),
    path("beboere/ny/", views.resident_register, name="resident_register"),
    path("beboere/<int:resident_id>/", views.resident_detail, name="resident_detail"),
    path("beboere/eksport.<slug:fmt>", views.resident_export, name="resident_export"),
    path("beboere/<int:resident_id>/historikk/", views.resident_history, name="resident_history"),
    path(
        "beboere/<int:resident_id>/innsyn/",
        views.resident_data_export,
        name="resident_data_export",
    ),
    path("beboere/<int:resident_id>/endre/", views.resident_edit, name="resident_edit"),
    path("beboere/<int:resident_id>/avtaler/ny/", views.appointment_new, name="appointment_new"),
    path(
        "beboere/<int:resident_id>/avtaler/<int:appointment_id>/avlys/",
        views.appointment_cancel,
        name="appointment_cancel",
    ),
    path("beboere/<int:resident_id>/ankomst/", views.stay_arrival, name="stay_arrival"),
    path(
        "beboere/<int:resident_id>/asylsak/ny-fase/",
        views.asylum_stage_change,
        name="asylum_stage_change",
    ),
    path(
        "beboere/<int:resident_id>/asylsak/sesam-melding/",
        views.sesam_notice_new,
        name="sesam_notice_new",
    ),
    path("ankomster/<int:arrival_id>/", views.arrival_detail, name="arrival_detail"),
    path("ankomster/<int:arrival_id>/sesam/", views.arrival_sesam, name="arrival_sesam"),
    path("ankomster/<int:arrival_id>/steg/", views.arrival_tick, name="arrival_tick"),
    path("ankomster/<int:arrival_id>/melding/", views.arrival_notice, name="arrival_notice"),
    path("fyller-18/<int:case_id>/", views.turning_18_detail, name="turning_18_detail"),
    path("fyller-18/<int:case_id>/barnevernet/", views.turning_18_views, name="turning_18_views"),
    path("fyller-18/<int:case_id>/anmodning/", views.turning_18_request, name="turning_18_request"),
    path(
        "beboere/<int:resident_id>/fodselsdato/",
        views.date_of_birth_correct,
        name="date_of_birth_correct",
    ),
    path(
        "beboere/<int:resident_id>/representant/",
        views.representative_new,
        name="representative_new",
    ),
    path(
        "beboere/<int:resident_id>/opphold/<int:stay_id>/avslutt/",
        views.stay_end,
        name="stay_end",
    ),
    path("beboere/<int:resident_id>/mappe/", views_folders.personal_folder, name="personal_folder"),
    path(
        "beboere/<int:resident_id>/mappe/opprett/",
        views_folders.personal_folder_open,
        name="personal_folder_open",
    ),
    path(
        "beboere/<int:resident_id>/mappe/ny/",
        views_folders.personal_folder_item_new,
        name="personal_folder_item_new",
    ),
    path(
        "beboere/<int:resident_id>/mappe/<int:item_id>/utlevert/",
        views_folders.folder_item_hand_back,
        name="folder_item_hand_back",
    ),
    path(
        "beboere/<int:resident_id>/privat-mappe/",
        views_folders.private_folder,
        name="private_folder",
    ),
    path(
        "beboere/<int:resident_id>/privat-mappe/opprett/",
        views_folders.private_folder_open,
        name="private_folder_open",
    ),
    path(
        "beboere/<int:resident_id>/privat-mappe/ny/",
        views_folders.private_folder_item_new,
        name="private_folder_item_new",
    ),
    path(
        "beboere/<int:resident_id>/primaerkontakter/ny/",
        views_folders.key_worker_new,
        name="key_worker_new",
    ),
    path(
        "beboere/<int:resident_id>/primaerkontakter/<int:assignment_id>/avslutt/",
        views_folders.key_worker_end,
        name="key_worker_end",
    ),
    path("tilstede/", views_presence.presence_home, name="presence_home"),
    path(
        "mottak/<int:centre_id>/tilstede/<str:day>/",
        views_presence.presence_day,
        name="presence_day",
    ),
    path(
        "mottak/<int:centre_id>/tilstede/<str:day>/<slug:kind>/",
        views_presence.presence_check,
        name="presence_check",
    ),
    path("mottak/<int:centre_id>/ute/ny/", views_presence.outing_new, name="outing_new"),
    path("ute/<int:outing_id>/tilbake/", views_presence.outing_back, name="outing_back"),
    *urls_moves.urlpatterns,
]

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/kode/", views_account.mfa_verify_view, name="mfa_verify"),
    path("konto/tofaktor/", views_account.mfa_enrol_view, name="mfa_enrol"),
    path("konto/reservekoder/", views_account.mfa_backup_codes_view, name="mfa_backup_codes"),
    path("", include((record_patterns, "mottak"))),
]
