"""The kernel's pieces the mapping routine added: a deadline the routine itself lets lapse when
the stay it was counted from has ended, and "by the end of the n-th calendar day" (R-7)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from cases import periods
from cases.models import Deadline, TimelineEvent
from cases.routines import Due
from cases.services import deadline_lapse, deadline_meet, deadline_open

OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture
def deadline(resident, centre):
    return deadline_open(
        owner=resident,
        kind="welcome_test",
        label="Welcome conversation",
        due_at=timezone.now() + timedelta(days=1),
        centre=centre,
        urgency="target",
    )


@pytest.mark.django_db
def test_r_7_a_lapsed_deadline_is_waived_by_nobody_with_the_reason(deadline):
    lapsed = deadline_lapse(deadline=deadline, reason="A new stay began")
    assert (lapsed.state, lapsed.waived_by, lapsed.waive_reason) == (
        Deadline.State.WAIVED,
        None,
        "A new stay began",
    )
    assert lapsed.next_alert_at is None
    assert TimelineEvent.objects.filter(kind="deadline_lapsed").count() == 1
    # Again: nothing changes and nothing more is written.
    deadline_lapse(deadline=deadline, reason="again")
    assert TimelineEvent.objects.filter(kind="deadline_lapsed").count() == 1


@pytest.mark.django_db
def test_r_7_a_met_deadline_does_not_lapse(deadline, staff):
    deadline_meet(deadline=deadline, by=staff)
    assert deadline_lapse(deadline=deadline, reason="x").state == Deadline.State.MET


def test_r_7_end_of_the_second_calendar_day_as_a_declared_period():
    due = Due("moved_in", "calendar_days", 2, urgency="target")
    assert due.at(datetime(2026, 3, 28, 23, 30, tzinfo=OSLO)) == datetime(
        2026, 3, 29, 22, 0, tzinfo=UTC
    )
    assert due.describe() == "2 calendar days counting the day of moved_in"
    assert periods.end_of_calendar_day(datetime(2026, 10, 24, 0, 0, tzinfo=OSLO), 1) == datetime(
        2026, 10, 25, 0, 0, tzinfo=OSLO
    )
    with pytest.raises(ValueError):
        periods.end_of_calendar_day(datetime(2026, 1, 1), 2)
