from django.urls import path

from . import views

app_name = "kartlegging"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("beboer/<int:resident_id>/", views.resident, name="resident"),
    path("beboer/<int:resident_id>/opprett/", views.resident_open, name="resident_open"),
    path("<int:mapping_id>/", views.detail, name="detail"),
    path("<int:mapping_id>/tiltaksplan/", views.plan, name="plan"),
    path("<int:mapping_id>/lesing/", views.reading, name="reading"),
    path("<int:mapping_id>/saerkontakt/", views.key_worker, name="key_worker"),
    path("<int:mapping_id>/velkomstsamtale/", views.welcome, name="welcome"),
    path("<int:mapping_id>/samtale/", views.conversation, name="conversation"),
    path("<int:mapping_id>/notat/", views.entry, name="entry"),
    path("<int:mapping_id>/helse/", views.health, name="health"),
    path("<int:mapping_id>/innsyn/", views.reading_set, name="reading_set"),
    path("<int:mapping_id>/ferdigstill/", views.finish, name="finish"),
    path("<int:mapping_id>/sesam/", views.sesam_notice, name="sesam_notice"),
    path("<int:mapping_id>/kopier/", views.copies, name="copies"),
    path("<int:mapping_id>/oversending/", views.transfer, name="transfer"),
    path("<int:mapping_id>/mottakervurdering/", views.recipient_assess, name="recipient_assess"),
    path("<int:mapping_id>/oversending/annen/", views.transfer_other, name="transfer_other"),
    path("<int:mapping_id>/tiltak/", views.measure_add, name="measure_add"),
    path("<int:mapping_id>/tiltak/<int:measure_id>/", views.measure_update, name="measure_update"),
    path(
        "<int:mapping_id>/tiltak/<int:measure_id>/flytting/",
        views.measure_decide,
        name="measure_decide",
    ),
]
