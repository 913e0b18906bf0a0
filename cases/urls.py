from django.urls import path

from . import views_deadlines

app_name = "cases"
urlpatterns: list = [
    path(
        "frister/mottak/<int:centre_id>/",
        views_deadlines.deadlines_centre,
        name="deadlines_centre",
    ),
    path(
        "frister/region/<int:region_id>/",
        views_deadlines.deadlines_region,
        name="deadlines_region",
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
