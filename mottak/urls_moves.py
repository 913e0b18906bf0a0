"""Pages of leaving a centre (MOT-3, MOT-5, MOT-6), in the "mottak" namespace."""

from django.urls import path

from . import views_moves as views

urlpatterns = [
    path("flyttinger/", views.move_list, name="move_list"),
    path("beboere/<int:resident_id>/flytting/ny/", views.move_new, name="move_new"),
    path("flyttinger/<int:move_id>/", views.move_detail, name="move_detail"),
    path(
        "flyttinger/<int:move_id>/barnevern/", views.move_child_welfare, name="move_child_welfare"
    ),
    path(
        "flyttinger/<int:move_id>/representant/",
        views.move_representative,
        name="move_representative",
    ),
    path("flyttinger/<int:move_id>/sesam/", views.move_sesam, name="move_sesam"),
    path("flyttinger/<int:move_id>/personmappe/", views.move_folder, name="move_folder"),
    path(
        "flyttinger/<int:move_id>/melding/statsforvalteren/",
        views.move_notice_county_governor,
        name="move_notice_county_governor",
    ),
    path(
        "flyttinger/<int:move_id>/melding/skole/",
        views.move_notice_school,
        name="move_notice_school",
    ),
    path(
        "flyttinger/<int:move_id>/melding/helsestasjon/",
        views.move_notice_health_office,
        name="move_notice_health_office",
    ),
    path(
        "flyttinger/<int:move_id>/overlevering/les-pa-nytt/",
        views.move_handover_refresh,
        name="move_handover_refresh",
    ),
    path(
        "flyttinger/<int:move_id>/overlevering/<int:item_id>/",
        views.move_handover_mark,
        name="move_handover_mark",
    ),
    path("flyttinger/<int:move_id>/godkjenn/", views.move_approve, name="move_approve"),
    path("flyttinger/<int:move_id>/avsla/", views.move_refuse, name="move_refuse"),
    path("flyttinger/<int:move_id>/trekk-tilbake/", views.move_withdraw, name="move_withdraw"),
    path("flyttinger/<int:move_id>/ankommet/", views.move_complete, name="move_complete"),
    path(
        "flyttinger/<int:move_id>/utsendelser/<int:dispatch_id>/pdf/",
        views.move_dispatch_pdf,
        name="move_dispatch_pdf",
    ),
    path(
        "beboere/<int:resident_id>/privat-flytting/ny/",
        views.private_move_new,
        name="private_move_new",
    ),
    path(
        "privat-flytting/<int:private_move_id>/",
        views.private_move_detail,
        name="private_move_detail",
    ),
    path(
        "privat-flytting/<int:private_move_id>/endre/",
        views.private_move_edit,
        name="private_move_edit",
    ),
    path(
        "privat-flytting/<int:private_move_id>/regionkontoret/",
        views.private_move_region_told,
        name="private_move_region_told",
    ),
    path(
        "privat-flytting/<int:private_move_id>/oppfordret/",
        views.private_move_encouraged,
        name="private_move_encouraged",
    ),
    path(
        "privat-flytting/<int:private_move_id>/flyttet/",
        views.private_move_moved,
        name="private_move_moved",
    ),
    path(
        "privat-flytting/<int:private_move_id>/blir-boende/",
        views.private_move_stays,
        name="private_move_stays",
    ),
    path(
        "privat-flytting/<int:private_move_id>/bekymringsmelding/",
        views.private_move_concern,
        name="private_move_concern",
    ),
    path(
        "privat-flytting/<int:private_move_id>/kopi-udi/",
        views.private_move_copy_region,
        name="private_move_copy_region",
    ),
    path(
        "privat-flytting/<int:private_move_id>/kopi-imdi/",
        views.private_move_copy_imdi,
        name="private_move_copy_imdi",
    ),
    path("beboere/<int:resident_id>/avreise/ny/", views.departure_new, name="departure_new"),
    path("avreise/<int:departure_id>/", views.departure_detail, name="departure_detail"),
    path(
        "avreise/<int:departure_id>/instrukser/",
        views.departure_instructions,
        name="departure_instructions",
    ),
    path(
        "avreise/<int:departure_id>/oppfolging/",
        views.departure_follow_up,
        name="departure_follow_up",
    ),
    path(
        "avreise/<int:departure_id>/tilrettelegging/",
        views.departure_arrangements,
        name="departure_arrangements",
    ),
    path("avreise/<int:departure_id>/klar/", views.departure_ready, name="departure_ready"),
    path(
        "avreise/<int:departure_id>/kartlegging/",
        views.departure_mapping,
        name="departure_mapping",
    ),
    path("avreise/<int:departure_id>/reist/", views.departure_depart, name="departure_depart"),
    path("avreise/<int:departure_id>/avlys/", views.departure_cancel, name="departure_cancel"),
]
