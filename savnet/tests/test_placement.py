"""SAV-9 and R-20: the place of a missing minor, and where they live after the return."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import periods
from cases.models import CaseEvent, Deadline
from cases.services.routines import done_codes
from mottak import events as life_events
from mottak.models import Stay
from mottak.tests.factories import RegionCaseworkerFactory
from savnet import routine as steps
from savnet import services
from savnet.models import MissingReport
from savnet.selectors import deadlines_of

pytestmark = pytest.mark.django_db


def placement_deadline(report) -> Deadline:
    kind = steps.MISSING.deadline_kind(steps.MISSING.step(steps.PLACEMENT))
    return next(d for d in deadlines_of(report) if d.kind == kind)


def found(report, by, *, minutes_ago: int = 10):
    return services.missing_report_found(
        report=report,
        found_at=timezone.now() - timedelta(minutes=minutes_ago),
        found_how="came_back",
        by=by,
    )


def open_stay_of(resident):
    return Stay.objects.filter(resident=resident, ended_at__isnull=True).first()


# ---- SAV-9: taken in until the placement is clarified with the regional office ---------------


def test_sav_9_return_opens_the_placement_step_due_in_one_working_day_as_snarest(report, staff):
    result = found(report, staff)
    deadline = placement_deadline(result.report)
    assert deadline.state == Deadline.State.OPEN
    assert deadline.urgency == "snarest"
    assert deadline.due_at == periods.working_days(result.report.found_at, 1)


def test_sav_9_recording_the_placement_meets_its_deadline_and_is_printed_on_the_timeline(
    report, staff
):
    report = found(report, staff).report
    services.missing_report_record_placement(
        report=report, placement="move", clarified_with="  Saksbehandler Vest ", by=staff
    )
    report.refresh_from_db()
    assert report.placement == MissingReport.Placement.MOVE
    assert report.placement_clarified_with == "Saksbehandler Vest"
    assert placement_deadline(report).state == Deadline.State.MET
    assert steps.PLACEMENT in done_codes(report, steps.RETURN_CHECKLIST)


def test_sav_9_placement_needs_a_name_at_the_regional_office_and_a_choice(report, staff):
    report = found(report, staff).report
    with pytest.raises(ValidationError, match="regional office"):
        services.missing_report_record_placement(
            report=report, placement="kept", clarified_with="  ", by=staff
        )
    with pytest.raises(ValidationError, match="agreed"):
        services.missing_report_record_placement(
            report=report, placement="elsewhere", clarified_with="Siri", by=staff
        )
    report.refresh_from_db()
    assert report.placement == ""


def test_sav_9_report_cannot_close_before_the_placement_is_clarified(report, staff):
    report = found(report, staff).report
    with pytest.raises(ValidationError, match="Placement clarified"):
        services.missing_report_close(report=report, by=staff)


def test_sav_9_back_while_still_looked_into_keeps_the_place_with_no_region_step(minor, staff):
    now = timezone.now()
    investigation = services.missing_report_start_investigation(
        resident=minor,
        noticed_at=now - timedelta(hours=1),
        last_seen_at=None,
        circumstances="Not at dinner.",
        by=staff,
    )
    report = found(investigation, staff, minutes_ago=5).report
    assert steps.PLACEMENT in done_codes(report, steps.RETURN_CHECKLIST)
    assert open_stay_of(minor) is not None


def test_sav_9_placement_before_the_return_is_refused(report, staff):
    with pytest.raises(ValidationError):
        services.missing_report_record_placement(
            report=report, placement="kept", clarified_with="Siri", by=staff
        )


# ---- the place while missing --------------------------------------------------------------


def test_r_20_a_missing_minor_keeps_the_place(report):
    stay = open_stay_of(report.resident)
    assert stay is not None and stay.centre_id == report.centre_id


def test_r_20_the_regional_office_ends_the_stay_as_missing(report, caseworker):
    ended_at = timezone.now() - timedelta(minutes=30)
    services.missing_report_end_stay(report=report, ended_at=ended_at, by=caseworker)
    report.refresh_from_db()
    assert report.stay_ended_at == ended_at
    assert open_stay_of(report.resident) is None
    last = Stay.objects.filter(resident=report.resident).latest("started_at")
    assert last.end_reason == Stay.EndReason.MISSING and last.ended_at == ended_at
    assert CaseEvent.objects.filter(
        kind=life_events.STAY_ENDED, payload__reason=Stay.EndReason.MISSING
    ).exists()
    assert report.state == MissingReport.State.OPEN  # the search goes on


def test_r_20_centre_staff_may_not_end_the_stay(report, staff, leader):
    for user in (staff, leader):
        with pytest.raises(PermissionDenied):
            services.missing_report_end_stay(report=report, ended_at=timezone.now(), by=user)
    assert open_stay_of(report.resident) is not None


def test_r_20_the_stay_cannot_end_before_there_was_reason_to_believe_the_minor_left(
    report, caseworker
):
    with pytest.raises(ValidationError, match="reason to believe"):
        services.missing_report_end_stay(
            report=report,
            ended_at=report.reason_to_believe_at - timedelta(seconds=1),
            by=caseworker,
        )
    assert open_stay_of(report.resident) is not None
    services.missing_report_end_stay(
        report=report, ended_at=report.reason_to_believe_at, by=caseworker
    )
    assert open_stay_of(report.resident) is None


def test_r_20_no_stay_ends_while_the_absence_is_only_looked_into(minor, staff, caseworker):
    investigation = services.missing_report_start_investigation(
        resident=minor,
        noticed_at=timezone.now() - timedelta(hours=1),
        last_seen_at=None,
        circumstances="Not at dinner.",
        by=staff,
    )
    with pytest.raises(ValidationError):
        services.missing_report_end_stay(
            report=investigation, ended_at=timezone.now(), by=caseworker
        )
    assert open_stay_of(minor) is not None


def test_r_20_a_return_after_the_stay_ended_opens_a_new_stay_at_the_centre(
    report, staff, caseworker
):
    services.missing_report_end_stay(
        report=report, ended_at=timezone.now() - timedelta(minutes=30), by=caseworker
    )
    result = found(report, staff, minutes_ago=10)
    assert "new_stay" in result.warnings
    stay = open_stay_of(report.resident)
    assert stay.centre_id == report.centre_id
    assert stay.started_at == result.report.found_at
    assert CaseEvent.objects.filter(kind=life_events.STAY_OPENED).exists()


def test_r_20_a_return_while_the_place_was_kept_opens_no_new_stay(report, staff):
    before = open_stay_of(report.resident)
    result = found(report, staff)
    assert "new_stay" not in result.warnings
    assert open_stay_of(report.resident) == before


# ---- the pages --------------------------------------------------------------------------------


def test_r_20_region_ends_the_stay_from_the_report_page(client, report, caseworker):
    client.force_login(caseworker)
    page = client.get(reverse("savnet:detail", args=[report.pk]))
    assert b'id="end-stay"' in page.content
    when = timezone.localtime() - timedelta(minutes=5)
    response = client.post(
        reverse("savnet:end_stay", args=[report.pk]),
        {"end-ended_at": when.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    assert open_stay_of(report.resident) is None


def test_r_20_end_stay_is_404_for_centre_staff_and_another_region(
    client, report, staff, other_region
):
    stranger = RegionCaseworkerFactory(region=other_region)
    url = reverse("savnet:end_stay", args=[report.pk])
    for user in (staff, stranger):
        client.force_login(user)
        response = client.post(url, {"end-ended_at": "2026-01-01T10:00"})
        assert response.status_code == 404
    assert open_stay_of(report.resident) is not None


def test_sav_9_placement_form_on_the_report_page(client, report, staff):
    found(report, staff)
    client.force_login(staff)
    response = client.post(
        reverse("savnet:placement", args=[report.pk]),
        {"placement": "kept", "clarified_with": "Siri Regionsen", "note": ""},
    )
    assert response.status_code == 302
    page = client.get(reverse("savnet:detail", args=[report.pk]))
    assert "Siri Regionsen" in page.content.decode()


def test_sav_9_placement_without_a_name_gets_a_message_and_saves_nothing(client, report, staff):
    found(report, staff)
    client.force_login(staff)
    response = client.post(
        reverse("savnet:placement", args=[report.pk]),
        {"placement": "kept", "clarified_with": ""},
        follow=True,
    )
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.placement == ""
