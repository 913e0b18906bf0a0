"""Every write of the case engine, one module per part, re-exported here."""

from .audit import read_log_record, timeline_event_record
from .checklists import (
    StepStatus,
    checklist_is_complete,
    checklist_status,
    checklist_step_complete,
    checklist_step_undo,
    open_required_steps,
)
from .consents import (
    consent_is_valid_for,
    consent_record,
    consent_withdraw,
    consents_valid_for,
)

__all__ = [
    "StepStatus",
    "checklist_is_complete",
    "checklist_status",
    "checklist_step_complete",
    "checklist_step_undo",
    "consent_is_valid_for",
    "consent_record",
    "consent_withdraw",
    "consents_valid_for",
    "open_required_steps",
    "read_log_record",
    "timeline_event_record",
]
