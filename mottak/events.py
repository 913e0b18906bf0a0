"""The life events `mottak` publishes (cases.models.CaseEvent rows, P9), by kind.

Routine apps react by registering handlers for these kinds (cases.events); the payload holds
ids and codes only:

- STAY_OPENED  {"stay_id", "centre_id", "by_id"} — arrival (a new resident or a known one),
  MOT-1; `by_id` the user who recorded it (absent in events published before it was added).
- STAY_ENDED   {"stay_id", "centre_id", "reason"} — the stay ended; reason is a
  Stay.EndReason code.
- TURNED_18    {"stay_id", "centre_id"} of the open stay — published by the daily check
  `residents_turned_18_publish` (a schedule), once per resident.
- ABSENT_AT_CHECK {"centre_id", "check_id" or "outing_id", "noticed_at", "by_id"} — the
  resident was absent without agreement at a presence check (`presence_check_record`), or
  not back from an outing at the agreed time (the outing's deadline, `outing_return_due`).
  `noticed_at` (ISO 8601) is the time of the check or the agreed return; `by_id` the user who
  recorded the check or the outing. The missing routine starts its investigation (SAV-2).
- ASYLUM_STAGE_CHANGED {"from", "to", "change_id", "effective_on", "decision_date"}
  (AsylumStage codes, ISO dates; decision_date may be None) — the one stage writer
  `resident_asylum_stage_change` (also behind a correction on the record form, effective
  today); a change in the admin publishes nothing.
- DECISION_NOTICE_RECEIVED {"notice_id", "received_on", "decision_date"} — the decision notice
  arrived through Sesam (`sesam_notice_record`); starts KART-8's clock.
- RETURN_CONVERSATION_NOTICE_RECEIVED {"notice_id", "received_on", "decision_date"} — the notice
  about the return conversation arrived through Sesam (`sesam_notice_record`); KART-9, RET-1.
- REPRESENTATIVE_CHANGED {"record_id", "status"} — the representative's status changed
  (`representative_record`, `representative_mandate_end`): routines that must tell the
  representative ask `mottak.selectors.resident_has_representative`.
- DATE_OF_BIRTH_CORRECTED {"from", "to"} (ISO dates) — the date of birth was corrected (after an
  age assessment, `resident_date_of_birth_correct`); every deadline counted from it moves.
"""

STAY_OPENED = "mottak.stay_opened"
STAY_ENDED = "mottak.stay_ended"
TURNED_18 = "mottak.turned_18"
ASYLUM_STAGE_CHANGED = "mottak.asylum_stage_changed"
ABSENT_AT_CHECK = "mottak.absent_at_check"
DECISION_NOTICE_RECEIVED = "mottak.decision_notice_received"
RETURN_CONVERSATION_NOTICE_RECEIVED = "mottak.return_conversation_notice_received"
REPRESENTATIVE_CHANGED = "mottak.representative_changed"
DATE_OF_BIRTH_CORRECTED = "mottak.date_of_birth_corrected"
