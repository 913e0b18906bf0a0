"""Every write of the leave routine (PERM-1..PERM-10), declared on the routine kernel
(permisjon/routine.py): each service is the leave's own rules around one step of the kernel,
which locks the application, checks the transition table, records the step and meets or opens
its deadlines in one transaction, so nothing is saved half-way.
"""

from ..routine import FORWARDING_DEADLINE, LATE_RETURN_DEADLINE
from ._base import ContactPersonData, LeaveApplicationData
from .applications import (
    leave_application_add_reference,
    leave_application_forward,
    leave_application_prepare_step,
    leave_application_recommend_refusal,
    leave_application_record_pu_view,
    leave_application_refresh_prepared,
    leave_application_submit,
    leave_application_withdraw,
)
from .decisions import (
    leave_application_decide,
    leave_application_grant,
    leave_application_issue_agreement,
    leave_application_notify_representative,
    leave_application_refuse,
)
from .leave import (
    MISSING_SOURCE,
    default_police_municipality,
    leave_application_mark_departed,
    leave_application_mark_late,
    leave_application_mark_returned,
    leave_application_report_missing,
    leave_application_representative_told_orally,
    leave_application_upload_signed_agreement,
    leave_application_waive_before_departure,
    leave_follow_up_call_log,
)

__all__ = [
    "ContactPersonData",
    "FORWARDING_DEADLINE",
    "LATE_RETURN_DEADLINE",
    "LeaveApplicationData",
    "MISSING_SOURCE",
    "default_police_municipality",
    "leave_application_add_reference",
    "leave_application_issue_agreement",
    "leave_application_upload_signed_agreement",
    "leave_application_waive_before_departure",
    "leave_application_decide",
    "leave_application_forward",
    "leave_application_grant",
    "leave_application_mark_departed",
    "leave_application_mark_late",
    "leave_application_mark_returned",
    "leave_application_notify_representative",
    "leave_application_prepare_step",
    "leave_application_recommend_refusal",
    "leave_application_record_pu_view",
    "leave_application_refresh_prepared",
    "leave_application_refuse",
    "leave_application_report_missing",
    "leave_application_representative_told_orally",
    "leave_application_submit",
    "leave_application_withdraw",
    "leave_follow_up_call_log",
]
