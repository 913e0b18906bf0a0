"""Every write to mottak's records, one module per area, re-exported here."""

from .presence import (
    OUTING_RETURN_DEADLINE,
    outing_mark_back,
    outing_record,
    outing_return_due,
    presence_check_record,
)
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

__all__ = [
    "OUTING_RETURN_DEADLINE",
    "outing_mark_back",
    "outing_record",
    "outing_return_due",
    "presence_check_record",
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
