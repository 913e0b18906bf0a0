"""MOT-5, R-18: a wish to move privately, and moving anyway.

The wish is recorded with the address and the relation to the people there; conditions a–e
each carry a status; the encouragement to stay is recorded (when, by whom, interpreter). If the
minor moves with any condition not met, a concern report goes to child welfare in the
destination municipality the same day, with copies to the UDI and IMDi regional offices; the
stay ends as a private move either way.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.services import timeline_event_record
from cases.services.routines import (
    routine_deadline_open,
    routine_notice_create,
    routine_step_do,
)

from .. import documents, rules_moves
from .. import routine_moves as steps
from ..models import ConditionStatus, PrivateMove, Resident, Stay, User
from ..routine_moves import PRIVATE_MOVE
from .residents import stay_close

MESSAGES = {
    rules_moves.NO_ADDRESS: lambda: _(
        "Give the address the minor wants to move to: the regional office must be told."
    ),
    rules_moves.NO_MUNICIPALITY: lambda: _("Give the municipality of the address."),
    rules_moves.NO_RELATION: lambda: _("Say how the minor is related to the people there."),
    rules_moves.IN_FUTURE: lambda: _("The time cannot be in the future."),
    rules_moves.BEFORE_START: lambda: _("The time cannot be before the wish was recorded."),
}


def _refuse(problems: list[str]) -> None:
    if problems:
        raise ValidationError([MESSAGES[p]() for p in problems])


def _event(case: PrivateMove, kind: str, summary: str, *, by, at=None, rule_id="MOT-5") -> None:
    timeline_event_record(
        subject=case.resident, kind=kind, actor=by, at=at, rule_id=rule_id, summary=summary
    )


def _at(at: datetime | None, case: PrivateMove | None = None) -> datetime:
    """A recorded moment: not in the future, nor (given the case) before the wish was recorded."""
    now = timezone.now()
    at = at or now
    not_before = case.recorded_at if case is not None else None
    _refuse(rules_moves.time_problems(at=at, now=now, not_before=not_before))
    return at


def _conditions_checked(conditions: dict) -> dict:
    unknown = set(conditions) - set(PrivateMove.CONDITION_FIELDS)
    if unknown or any(v not in ConditionStatus.values for v in conditions.values()):
        raise ValidationError(_("Give the status of each condition."))
    return conditions


def private_move_record_wish(
    *,
    resident: Resident,
    by: User,
    address: str,
    municipality: str,
    relation: str,
    carers: str = "",
    care_needs: str = "",
    conditions: dict | None = None,
) -> PrivateMove:
    """MOT-5: the wish to move privately, with the address and the relation; refused without
    an address. A double submit records one wish."""
    _refuse(
        rules_moves.private_move_problems(
            address=address, municipality=municipality, relation=relation
        )
    )
    conditions = _conditions_checked(conditions or {})
    try:
        with transaction.atomic():
            locked = Resident.objects.select_for_update().get(pk=resident.pk)
            stay = locked.stays.filter(ended_at__isnull=True).select_related("centre").first()
            if stay is None:
                raise ValidationError(_("The resident does not live at a centre now."))
            if PrivateMove.objects.filter(resident=locked, state=PrivateMove.State.WISH).exists():
                raise ValidationError(_("A wish to move privately is already recorded."))
            case = PrivateMove.objects.create(
                resident=locked,
                centre=stay.centre,
                address=address.strip(),
                municipality=municipality.strip(),
                relation=relation.strip(),
                carers=carers.strip(),
                care_needs=care_needs.strip() or locked.special_needs,
                created_by=by,
                **conditions,
            )
            _event(case, "private_move_wish", _("Wish to move privately recorded"), by=by)
    except IntegrityError:
        raise ValidationError(_("A wish to move privately is already recorded.")) from None
    return case


def _step(case: PrivateMove, code: str, *, by, work=None, **kw):
    return routine_step_do(routine=PRIVATE_MOVE, case=case, step_code=code, by=by, work=work, **kw)


def private_move_update(
    *,
    private_move: PrivateMove,
    by: User,
    address: str,
    municipality: str,
    relation: str,
    carers: str,
    care_needs: str,
    conditions: dict,
) -> PrivateMove:
    """Correct the address, the people there and the status of conditions a–e."""
    _refuse(
        rules_moves.private_move_problems(
            address=address, municipality=municipality, relation=relation
        )
    )
    conditions = _conditions_checked(conditions)
    with transaction.atomic():
        locked = PrivateMove.objects.select_for_update().get(pk=private_move.pk)
        if locked.state != PrivateMove.State.WISH:
            raise ValidationError(_("The private move is no longer open."))
        locked.address = address.strip()
        locked.municipality = municipality.strip()
        locked.relation = relation.strip()
        locked.carers = carers.strip()
        locked.care_needs = care_needs.strip()
        for name, value in conditions.items():
            setattr(locked, name, value)
        locked._history_user = by
        locked.save()
    return locked


def private_move_region_told(
    *, private_move: PrivateMove, by: User, at: datetime | None = None, note: str = ""
) -> PrivateMove:
    """MOT-5: the regional office told of the wish, the address and the relation."""
    return _step(
        private_move,
        steps.REGION_TOLD,
        by=by,
        at=at,
        note=note.strip(),
        work=lambda locked: _at(at),
    ).case


def private_move_encouraged(
    *,
    private_move: PrivateMove,
    by: User,
    encouraged_at: datetime,
    encouraged_by: str,
    interpreter: str = "",
) -> PrivateMove:
    """MOT-5: the minor encouraged to stay until the conditions are met (when, by whom, with
    which interpreter)."""
    if not encouraged_by.strip():
        raise ValidationError(_("Say who spoke with the minor."))

    def work(locked: PrivateMove):
        # The conversation may have been held before the wish was entered here.
        locked.encouraged_at = _at(encouraged_at)
        locked.encouraged_by = encouraged_by.strip()
        locked.encouraged_interpreter = interpreter.strip()
        locked.save()

    return _step(private_move, steps.ENCOURAGED, by=by, work=work, at=encouraged_at).case


def private_move_stays(*, private_move: PrivateMove, by: User) -> PrivateMove:
    """The minor stays at the centre: the wish is closed."""

    def work(locked: PrivateMove):
        _event(locked, "private_move_stays", _("Stays at the centre after all"), by=by)

    return _step(private_move, steps.STAYS, by=by, work=work).case


def private_move_moved(
    *, private_move: PrivateMove, by: User, moved_at: datetime | None = None
) -> PrivateMove:
    """The minor moves. R-18: with any condition a–e not met (a condition not clarified is not
    met), the concern report and its two copies are due the same day (R-11); the stay ends as
    a private move."""

    def work(locked: PrivateMove):
        _refuse(
            rules_moves.private_move_problems(
                address=locked.address, municipality=locked.municipality, relation=locked.relation
            )
        )
        at = _at(moved_at)
        locked.moved_at = at
        locked.concern_required = rules_moves.concern_report_required(
            status for _name, _label, status in locked.condition_rows()
        )
        locked.save()
        stay = Stay.objects.filter(resident=locked.resident, ended_at__isnull=True).first()
        if stay is not None:
            stay_close(stay=stay, ended_at=at, reason=Stay.EndReason.PRIVATE, by=by)
        _event(locked, "private_move_moved", _("Moved out to a private address"), by=by, at=at)

    def then(locked: PrivateMove):
        if locked.concern_required:
            for code in steps.CONCERN_STEPS:
                routine_deadline_open(routine=PRIVATE_MOVE, case=locked, step_code=code, by=by)

    return _step(private_move, steps.MOVED_OUT, by=by, work=work, then=then).case


def concern_context(case: PrivateMove) -> dict:
    """R-22, MOT-5: the concern report says clearly that the person is an unaccompanied minor
    asylum seeker, gives the address, what the centre knows of the care needs and situation,
    and what it knows of the new carers; it lists which conditions were not met."""
    return {
        "person": documents.person_block(case.resident, centre=case.centre)
        | {"identifier": case.resident.identifier},
        "address": case.address,
        "municipality": case.municipality,
        "relation": case.relation,
        "carers": case.carers,
        "care_needs": case.care_needs,
        "moved_at": documents.iso(case.moved_at),
        "encouraged_at": documents.iso(case.encouraged_at),
        "conditions": [
            {"label": CONDITION_NB[name], "status": STATUS_NB[status]}
            for name, _label, status in case.condition_rows()
        ],
        "unmet": [
            CONDITION_NB[name]
            for name, _label, status in case.condition_rows()
            if status != rules_moves.MET
        ],
        "centre_phone": case.centre.duty_phone or case.centre.phone,
    }


# The forms are in Norwegian (templates/forms/): the conditions as UDI's routine words them.
CONDITION_NB = {
    "condition_transit": "Obligatorisk transittprogram er gjennomført",
    "condition_family": "Familierelasjoner er avklart",
    "condition_child_welfare": "Barnevernet har vurdert bo- og omsorgsalternativet som egnet",
    "condition_agreement": "Det foreligger avtale om alternativ mottaksplassering mellom UDI og kommunen",
    "condition_parent": "Eventuelt foreldre/barn-forhold er vurdert av UDI",
}
STATUS_NB = {
    ConditionStatus.MET: "Oppfylt",
    ConditionStatus.NOT_MET: "Ikke oppfylt",
    ConditionStatus.UNKNOWN: "Ikke avklart",
}


def private_move_concern_create(
    *,
    private_move: PrivateMove,
    by: User,
    step_code: str = steps.CONCERN_REPORT,
    channel: str = "post",
):
    """R-18: the concern report to child welfare in the destination municipality, or one of its
    copies (UDI and IMDi regional offices). Met when recorded as sent (R-13)."""
    if step_code not in steps.CONCERN_STEPS:
        raise ValidationError(_("Choose which notice to make."))

    def work(locked: PrivateMove):
        if not locked.concern_required:
            raise ValidationError(
                _("Every condition was met when the minor moved: no concern report is due.")
            )
        context = concern_context(locked)
        context["copy_to"] = "" if step_code == steps.CONCERN_REPORT else step_code
        return routine_notice_create(
            routine=PRIVATE_MOVE,
            case=locked,
            step_code=step_code,
            channel=channel,
            context=context,
            by=by,
        )

    return _step(private_move, step_code, by=by, work=work).value
