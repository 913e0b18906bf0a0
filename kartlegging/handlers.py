"""What the mapping routine does when mottak publishes a life event (cases/events.py), in one
visible place. Registered from KartleggingConfig.ready(); each handler is idempotent and acts
through the services on ids from the event.
"""

from datetime import datetime, time

from django.db import transaction
from django.utils.dateparse import parse_date, parse_datetime

from cases.due import register_due_handler
from cases.events import register_event_handler
from cases.periods import OSLO
from cases.services.routines import routine_case_lock, routine_deadline_open
from mottak import events as life
from mottak.models import AsylumStage, Centre, Stay, User

from . import retention, services
from .models import Mapping, TransferTrack
from .routine import FINISH, MAPPING, TRANSFER


def stay_opened(event) -> None:
    """A minor moved in: the mapping opens or continues here, the welcome conversation is due
    by the end of the second day (R-7) and the ordinary mapping's start is counted (KART-2/3)."""
    stay = (
        Stay.objects.select_related("centre", "resident")
        .filter(pk=event.payload.get("stay_id"))
        .first()
    )
    if stay is None:
        return
    before = Mapping.objects.filter(resident=stay.resident).values("centre_id").first()
    mapping = services.mapping_open(resident=stay.resident, stay=stay)
    # KART-15: a move to another centre — the record has followed the minor; a paper copy goes
    # to the new centre as well, signed by whoever recorded the move-in (no consent, R-14).
    moved_from = before["centre_id"] if before else None
    by = User.objects.filter(pk=event.payload.get("by_id"), is_active=True).first()
    if moved_from is None or moved_from == stay.centre_id or by is None:
        return
    if mapping.stay_started_at != stay.started_at or stay.ended_at is not None:
        return  # a later stay is the mapping's now
    services.mapping_handover_make(
        mapping=mapping, from_centre=Centre.objects.get(pk=moved_from), by=by
    )


def _notice_moment(event) -> datetime:
    """When the notice reached Sesam: mottak gives the day ("received_on"); the clock runs from
    the start of that day in Oslo, the earlier reading. An exact "received_at" wins."""
    received = event.payload.get("received_at")
    parsed = parse_datetime(received) if isinstance(received, str) else None
    if parsed is not None and parsed.tzinfo is not None:
        return parsed
    day = event.payload.get("received_on")
    parsed_day = parse_date(day) if isinstance(day, str) else None
    if parsed_day is not None:
        return datetime.combine(parsed_day, time(0), tzinfo=OSLO)
    return event.created_at


def _leads_to(event, mapping: Mapping) -> str:
    """KART-8: what the decision leads to — as the event says, else from the asylum stage: a
    grant with settlement starts the paper copy to IMDi."""
    given = event.payload.get("leads_to")
    if given:
        return given
    granted = mapping.resident.asylum_stage == AsylumStage.GRANTED_AWAITING_SETTLEMENT
    return TransferTrack.SETTLEMENT if granted else ""


def decision_notice_received(event) -> None:
    """KART-8: the asylum decision's notice reached Sesam: the mapping is to be finished, in
    time for the transfer two weeks after the notice. Payload read: "received_at" (ISO time of
    the notice in Sesam, else the event's time) and "leads_to" ("settlement" starts the
    transfer's two weeks; mottak sends the day and the resident's stage tells). Idempotent: a
    second delivery gives back the pending deadline; a finished mapping is left alone."""
    mapping = (
        Mapping.objects.select_related("resident").filter(resident_id=event.subject_id).first()
    )
    if mapping is None:
        return
    with transaction.atomic():
        locked = routine_case_lock(routine=MAPPING, case=mapping)
        if locked.decision_notice_at is None:
            locked.decision_notice_at = _notice_moment(event)
            locked.save()
        if locked.state in MAPPING.step(FINISH).states:
            routine_deadline_open(routine=MAPPING, case=locked, step_code=FINISH)
        # KART-8: a decision that leads to settlement starts the two weeks of the paper copy
        # to IMDi from this same notice (a return starts with the return-conversation notice,
        # recorded on the mapping page, KART-9).
        if (
            _leads_to(event, mapping) == TransferTrack.SETTLEMENT
            and locked.transfer_clock_from is None
        ):
            locked.transfer_track = TransferTrack.SETTLEMENT
            locked.transfer_clock_from = locked.decision_notice_at
            locked.save()
            routine_deadline_open(routine=MAPPING, case=locked, step_code=TRANSFER)


def return_conversation_notice_received(event) -> None:
    """KART-9: the notice about the return conversation reached Sesam: the paper copy to the UDI
    regional office is due two weeks later. Idempotent: a clock already running is left alone."""
    mapping = Mapping.objects.filter(resident_id=event.subject_id).first()
    if mapping is None or mapping.first_transfer_at is not None:
        return
    with transaction.atomic():
        locked = routine_case_lock(routine=MAPPING, case=mapping)
        if locked.transfer_clock_from is not None or locked.first_transfer_at is not None:
            return
        locked.transfer_track = TransferTrack.RETURN
        locked.transfer_clock_from = _notice_moment(event)
        locked.save()
        routine_deadline_open(routine=MAPPING, case=locked, step_code=TRANSFER)


def stay_ended(event) -> None:
    """R-21 (SAV-12): a stay ended as missing — two weeks to get the representative's consent
    to keep the mapping, else it is deleted. Idempotent (the pending deadline is given back)."""
    if event.payload.get("reason") != Stay.EndReason.MISSING:
        return
    stay = Stay.objects.filter(pk=event.payload.get("stay_id")).first()
    mapping = (
        Mapping.objects.select_related("centre", "resident")
        .filter(resident_id=event.subject_id)
        .first()
    )
    if stay is None or mapping is None or stay.ended_at is None:
        return
    if mapping.stay_started_at > stay.started_at:
        return  # a later stay has begun since: the minor is back
    retention.storage_consent_ask(mapping=mapping, left_at=stay.ended_at)


def register() -> None:
    register_event_handler(life.STAY_ENDED, "kartlegging.storage_consent", stay_ended)
    register_due_handler(retention.STORAGE_CONSENT_DEADLINE, retention.storage_deadline_due)
    register_due_handler(retention.DELETE_AT_18_DEADLINE, retention.delete_at_18_due)
    register_event_handler(life.STAY_OPENED, "kartlegging.open_mapping", stay_opened)
    register_event_handler(
        life.DECISION_NOTICE_RECEIVED, "kartlegging.finish_mapping", decision_notice_received
    )
    register_event_handler(
        life.RETURN_CONVERSATION_NOTICE_RECEIVED,
        "kartlegging.return_transfer_clock",
        return_conversation_notice_received,
    )
