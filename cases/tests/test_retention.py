"""KART-16, SAV-12: retention per record type as configuration, one machinery — the registry,
the configured periods, the nightly job with a deletion record per record (counts, no data), a
failure that stops nothing else, and the report of counts."""

from datetime import datetime
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from cases import periods, retention
from cases.models import DeletionRecord
from cases.schedules import registered_schedules

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 1, 12, 0, tzinfo=periods.OSLO)


@pytest.fixture
def toy(settings, tmp_path):
    """A record type of its own: the 'records' are numbers, expired when below a cut-off day."""
    settings.MEDIA_ROOT = tmp_path
    kept: dict[int, datetime] = {}
    failing: set[int] = set()

    def expired(*, now, period):
        cutoff = retention.before(now, period)
        return [key for key, at in sorted(kept.items()) if at < cutoff]

    def delete(key, *, now):
        if key in failing:
            raise RuntimeError("disk full")
        if kept.pop(key, None) is None:
            return None
        name = default_storage.save(f"toy/{key}.txt", ContentFile(b"x"))
        return retention.Deleted(reason="old", counts={"rows": 2}, files=(name,))

    kind = retention.register_record_type(
        retention.RecordType(
            name="cases.toy",
            label="Toy",
            rule_ids=("KART-16",),
            period={"days": 30},
            runs_from="its day",
            expired=expired,
            delete=delete,
        )
    )
    yield kind, kept, failing
    retention._types.pop("cases.toy", None)


def test_kart_16_the_period_is_configuration_per_record_type(toy, settings):
    assert retention.retention_period("cases.toy") == {"days": 30}
    settings.RETENTION = {"cases.toy": {"months": 2}}
    assert retention.retention_period("cases.toy") == {"months": 2}
    settings.RETENTION = {"cases.toy": {"hours": 2}}
    with pytest.raises(ValueError):
        retention.retention_period("cases.toy")


def test_kart_16_every_routine_registers_its_record_types():
    assert {"kartlegging.mapping", "savnet.photo", "permisjon.id_copy"} <= set(
        retention.registered_record_types()
    )


def test_kart_16_a_record_goes_the_day_after_its_period_not_the_day_before(toy, tmp_path):
    _kind, kept, _failing = toy
    kept[1] = NOON
    day_29 = periods._shift_local_days(NOON, 29)
    assert retention.retention_run(now=day_29, only=["cases.toy"]).deleted["cases.toy"] == 0
    day_31 = periods._shift_local_days(NOON, 31)
    result = retention.retention_run(now=day_31, only=["cases.toy"])
    assert result.deleted["cases.toy"] == 1 and result.files == 1
    record = DeletionRecord.objects.get()
    assert (record.record_type, record.reason, record.deleted_at) == ("cases.toy", "old", day_31)
    assert record.counts == {"rows": 2, "files": 1}
    assert not (tmp_path / "toy" / "1.txt").exists()


def test_kart_16_one_record_failing_stops_neither_the_others_nor_leaves_a_record(toy):
    _kind, kept, failing = toy
    kept.update({1: NOON, 2: NOON, 3: NOON})
    failing.add(2)
    later = periods.months(NOON, 2)
    result = retention.retention_run(now=later, only=["cases.toy"])
    assert (result.deleted["cases.toy"], result.failed["cases.toy"]) == (2, 1)
    assert DeletionRecord.objects.count() == 2
    assert set(kept) == {2}  # tried again next night


def test_kart_16_the_report_counts_what_was_deleted_per_type(toy):
    _kind, kept, _failing = toy
    kept.update({1: NOON, 2: NOON})
    retention.retention_run(now=periods.months(NOON, 2), only=["cases.toy"])
    row = next(r for r in retention.retention_report() if r["record_type"] == "cases.toy")
    assert row["deleted"] == 2 and row["counts"] == {"files": 2, "rows": 4}
    out = StringIO()
    call_command("retention_report", stdout=out)
    assert "cases.toy: kept 30 days from its day; 2 deleted (files 2, rows 4)" in out.getvalue()


def test_kart_16_the_retention_job_runs_nightly_from_beat():
    schedule = registered_schedules()["cases.retention_run"]
    assert schedule.task == "cases.retention_run"
    assert schedule.crontab == {"minute": "30", "hour": "2"}
