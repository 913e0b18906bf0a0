"""Every write of the case engine, one module per part, re-exported here."""

from .audit import read_log_record, read_log_record_many, timeline_event_record
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
from .deadlines import (
    SweepResult,
    deadline_lapse,
    deadline_meet,
    deadline_meet_for,
    deadline_move,
    deadline_open,
    deadline_reassign,
    deadline_waive,
    deadlines_close_for,
    deadlines_sweep,
)
from .dispatches import (
    dispatch_create,
    dispatch_mark_sent,
    dispatch_queue,
    dispatch_render,
    dispatch_retry_render,
    dispatches_requeue_stale,
    form_printout_pdf,
)
from .events import DrainResult, case_event_publish, case_events_drain
from .notifications import notification_mark_read, notifications_mark_all_read

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
    "dispatch_create",
    "dispatch_mark_sent",
    "dispatch_queue",
    "dispatch_render",
    "dispatch_retry_render",
    "dispatches_requeue_stale",
    "form_printout_pdf",
    "DrainResult",
    "case_event_publish",
    "case_events_drain",
    "SweepResult",
    "deadline_lapse",
    "deadline_meet",
    "deadline_meet_for",
    "deadline_open",
    "deadline_reassign",
    "deadline_move",
    "deadline_waive",
    "deadlines_close_for",
    "deadlines_sweep",
    "notification_mark_read",
    "notifications_mark_all_read",
    "read_log_record",
    "read_log_record_many",
    "timeline_event_record",
]
