from django.urls import path

from . import views_dispatch

app_name = "cases"
urlpatterns: list = [
    path("utsendelser/<int:pk>/", views_dispatch.dispatch_detail, name="dispatch_detail"),
    path(
        "utsendelser/<int:pk>/forhandsvis/",
        views_dispatch.dispatch_preview,
        name="dispatch_preview",
    ),
    path("utsendelser/<int:pk>/pdf/", views_dispatch.dispatch_pdf, name="dispatch_pdf"),
    path("utsendelser/<int:pk>/prov-igjen/", views_dispatch.dispatch_retry, name="dispatch_retry"),
    path("utsendelser/<int:pk>/sendt/", views_dispatch.dispatch_sent, name="dispatch_sent"),
]
