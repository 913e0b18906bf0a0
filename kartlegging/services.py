"""Every write of the mapping routine (KART-1..8, R-7).

Each service works in one transaction on the locked mapping, checks who may do it (KART-1)
and what the routine's state allows through the kernel (cases.services.routines), meets or
opens the routine's clocks as a side effect of the work, and records a timeline event that
names no person and holds nothing of what the minor said.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import ChecklistStepCompletion, Dispatch
from cases.services import deadline_lapse, timeline_event_record
from cases.services.routines import (
    deadline_pending,
    routine_case_lock,
    routine_deadline_open,
    routine_may,
    routine_notice_create,
    routine_step_do,
)
from mottak.models import CENTRE_ROLES, Resident, Stay

from . import documents, retention, rules, selectors
from .messages import refuse
from .models import (
    Area,
    Conversation,
    CopyOffer,
    Entry,
    KeyWorkerAssignment,
    Mapping,
    Measure,
    RecipientAssessment,
    TransferTrack,
)
from .purposes import Purpose
from .routine import (
    FINISH,
    HANDOVER,
    MAPPING,
    OTHER,
    RESEND,
    REVIEW,
    START,
    TRANSFER,
    TRANSFERS,
    WELCOME,
    transfer_recipient,
)

State = Mapping.State
AREAS = set(Area.values)


def _event(mapping: Mapping, kind: str, summary: str, *, by, rule_id: str, at=None) -> None:
    timeline_event_record(
        subject=mapping.resident, kind=kind, actor=by, rule_id=rule_id, at=at, summary=summary
    )


def _require(user, mapping: Mapping, action: str) -> None:
    if not routine_may(routine=MAPPING, user=user, case=mapping, action=action):
        raise PermissionDenied


def _lapse(mapping: Mapping, step_code: str, reason: str) -> None:
    pending = deadline_pending(case=mapping, kind=MAPPING.deadline_kind(MAPPING.step(step_code)))
    if pending is not None:
        deadline_lapse(deadline=pending, reason=reason)


# --- the record follows the minor (KART-4, KART-15) -------------------------------------------


def mapping_open(*, resident: Resident, stay: Stay, by=None) -> Mapping:
    """The minor moved in (a first arrival or a move): the one mapping is opened, or it
    continues here (KART-4). Every move-in asks for a welcome conversation (R-7); while the
    ordinary mapping has not started, its start is counted from this stay (KART-2/3). At a new
    centre the key worker's assignment ends and the plan's open measures wait for the
    decision with the minor (KART-7). Idempotent: the same stay twice changes nothing."""
    transit = stay.centre.is_transit
    with transaction.atomic():
        Resident.objects.select_for_update().get(pk=resident.pk)
        mapping = Mapping.objects.select_for_update().filter(resident=resident).first()
        ordinary_from = rules.ordinary_mapping_from(moved_in_at=stay.started_at, transit=transit)
        if mapping is None:
            mapping = Mapping.objects.create(
                resident=resident,
                centre=stay.centre,
                stay_started_at=stay.started_at,
                ordinary_from=ordinary_from,
            )
            _event(
                mapping,
                "mapping_opened",
                _("Individual mapping opened"),
                by=by,
                rule_id="KART-3",
            )
        elif mapping.stay_started_at >= stay.started_at:
            return mapping  # this stay (or a later one) is already the mapping's
        else:
            reason = _("A new stay began")
            _lapse(mapping, WELCOME, reason)
            retention.retention_lapse(mapping, reason=reason)
            moved = mapping.centre_id != stay.centre_id
            mapping.centre = stay.centre
            mapping.stay_started_at = stay.started_at
            mapping.welcome_held_at = None
            if mapping.state == State.NOT_STARTED:
                _lapse(mapping, START, reason)
                mapping.ordinary_from = ordinary_from
            mapping.save()
            if moved:
                _after_move(mapping, at=stay.started_at)
            _event(
                mapping,
                "mapping_continued",
                _("Individual mapping continues at %(centre)s") % {"centre": stay.centre.name},
                by=by,
                rule_id="KART-4",
            )
        if stay.ended_at is None:
            routine_deadline_open(routine=MAPPING, case=mapping, step_code=WELCOME, by=by)
            if mapping.state == State.NOT_STARTED:
                routine_deadline_open(routine=MAPPING, case=mapping, step_code=START, by=by)
    return mapping


def _after_move(mapping: Mapping, *, at: datetime) -> None:
    for assignment in KeyWorkerAssignment.objects.select_for_update().filter(
        resident_id=mapping.resident_id, ended_at__isnull=True
    ):
        assignment.ended_at = max(at, assignment.started_at)
        assignment.save()
    for measure in Measure.objects.select_for_update().filter(
        mapping=mapping, status__in=Measure.OPEN_STATUSES
    ):
        measure.awaiting_move_decision = True
        measure.save()


def mapping_handover_make(*, mapping: Mapping, from_centre, by) -> Dispatch | None:
    """KART-15: on a move the mapping and the plan go to the new centre on paper too (the
    record itself follows the minor, mapping_open): a copy of everything, from the centre
    left to the centre moved to, by hand with the personal folder; no consent (R-14). One copy
    per move-in: a second call for the same stay gives back the one made."""
    since = mapping.stay_started_at

    def work(locked: Mapping) -> Dispatch:
        made = (
            _transfers(locked)
            .filter(step_code=HANDOVER, created_at__gte=since)
            .order_by("created_at")
            .first()
        )
        if made is not None:
            return made
        version = _transfers(locked).filter(step_code=HANDOVER).count() + 1
        context = documents.transfer_context(
            locked,
            recipient_kind="centre",
            version=version,
            nothing_new=False,
            purpose=Purpose.MAPPING_TRANSFER.value,
        )
        context["handover_from"] = from_centre.name
        return routine_notice_create(
            routine=MAPPING,
            case=locked,
            step_code=HANDOVER,
            channel="by_hand",
            context=context,
            by=by,
            version=version,
            letterhead={
                "signer": by.get_full_name(),
                "name": from_centre.name,
                "address": getattr(from_centre, "address", ""),
                "phone": getattr(from_centre, "phone", ""),
            },
        )

    return routine_step_do(
        routine=MAPPING, case=mapping, step_code=HANDOVER, by=by, work=work
    ).value


def mapping_open_for_current_stay(*, resident: Resident, by) -> Mapping:
    """The page's button for a minor whose arrival has not been processed yet."""
    stay = resident.stays.filter(ended_at__isnull=True).select_related("centre").first()
    if stay is None:
        raise ValidationError(_("The minor does not live at a centre now."))
    return mapping_open(resident=resident, stay=stay, by=by)


# --- who works on it (KART-1) ---------------------------------------------------------------


def key_worker_assign(*, mapping: Mapping, key_worker, by) -> KeyWorkerAssignment:
    """Name the minor's key worker (the child-welfare lead's decision); the earlier one's
    assignment ends and stays as history. Naming the same person again changes nothing."""
    with transaction.atomic():
        locked = routine_case_lock(routine=MAPPING, case=mapping)
        _require(by, locked, "lead")
        if (
            key_worker is None
            or not key_worker.is_active
            or key_worker.role not in CENTRE_ROLES
            or not selectors.key_worker_candidates(locked.centre).filter(pk=key_worker.pk).exists()
        ):
            refuse(["not_a_key_worker_candidate"])
        current = (
            KeyWorkerAssignment.objects.select_for_update()
            .filter(resident_id=locked.resident_id, ended_at__isnull=True)
            .first()
        )
        if current is not None and current.key_worker_id == key_worker.pk:
            return current
        now = timezone.now()
        if current is not None:
            current.ended_at = now
            current.save()
        assignment = KeyWorkerAssignment.objects.create(
            resident_id=locked.resident_id,
            centre=locked.centre,
            key_worker=key_worker,
            assigned_by=by,
            started_at=now,
        )
        _event(locked, "key_worker_assigned", _("Key worker named"), by=by, rule_id="KART-1")
    return assignment


# --- conversations (KART-3, KART-4, KART-6) -------------------------------------------------


def conversation_record(
    *,
    mapping: Mapping,
    kind: str,
    held_at: datetime,
    interpreter_used: bool | None,
    interpreter_language: str = "",
    interpreter_mode: str = "",
    by,
    submission_key: uuid.UUID | None = None,
) -> Conversation:
    """Record a conversation with the minor and what it completes: a welcome conversation
    meets this stay's welcome target (R-7); the first mapping conversation starts the ordinary
    mapping (KART-3) and opens the monthly review; a review meets it and opens the next
    (KART-4). KART-6: the interpreter is recorded for every conversation."""
    if kind not in Conversation.Kind.values:
        raise ValidationError(_("Choose the kind of conversation."))
    refuse(
        rules.conversation_problems(
            interpreter_used=interpreter_used,
            language=interpreter_language,
            mode=interpreter_mode,
            held_at=held_at,
            now=timezone.now(),
        )
    )
    submission_key = submission_key or uuid.uuid4()
    existing = Conversation.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        return existing
    if kind == Conversation.Kind.WELCOME and held_at < mapping.stay_started_at:
        raise ValidationError(_("The welcome conversation cannot be before the minor moved in."))
    permission = "welcome" if kind == Conversation.Kind.WELCOME else "write"

    def work(locked: Mapping) -> Conversation:
        conversation = Conversation.objects.create(
            mapping=locked,
            centre=locked.centre,
            kind=kind,
            held_at=held_at,
            held_by=by,
            interpreter_used=bool(interpreter_used),
            interpreter_language=interpreter_language.strip() if interpreter_used else "",
            interpreter_mode=interpreter_mode if interpreter_used else "",
            submission_key=submission_key,
        )
        if kind == Conversation.Kind.WELCOME and held_at >= locked.stay_started_at:
            locked.welcome_held_at = held_at
            locked.save()
        if step_code == START:
            locked.started_at = held_at
            locked.save()
        _event(
            locked,
            f"mapping_conversation_{kind}",
            _("%(kind)s held") % {"kind": Conversation.Kind(kind).label},
            by=by,
            rule_id="KART-6",
            at=held_at,
        )
        return conversation

    def then(locked: Mapping) -> None:
        if step_code == START:
            routine_deadline_open(
                routine=MAPPING, case=locked, step_code=REVIEW, start=held_at, by=by
            )

    step_code = _step_for(mapping, kind)
    if step_code is None:
        with transaction.atomic():
            locked = routine_case_lock(routine=MAPPING, case=mapping)
            _require(by, locked, permission)
            return work(locked)
    return routine_step_do(
        routine=MAPPING,
        case=mapping,
        step_code=step_code,
        by=by,
        work=work,
        at=held_at,
        permission=permission,
        then=then,
    ).value


def _step_for(mapping: Mapping, kind: str) -> str | None:
    current = Mapping.objects.values_list("state", flat=True).get(pk=mapping.pk)
    if kind == Conversation.Kind.WELCOME:
        return WELCOME
    if kind == Conversation.Kind.REVIEW:
        return REVIEW
    if kind == Conversation.Kind.MAPPING and current == State.NOT_STARTED:
        return START
    return None


# --- entries (KART-1), the health flag and reading (KART-5) ------------------------------------


def entry_add(
    *,
    mapping: Mapping,
    area: str,
    source: str,
    text: str,
    recorded_on: date,
    by,
    conversation: Conversation | None = None,
    submission_key: uuid.UUID | None = None,
) -> Entry:
    """A dated, signed entry in one area, marked as the minor's own words or a staff
    observation. Health details are refused: the mapping only flags health needs."""
    refuse(rules.entry_problems(area=area, source=source, text=text, areas=AREAS))
    if recorded_on > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
    submission_key = submission_key or uuid.uuid4()
    with transaction.atomic():
        locked = routine_case_lock(routine=MAPPING, case=mapping)
        _require(by, locked, "write")
        existing = Entry.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing
        if conversation is not None and conversation.mapping_id != locked.pk:
            refuse(["entry_of_other_mapping"])
        entry = Entry.objects.create(
            mapping=locked,
            conversation=conversation,
            centre=locked.centre,
            area=area,
            source=source,
            text=text.strip(),
            recorded_on=recorded_on,
            author=by,
            submission_key=submission_key,
        )
        _event(
            locked,
            "mapping_entry",
            _("Mapping entry written: %(area)s") % {"area": Area(area).label},
            by=by,
            rule_id="KART-1",
        )
    return entry


def mapping_set_health_flag(*, mapping: Mapping, has_needs: bool, by) -> Mapping:
    with transaction.atomic():
        locked = routine_case_lock(routine=MAPPING, case=mapping)
        _require(by, locked, "write")
        if locked.health_needs != bool(has_needs):
            locked.health_needs = bool(has_needs)
            locked.save()
            _event(
                locked,
                "mapping_health_flag",
                _("Health needs marked") if has_needs else _("Health needs mark removed"),
                by=by,
                rule_id="KART-1",
            )
    return locked


def mapping_set_reading(*, mapping: Mapping, withhold: bool, reason: str, by) -> Mapping:
    """KART-5: the minor reads what is documented; only the lead may withhold it, and only
    with a recorded special reason (who, when, why). Lifting it clears the reason."""
    refuse(rules.withholding_problems(withhold=withhold, reason=reason))
    with transaction.atomic():
        locked = routine_case_lock(routine=MAPPING, case=mapping)
        _require(by, locked, "lead")
        locked.reading_withheld = bool(withhold)
        locked.reading_withheld_reason = reason.strip() if withhold else ""
        locked.reading_withheld_at = timezone.now() if withhold else None
        locked.reading_withheld_by = by if withhold else None
        locked.save()
        _event(
            locked,
            "mapping_reading",
            _("The minor's reading of the mapping withheld for a special reason")
            if withhold
            else _("The minor may read the mapping again"),
            by=by,
            rule_id="KART-5",
        )
    return locked


# --- the action plan (KART-7) ---------------------------------------------------------------


def measure_add(
    *,
    mapping: Mapping,
    area: str,
    goal: str,
    actions: str,
    responsible: str,
    by,
    need_entry: Entry | None = None,
    submission_key: uuid.UUID | None = None,
) -> Measure:
    refuse(
        rules.measure_problems(
            goal=goal, actions=actions, responsible=responsible, area=area, areas=AREAS
        )
    )
    submission_key = submission_key or uuid.uuid4()
    with transaction.atomic():
        locked = routine_case_lock(routine=MAPPING, case=mapping)
        _require(by, locked, "write")
        existing = Measure.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing
        if need_entry is not None and need_entry.mapping_id != locked.pk:
            refuse(["entry_of_other_mapping"])
        measure = Measure.objects.create(
            mapping=locked,
            centre=locked.centre,
            area=area,
            need_entry=need_entry,
            goal=goal.strip(),
            actions=actions.strip(),
            responsible=responsible.strip(),
            created_by=by,
            submission_key=submission_key,
        )
        _event(
            locked, "plan_measure", _("Measure added to the action plan"), by=by, rule_id="KART-7"
        )
    return measure


def _locked_measure(measure: Measure, by, action: str = "write") -> Measure:
    locked_mapping = routine_case_lock(routine=MAPPING, case=measure.mapping)
    _require(by, locked_mapping, action)
    locked = Measure.objects.select_for_update().get(pk=measure.pk)
    locked.mapping = locked_mapping
    return locked


def measure_update(*, measure: Measure, status: str, actions: str, by) -> Measure:
    if status not in Measure.Status.values:
        raise ValidationError(_("Choose the measure's status."))
    if not actions.strip():
        refuse(["actions_missing"])
    with transaction.atomic():
        locked = _locked_measure(measure, by)
        if locked.status == Measure.Status.ENDED:
            refuse(["measure_closed"])
        locked.status = status
        locked.actions = actions.strip()
        locked.save()
        _event(
            locked.mapping, "plan_measure_updated", _("Measure updated"), by=by, rule_id="KART-7"
        )
    return locked


def measure_decide_after_move(*, measure: Measure, decision: str, minor_view: str, by) -> Measure:
    """KART-7: after a move the centre and the minor decide whether the measure ends or
    continues here; the minor's view is recorded with the decision."""
    refuse(rules.move_decision_problems(decision=decision, minor_view=minor_view))
    with transaction.atomic():
        locked = _locked_measure(measure, by)
        if not locked.awaiting_move_decision:
            refuse(["no_decision_due"])
        locked.awaiting_move_decision = False
        locked.move_decision = decision
        locked.minor_view = minor_view.strip()
        locked.move_decided_at = timezone.now()
        locked.move_decided_by = by
        if decision == Measure.MoveDecision.END:
            locked.status = Measure.Status.ENDED
        else:
            locked.centre = locked.mapping.centre
        locked.save()
        _event(
            locked.mapping,
            "plan_measure_move_decision",
            _("Measure after the move: %(decision)s")
            % {"decision": Measure.MoveDecision(decision).label},
            by=by,
            rule_id="KART-7",
        )
    return locked


# --- the decision (KART-8) ------------------------------------------------------------------


def mapping_finish(*, mapping: Mapping, by) -> Mapping:
    """KART-8: the asylum decision has come; the lead finishes the mapping. The monthly review
    ends with it."""

    def work(locked: Mapping) -> None:
        locked.finished_at = timezone.now()
        locked.save()
        _lapse(locked, REVIEW, _("The mapping is finished"))
        _lapse(locked, START, _("The mapping is finished"))
        _event(
            locked, "mapping_finished", _("Individual mapping finished"), by=by, rule_id="KART-8"
        )

    return routine_step_do(
        routine=MAPPING, case=mapping, step_code=FINISH, by=by, work=work, permission="lead"
    ).case


# --- transfers after the decision (KART-8..14, R-8) -----------------------------------------


def mapping_record_sesam_notice(*, mapping: Mapping, track: str, received_at: datetime, by):
    """KART-8/9: the notice in Sesam that starts the two weeks — the decision leading to
    settlement, or the notice of the return conversation. Recorded once; its deadline opens
    at once, counted from the notice."""
    if track not in TransferTrack.values:
        raise ValidationError(_("Choose what the decision leads to."))
    if received_at > timezone.now():
        raise ValidationError(_("The notice cannot be received in the future."))
    with transaction.atomic():
        locked = routine_case_lock(routine=MAPPING, case=mapping)
        _require(by, locked, "lead")
        if locked.first_transfer_at is not None:
            raise ValidationError(_("The mapping has already been sent after the decision."))
        if locked.transfer_clock_from is not None and locked.transfer_track != track:
            _lapse(locked, TRANSFER, _("The notice in Sesam was corrected"))
        locked.transfer_track = track
        locked.transfer_clock_from = received_at
        locked.save()
        routine_deadline_open(routine=MAPPING, case=locked, step_code=TRANSFER, by=by)
        _event(
            locked,
            "mapping_sesam_notice",
            _("Notice in Sesam recorded: %(track)s") % {"track": TransferTrack(track).label},
            by=by,
            rule_id="KART-8" if track == TransferTrack.SETTLEMENT else "KART-9",
            at=received_at,
        )
    return locked


def _transfers(mapping: Mapping):
    return Dispatch.objects.filter(
        owner_ct__app_label="kartlegging",
        owner_ct__model="mapping",
        owner_id=mapping.pk,
        purpose=Purpose.MAPPING_TRANSFER.value,
    )


def mapping_transfer_send(
    *,
    mapping: Mapping,
    channel: str,
    by,
    nothing_new: bool = False,
    consent_decision: str = "",
) -> Dispatch:
    """Make the paper copy for the office that receives it (KART-8: IMDi on settlement; KART-9:
    the UDI regional office on return), redacted to what that office needs with the record of
    what was left out (KART-14), only with a valid consent (KART-13, checked by the dispatch
    engine), never by e-mail (KART-14). The first is the documents themselves; afterwards a new
    version or a confirmation that nothing is new (KART-10, R-8). The step is met when the copy
    is recorded as sent (R-13). A notice made and not yet sent is given back, not made twice.

    R-14: the copy to the regional office in a return (KART-9) is mandatory; when the consent
    is missing a centre leader may record a decision with reasons instead (never a silent
    block). Towards IMDi the consent must exist first (KART-8): no decision replaces it."""
    current = Mapping.objects.get(pk=mapping.pk)
    step_code = RESEND if current.first_transfer_at is not None else TRANSFER

    def work(locked: Mapping) -> Dispatch:
        if not locked.transfer_track:
            raise ValidationError(_("Record the notice in Sesam first."))
        unsent = next(
            (d for d in _transfers(locked).filter(step_code=step_code) if d.awaits_sending), None
        )
        if unsent is not None:
            return unsent
        if nothing_new and step_code == TRANSFER:
            raise ValidationError(_("The first transfer is the mapping and the plan themselves."))
        if consent_decision.strip() and locked.transfer_track != TransferTrack.RETURN:
            raise ValidationError(
                _("Only the mandatory copy in a return may be sent without the consent.")
            )
        recipient = transfer_recipient(locked)
        kind = (
            recipient["recipient"].kind if "recipient" in recipient else recipient["recipient_kind"]
        )
        # v1, v2 … of the copies after the decision (a move's copy to the new centre apart).
        version = _transfers(locked).filter(step_code__in=(TRANSFER, RESEND)).count() + 1
        context = documents.transfer_context(
            locked,
            recipient_kind=kind,
            version=version,
            nothing_new=nothing_new,
            purpose=Purpose.MAPPING_TRANSFER.value,
        )
        return routine_notice_create(
            routine=MAPPING,
            case=locked,
            step_code=step_code,
            channel=channel,
            context=context,
            by=by,
            version=version,
            consent_decision=consent_decision,
        )

    return routine_step_do(
        routine=MAPPING, case=mapping, step_code=step_code, by=by, work=work, permission="lead"
    ).value


def mapping_recipient_assess(
    *, mapping: Mapping, recipient, function: str, reason: str, areas, by
) -> RecipientAssessment:
    """KART-12: the centre leader's recorded assessment that a recipient outside the list needs
    the mapping for its responsibility for the minor: who, when, why, its function and the
    areas it needs (its copy holds those only, KART-14). Anyone else is refused, with a
    message, and nothing is saved."""
    if not rules.may_assess_recipient(role=by.role):
        refuse(["assessment_not_leader"])
    areas = [a for a in rules.ALL_AREAS if a in set(areas or ())] if areas else list(areas or ())
    refuse(
        rules.assessment_problems(
            function=function, reason=reason, areas=areas, kind=recipient.kind
        )
    )
    with transaction.atomic():
        locked = routine_case_lock(routine=MAPPING, case=mapping)
        _require(by, locked, "lead")
        assessment = RecipientAssessment.objects.create(
            mapping=locked,
            recipient=recipient,
            function=function.strip(),
            reason=reason.strip(),
            areas=areas,
            assessed_by=by,
            assessed_at=timezone.now(),
        )
        _event(
            locked,
            "mapping_recipient_assessed",
            _("The centre leader assessed a recipient outside the list"),
            by=by,
            rule_id="KART-12",
        )
    return assessment


def mapping_transfer_other_send(*, mapping: Mapping, recipient, channel: str, by) -> Dispatch:
    """KART-12: a paper copy to a recipient outside the list, only after the centre leader's
    recorded assessment of that recipient; redacted to the areas the assessment names with the
    record of what was left out (KART-14); with the consent (KART-13, checked by the dispatch
    engine); never by e-mail. A recipient on the list needs no assessment and goes by the
    ordinary transfer."""
    if rules.on_kart_12_list(recipient.kind):
        refuse(["assessment_not_needed"])
    assessment = (
        RecipientAssessment.objects.filter(mapping=mapping, recipient=recipient)
        .select_related("assessed_by")
        .first()
    )
    if assessment is None:
        refuse(["assessment_missing"])

    def work(locked: Mapping) -> Dispatch:
        version = _other_transfers(locked, recipient).count() + 1
        context = documents.transfer_context(
            locked,
            recipient_kind=recipient.kind,
            version=version,
            nothing_new=False,
            purpose=Purpose.MAPPING_TRANSFER_ASSESSED.value,
            areas=tuple(assessment.areas),
            assessment={
                "function": assessment.function,
                "reason": assessment.reason,
                "assessed_on": timezone.localdate(assessment.assessed_at).isoformat(),
            },
        )
        return routine_notice_create(
            routine=MAPPING,
            case=locked,
            step_code=OTHER,
            channel=channel,
            context=context,
            by=by,
            purpose=Purpose.MAPPING_TRANSFER_ASSESSED.value,
            recipient={"recipient": recipient},
            version=version,
        )

    return routine_step_do(
        routine=MAPPING, case=mapping, step_code=OTHER, by=by, work=work, permission="lead"
    ).value


def _other_transfers(mapping: Mapping, recipient):
    return Dispatch.objects.filter(
        owner_ct__app_label="kartlegging",
        owner_ct__model="mapping",
        owner_id=mapping.pk,
        purpose=Purpose.MAPPING_TRANSFER_ASSESSED.value,
        recipient_name=recipient.name,
    )


def mapping_first_transfer_sent(*, mapping: Mapping, by) -> None:
    """R-8: inside the sending's transaction — the first transfer sent starts the three-month
    clock of new versions or "nothing new" confirmations. Idempotent."""
    if mapping.first_transfer_at is not None:
        return
    done = (
        ChecklistStepCompletion.objects.filter(
            owner_ct__app_label="kartlegging",
            owner_ct__model="mapping",
            owner_id=mapping.pk,
            checklist=TRANSFERS,
            step_code=TRANSFER,
            undone_at__isnull=True,
        )
        .order_by("done_at")
        .first()
    )
    if done is None:
        return
    mapping.first_transfer_at = done.done_at
    mapping.save()
    routine_deadline_open(routine=MAPPING, case=mapping, step_code=RESEND, by=by)


def mapping_offer_copies(*, mapping: Mapping, accepted: bool, by) -> CopyOffer:
    """KART-11: on moving, the minor is offered their own copies; the offer and the answer
    are recorded by the centre being left (any of its staff)."""
    with transaction.atomic():
        locked = routine_case_lock(routine=MAPPING, case=mapping)
        _require(by, locked, "welcome")
        offer = CopyOffer.objects.create(
            mapping=locked,
            centre=locked.centre,
            offered_at=timezone.now(),
            accepted=bool(accepted),
            offered_by=by,
        )
        _event(
            locked,
            "mapping_copies_offered",
            _("Own copies offered to the minor: taken")
            if accepted
            else _("Own copies offered to the minor: declined"),
            by=by,
            rule_id="KART-11",
        )
    return offer
