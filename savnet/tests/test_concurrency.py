"""Two submits at the same moment on PostgreSQL: one report, one set of deadlines, one notice."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone, translation

from cases.models import Deadline, Dispatch
from savnet import routine as checklist
from savnet import services
from savnet.models import MissingReport

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises writers; the race needs PostgreSQL (DATABASE_URL=postgres://…)",
    ),
]


def run_together(call, times: int = 2):
    barrier = threading.Barrier(times)
    results, refusals, errors = [], [], []

    def worker():
        try:
            barrier.wait()
            with translation.override("en"):  # the language is per thread
                results.append(call())
        except ValidationError as refusal:
            refusals.append(refusal)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results, refusals


def test_sav_2_two_concurrent_reports_for_one_resident_make_one(minor, staff):
    now = timezone.now()

    def report():
        return services.missing_report_open(
            resident=minor,
            reason_to_believe_at=now - timedelta(hours=1),
            noticed_at=now - timedelta(hours=2),
            last_seen_at=None,
            circumstances="Gone after school.",
            by=staff,
        )

    results, refusals = run_together(report)
    assert len(results) == 1 and len(refusals) == 1
    assert "already reported missing" in refusals[0].messages[0]
    report = MissingReport.objects.get()
    assert Deadline.objects.filter(object_id=report.pk).count() == len(checklist.MISSING_STEPS)


def test_sav_3_two_concurrent_police_reports_make_one_dispatch(minor, staff, directory):
    now = timezone.now()
    report = services.missing_report_open(
        resident=minor,
        reason_to_believe_at=now - timedelta(hours=1),
        noticed_at=now - timedelta(hours=2),
        last_seen_at=None,
        circumstances="Gone after school.",
        by=staff,
    )
    results, refusals = run_together(
        lambda: services.missing_report_send_to_police(report=report, by=staff)
    )
    assert len(results) + len(refusals) == 2
    assert Dispatch.objects.filter(purpose="missing_report").count() == 1
