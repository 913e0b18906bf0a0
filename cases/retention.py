"""Retention per record type (KART-16, SAV-12, R-21): one machinery, configured per type.

An app registers each kind of record it must not keep for ever from its `AppConfig.ready()`:

    register_record_type(RecordType(
        name="savnet.photo",
        label=_("Photos of residents who left"),
        rule_ids=("SAV-3",),
        period={"months": 6},
        runs_from=_("the end of the resident's last stay"),
        expired=photos_expired,      # expired(*, now, period) -> ids of the rows to delete
        delete=photo_delete,         # delete(id, *, now) -> Deleted | None (None: already gone)
    ))

The period is the registered default; `settings.RETENTION["savnet.photo"] = {"months": 12}`
overrides it (one of "days", "weeks", "months": calendar periods in Europe/Oslo).

The nightly beat task (`cases.retention_run`) runs every type: each expired record is deleted
in a transaction of its own together with one DeletionRecord that says the type, the reason,
when, the centre and how many rows and files of each kind — without any of the data and
without whose it was. The stored files the deleter names are removed after that transaction
commits. A record that fails is left for the next night and counted, never half-deleted.
`manage.py retention_report` prints what each type keeps and how much was deleted.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from . import periods
from .registry import register_once

logger = logging.getLogger(__name__)

UNITS = ("days", "weeks", "months")


@dataclass(frozen=True)
class Deleted:
    """What a deleter did: why, at which centre (an id, or None), how many of each kind, and
    the stored files to remove once the deletion has committed: names in the default storage,
    or (storage, name) pairs for a field with a storage of its own."""

    reason: str
    counts: dict = field(default_factory=dict, hash=False)
    centre_id: int | None = None
    files: tuple = ()


@dataclass(frozen=True)
class RecordType:
    name: str
    label: str
    rule_ids: tuple[str, ...]
    period: dict = field(hash=False)
    runs_from: str
    expired: Callable[..., Iterable]
    delete: Callable[..., Deleted | None]


_types: dict[str, RecordType] = {}


def _checked_period(period: dict, *, name: str) -> dict:
    if not isinstance(period, dict) or len(period) != 1:
        raise ValueError(f"{name}: a retention period is one of {UNITS}, e.g. {{'days': 30}}.")
    ((unit, count),) = period.items()
    if unit not in UNITS or not isinstance(count, int) or count < 0:
        raise ValueError(f"{name}: a retention period is one of {UNITS}, e.g. {{'days': 30}}.")
    return {unit: count}


def register_record_type(record_type: RecordType) -> RecordType:
    if "." not in record_type.name:
        raise ValueError(f"{record_type.name}: name a record type '<app label>.<what>'.")
    _checked_period(record_type.period, name=record_type.name)
    return register_once(_types, record_type.name, record_type, what="record type")


def registered_record_types() -> dict[str, RecordType]:
    return dict(sorted(_types.items()))


def record_type(name: str) -> RecordType:
    return _types[name]


def retention_period(name: str) -> dict:
    """The period of a type: `settings.RETENTION[name]` when set, else the registered one."""
    configured = getattr(settings, "RETENTION", {}).get(name)
    if configured is None:
        return dict(_types[name].period)
    return _checked_period(configured, name=name)


def after(moment: datetime, period: dict) -> datetime:
    """`moment` plus the period, as calendar days, weeks or months in Oslo."""
    ((unit, count),) = period.items()
    if unit == "months":
        return periods.months(moment, count)
    return periods._shift_local_days(moment, count * 7 if unit == "weeks" else count)


def before(moment: datetime, period: dict) -> datetime:
    """The cut-off: a record whose clock started before it has been kept the whole period."""
    ((unit, count),) = period.items()
    return after(moment, {unit: -count})


@dataclass
class RunResult:
    deleted: dict[str, int] = field(default_factory=dict)
    failed: dict[str, int] = field(default_factory=dict)
    files: int = 0

    def as_dict(self) -> dict:
        return {"deleted": self.deleted, "failed": self.failed, "files": self.files}


def _remove_files(files: Iterable) -> int:
    removed = 0
    for item in files:
        storage, name = item if isinstance(item, tuple) else (default_storage, item)
        if name and storage.exists(name):
            storage.delete(name)
            removed += 1
    return removed


def record_delete(name: str, key, *, now: datetime):
    """Delete one record of type `name` with its deletion record, then its files. Returns the
    DeletionRecord, or None when there was nothing (left) to delete."""
    from .models import DeletionRecord

    kind = _types[name]
    with transaction.atomic():
        done = kind.delete(key, now=now)
        if done is None:
            return None
        counts = dict(done.counts)
        counts["files"] = counts.get("files", 0) + len(done.files)
        record = DeletionRecord.objects.create(
            record_type=name,
            reason=done.reason,
            deleted_at=now,
            centre_id=done.centre_id,
            counts=counts,
        )
    _remove_files(done.files)
    return record


def retention_run(
    *, now: datetime | None = None, only: Iterable[str] | None = None, period: dict | None = None
) -> RunResult:
    """Delete every expired record of every registered type (or of `only`). `period` overrides
    the configured one (a command's option); the nightly task gives none."""
    now = now or timezone.now()
    result = RunResult()
    names = list(only) if only is not None else list(registered_record_types())
    for name in names:
        kind = _types[name]
        chosen = _checked_period(period, name=name) if period else retention_period(name)
        result.deleted[name] = result.failed[name] = 0
        for key in list(kind.expired(now=now, period=chosen)):
            try:
                record = record_delete(name, key, now=now)
            except Exception as error:  # one record's failure must not stop the others
                # The type and the error's kind only: no identifiers, no personal data.
                logger.error("retention: a %s record failed (%s)", name, type(error).__name__)
                result.failed[name] += 1
                continue
            if record is not None:
                result.deleted[name] += 1
                result.files += record.counts.get("files", 0)
    return result


def retention_report(*, since: datetime | None = None) -> list[dict]:
    """Per registered type: its period, what it runs from, and how many records were deleted
    (since `since`, else ever) with the summed counts of rows and files."""
    from .models import DeletionRecord

    rows = []
    records = DeletionRecord.objects.all()
    if since is not None:
        records = records.filter(deleted_at__gte=since)
    for name, kind in registered_record_types().items():
        totals: dict[str, int] = {}
        deleted = 0
        for counts in records.filter(record_type=name).values_list("counts", flat=True):
            deleted += 1
            for key, value in counts.items():
                if isinstance(value, int):
                    totals[key] = totals.get(key, 0) + value
        rows.append(
            {
                "record_type": name,
                "label": kind.label,
                "period": retention_period(name),
                "runs_from": kind.runs_from,
                "deleted": deleted,
                "counts": dict(sorted(totals.items())),
            }
        )
    return rows
