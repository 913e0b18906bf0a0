"""R-10 (SAV-10): the follow-up conversation is due within 72 hours of the return, also when
the minor came back while the absence was still being looked into."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import Deadline
from savnet import routine, services
from savnet.models import MissingReport

from .conftest import open_report
from .test_services import conversation

pytestmark = pytest.mark.django_db

FOLLOW_UP_KIND = routine.MISSING.deadline_kind(routine.MISSING.step(routine.FOLLOW_UP_CONVERSATION))


def _follow_up(report) -> Deadline:
    return Deadline.objects.get(object_id=report.pk, kind=FOLLOW_UP_KIND)


def _found(report, by, *, hours_ago: float):
    return services.missing_report_found(
        report=report,
        found_at=timezone.now() - timedelta(hours=hours_ago),
        found_how="came_back",
        by=by,
    ).report


def test_r_10_the_follow_up_is_due_72_hours_after_the_return(report, leader):
    found = _found(report, leader, hours_ago=1)
    assert _follow_up(found).due_at == found.found_at + timedelta(hours=72)


def _long_ago_report(minor, leader, directory):
    return open_report(minor, leader, hours_ago=80, last_seen_at=None)


def test_r_10_a_conversation_within_72_hours_meets_it_on_time(minor, leader, directory):
    found = _found(_long_ago_report(minor, leader, directory), leader, hours_ago=72)
    held = found.found_at + timedelta(hours=72)  # the last moment that is still on time
    services.missing_report_record_follow_up(
        report=found, data=conversation(held_at=held), by=leader
    )
    deadline = _follow_up(found)
    assert deadline.state == Deadline.State.MET and not deadline.was_missed


def test_r_10_a_conversation_after_72_hours_is_recorded_late(minor, leader, directory):
    found = _found(_long_ago_report(minor, leader, directory), leader, hours_ago=73)
    services.missing_report_record_follow_up(report=found, data=conversation(), by=leader)
    assert _follow_up(found).was_missed


def test_r_10_a_return_during_the_investigation_still_asks_for_the_follow_up(minor, staff):
    investigating = services.missing_report_start_investigation(
        resident=minor,
        noticed_at=timezone.now() - timedelta(hours=2),
        last_seen_at=None,
        circumstances="Not at school.",
        by=staff,
    )
    found = _found(investigating, staff, hours_ago=0.5)
    assert found.state == MissingReport.State.FOUND
    assert _follow_up(found).state == Deadline.State.OPEN
    window = Deadline.objects.get(object_id=found.pk, kind=routine.INVESTIGATION_DUE_DEADLINE)
    assert window.state == Deadline.State.MET
    with pytest.raises(ValidationError, match="Finish these steps"):
        services.missing_report_close(report=found, by=staff)
    services.missing_report_record_follow_up(report=found, data=conversation(), by=staff)
    closed = services.missing_report_close(report=found, by=staff)
    assert closed.state == MissingReport.State.CLOSED
