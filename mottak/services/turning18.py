"""Turning 18 (MOT-4, R-9) and a corrected date of birth.

- `residents_turning_18_open` (daily): the case opens 6 weeks before the 18th birthday.
- `turning_18_record_child_welfare_views`, `turning_18_request_move`: the centre asks the
  regional office for a move decision, child welfare's views first when it has a case.
- `resident_turned_18_apply` (with the TURNED_18 life event, in its transaction): the
  representative's mandate ends, consent passes to the resident, open cases get a prompt.
- `resident_date_of_birth_correct`: after an age assessment; every deadline counted from the
  date of birth moves, with history.
"""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cases import periods
from cases.selectors_work import open_cases_of
from cases.services import (
    case_event_publish,
    deadline_move,
    deadline_open,
    timeline_event_record,
)
from cases.services.routines import (
    deadline_pending,
    done_codes,
    routine_case_lock,
    routine_deadline_open,
    routine_notice_create,
    routine_step_do,
    routine_transition,
)

from .. import documents, events, rules
from ..models import RepresentativeRecord, Resident, Stay, TurningEighteen, User
from ..routine_turning18 import (
    CHECKLIST,
    CHILD_WELFARE_VIEWS,
    NAME,
    REGION_REQUEST,
    TURNING_18,
)
from .representative import representative_mandate_end

State = TurningEighteen.State
OPEN_STATES = (State.OPEN, State.REQUESTED)

# The prompt every open case gets on the birthday.
TURNED_18_REVIEW = "turned_18_review"
TURNED_18_REVIEW_LABEL = gettext_noop(
    "Turned 18: decide whether this case continues (a presumed adult still registered as a "
    "minor stays covered by the missing routine)"
)


# --- opening, 6 weeks before ------------------------------------------------------------------


def _eighteenth_cutoff(day: date) -> date:
    """Born on or before this day: 18 or older on `day` (as the daily TURNED_18 check)."""
    try:
        return day.replace(year=day.year - rules.ADULT_AGE)
    except ValueError:
        return day.replace(year=day.year - rules.ADULT_AGE, day=28)


def turning_18_open(*, resident: Resident, by: User | None = None) -> TurningEighteen:
    """Open the resident's turning-18 case for their current date of birth (or give back the
    open one), with the deadline of the request at the birthday."""
    birthday = rules.eighteenth_birthday(resident.date_of_birth)
    try:
        with transaction.atomic():
            locked = Resident.objects.select_for_update().get(pk=resident.pk)
            existing = locked.turning_18_cases.filter(state__in=OPEN_STATES).first()
            if existing is not None:
                return existing
            case = TurningEighteen(
                resident=locked,
                centre=locked.centre,
                birthday=birthday,
                birthday_at=rules.turns_18_at(locked.date_of_birth),
            )
            case._history_user = by
            case.save()
            routine_deadline_open(routine=TURNING_18, case=case, step_code=REGION_REQUEST, by=by)
            timeline_event_record(
                subject=locked,
                kind="turning_18_opened",
                actor=by,
                rule_id="R-9",
                summary=_("Turns 18 in six weeks or less: ask the regional office for a move"),
            )
            return case
    except IntegrityError:  # a concurrent open won
        return resident.turning_18_cases.get(state__in=OPEN_STATES)


def residents_turning_18_open(*, today: date | None = None) -> int:
    """Daily (R-9): open the case for every resident with an open stay whose 18th birthday is
    six weeks away or less and not yet reached; a missed day is caught up."""
    today = today or timezone.localdate()
    horizon = today + timedelta(weeks=rules.TURNING_18_TASK_WEEKS)
    candidates = (
        Resident.objects.filter(
            pk__in=Stay.objects.filter(ended_at__isnull=True).values("resident_id"),
            date_of_birth__lte=_eighteenth_cutoff(horizon),
            date_of_birth__gt=_eighteenth_cutoff(today),
        )
        .exclude(turning_18_cases__state__in=OPEN_STATES)
        .order_by("pk")
    )
    opened = 0
    for resident in candidates.iterator():
        if not rules.turning_18_task_due(date_of_birth=resident.date_of_birth, today=today):
            continue
        turning_18_open(resident=resident)
        opened += 1
    return opened


# --- the steps --------------------------------------------------------------------------------


def turning_18_record_child_welfare_views(
    *, case: TurningEighteen, views: str, given_at: datetime, by: User
) -> TurningEighteen:
    """Child welfare's views on the move, recorded before the regional office is asked."""
    views = (views or "").strip()
    if not views:
        raise ValidationError(_("Write child welfare's views."))
    if given_at > timezone.now():
        raise ValidationError(_("The time cannot be in the future."))

    def work(locked: TurningEighteen) -> None:
        locked.child_welfare_views = views
        locked.child_welfare_views_at = given_at
        locked._history_user = by
        locked.save()

    return routine_step_do(
        routine=TURNING_18,
        case=case,
        step_code=CHILD_WELFARE_VIEWS,
        by=by,
        at=given_at,
        work=work,
    ).case


def _request_context(case: TurningEighteen, *, by: User) -> dict:
    resident = case.resident
    return {
        "person": documents.person_block(resident, centre=case.centre),
        "birthday": documents.iso(case.birthday),
        "centre_name": case.centre.name,
        "centre_kind": documents.CENTRE_KIND_NB.get(case.centre.kind, ""),
        "child_welfare_case": resident.child_welfare_case,
        "child_welfare_views": case.child_welfare_views,
        "child_welfare_views_at": documents.iso(case.child_welfare_views_at),
        "special_needs": resident.special_needs,
        "recommendation": case.recommendation,
        "contact": {"name": by.get_full_name(), "phone": case.centre.phone},
    }


def turning_18_request_move(*, case: TurningEighteen, recommendation: str, channel: str, by: User):
    """Ask the regional office for a decision to move the resident to an ordinary centre,
    with the centre's recommendation (MOT-4). Refused while child welfare has an ongoing case
    and its views are not recorded (MOT-3 a). Met when the notice is sent (R-13)."""

    def work(locked: TurningEighteen):
        if locked.resident.child_welfare_case and CHILD_WELFARE_VIEWS not in done_codes(
            locked, CHECKLIST
        ):
            raise ValidationError(
                _(
                    "Child welfare has an ongoing case: record its views before asking the "
                    "regional office."
                )
            )
        locked.recommendation = (recommendation or "").strip()
        locked.requested_at = timezone.now()
        locked._history_user = by
        locked.save()
        return routine_notice_create(
            routine=TURNING_18,
            case=locked,
            step_code=REGION_REQUEST,
            channel=channel,
            context=_request_context(locked, by=by),
            by=by,
        )

    return routine_step_do(
        routine=TURNING_18, case=case, step_code=REGION_REQUEST, by=by, work=work
    ).value


# --- on the birthday --------------------------------------------------------------------------


def _prompt(open_case, resident: Resident, *, now: datetime) -> None:
    deadline_open(
        owner=open_case.case,
        kind=TURNED_18_REVIEW,
        rule_id="MOT-4",
        label=TURNED_18_REVIEW_LABEL,
        due_at=periods.working_days(now, 1),
        centre=open_case.routine.centre_of(open_case.case),
        subject=resident,
        urgency="snarest",
    )


def resident_turned_18_apply(
    *, resident: Resident, now: datetime | None = None, by: User | None = None
) -> None:
    """Inside the TURNED_18 publish's transaction: what changes on the 18th birthday.

    The representative's mandate ends (recorded); consent passes to the resident (the consent
    register already stops accepting the representative's from this day); the turning-18 case
    is closed as passed; every other open case of every routine gets a prompt to decide
    whether it continues — the missing routine still covers a presumed adult registered as a
    minor (SAV-1), so nothing is closed by itself.
    """
    now = now or timezone.now()
    birthday = rules.eighteenth_birthday(resident.date_of_birth)
    representative_mandate_end(
        resident=resident,
        ended_on=birthday,
        reason=RepresentativeRecord.EndReason.TURNED_18,
        by=by,
    )
    timeline_event_record(
        subject=resident,
        kind="turned_18",
        actor=by,
        rule_id="MOT-4",
        summary=_("Turned 18: consent is now given by the resident"),
    )
    for case in resident.turning_18_cases.filter(state__in=OPEN_STATES):
        locked = routine_case_lock(routine=TURNING_18, case=case)
        locked.passed_at = now
        routine_transition(routine=TURNING_18, case=locked, to=State.PASSED, by=by)
    for open_case in open_cases_of(resident):
        if open_case.routine.name != NAME:
            _prompt(open_case, resident, now=now)


# --- a corrected date of birth ----------------------------------------------------------------


CORRECTION_MESSAGES = {
    "birth_in_future": lambda: _("The date of birth cannot be in the future."),
    "birth_after_arrival": lambda: _("The date of birth cannot be after the first arrival."),
}


def resident_date_of_birth_correct(
    *, resident: Resident, date_of_birth: date, reason: str, by: User
) -> Resident:
    """Correct the date of birth (after an age assessment): the record's history keeps the
    old date, the timeline says why, DATE_OF_BIRTH_CORRECTED is published, and every pending
    deadline counted from the date of birth moves with it (the turning-18 case's birthday and
    its request deadline). A birthday now more than six weeks away keeps the case open: the
    earlier request does no harm."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the correction (the age assessment)."))
    with transaction.atomic():
        locked = Resident.objects.select_for_update().get(pk=resident.pk)
        first = locked.stays.order_by("started_at").first()
        problems = rules.date_of_birth_correction_problems(
            date_of_birth=date_of_birth,
            first_arrival_on=timezone.localtime(first.started_at).date() if first else None,
            today=timezone.localdate(),
        )
        if problems:
            raise ValidationError([CORRECTION_MESSAGES[p]() for p in problems])
        if locked.date_of_birth == date_of_birth:
            return locked  # a double submit, or nothing to correct
        old = locked.date_of_birth
        locked.date_of_birth = date_of_birth
        locked._history_user = by
        locked._change_reason = reason[:100]
        locked.save(update_fields=["date_of_birth"])
        date_of_birth_moved(locked, old=old, by=by, reason=reason)
    return locked


def date_of_birth_moved(resident: Resident, *, old: date, by: User, reason: str) -> None:
    """Inside the transaction that saved a new date of birth (the correction, or the record
    form): the life event, the timeline, and the deadlines counted from it move."""
    case_event_publish(
        kind=events.DATE_OF_BIRTH_CORRECTED,
        subject=resident,
        payload={"from": old.isoformat(), "to": resident.date_of_birth.isoformat()},
    )
    timeline_event_record(
        subject=resident,
        kind="date_of_birth_corrected",
        actor=by,
        rule_id="MOT-4",
        summary=_("Date of birth corrected: %(reason)s") % {"reason": reason},
    )
    _move_turning_18(resident, by=by, reason=reason)


def _move_turning_18(resident: Resident, *, by: User, reason: str) -> None:
    for case in resident.turning_18_cases.filter(state__in=OPEN_STATES):
        locked = routine_case_lock(routine=TURNING_18, case=case)
        locked.birthday = rules.eighteenth_birthday(resident.date_of_birth)
        locked.birthday_at = rules.turns_18_at(resident.date_of_birth)
        locked._history_user = by
        locked.save()
        kind = TURNING_18.deadline_kind(TURNING_18.step(REGION_REQUEST))
        pending = deadline_pending(case=locked, kind=kind)
        if pending is not None:
            deadline_move(deadline=pending, due_at=locked.birthday_at, by=by, reason=reason)
    # Prompts already given on a birthday stay; a resident who is now younger than 18 had no
    # birthday yet, so the next daily check opens the case when it is due.
    if not resident.turning_18_cases.filter(state__in=OPEN_STATES).exists():
        today = timezone.localdate()
        if rules.turning_18_task_due(date_of_birth=resident.date_of_birth, today=today):
            turning_18_open(resident=resident, by=by)
