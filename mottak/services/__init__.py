"""Every write to mottak's records, one module per area, re-exported here."""

from .arrival import (
    arrival_notice_create,
    arrival_open,
    arrival_record_sesam,
    arrival_step_tick,
    arrival_steps_waive,
    school_background_provider_register,
)
from .asylum import resident_asylum_stage_change, sesam_notice_record
from .representative import representative_mandate_end, representative_record
from .residents import (
    ARRIVAL_MESSAGES,
    RESIDENT_DATA_FIELDS,
    ResidentData,
    appointment_cancel,
    appointment_create,
    resident_register_with_arrival,
    resident_update,
    resident_version,
    residents_turned_18_publish,
    stay_close,
    stay_open,
)
from .turning18 import (
    TURNED_18_REVIEW,
    resident_date_of_birth_correct,
    resident_turned_18_apply,
    residents_turning_18_open,
    turning_18_open,
    turning_18_record_child_welfare_views,
    turning_18_request_move,
)

__all__ = [
    "TURNED_18_REVIEW",
    "resident_date_of_birth_correct",
    "resident_turned_18_apply",
    "residents_turning_18_open",
    "turning_18_open",
    "turning_18_record_child_welfare_views",
    "turning_18_request_move",
    "arrival_notice_create",
    "arrival_open",
    "arrival_record_sesam",
    "arrival_step_tick",
    "arrival_steps_waive",
    "school_background_provider_register",
    "representative_mandate_end",
    "representative_record",
    "resident_asylum_stage_change",
    "sesam_notice_record",
    "ARRIVAL_MESSAGES",
    "RESIDENT_DATA_FIELDS",
    "ResidentData",
    "appointment_cancel",
    "appointment_create",
    "resident_register_with_arrival",
    "resident_update",
    "resident_version",
    "residents_turned_18_publish",
    "stay_close",
    "stay_open",
]
