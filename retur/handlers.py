"""What the return routine does on mottak's life events, in one visible place. Registered from
ReturConfig.ready(); idempotent."""

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


def register() -> None:
    register_event_handler(
        life.ASYLUM_STAGE_CHANGED, "retur.return_case_on_rejection", return_case_on_rejection
    )
