"""Every write of the case engine, one module per part, re-exported here."""

from .audit import read_log_record, timeline_event_record
from .deadlines import (
    SweepResult,
    deadline_meet,
    deadline_meet_for,
    deadline_open,
    deadline_waive,
    deadlines_sweep,
)
from .notifications import notification_mark_read, notifications_mark_all_read

__all__ = [
    "SweepResult",
    "deadline_meet",
    "deadline_meet_for",
    "deadline_open",
    "deadline_waive",
    "deadlines_sweep",
    "notification_mark_read",
    "notifications_mark_all_read",
    "read_log_record",
    "timeline_event_record",
]
