"""Every write of the case engine, one module per part, re-exported here."""

from .audit import read_log_record, timeline_event_record
from .dispatches import (
    dispatch_create,
    dispatch_mark_sent,
    dispatch_queue,
    dispatch_render,
    dispatch_retry_render,
    dispatches_requeue_stale,
)

__all__ = [
    "dispatch_create",
    "dispatch_mark_sent",
    "dispatch_queue",
    "dispatch_render",
    "dispatch_retry_render",
    "dispatches_requeue_stale",
    "read_log_record",
    "timeline_event_record",
]
