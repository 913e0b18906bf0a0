"""Two sweeps at once on PostgreSQL: every reminder and escalation is sent exactly once (X-5)."""

import re
import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, connections
from django.utils import timezone, translation

from cases.models import Deadline, DeadlineAlert, Notification
from cases.services import deadline_open, deadlines_sweep
from mottak.models import Role
from mottak.tests.factories import ResidentFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite has no row locks (SKIP LOCKED); run with DATABASE_URL=postgres://…",
    ),
]

T0 = timezone.now().replace(microsecond=0) - timedelta(days=3)
COUNT = 60


def run_concurrently(*calls):
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def worker(call):
        try:
            barrier.wait()
            with translation.override("en"):  # the language is per thread
                results.append(call())
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    return results


@pytest.fixture
def setup(user_factory, centre, region):
    leader = user_factory(Role.CENTRE_LEADER, centre=centre, email="leader@example.org")
    staff = user_factory(Role.CENTRE_STAFF, centre=centre, email="staff@example.org")
    caseworker = user_factory(Role.REGION_CASEWORKER, region=region, email="cw@example.org")
    deadlines = [
        deadline_open(
            owner=ResidentFactory(centre=centre),
            kind="sav_police_report",
            label="Report the minor missing to the police",
            due_at=T0 + timedelta(hours=24),
            opened_at=T0,
            centre=centre,
        )
        for _ in range(COUNT)
    ]
    return {"leader": leader, "staff": staff, "caseworker": caseworker, "deadlines": deadlines}


def mailed_counts(address: str) -> int:
    total = 0
    for message in mail.outbox:
        if message.to == [address]:
            total += int(re.match(r"(\d+) deadline", message.body).group(1))
    return total


@pytest.mark.parametrize("batch_size", [7, 200])
def test_x_5_two_concurrent_sweeps_send_each_reminder_exactly_once(setup, batch_size):
    now = T0 + timedelta(hours=12)
    results = run_concurrently(
        lambda: deadlines_sweep(now=now, batch_size=batch_size),
        lambda: deadlines_sweep(now=now, batch_size=batch_size),
    )
    assert sum(r.reminders for r in results) == COUNT
    assert sum(r.failures for r in results) == 0
    assert DeadlineAlert.objects.filter(stage="reminder-1").count() == COUNT
    # Two centre members told once per deadline; nothing twice.
    pairs = Counter(Notification.objects.values_list("deadline_id", "recipient_id"))
    assert len(pairs) == COUNT * 2 and set(pairs.values()) == {1}
    assert mailed_counts("leader@example.org") == COUNT
    assert mailed_counts("staff@example.org") == COUNT


@pytest.mark.parametrize("batch_size", [7, 200])
def test_x_5_two_concurrent_sweeps_send_each_escalation_exactly_once(setup, batch_size):
    now = T0 + timedelta(hours=25)
    results = run_concurrently(
        lambda: deadlines_sweep(now=now, batch_size=batch_size),
        lambda: deadlines_sweep(now=now, batch_size=batch_size),
        lambda: deadlines_sweep(now=now, batch_size=batch_size),
    )
    assert sum(r.escalations for r in results) == COUNT
    assert DeadlineAlert.objects.filter(stage="escalation").count() == COUNT
    assert Deadline.objects.filter(state=Deadline.State.MISSED).count() == COUNT
    pairs = Counter(Notification.objects.values_list("deadline_id", "recipient_id"))
    # The leader and the regional caseworker, once each per deadline.
    assert len(pairs) == COUNT * 2 and set(pairs.values()) == {1}
    assert mailed_counts("leader@example.org") == COUNT
    assert mailed_counts("cw@example.org") == COUNT
    assert mailed_counts("staff@example.org") == 0
