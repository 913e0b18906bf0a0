"""The arrival routine's work (MOT-1), through the routine kernel's one step service.

`arrival_open` runs inside the transaction that opens a stay (`stay_open`,
`resident_register_with_arrival`), so every arrival — first, transfer, or a stay opened by a
move — gets its case and deadlines.
"""

from collections.abc import Callable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.registry import register_once
from cases.services import deadlines_close_for
from cases.services.routines import (
    deadline_pending,
    done_codes,
    routine_case_lock,
    routine_deadline_open,
    routine_notice_create,
    routine_step_do,
    routine_step_waive,
    routine_transition,
)

from .. import documents
from ..models import Arrival, RepresentativeRecord, Resident, Stay, User
from ..routine_arrival import (
    ARRIVAL,
    CLOTHES_AND_BEDDING,
    COUNTY_GOVERNOR_NOTICE,
    PERSONAL_FOLDER,
    SCHOOL_NOTICE,
    SESAM_ARRIVAL,
    SESAM_REPRESENTATIVE,
    checklists_for,
)

State = Arrival.State
MANUAL_STEPS = frozenset({SESAM_REPRESENTATIVE, PERSONAL_FOLDER, CLOTHES_AND_BEDDING})
NOTICE_STEPS = {COUNTY_GOVERNOR_NOTICE: "county_governor", SCHOOL_NOTICE: "school"}

# --- the school-background hook -------------------------------------------------------------

# The mapping app (kartlegging) registers a provider: resident → the school-background text of
# the individual mapping, or "" when there is none. mottak imports no routine app.
_school_background: dict[str, Callable[[Resident], str]] = {}


def school_background_provider_register(name: str, provider: Callable[[Resident], str]) -> None:
    register_once(_school_background, name, provider, what="school-background provider")


def school_background_of(resident: Resident) -> str:
    for provider in _school_background.values():
        text = provider(resident)
        if text:
            return text
    return ""


# --- opening --------------------------------------------------------------------------------


def _acting_representative(resident: Resident, on) -> bool:
    from ..selectors import resident_has_representative

    return resident_has_representative(resident, on=on)


def _applies(arrival: Arrival, step_code: str) -> bool:
    step = ARRIVAL.step(step_code)
    if step.checklist not in checklists_for(arrival):
        return False
    if step_code == SESAM_REPRESENTATIVE:
        return _acting_representative(arrival.resident, timezone.localdate())
    return True


def arrival_open(*, stay: Stay, by: User | None) -> Arrival:
    """Inside the stay's transaction: the arrival case of the stay and the deadlines of its
    steps that apply. Opening it again gives back the same case."""
    existing = Arrival.objects.filter(stay=stay).first()
    if existing is not None:
        return existing
    previous = (
        Stay.objects.filter(resident_id=stay.resident_id, started_at__lt=stay.started_at)
        .exclude(pk=stay.pk)
        .order_by("-started_at")
        .first()
    )
    arrival = Arrival(
        stay=stay,
        resident=stay.resident,
        centre=stay.centre,
        centre_kind=stay.centre.kind,
        previous_centre=previous.centre if previous else None,
        arrived_at=stay.started_at,
    )
    arrival._history_user = by
    arrival.save()
    for group in checklists_for(arrival):
        for step in ARRIVAL.steps_of(group):
            if step.due is not None and _applies(arrival, step.code):
                routine_deadline_open(routine=ARRIVAL, case=arrival, step_code=step.code, by=by)
    return arrival


def arrival_representative_appeared(*, resident: Resident, by: User | None) -> None:
    """Inside the representative's transaction: a representative now acts, so the open arrival
    asks for their details to be entered in Sesam (MOT-1)."""
    for arrival in Arrival.objects.filter(resident=resident, state=State.OPEN):
        if SESAM_REPRESENTATIVE in done_codes(
            arrival, ARRIVAL.step(SESAM_REPRESENTATIVE).checklist
        ):
            continue
        if deadline_pending(
            case=arrival, kind=ARRIVAL.deadline_kind(ARRIVAL.step(SESAM_REPRESENTATIVE))
        ):
            continue
        # Counted from now: the details can be entered once someone is appointed.
        routine_deadline_open(
            routine=ARRIVAL,
            case=arrival,
            step_code=SESAM_REPRESENTATIVE,
            by=by,
            start=timezone.now(),
        )


# --- completing -----------------------------------------------------------------------------


def arrival_steps_left(arrival: Arrival) -> list[str]:
    """The codes of the steps that apply and are not yet done."""
    left = []
    for group in checklists_for(arrival):
        done = done_codes(arrival, group)
        left += [
            s.code
            for s in ARRIVAL.steps_of(group)
            if s.required and s.code not in done and _applies(arrival, s.code)
        ]
    return left


def arrival_complete_if_done(arrival: Arrival, *, by) -> None:
    """Inside a step's transaction holding the lock: the case is done once nothing is left."""
    if arrival.state == State.OPEN and not arrival_steps_left(arrival):
        arrival.done_at = timezone.now()
        routine_transition(
            routine=ARRIVAL,
            case=arrival,
            to=State.DONE,
            by=by,
            summary=_("Arrival steps done"),
            rule_id="MOT-1",
        )


# --- the steps ------------------------------------------------------------------------------


def arrival_record_sesam(*, arrival: Arrival, registered_at: datetime, by: User) -> Arrival:
    """The arrival was registered in Sesam at `registered_at` (MOT-1)."""
    if registered_at > timezone.now():
        raise ValidationError(_("The time cannot be in the future."))
    if registered_at < arrival.arrived_at:
        raise ValidationError(_("The Sesam registration cannot be before the arrival."))

    def work(locked: Arrival) -> None:
        if locked.sesam_registered_at is None:
            locked.sesam_registered_at = registered_at
            locked._history_user = by
            locked.save(update_fields=["sesam_registered_at"])

    return routine_step_do(
        routine=ARRIVAL,
        case=arrival,
        step_code=SESAM_ARRIVAL,
        by=by,
        at=registered_at,
        work=work,
    ).case


def arrival_step_tick(*, arrival: Arrival, step_code: str, by: User, note: str = "") -> Arrival:
    """A step a person records as done: the representative's details entered in Sesam; at
    arrival transit the personal folder opened and clothes and bedding handed out."""
    if step_code not in MANUAL_STEPS:
        raise ValidationError(_("This step is recorded by doing the work itself, not by hand."))

    # Whether it applies here (the kind of centre, a representative) is the routine's
    # step_refusal, asked by the step service.
    return routine_step_do(
        routine=ARRIVAL,
        case=arrival,
        step_code=step_code,
        by=by,
        note=(note or "").strip(),
        by_hand=True,
    ).case


def _representative_block(resident: Resident) -> dict:
    record = (
        RepresentativeRecord.objects.filter(resident=resident)
        .order_by("-effective_on", "-recorded_at", "-pk")
        .first()
    )
    acting = _acting_representative(resident, timezone.localdate())
    return {
        "status": documents.REPRESENTATIVE_STATUS_NB.get(record.status, "")
        if record
        else ("" if acting else documents.REPRESENTATIVE_STATUS_NB["not_appointed"]),
        "name": resident.representative_name if acting else "",
        "phone": resident.representative_phone if acting else "",
        "address": resident.representative_address if acting else "",
        "appointed_by": record.appointed_by if record and acting else "",
    }


def arrival_notice_context(arrival: Arrival, *, recipient_role: str, by: User) -> dict:
    """What the arrival notice prints (MOT-1): for the county governor what it needs to appoint
    or keep a representative; for the school the school background when mapped."""
    resident = arrival.resident
    first = Stay.objects.filter(resident=resident).order_by("started_at").first()
    school_background = school_background_of(resident) if recipient_role == "school" else ""
    return {
        "person": documents.person_block(resident, centre=arrival.centre),
        "arrived_at": documents.iso(arrival.arrived_at),
        "first_arrival": documents.iso(first.started_at)
        if first and first.pk != arrival.stay_id
        else "",
        "previous_centre": arrival.previous_centre.name if arrival.previous_centre else "",
        "centre_kind": documents.CENTRE_KIND_NB.get(arrival.centre_kind, ""),
        "languages": resident.languages,
        "interpreter_language": resident.interpreter_language,
        "representative": _representative_block(resident),
        "contact": {"name": by.get_full_name(), "phone": arrival.centre.phone},
        "recipient_role": recipient_role,
        "school_background": school_background,
        "attachments": ["Kartlegging av skolebakgrunn"] if school_background else [],
    }


def arrival_notice_create(*, arrival: Arrival, step_code: str, channel: str, by: User):
    """Make the arrival notice of a step (to the county governor, or from an ordinary centre
    to the school); the step is met when it is recorded as sent (R-13)."""
    if step_code not in NOTICE_STEPS:
        raise ValidationError(_("This step sends no notice."))

    def work(locked: Arrival):
        return routine_notice_create(
            routine=ARRIVAL,
            case=locked,
            step_code=step_code,
            channel=channel,
            context=arrival_notice_context(locked, recipient_role=NOTICE_STEPS[step_code], by=by),
            by=by,
        )

    return routine_step_do(
        routine=ARRIVAL, case=arrival, step_code=step_code, by=by, work=work
    ).value


def arrival_steps_waive(*, arrival: Arrival, reason: str, by: User) -> Arrival:
    """A leader records that the steps left do not apply or were done outside the system
    (records from before it was taken into use), with the reason; the case is then done."""
    with transaction.atomic():
        for code in arrival_steps_left(arrival):
            routine_step_waive(routine=ARRIVAL, case=arrival, step_code=code, reason=reason, by=by)
        locked = routine_case_lock(routine=ARRIVAL, case=arrival)
        arrival_complete_if_done(locked, by=by)
    return locked


def arrival_end_with_stay(*, stay: Stay, by: User | None) -> None:
    """Inside the stay's closing transaction: an arrival whose steps are not all done ends
    with the stay, its deadlines closed with the reason (the centre left behind may lose
    access to the resident; the next stay's arrival asks for the notices again)."""
    arrival = Arrival.objects.filter(stay=stay, state=State.OPEN).first()
    if arrival is None:
        return
    locked = routine_case_lock(routine=ARRIVAL, case=arrival)
    routine_transition(
        routine=ARRIVAL,
        case=locked,
        to=State.ENDED,
        by=by,
        summary=_("The stay ended before the arrival steps were done"),
        rule_id="MOT-1",
    )
    deadlines_close_for(owner=locked, reason=_("The stay ended"))
