from django.urls import path

from . import views

app_name = "permisjon"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("regionkontor/", views.region_queue, name="region_queue"),
    path("ny/<int:resident_id>/", views.application_create, name="create"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/soknad.pdf", views.application_pdf, name="application_pdf"),
    path("<int:pk>/vedtak/", views.decide, name="decide"),
    path("<int:pk>/forberedelse/", views.prepare_step, name="prepare_step"),
    path("<int:pk>/pu/", views.record_pu_view, name="pu_view"),
    path("<int:pk>/anbefal-avslag/", views.recommend_refusal, name="recommend_refusal"),
    path("<int:pk>/trekk/", views.withdraw, name="withdraw"),
    path("<int:pk>/representant/", views.representative_told, name="representative_told"),
    path("<int:pk>/oppfolging/", views.follow_up_call, name="follow_up_call"),
    path("<int:pk>/reist/", views.mark_departed, name="departed"),
    path("<int:pk>/tilbake/", views.mark_returned, name="returned"),
    path("<int:pk>/videresend/", views.forward, name="forward"),
    path(
        "<int:pk>/melding-representant/", views.notify_representative, name="notify_representative"
    ),
    path("<int:pk>/meld-savnet/", views.report_missing, name="report_missing"),
    path("<int:pk>/avtale/", views.issue_agreement, name="issue_agreement"),
    path("<int:pk>/avtale-signert/", views.signed_agreement, name="signed_agreement"),
    path("<int:pk>/unnta/", views.waive_before_departure, name="waive_before_departure"),
]
