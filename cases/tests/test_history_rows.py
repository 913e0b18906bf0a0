"""History rows copied by the database are the rows simple-history's bulk path writes."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases.history_rows import history_rows_copy
from cases.models import Deadline
from cases.services import deadline_open
from mottak.tests.factories import ResidentFactory

AT = timezone.now().replace(microsecond=0) - timedelta(hours=1)


@pytest.fixture
def deadlines(centre):
    opened = [
        deadline_open(
            owner=ResidentFactory(centre=centre),
            kind="sav_police_report",
            label="Report the minor missing to the police",
            due_at=AT + timedelta(hours=24),
            centre=centre,
        )
        for _ in range(3)
    ]
    Deadline.objects.filter(pk__in=[d.pk for d in opened]).update(
        state=Deadline.State.MISSED, escalated_at=AT, next_alert_at=None
    )
    return list(Deadline.objects.filter(pk__in=[d.pk for d in opened]))


def written(deadlines) -> list[dict]:
    """The history rows written at AT, without their own ids, deleted after reading."""
    rows = Deadline.history.filter(id__in=[d.pk for d in deadlines], history_date=AT)
    found = sorted(rows.values(), key=lambda row: row["id"])
    rows.delete()
    for row in found:
        del row["history_id"]
    return found


def test_a_copy_writes_what_bulk_history_create_writes(deadlines):
    Deadline.history.bulk_history_create(deadlines, update=True, default_date=AT)
    expected = written(deadlines)
    history_rows_copy(deadlines, at=AT)
    assert written(deadlines) == expected
    assert {row["history_type"] for row in expected} == {"~"}
    assert {row["state"] for row in expected} == {Deadline.State.MISSED}


def test_a_copy_names_the_requests_user_like_simple_history(deadlines, leader):
    HistoricalRecords.context.request = SimpleNamespace(user=leader)
    try:
        history_rows_copy(deadlines, at=AT)
    finally:
        del HistoricalRecords.context.request
    assert {row["history_user_id"] for row in written(deadlines)} == {leader.pk}


def test_rows_with_their_own_change_reason_keep_it(deadlines):
    deadlines[0]._change_reason = "Corrected by hand"
    history_rows_copy(deadlines, at=AT)
    reasons = {row["id"]: row["history_change_reason"] for row in written(deadlines)}
    assert reasons[deadlines[0].pk] == "Corrected by hand"
    assert reasons[deadlines[1].pk] == ""
