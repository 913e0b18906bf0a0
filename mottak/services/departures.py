"""MOT-6: departure to the home country or the first asylum country.

The kind (assisted return with IOM, forced return or Dublin transfer with PU, other) is chosen
when the departure is prepared; PU's or IOM's instructions, special follow-up needs told to
them and the regional office, what was arranged to make the departure easy, packing and
readiness, and the offer of the mapping and action plan (with the answer) are recorded; the
stay ends with the kind.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.services import timeline_event_record
from cases.services.routines import done_codes, routine_step_do

from .. import routine_moves as steps
from .. import rules_moves
from ..models import Departure, Resident, Stay, User
from ..routine_moves import DEPARTURE
from .residents import stay_close


def _event(case: Departure, kind: str, summary: str, *, by, at=None) -> None:
    timeline_event_record(
        subject=case.resident, kind=kind, actor=by, at=at, rule_id="MOT-6", summary=summary
    )


def _past(at: datetime | None, case: Departure | None = None) -> datetime:
    now = timezone.now()
    at = at or now
    if rules_moves.time_problems(at=at, now=now):
        raise ValidationError(_("The time cannot be in the future."))
    return at


def departure_prepare(
    *, resident: Resident, by: User, kind: str, planned_at: datetime | None = None
) -> Departure:
    """Start preparing a departure of the given kind; a double submit prepares one."""
    if kind not in Departure.Kind.values:
        raise ValidationError(_("Choose the kind of departure."))
    try:
        with transaction.atomic():
            locked = Resident.objects.select_for_update().get(pk=resident.pk)
            stay = locked.stays.filter(ended_at__isnull=True).select_related("centre").first()
            if stay is None:
                raise ValidationError(_("The resident does not live at a centre now."))
            if Departure.objects.filter(resident=locked, state=Departure.State.PLANNED).exists():
                raise ValidationError(_("A departure is already being prepared."))
            case = Departure.objects.create(
                resident=locked, centre=stay.centre, kind=kind, planned_at=planned_at, created_by=by
            )
            _event(
                case,
                "departure_prepared",
                _("Departure being prepared: %(kind)s") % {"kind": case.get_kind_display()},
                by=by,
            )
    except IntegrityError:
        raise ValidationError(_("A departure is already being prepared.")) from None
    return case


def _step(case: Departure, code: str, *, by, work=None, **kw):
    return routine_step_do(routine=DEPARTURE, case=case, step_code=code, by=by, work=work, **kw)


def departure_instructions_record(
    *, departure: Departure, by: User, instructions: str, received_at: datetime | None = None
) -> Departure:
    """MOT-6 a: PU's (or IOM's) instructions, followed and cooperated on."""
    if not instructions.strip():
        raise ValidationError(_("Write down the instructions."))

    def work(locked: Departure):
        locked.instructions = instructions.strip()
        locked.instructions_received_at = _past(received_at)
        locked.save()

    return _step(departure, steps.INSTRUCTIONS, by=by, work=work, at=received_at).case


def departure_follow_up_told(
    *, departure: Departure, by: User, needs: str, told_at: datetime | None = None
) -> Departure:
    """MOT-6 b: the special follow-up needs told to PU (or IOM) and the regional office, so they
    can involve the relevant authorities."""
    if not needs.strip():
        raise ValidationError(_("Describe the special follow-up needs."))

    def work(locked: Departure):
        locked.follow_up_needs = needs.strip()
        locked.follow_up_told_at = _past(told_at)
        locked.save()

    return _step(departure, steps.FOLLOW_UP_TOLD, by=by, work=work, at=told_at).case


def departure_arrangements_record(
    *, departure: Departure, by: User, arrangements: str
) -> Departure:
    """MOT-6 c: what was arranged with PU (or IOM) to make the departure as easy as possible."""
    if not arrangements.strip():
        raise ValidationError(_("Describe what was arranged."))

    def work(locked: Departure):
        locked.arrangements = arrangements.strip()
        locked.save()

    return _step(departure, steps.ARRANGEMENTS, by=by, work=work).case


def departure_ready(*, departure: Departure, by: User, at: datetime | None = None) -> Departure:
    """MOT-6 d: the minor helped to pack and ready at the agreed time."""

    def work(locked: Departure):
        locked.ready_at = _past(at)
        locked.save()

    return _step(departure, steps.READY, by=by, work=work, at=at).case


def departure_mapping_offered(
    *, departure: Departure, by: User, answer: str, at: datetime | None = None
) -> Departure:
    """MOT-6 e: the minor offered their mapping and action plan, and the answer."""
    if answer not in Departure.Answer.values:
        raise ValidationError(_("Record the minor's answer."))

    def work(locked: Departure):
        locked.mapping_offered_at = _past(at)
        locked.mapping_answer = answer
        locked.save()

    return _step(departure, steps.MAPPING_OFFERED, by=by, work=work, at=at).case


def departure_depart(
    *, departure: Departure, by: User, departed_at: datetime | None = None
) -> Departure:
    """The minor has left: refused while a required step is open; the stay ends with the kind
    of departure (the return portfolio counts by kind)."""

    def work(locked: Departure):
        missing = [
            str(DEPARTURE.step(code).label)
            for code in steps.REQUIRED_BEFORE_DEPARTURE
            if code not in done_codes(locked, steps.DEPARTURE_CHECKLIST)
        ]
        if missing:
            raise ValidationError(_("Not yet recorded: %(steps)s.") % {"steps": "; ".join(missing)})
        at = _past(departed_at)
        locked.departed_at = at
        locked.save()
        stay = Stay.objects.filter(resident=locked.resident, ended_at__isnull=True).first()
        if stay is not None:
            stay_close(stay=stay, ended_at=at, reason=locked.kind, by=by)
        _event(
            locked,
            "departure_departed",
            _("Departed: %(kind)s") % {"kind": locked.get_kind_display()},
            by=by,
            at=at,
        )

    return _step(departure, steps.DEPART, by=by, work=work, at=departed_at).case


def departure_cancel(*, departure: Departure, by: User) -> Departure:
    def work(locked: Departure):
        _event(locked, "departure_cancelled", _("The departure is cancelled"), by=by)

    return _step(departure, steps.CANCEL, by=by, work=work).case
