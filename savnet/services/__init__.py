"""Every write of the missing-minors routine (SAV-1..SAV-11).

Each service locks the report, checks that its state allows the step, does the work, meets the
step's deadline as a side effect and records a timeline event, all in one transaction. Outgoing
notices are dispatches of the case engine: rendered once to PDF, idempotent per recipient.
"""

from ._base import NOTIFIED_PURPOSES, WRITTEN_CHANNELS
from .notices import (
    duty_service_of,
    missing_report_cancel_appointments,
    missing_report_log_call,
    missing_report_record_sesam,
    missing_report_send_regional_copies,
    missing_report_send_to_child_welfare,
    missing_report_send_to_police,
    missing_report_waive_step,
)
from .reports import (
    missing_report_investigation_end,
    missing_report_open,
    missing_report_open_at_window_end,
    missing_report_start_investigation,
    missing_report_update_search_facts,
)
from .returns import (
    FollowUpData,
    FoundResult,
    missing_report_close,
    missing_report_end_stay,
    missing_report_found,
    missing_report_record_concern,
    missing_report_record_follow_up,
    missing_report_record_general_procedure,
    missing_report_record_placement,
    missing_report_send_asylum_info,
    missing_report_send_neglect_reports,
    missing_report_whereabouts_known,
)

__all__ = [
    "FollowUpData",
    "FoundResult",
    "NOTIFIED_PURPOSES",
    "WRITTEN_CHANNELS",
    "duty_service_of",
    "missing_report_cancel_appointments",
    "missing_report_close",
    "missing_report_end_stay",
    "missing_report_found",
    "missing_report_record_placement",
    "missing_report_whereabouts_known",
    "missing_report_investigation_end",
    "missing_report_log_call",
    "missing_report_open",
    "missing_report_open_at_window_end",
    "missing_report_record_concern",
    "missing_report_record_follow_up",
    "missing_report_record_general_procedure",
    "missing_report_record_sesam",
    "missing_report_send_asylum_info",
    "missing_report_send_neglect_reports",
    "missing_report_send_regional_copies",
    "missing_report_send_to_child_welfare",
    "missing_report_send_to_police",
    "missing_report_start_investigation",
    "missing_report_update_search_facts",
    "missing_report_waive_step",
]
