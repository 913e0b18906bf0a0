"""The life events `mottak` publishes (cases.models.CaseEvent rows, P9), by kind.

Routine apps react by registering handlers for these kinds (cases.events); the payload holds
ids and codes only:

- STAY_OPENED  {"stay_id", "centre_id"} — arrival (a new resident or a known one), MOT-1.
- STAY_ENDED   {"stay_id", "centre_id", "reason"} — the stay ended; reason is a
  Stay.EndReason code.
- TURNED_18    {"stay_id", "centre_id"} of the open stay — published by the daily check
  `residents_turned_18_publish` (a schedule), once per resident.
- ASYLUM_STAGE_CHANGED {"from", "to"} (AsylumStage codes) — staff corrected the stage on the
  resident's record (`resident_update`); a change in the admin publishes nothing.

- ABSENT_AT_CHECK {"centre_id", "check_id" or "outing_id", "noticed_at", "by_id"} — the
  resident was absent without agreement at a presence check (`presence_check_record`), or
  not back from an outing at the agreed time (the outing's deadline, `outing_return_due`).
  `noticed_at` (ISO 8601) is the time of the check or the agreed return; `by_id` the user who
  recorded the check or the outing. The missing routine starts its investigation (SAV-2).

Not yet produced, because mottak has no such write yet: DECISION_NOTICE_RECEIVED (no record of
decision notices exists). The kind is named here so handlers can be written against it; the
service that records a notice must publish it in its transaction.
"""

STAY_OPENED = "mottak.stay_opened"
STAY_ENDED = "mottak.stay_ended"
TURNED_18 = "mottak.turned_18"
ASYLUM_STAGE_CHANGED = "mottak.asylum_stage_changed"
ABSENT_AT_CHECK = "mottak.absent_at_check"
DECISION_NOTICE_RECEIVED = "mottak.decision_notice_received"  # not yet produced, see above
