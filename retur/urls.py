from django.urls import path

from . import views

app_name = "retur"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("portefolje/", views.portfolio, name="portfolio"),
    path("kvartalsmoter/", views.meeting_list, name="meetings"),
    path("kvartalsmoter/<int:meeting_id>/", views.meeting_detail, name="meeting"),
    path("kvartalsmoter/<int:meeting_id>/referat/", views.meeting_record, name="meeting_record"),
    path("portefolje/eksport.<slug:fmt>", views.portfolio_export, name="portfolio_export"),
    path("<int:case_id>/informasjon/", views.information, name="information"),
    path("<int:case_id>/overlevering/", views.handover, name="handover"),
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("<int:case_id>/saksbehandler/", views.assign, name="assign"),
    path("<int:case_id>/samtale/etter-udi/", views.conversation_after_udi, name="conversation_udi"),
    path("<int:case_id>/samtale/etter-une/", views.conversation_after_une, name="conversation_une"),
    path("<int:case_id>/ikke-mott/", views.not_attended, name="not_attended"),
    path("<int:case_id>/kontakt/", views.contact, name="contact"),
    path("<int:case_id>/oppgaver/ny/", views.task_new, name="task_new"),
    path("oppgaver/<int:task_id>/", views.task_detail, name="task"),
    path("oppgaver/<int:task_id>/utfort/", views.task_done, name="task_done"),
    path("oppgaver/<int:task_id>/gjenapne/", views.task_reopen, name="task_reopen"),
    path("<int:case_id>/returvei/", views.path_choose, name="path"),
    path("<int:case_id>/omsorg/", views.care_premise, name="care_premise"),
    path("<int:case_id>/returnert/", views.returned, name="returned"),
    path("<int:case_id>/ikke-gjennomforbar/", views.not_feasible, name="not_feasible"),
    path("samtale/<int:conversation_id>/referat.pdf", views.minutes_pdf, name="minutes"),
]
