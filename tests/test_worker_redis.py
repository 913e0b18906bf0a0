"""A real Celery worker and beat over a real Redis (X-5): deadlines are escalated end to end,
and one that falls due while the broker is down is still escalated once it is back.

Runs only against PostgreSQL and Redis (CI): the worker is a separate process and must see
the test database. It uses a throwaway redis-server on a free port, so stopping "the broker"
disturbs nothing else.
"""

import os
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from cases.models import Deadline, Notification
from cases.services import deadline_open
from mottak.models import Role
from mottak.tests.factories import ResidentFactory

from .workers import CeleryWorker, RedisServer, wait_until

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("CELERY_BROKER_URL", "").startswith("redis://")
        or connection.vendor != "postgresql",
        reason="needs PostgreSQL (DATABASE_URL) and Redis (CELERY_BROKER_URL=redis://…)",
    ),
]

ESCALATION_WITHIN = 120  # seconds, from falling due (issue 3)


@pytest.fixture
def redis_server():
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture
def worker(redis_server, tmp_path):
    call_command("setup_schedules", stdout=open(os.devnull, "w"))  # noqa: SIM115
    process = CeleryWorker(broker_url=redis_server.url, log_path=tmp_path / "worker.log")
    process.start()
    yield process
    process.stop()


@pytest.fixture
def people(user_factory, centre, region):
    return {
        "leader": user_factory(Role.CENTRE_LEADER, centre=centre),
        "caseworker": user_factory(Role.REGION_CASEWORKER, region=region),
    }


def open_due_in(centre, seconds: float) -> Deadline:
    now = timezone.now()
    return deadline_open(
        owner=ResidentFactory(centre=centre),
        kind="sav_police_report",
        rule_id="SAV-2",
        label="Report the minor missing to the police",
        due_at=now + timedelta(seconds=seconds),
        opened_at=now - timedelta(hours=1),  # reminders already behind it
        centre=centre,
    )


def escalated(deadline: Deadline) -> bool:
    return Notification.objects.filter(deadline=deadline, kind="escalation").count() == 2


def wait_for_escalation(deadline: Deadline, worker: CeleryWorker) -> float:
    """Seconds from due to escalation; fails with the worker's log if it takes too long."""
    try:
        wait_until(
            lambda: escalated(deadline),
            timeout=ESCALATION_WITHIN + 15,
            interval=1,
            what=f"escalation of deadline {deadline.pk}",
        )
    except TimeoutError:
        pytest.fail(f"not escalated in time; worker log:\n{worker.log()[-6000:]}")
    deadline.refresh_from_db()
    return (deadline.escalated_at - deadline.due_at).total_seconds()


def test_x_5_a_deadline_that_falls_due_is_escalated_end_to_end(worker, people, centre):
    deadline = open_due_in(centre, 10)
    late_by = wait_for_escalation(deadline, worker)
    assert 0 <= late_by <= ESCALATION_WITHIN
    deadline.refresh_from_db()
    assert deadline.state == Deadline.State.MISSED
    recipients = set(
        Notification.objects.filter(deadline=deadline).values_list("recipient", flat=True)
    )
    assert recipients == {people["leader"].pk, people["caseworker"].pk}


def test_x_5_a_deadline_that_falls_due_while_redis_is_down_is_still_escalated(
    worker, redis_server, people, centre
):
    first = open_due_in(centre, 0)
    wait_for_escalation(first, worker)

    redis_server.stop()
    during = open_due_in(centre, 5)
    # Stay down past the due time and past at least one beat tick (every minute).
    time.sleep(70)
    assert not escalated(during)
    assert worker.process.poll() is None, worker.log()[-4000:]

    redis_server.start()
    back_at = timezone.now()
    try:
        wait_until(
            lambda: escalated(during),
            timeout=ESCALATION_WITHIN + 30,
            interval=1,
            what="escalation after the outage",
        )
    except TimeoutError:
        pytest.fail(f"not escalated after the outage; worker log:\n{worker.log()[-6000:]}")
    during.refresh_from_db()
    assert during.state == Deadline.State.MISSED
    assert during.escalated_at >= back_at - timedelta(seconds=5)
    assert Notification.objects.filter(deadline=during).count() == 2  # once, not per retry
