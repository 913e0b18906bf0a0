"""Demo scenes of leaving a centre (`make run`): a move waiting for the regional office, a
move being prepared, a wish to move privately and a departure being prepared — all through
the services, fictional people, idempotent (a resident already in a scene is left alone)."""

from datetime import timedelta

from .demo import DEMO_CENTRE, DemoContext
from .models import ConditionStatus, Departure, Move, PrivateMove, Resident
from .services import (
    departure_instructions_record,
    departure_prepare,
    move_approve,
    move_request,
    move_sesam_record,
    private_move_encouraged,
    private_move_record_wish,
)

TARGET_CENTRE = "Bjørkely mottak"  # another centre of the demo centre's region


def _free(resident) -> bool:
    return not (
        Move.objects.filter(resident=resident).exists()
        or PrivateMove.objects.filter(resident=resident).exists()
        or Departure.objects.filter(resident=resident).exists()
    )


def _cast(context: DemoContext, fits=lambda resident: True):
    """A resident of the demo centre for the scene; when the other routines' scenes have taken
    them all, one of another centre in its region (the same one on every run)."""
    try:
        return context.cast(lambda resident: fits(resident) and resident.centre.name == DEMO_CENTRE)
    except LookupError:
        pass
    region = context.centres[DEMO_CENTRE].region_id
    others = (
        Resident.objects.filter(centre__region_id=region, stays__ended_at__isnull=True)
        .exclude(centre__name=DEMO_CENTRE)
        .exclude(pk__in=context.taken)
        .select_related("centre")
        .order_by("pk")
    )
    for resident in others:
        if fits(resident):
            context.taken.add(resident.pk)
            return resident
    raise LookupError("No resident left for this scene.")


def _target(resident, context: DemoContext):
    name = TARGET_CENTRE if resident.centre.name != TARGET_CENTRE else DEMO_CENTRE
    return context.centres[name]


def move_waiting(context: DemoContext) -> None:
    resident = _cast(context)
    if not _free(resident):
        context.result.add("moves", False)
        return
    move_request(
        resident=resident,
        by=context.users["ansatt"],
        reasons="Ønsker å bo nærmere onkelen sin og fortsette på samme skoletrinn.",
        special_needs_note="Trenger fast oppfølging av helsesøster."
        if resident.special_needs
        else "",
    )
    context.result.add("moves", True)


def move_being_prepared(context: DemoContext) -> None:
    resident = _cast(context, lambda r: not r.child_welfare_case)
    if not _free(resident):
        context.result.add("moves", False)
        return
    staff = context.users["ansatt"]
    move = move_request(
        resident=resident,
        by=staff,
        reasons="Mottaket legges ned for denne aldersgruppen; trenger plass med skoletilbud.",
        special_needs_note="Trenger fast oppfølging av helsesøster."
        if resident.special_needs
        else "",
        proposed_centre=_target(resident, context),
    )
    move = move_approve(
        move=move,
        by=context.users["region"],
        target_centre=_target(resident, context),
        move_date=context.now.date() + timedelta(days=7),
    )
    move_sesam_record(move=move, by=staff)
    context.result.add("moves", True)


def private_move_wish(context: DemoContext) -> None:
    resident = _cast(context)
    if not _free(resident):
        context.result.add("private moves", False)
        return
    case = private_move_record_wish(
        resident=resident,
        by=context.users["ansatt"],
        address="Tulleveien 7, 0580 Oslo",
        municipality="Oslo",
        relation="Fetter (oppgitt)",
        carers="Fetter, 29 år, og hans samboer. Telefon oppgitt til mottaket.",
        conditions={
            "condition_transit": ConditionStatus.MET,
            "condition_family": ConditionStatus.UNKNOWN,
            "condition_child_welfare": ConditionStatus.NOT_MET,
            "condition_agreement": ConditionStatus.NOT_MET,
            "condition_parent": ConditionStatus.MET,
        },
    )
    private_move_encouraged(
        private_move=case,
        by=context.users["ansatt"],
        encouraged_at=context.now - timedelta(hours=2),
        encouraged_by="Kari Ansattsen",
        interpreter=resident.interpreter_language,
    )
    context.result.add("private moves", True)


def departure_planned(context: DemoContext) -> None:
    resident = _cast(context)
    if not _free(resident):
        context.result.add("departures", False)
        return
    case = departure_prepare(
        resident=resident,
        by=context.users["leder"],
        kind=Departure.Kind.ASSISTED_RETURN,
        planned_at=context.now + timedelta(days=10),
    )
    departure_instructions_record(
        departure=case,
        by=context.users["leder"],
        instructions="IOM henter på mottaket kl. 07.00; flybillett og reisedokument ordnes av IOM.",
    )
    context.result.add("departures", True)


def seed(context: DemoContext) -> None:
    for scene in (move_waiting, private_move_wish, move_being_prepared, departure_planned):
        try:
            scene(context)
        except LookupError:
            return  # no resident left for more scenes
