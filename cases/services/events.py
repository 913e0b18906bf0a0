"""Writes of life events (cases.events): publish inside the writer's transaction; drain with
SKIP LOCKED, one savepoint per handler, failures recorded and retried with back-off."""

import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from ..events import handlers_for
from ..models import CaseEvent

logger = logging.getLogger(__name__)

DRAIN_BATCH_SIZE = 100
PAYLOAD_TYPES = (int, str, bool, type(None))


def case_event_publish(
    *, kind: str, subject: models.Model, payload: dict | None = None, key: str | None = None
) -> CaseEvent:
    """Record that something happened to `subject`. Call it inside the transaction of the
    change: the row commits or rolls back with it. `payload` holds ids and codes only (no
    names, no free text). With `key`, publishing the same fact again gives back the first row.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Publish a case event inside the transaction of the change.")
    payload = dict(payload or {})
    if not all(isinstance(v, PAYLOAD_TYPES) for v in payload.values()):
        raise ValueError("A case event's payload holds ids and codes only.")
    subject_ct = ContentType.objects.get_for_model(subject)
    if key is not None:
        existing = CaseEvent.objects.filter(key=key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            return CaseEvent.objects.create(
                kind=kind, subject_ct=subject_ct, subject_id=subject.pk, payload=payload, key=key
            )
    except IntegrityError:
        if key is None:
            raise
        return CaseEvent.objects.get(key=key)  # a concurrent publish of the same fact won


@dataclass
class DrainResult:
    events: int = 0
    handled: int = 0  # handler runs that succeeded
    failures: int = 0
    failed_ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2**attempts, 60))


def _drain_one(event: CaseEvent, *, now: datetime, result: DrainResult) -> None:
    errors = []
    for name, func in handlers_for(event.kind):
        if name in event.handled_by:
            continue  # succeeded on an earlier attempt: at most once per handler
        try:
            with transaction.atomic():
                func(event)
        except Exception as error:  # noqa: BLE001 - one handler must not stop the others
            errors.append(f"{name}: {type(error).__name__}: {error}")
            logger.warning(
                "Case event %s: handler %s failed (%s)", event.pk, name, type(error).__name__
            )
            continue
        event.handled_by[name] = now.isoformat()
        result.handled += 1
    if errors:
        event.attempts += 1
        event.last_error = "\n".join(errors)[:2000]
        event.next_attempt_at = now + _backoff(event.attempts)
        result.failures += 1
        result.failed_ids.append(event.pk)
    else:
        event.handled_at = now
        event.last_error = ""
    event.save(
        update_fields=["handled_by", "handled_at", "attempts", "last_error", "next_attempt_at"]
    )


def case_events_drain(*, now: datetime | None = None, batch_size: int | None = None) -> DrainResult:
    """Run the handlers of every event not yet handled whose next attempt is due.

    Batches are transactions holding row locks taken with SKIP LOCKED, so overlapping drains
    share the work; each handler runs in its own savepoint, and its success mark is written in
    the same transaction as its effects.
    """
    now = now or timezone.now()
    batch_size = batch_size or DRAIN_BATCH_SIZE
    result = DrainResult()
    while True:
        with transaction.atomic():
            batch = list(
                CaseEvent.objects.filter(handled_at__isnull=True, next_attempt_at__lte=now)
                .order_by("next_attempt_at", "id")
                .select_for_update(skip_locked=True)[:batch_size]
            )
            for event in batch:
                result.events += 1
                _drain_one(event, now=now, result=result)
        if len(batch) < batch_size:
            return result
