"""What the return routine does on mottak's life events, in one visible place. Registered from
ReturConfig.ready(); idempotent."""

from django.utils.dateparse import parse_date

from cases.events import register_event_handler
from mottak import events as life
from mottak.models import RETURN_STAGES, Resident

from . import services


def return_case_on_rejection(event) -> None:
    """RET-5: a rejection (by UDI, or final) opens the minor's return case once."""
    stage = (event.payload or {}).get("to")
    if stage not in RETURN_STAGES:
        return
    resident = Resident.objects.filter(pk=event.subject_id).first()
    if resident is None:
        return
    services.return_case_open(resident=resident, stage=stage, at=event.created_at)


def return_conversation_called(event) -> None:
    """RET-1: the Sesam notice about the return conversation: recorded on the open case (opened
    now if the stage change came before the case existed), shown to the ASA caseworker."""
    resident = Resident.objects.filter(pk=event.subject_id).first()
    received = parse_date((event.payload or {}).get("received_on") or "")
    if resident is None or received is None or resident.asylum_stage not in RETURN_STAGES:
        return
    case = services.return_case_open(
        resident=resident, stage=resident.asylum_stage, at=event.created_at
    )
    services.return_case_conversation_called(case=case, received_on=received)


def register() -> None:
    register_event_handler(
        life.ASYLUM_STAGE_CHANGED, "retur.return_case_on_rejection", return_case_on_rejection
    )
    register_event_handler(
        life.RETURN_CONVERSATION_NOTICE_RECEIVED,
        "retur.return_conversation_called",
        return_conversation_called,
    )
