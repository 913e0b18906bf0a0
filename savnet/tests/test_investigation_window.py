"""R-1 (SAV-2): the 24 hours cannot be postponed by looking into an absence.

Noticing an absence opens a 4-hour investigation window (a setting); the 24 hours run from the
earlier of "reason to believe" and the window's end; a later moment needs a leader's written
reason; a window that ends unexplained reports the minor missing through the sweep.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import Deadline, Notification
from cases.services.deadlines import deadlines_sweep
from savnet import services
from savnet.models import MissingReport
from savnet.routine import INVESTIGATION_DUE_DEADLINE

from .conftest import open_report as _open_report

pytestmark = pytest.mark.django_db


def _investigate(minor, by, *, hours_ago: float):
    return services.missing_report_start_investigation(
        resident=minor,
        noticed_at=timezone.now() - timedelta(hours=hours_ago),
        last_seen_at=None,
        circumstances="Not at dinner.",
        by=by,
    )


def open_report(minor, by, **values):
    return _open_report(minor, by, last_seen_at=None, **values)


def _window(report) -> Deadline:
    return Deadline.objects.get(object_id=report.pk, kind=INVESTIGATION_DUE_DEADLINE)


def test_r_1_the_window_is_four_hours_from_noticing(minor, staff):
    report = _investigate(minor, staff, hours_ago=1)
    assert report.investigation_limit_at == report.noticed_at + timedelta(hours=4)
    assert _window(report).due_at == report.investigation_limit_at


def test_r_1_the_window_length_is_a_setting(minor, staff, settings):
    settings.SAVNET_INVESTIGATION_HOURS = 2
    report = _investigate(minor, staff, hours_ago=1)
    assert report.investigation_limit_at == report.noticed_at + timedelta(hours=2)


def test_r_1_an_earlier_reason_to_believe_starts_the_24_hours(minor, staff, directory):
    investigating = _investigate(minor, staff, hours_ago=3)
    reason = investigating.noticed_at + timedelta(hours=1)
    report = open_report(minor, staff, reason_to_believe_at=reason, noticed_at=reason)
    assert report.limit_at == reason + timedelta(hours=24)


def test_r_1_reason_exactly_at_the_window_end_needs_no_reason(minor, staff, directory):
    investigating = _investigate(minor, staff, hours_ago=5)
    end = investigating.investigation_limit_at
    report = open_report(
        minor, staff, reason_to_believe_at=end, noticed_at=investigating.noticed_at
    )
    assert report.limit_at == end + timedelta(hours=24)
    assert report.late_reason == ""


def test_r_1_a_later_reason_to_believe_is_refused_for_staff_and_nothing_changes(
    minor, staff, directory
):
    investigating = _investigate(minor, staff, hours_ago=6)
    later = investigating.investigation_limit_at + timedelta(minutes=1)
    with pytest.raises(ValidationError, match="leader's written reason"):
        open_report(
            minor,
            staff,
            reason_to_believe_at=later,
            noticed_at=investigating.noticed_at,
            late_reason="We thought she was at a friend's.",
        )
    investigating.refresh_from_db()
    assert investigating.state == MissingReport.State.INVESTIGATING
    assert _window(investigating).state == Deadline.State.OPEN


def test_r_1_a_leader_without_a_written_reason_is_refused(minor, leader, directory):
    investigating = _investigate(minor, leader, hours_ago=6)
    later = investigating.investigation_limit_at + timedelta(hours=1)
    with pytest.raises(ValidationError, match="leader's written reason"):
        open_report(minor, leader, reason_to_believe_at=later, noticed_at=investigating.noticed_at)


def test_r_1_a_leaders_later_moment_is_recorded_but_the_24_hours_run_from_the_window_end(
    minor, leader, directory
):
    investigating = _investigate(minor, leader, hours_ago=6)
    end = investigating.investigation_limit_at
    report = open_report(
        minor,
        leader,
        reason_to_believe_at=end + timedelta(hours=1),
        noticed_at=investigating.noticed_at,
        late_reason="We had word she was with her cousin; it proved wrong.",
    )
    assert report.reason_to_believe_at == end + timedelta(hours=1)
    assert report.limit_at == end + timedelta(hours=24)
    assert report.late_reason.startswith("We had word")
    police = Deadline.objects.get(object_id=report.pk, kind="savnet_police")
    assert police.due_at == end + timedelta(hours=24)


def test_r_1_a_report_without_an_investigation_counts_the_window_from_noticing(
    minor, leader, directory
):
    noticed = timezone.now() - timedelta(hours=10)
    report = open_report(
        minor,
        leader,
        noticed_at=noticed,
        reason_to_believe_at=noticed + timedelta(hours=8),
        late_reason="Staff believed he was at football camp.",
    )
    assert report.limit_at == noticed + timedelta(hours=4 + 24)


def test_r_1_explaining_the_absence_meets_the_window(minor, staff):
    investigating = _investigate(minor, staff, hours_ago=1)
    services.missing_report_investigation_end(
        report=investigating, note="Was at the dentist.", by=staff
    )
    assert _window(investigating).state == Deadline.State.MET


def test_r_1_a_window_that_ends_unexplained_reports_the_minor_missing_in_the_sweep(
    minor, staff, leader, directory
):
    investigating = _investigate(minor, staff, hours_ago=5)
    end = investigating.investigation_limit_at
    deadlines_sweep(now=timezone.now())
    report = MissingReport.objects.get(pk=investigating.pk)
    assert report.state == MissingReport.State.OPEN
    assert report.reason_to_believe_at == end
    assert report.limit_at == end + timedelta(hours=24)
    assert _window(report).state == Deadline.State.MET
    police = Deadline.objects.get(object_id=report.pk, kind="savnet_police")
    assert police.state == Deadline.State.OPEN and police.urgency == "straks"
    # The straks steps alert the on-duty staff and the leader at once.
    assert {staff, leader} <= {n.recipient for n in Notification.objects.filter(deadline=police)}
    # A second sweep does nothing more (idempotent).
    deadlines_sweep(now=timezone.now())
    assert Deadline.objects.filter(object_id=report.pk, kind="savnet_police").count() == 1


def test_r_1_a_window_not_yet_ended_is_left_alone_by_the_sweep(minor, staff):
    investigating = _investigate(minor, staff, hours_ago=3)
    deadlines_sweep(now=timezone.now())
    investigating.refresh_from_db()
    assert investigating.state == MissingReport.State.INVESTIGATING
