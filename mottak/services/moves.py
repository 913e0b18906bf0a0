"""MOT-3: moving to another centre, on the routine kernel (mottak/routine_moves.py MOVE).

The centre being left (or the regional office) requests the move; child welfare's views come
first when it has an ongoing case; the regional office decides; the centre being left tells
the representative, registers the move in Sesam, sends the moving notices, hands over the
personal folder and goes through the hand-over list; the receiving centre confirms the
arrival, which closes the old stay (moved) and opens the new one (its arrival routine hangs
off the stay-opened event).
"""

from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import routines
from cases.models import Consent, Deadline
from cases.selectors_work import open_cases_of
from cases.services import timeline_event_record
from cases.services.deadlines import (
    deadline_hand_over,
    deadline_waive,
    deadlines_end_with_case,
)
from cases.services.routines import (
    done_codes,
    routine_case_hand_over,
    routine_case_lock,
    routine_deadline_open,
    routine_notice_create,
    routine_step_do,
)

from .. import documents, rules_moves
from .. import routine_moves as steps
from ..models import Centre, Move, MoveHandoverItem, Resident, Stay, User
from ..routine_moves import MOVE
from .residents import stay_close, stay_open

State = Move.State

MESSAGES = {
    rules_moves.SAME_CENTRE: lambda: _(
        "The new centre must be another centre than the current one."
    ),
    rules_moves.OUTSIDE_REGION: lambda: _(
        "The new centre must be one of the regional office's own centres."
    ),
    rules_moves.DATE_IN_PAST: lambda: _("The moving date cannot be in the past."),
    rules_moves.NO_TARGET: lambda: _("Choose the new centre."),
    rules_moves.NO_DATE: lambda: _("Give the moving date."),
    rules_moves.NO_REASONS: lambda: _("Say what matters for choosing the new centre."),
    rules_moves.NO_SPECIAL_NEEDS_NOTE: lambda: _(
        "The minor has special needs: describe them for the regional office."
    ),
    rules_moves.CHILD_WELFARE_VIEWS_MISSING: lambda: _(
        "Child welfare has an ongoing case: its views on the move must be recorded before the "
        "regional office decides."
    ),
    rules_moves.NO_REFUSAL_REASON: lambda: _("Give the reason for the refusal."),
    rules_moves.IN_FUTURE: lambda: _("The time cannot be in the future."),
    rules_moves.BEFORE_START: lambda: _("The time cannot be before the move was requested."),
}


def _refuse(problems: list[str]) -> None:
    if problems:
        raise ValidationError([MESSAGES[p]() for p in problems])


def _event(move: Move, kind: str, summary: str, *, by, at=None) -> None:
    timeline_event_record(
        subject=move.resident, kind=kind, actor=by, at=at, rule_id="MOT-3", summary=summary
    )


def _at(at: datetime | None, *, not_before: datetime | None = None) -> datetime:
    now = timezone.now()
    at = at or now
    _refuse(rules_moves.time_problems(at=at, now=now, not_before=not_before))
    return at


def _already_open() -> ValidationError:
    return ValidationError(_("A move is already under way for this resident."))


# --- the request ----------------------------------------------------------------------------


def move_request(
    *,
    resident: Resident,
    by: User,
    reasons: str,
    special_needs_note: str = "",
    proposed_centre: Centre | None = None,
    origin: str = Move.Origin.CENTRE,
) -> Move:
    """MOT-3 b: ask the regional office to move the resident (or the regional office starts
    the move itself). Opens the R-11 deadline to tell the representative. A double submit
    (even a concurrent one) creates one move."""
    if origin not in Move.Origin.values:
        raise ValidationError(_("Say who requests the move."))
    try:
        with transaction.atomic():
            locked = (
                Resident.objects.select_for_update()
                .select_related("centre", "centre__region")
                .get(pk=resident.pk)
            )
            stay = locked.stays.filter(ended_at__isnull=True).select_related("centre").first()
            if stay is None:
                raise ValidationError(_("The resident does not live at a centre now."))
            centre = stay.centre
            _refuse(
                rules_moves.move_request_problems(
                    reasons=reasons,
                    has_special_needs=bool(locked.special_needs.strip()),
                    special_needs_note=special_needs_note,
                    from_centre_id=centre.pk,
                    proposed_centre_id=proposed_centre.pk if proposed_centre else None,
                    proposed_region_id=proposed_centre.region_id if proposed_centre else None,
                    region_id=centre.region_id,
                )
            )
            if Move.objects.filter(resident=locked, state__in=Move.OPEN_STATES).exists():
                raise _already_open()
            move = Move.objects.create(
                resident=locked,
                centre=centre,
                origin=origin,
                reasons=reasons.strip(),
                special_needs_note=special_needs_note.strip(),
                proposed_centre=proposed_centre,
                child_welfare_required=locked.child_welfare_case,
                created_by=by,
            )
            routine_deadline_open(routine=MOVE, case=move, step_code=steps.REPRESENTATIVE, by=by)
            _event(move, "move_requested", _("A move to another centre is requested"), by=by)
    except IntegrityError:
        raise _already_open() from None
    return move


def _step(move: Move, code: str, *, by, work=None, **kw):
    return routine_step_do(routine=MOVE, case=move, step_code=code, by=by, work=work, **kw)


def move_child_welfare_views_record(
    *,
    move: Move,
    by: User,
    views: str,
    received_at: datetime | None = None,
    placement: bool = False,
) -> Move:
    """MOT-3 a: child welfare's views on the move (or its decision to place the minor)."""
    if not views.strip():
        raise ValidationError(_("Write down child welfare's views."))

    def work(locked: Move):
        locked.child_welfare_views = views.strip()
        locked.child_welfare_views_at = _at(received_at, not_before=locked.requested_at)
        locked.child_welfare_placement = placement
        locked.save()
        _event(
            locked,
            "move_child_welfare_views",
            _("Child welfare's views on the move recorded"),
            by=by,
        )

    return _step(move, steps.CHILD_WELFARE_VIEWS, by=by, work=work).case


# --- the decision ---------------------------------------------------------------------------


def move_approve(
    *, move: Move, by: User, target_centre: Centre | None, move_date: date | None
) -> Move:
    """MOT-3: the regional office approves the move to another centre of its own on a date
    not in the past; refused while child welfare's views are missing. The hand-over list is
    drawn up at once."""

    def work(locked: Move):
        _refuse(
            rules_moves.move_approval_problems(
                waits_for_child_welfare=locked.waits_for_child_welfare,
                from_centre_id=locked.centre_id,
                target_centre_id=target_centre.pk if target_centre else None,
                target_region_id=target_centre.region_id if target_centre else None,
                region_id=locked.centre.region_id,
                move_date=move_date,
                today=timezone.localdate(),
            )
        )
        locked.target_centre = target_centre
        locked.move_date = move_date
        locked.decided_at = timezone.now()
        locked.decided_by = by
        locked.save()
        _handover_sync(locked)
        _event(
            locked,
            "move_approved",
            _("The move to %(centre)s is approved") % {"centre": target_centre.name},
            by=by,
        )

    return _step(move, steps.APPROVE, by=by, work=work, permission="decide").case


def move_refuse(*, move: Move, by: User, reason: str) -> Move:
    def work(locked: Move):
        _refuse(
            rules_moves.move_refusal_problems(
                waits_for_child_welfare=locked.waits_for_child_welfare, reason=reason
            )
        )
        locked.refusal_reason = reason.strip()
        locked.decided_at = timezone.now()
        locked.decided_by = by
        locked.save()
        _close_representative_deadline(locked, by=by)
        _event(locked, "move_refused", _("The move to another centre is refused"), by=by)

    return _step(move, steps.REFUSE, by=by, work=work, permission="decide").case


def move_withdraw(*, move: Move, by: User, reason: str) -> Move:
    if not reason.strip():
        raise ValidationError(_("Give the reason for withdrawing the move."))

    def work(locked: Move):
        locked.withdrawal_reason = reason.strip()
        locked.save()
        _close_representative_deadline(locked, by=by)
        _event(locked, "move_withdrawn", _("The move to another centre is withdrawn"), by=by)

    return _step(move, steps.WITHDRAW, by=by, work=work, permission="withdraw").case


def _close_representative_deadline(move: Move, *, by) -> None:
    """A refused or withdrawn move: the representative need no longer be told of it."""
    deadlines_end_with_case(owner=move, by=by, reason="The move did not go ahead.")


# --- the centre being left's steps ----------------------------------------------------------


def move_representative_told(
    *, move: Move, by: User, how: str, told_at: datetime | None = None, note: str = ""
) -> Move:
    """MOT-3 c, R-11: the representative told that a move is planned (within one working day)."""
    if how not in Move.ToldHow.values:
        raise ValidationError(_("Say how the representative was told."))

    def work(locked: Move):
        if not locked.resident.representative_name.strip():
            raise ValidationError(
                _(
                    "No representative is on record for this resident. Record the representative "
                    "first, or ask a leader to waive the step with the reason."
                )
            )
        locked.representative_told_at = _at(told_at, not_before=locked.requested_at)
        locked.representative_told_how = how
        locked.save()

    return _step(
        move,
        steps.REPRESENTATIVE,
        by=by,
        work=work,
        at=told_at,
        note=note.strip(),
    ).case


def move_sesam_record(*, move: Move, by: User, at: datetime | None = None) -> Move:
    """MOT-3 d: the move registered in Sesam."""

    def work(locked: Move):
        locked.sesam_registered_at = _at(at, not_before=locked.requested_at)
        locked.save()

    return _step(move, steps.SESAM, by=by, work=work, at=at).case


def move_folder_handed(*, move: Move, by: User, at: datetime | None = None, note: str = "") -> Move:
    """MOT-3 f: the personal folder (with printouts of the mapping and the action plan) handed
    to the new centre."""

    def work(locked: Move):
        locked.folder_handed_at = _at(at, not_before=locked.requested_at)
        locked.save()

    return _step(move, steps.PERSONAL_FOLDER, by=by, work=work, at=at, note=note.strip()).case


def moving_notice_context(move: Move) -> dict:
    """What the moving notice says (MOT-3 e): the minor, from and to, the date, the new address;
    the health office learns where to send the health record; Statsforvalteren whether the
    county changes (the representative)."""
    target = move.target_centre
    return {
        "person": documents.person_block(move.resident, centre=move.centre),
        "from_centre": move.centre.name,
        "from_municipality": move.centre.municipality,
        "to_centre": target.name if target else "",
        "to_address": target.address if target else "",
        "to_municipality": target.municipality if target else "",
        "to_phone": target.phone if target else "",
        "move_date": documents.iso(move.move_date),
        "new_county": bool(target and target.county and target.county != move.centre.county),
        "to_county": target.county if target else "",
    }


def move_notice_create(*, move: Move, by: User, step_code: str, channel: str = "post"):
    """MOT-3 e: one moving notice (Statsforvalteren, the school, the health office); the step
    is met when the notice is recorded as sent (R-13)."""
    if step_code not in steps.NOTICE_STEPS:
        raise ValidationError(_("Choose which moving notice to make."))

    def work(locked: Move):
        context = moving_notice_context(locked)
        context["recipient_role"] = step_code.removeprefix("notice_")
        return routine_notice_create(
            routine=MOVE, case=locked, step_code=step_code, channel=channel, context=context, by=by
        )

    return _step(move, step_code, by=by, work=work).value


# --- the hand-over list ---------------------------------------------------------------------


def _candidates(move: Move) -> list[tuple[str, ContentType, int, str]]:
    """Everything open about the resident, read generically: other routines' open cases, open
    deadlines (not the move's own), valid consents."""
    resident = move.resident
    move_ct = ContentType.objects.get_for_model(Move)
    found = []
    for row in open_cases_of(resident):
        if isinstance(row.case, Move):
            continue
        ct = ContentType.objects.get_for_model(row.case)
        label = f"{row.routine.label}: {row.state_label}"
        found.append((MoveHandoverItem.Kind.CASE, ct, row.case.pk, label))
    deadline_ct = ContentType.objects.get_for_model(Deadline)
    resident_ct = ContentType.objects.get_for_model(Resident)
    deadlines = (
        Deadline.objects.filter(
            subject_ct=resident_ct, subject_id=resident.pk, state__in=Deadline.PENDING
        )
        .exclude(content_type=move_ct, object_id=move.pk)
        .order_by("due_at", "pk")
    )
    for deadline in deadlines:
        label = _("%(label)s, due %(due)s") % {
            "label": _(deadline.label),
            "due": timezone.localtime(deadline.due_at).strftime("%d.%m.%Y %H.%M"),
        }
        found.append((MoveHandoverItem.Kind.DEADLINE, deadline_ct, deadline.pk, label[:200]))
    consent_ct = ContentType.objects.get_for_model(Consent)
    today = timezone.localdate()
    consents = Consent.objects.filter(
        subject_ct=resident_ct, subject_id=resident.pk, withdrawn_at__isnull=True
    ).order_by("pk")
    for consent in consents:
        if consent.valid_until is not None and consent.valid_until <= today:
            continue
        label = _("Consent: %(purpose)s") % {"purpose": consent.get_purpose_display()}
        found.append((MoveHandoverItem.Kind.CONSENT, consent_ct, consent.pk, label[:200]))
    return found


def _handover_sync(move: Move) -> int:
    """Add what is newly open to the hand-over list (inside the move's lock); returns how many."""
    known = set(move.handover_items.values_list("ref_ct_id", "ref_id"))
    added = 0
    for kind, ct, ref_id, label in _candidates(move):
        if (ct.pk, ref_id) in known:
            continue
        MoveHandoverItem.objects.create(
            move=move, kind=kind, ref_ct=ct, ref_id=ref_id, label=str(label)[:200]
        )
        added += 1
    return added


def move_handover_refresh(*, move: Move, by: User) -> int:
    """Read what is open about the resident again; new items are added unmarked."""
    with transaction.atomic():
        locked = routine_case_lock(routine=MOVE, case=move, states=steps.PREPARING)
        return _handover_sync(locked)


def move_handover_mark(
    *, item: MoveHandoverItem, by: User, decision: str, note: str = ""
) -> MoveHandoverItem:
    """Mark one open item as moved to the new centre, or closed on purpose (with the reason).
    A deadline closed on purpose is waived with that reason (a leader's decision)."""
    if decision not in MoveHandoverItem.Decision.values:
        raise ValidationError(_("Choose whether the item moves to the new centre or is closed."))
    note = note.strip()
    if decision == MoveHandoverItem.Decision.CLOSED and not note:
        raise ValidationError(_("Say why the item is closed rather than moved."))
    with transaction.atomic():
        routine_case_lock(routine=MOVE, case=item.move, states=steps.PREPARING)
        locked = MoveHandoverItem.objects.select_for_update().get(pk=item.pk)
        if (
            decision == MoveHandoverItem.Decision.CLOSED
            and locked.kind == MoveHandoverItem.Kind.DEADLINE
        ):
            deadline = Deadline.objects.filter(pk=locked.ref_id).first()
            if deadline is not None and deadline.is_pending:
                deadline_waive(deadline=deadline, by=by, reason=note)
        locked.decision = decision
        locked.note = note
        locked.decided_at = timezone.now()
        locked.decided_by = by
        locked._history_user = by
        locked.save()
    return locked


# --- the arrival at the new centre ----------------------------------------------------------


def _completion_problems(move: Move) -> list[str]:
    done = done_codes(move, steps.MOVE_CHECKLIST)
    missing = [
        str(MOVE.step(code).label) for code in steps.BEFORE_ARRIVAL_STEPS if code not in done
    ]
    problems = []
    if missing:
        problems.append(
            _("The centre being left has not yet done: %(steps)s.") % {"steps": "; ".join(missing)}
        )
    return problems


def _hand_over_cases(move: Move, *, by) -> None:
    """The open cases marked "moved" become the new centre's (read generically, through the
    routine each case is declared by)."""
    items = move.handover_items.filter(
        kind=MoveHandoverItem.Kind.CASE, decision=MoveHandoverItem.Decision.MOVED
    ).select_related("ref_ct")
    for item in items:
        model = item.ref_ct.model_class()
        routine = routines.for_model(model._meta.label) if model else None
        case = model._default_manager.filter(pk=item.ref_id).first() if routine else None
        if case is None or getattr(case, routine.state_field) not in routine.open_states:
            continue  # closed since it was listed: nothing to hand over
        routine_case_hand_over(routine=routine, case=case, centre=move.target_centre, by=by)


def move_complete(*, move: Move, by: User, arrived_at: datetime | None = None) -> Move:
    """The receiving centre confirms the arrival: refused while the centre being left has
    steps left or an item of the hand-over list is unmarked. Closes the old stay (moved),
    opens the new one at the new centre, and hands the deadlines marked "moved" over."""
    arrived_at = arrived_at or timezone.now()

    def work(locked: Move):
        _refuse(
            rules_moves.time_problems(
                at=arrived_at, now=timezone.now(), not_before=locked.requested_at
            )
        )
        problems = _completion_problems(locked)
        added = _handover_sync(locked)
        unmarked = locked.handover_items.filter(decision="").count()
        if added:
            problems.append(
                _("Something new is open about the resident: refresh the hand-over list.")
            )
        elif unmarked:
            problems.append(
                _(
                    "%(count)s item(s) on the hand-over list are neither moved to the new "
                    "centre nor closed."
                )
                % {"count": unmarked}
            )
        if problems:
            raise ValidationError(problems)
        stay = Stay.objects.filter(resident=locked.resident, ended_at__isnull=True).first()
        if stay is None or stay.centre_id != locked.centre_id:
            raise ValidationError(_("The resident no longer lives at the centre being left."))
        stay_close(stay=stay, ended_at=arrived_at, reason=Stay.EndReason.MOVED, by=by)
        stay_open(
            resident=locked.resident, centre=locked.target_centre, arrived_at=arrived_at, by=by
        )
        _hand_over_cases(locked, by=by)
        moved_deadlines = locked.handover_items.filter(
            kind=MoveHandoverItem.Kind.DEADLINE, decision=MoveHandoverItem.Decision.MOVED
        ).values_list("ref_id", flat=True)
        for deadline in Deadline.objects.filter(pk__in=list(moved_deadlines)):
            if deadline.is_pending:
                deadline_hand_over(deadline=deadline, centre=locked.target_centre, by=by)
        locked.arrived_at = arrived_at
        locked.save()
        _event(
            locked,
            "move_completed",
            _("Moved from %(old)s to %(new)s")
            % {"old": locked.centre.name, "new": locked.target_centre.name},
            by=by,
            at=arrived_at,
        )

    return _step(
        move, steps.COMPLETE, by=by, work=work, at=arrived_at, permission="confirm_arrival"
    ).case
