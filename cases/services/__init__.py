"""Every write of the case engine, one module per part, re-exported here."""

from .audit import read_log_record, timeline_event_record

__all__ = ["read_log_record", "timeline_event_record"]
