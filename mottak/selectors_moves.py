"""Reads of the moving, private-move and departure pages, each in a fixed number of queries."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, QuerySet

from cases.models import Dispatch
from cases.rules import purpose_label
from cases.selectors import routine_page
from cases.services.routines import routine_may

from . import routine_moves as steps
from .access import (
    Action,
    centres_visible_to,
    member_region_ids,
    residents_visible_to,
)
from .models import Centre, Departure, Move, PrivateMove, Resident, Role, User


def dispatches_of(case) -> list[tuple[Dispatch, str]]:
    """The notices a case made (its own dispatch register), newest first, with their labels."""
    ct = ContentType.objects.get_for_model(case)
    rows = Dispatch.objects.filter(owner_ct=ct, owner_id=case.pk).select_related("sent_by")
    return [(d, purpose_label(d.purpose)) for d in rows]


def region_centres(move: Move) -> QuerySet[Centre]:
    """The centres the regional office may move the resident to: its own, not the current."""
    return Centre.objects.filter(region_id=move.centre.region_id).exclude(pk=move.centre_id)


@dataclass
class MovePage:
    move: Move
    steps: list
    handover: list
    dispatches: list
    sees_resident: bool
    can_change: bool
    may_decide: bool
    may_confirm_arrival: bool
    may_withdraw: bool

    @property
    def unmarked(self) -> int:
        return sum(1 for item in self.handover if not item.decision)

    def step(self, code: str):
        return next((row for row in self.steps if row.step.code == code), None)


def move_page(*, user: User, move: Move) -> MovePage:
    sees_resident = residents_visible_to(user).filter(pk=move.resident_id).exists()
    can_change = (
        move.is_open
        and residents_visible_to(user, Action.CHANGE).filter(pk=move.resident_id).exists()
    )
    return MovePage(
        move=move,
        steps=routine_page(routine=steps.MOVE, case=move, checklist=steps.MOVE_CHECKLIST),
        handover=list(move.handover_items.select_related("decided_by")),
        dispatches=dispatches_of(move),
        sees_resident=sees_resident,
        can_change=can_change,
        may_decide=move.state == Move.State.REQUESTED
        and routine_may(routine=steps.MOVE, user=user, case=move, action="decide"),
        may_confirm_arrival=move.state == Move.State.APPROVED
        and routine_may(routine=steps.MOVE, user=user, case=move, action="confirm_arrival"),
        may_withdraw=move.is_open
        and routine_may(routine=steps.MOVE, user=user, case=move, action="withdraw"),
    )


def move_list(*, user: User) -> dict:
    """The regional office's moves: waiting for a decision (those waiting for child welfare's
    views marked), and approved moves being prepared. Two queries whatever the data size."""
    if user.is_admin_role:
        moves = Move.objects.all()
    elif user.role == Role.REGION_CASEWORKER:
        moves = Move.objects.filter(centre__region_id__in=member_region_ids(user))
    else:
        moves = Move.objects.none()
    moves = moves.select_related("resident", "centre", "proposed_centre", "target_centre")
    return {
        "waiting": list(moves.filter(state=Move.State.REQUESTED).order_by("requested_at", "pk")),
        "preparing": list(moves.filter(state=Move.State.APPROVED).order_by("move_date", "pk")),
    }


def residents_to_move(*, user: User) -> QuerySet[Resident]:
    """Residents the regional office may start a move for: living at one of its centres, with
    no move under way."""
    open_move = Move.objects.filter(resident=OuterRef("pk"), state__in=Move.OPEN_STATES)
    return (
        residents_visible_to(user)
        .filter(stays__ended_at__isnull=True, centre__in=centres_visible_to(user))
        .exclude(Exists(open_move))
        .order_by("family_name", "given_names", "pk")
    )


def may_request_move(*, user: User, resident: Resident) -> bool:
    """The centre (change access) or the regional office of the resident's centre."""
    if residents_visible_to(user, Action.CHANGE).filter(pk=resident.pk).exists():
        return True
    return user.role == Role.REGION_CASEWORKER and resident.centre.region_id in member_region_ids(
        user
    )


def private_move_page(*, user: User, case: PrivateMove) -> dict:
    return {
        "case": case,
        "steps": routine_page(
            routine=steps.PRIVATE_MOVE, case=case, checklist=steps.PRIVATE_CHECKLIST
        ),
        "dispatches": dispatches_of(case),
        "can_change": residents_visible_to(user, Action.CHANGE)
        .filter(pk=case.resident_id)
        .exists(),
    }


def departure_page(*, user: User, case: Departure) -> dict:
    return {
        "case": case,
        "steps": routine_page(
            routine=steps.DEPARTURE, case=case, checklist=steps.DEPARTURE_CHECKLIST
        ),
        "can_change": case.state == Departure.State.PLANNED
        and residents_visible_to(user, Action.CHANGE).filter(pk=case.resident_id).exists(),
    }
