"""Writes of the presence register and of agreed returns from outings (SAV-2, R-1).

An absence without agreement found at a check, or an outing not back at its agreed time, is
published as a life event (ABSENT_AT_CHECK) in the transaction of the record; the missing
routine reacts to it by starting its investigation (savnet/handlers.py). mottak never imports
a routine app: what the routines know of a resident (on leave, missing) is read through the
statuses they declare (cases.selectors_work.statuses_of).
"""

from collections.abc import Mapping
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from cases.selectors_work import statuses_of
from cases.services import (
    case_event_publish,
    deadline_meet_for,
    deadline_open,
    timeline_event_record,
)
from cases.templatetags.form_tags import norwegian_date

from .. import events
from .. import rules_presence as rules
from ..models import Centre, Outing, PresenceCheck, PresenceMark, Resident, User
from ..selectors_presence import check_time

OUTING_RETURN_DEADLINE = "mottak_outing_return"
OUTING_RETURN_LABEL = gettext_noop("Agreed return from an outing")

MARK_MESSAGES = {
    "no_leave_under_way": lambda: _("No leave under way is recorded for this resident."),
    "no_agreed_return": lambda: _(
        "No agreed return after the check is recorded for this resident: record the outing "
        "first, or mark them absent."
    ),
}
OUTING_MESSAGES = {
    "left_in_future": lambda: _("The time they went out cannot be in the future."),
    "return_passed": lambda: _(
        "That time has passed. If the resident is not back, mark them absent at a check."
    ),
    "outing_too_long": lambda: _(
        "An agreed return more than 12 hours ahead is a leave, not an outing."
    ),
}


def _statuses(resident_ids) -> dict[int, frozenset[str]]:
    return {
        rid: frozenset(row.watch.status for row in rows)
        for rid, rows in statuses_of(resident_ids).items()
    }


def _in_house_ids(centre: Centre, at: datetime) -> set[int]:
    """Residents with an open stay at the centre that had begun by the check's time."""
    return set(
        Resident.objects.filter(
            stays__centre=centre, stays__ended_at__isnull=True, stays__started_at__lte=at
        ).values_list("pk", flat=True)
    )


def _publish_absence(*, resident_id: int, centre_id: int, key: str, noticed_at, by_id, **ids):
    """The life event the missing routine reacts to, and the line on the resident's timeline."""
    subject = Resident(pk=resident_id)
    case_event_publish(
        kind=events.ABSENT_AT_CHECK,
        subject=subject,
        payload={
            "centre_id": centre_id,
            "noticed_at": noticed_at.isoformat(),
            "by_id": by_id,
            **ids,
        },
        key=key,
    )


def presence_check_record(
    *,
    centre: Centre,
    kind: str,
    on_date: date,
    marks: Mapping[int, str],
    by: User,
    now: datetime | None = None,
) -> PresenceCheck:
    """Record a check: one mark per resident living at the centre, all or nothing.

    Submitting the same check again (a double click, or a correction) keeps one record set:
    the marks are updated, and an absence is published once per check and resident. Marking
    someone present who is out on an outing records them back at the check's time.
    """
    now = now or timezone.now()
    slot = check_time(centre, kind)
    if slot is None:
        raise ValidationError(_("This centre does not hold that check."))
    held_at = rules.check_moment(on_date, slot.time)
    if rules.check_problems(held_at=held_at, now=now):
        raise ValidationError(
            _("This check is not due yet: it can be recorded from %(time)s.")
            % {"time": norwegian_date(held_at)}
        )
    if any(value not in PresenceMark.Status.values for value in marks.values()):
        raise ValidationError(_("Choose a mark for every resident."))
    try:
        with transaction.atomic():
            Centre.objects.select_for_update().get(pk=centre.pk)  # one check at a time
            return _record_locked(centre, kind, on_date, held_at, dict(marks), by)
    except IntegrityError:
        # Only when two submits raced past the lock on a database without row locks.
        raise ValidationError(_("This check was just recorded by someone else.")) from None


def _record_locked(centre, kind, on_date, held_at, marks: dict[int, str], by) -> PresenceCheck:
    in_house = _in_house_ids(centre, held_at)
    if set(marks) - in_house:
        raise ValidationError(_("A resident who does not live at this centre was marked."))
    unmarked = in_house - set(marks)
    if unmarked:
        raise ValidationError(
            _("Mark every resident: %(count)d not marked. Nothing has been saved.")
            % {"count": len(unmarked)}
        )
    statuses = _statuses(in_house)
    outings = {
        o.resident_id: o
        for o in Outing.objects.select_for_update().filter(resident__in=in_house, back_at=None)
    }
    errors = {}
    for rid, mark in marks.items():
        outing = outings.get(rid)
        problems = rules.mark_problems(
            mark=mark,
            statuses=statuses.get(rid, frozenset()),
            agreed_return=outing.return_by if outing else None,
            held_at=held_at,
        )
        if problems:
            errors[f"r{rid}"] = [MARK_MESSAGES[p]() for p in problems]
    if errors:
        raise ValidationError(errors)

    check = PresenceCheck.objects.filter(centre=centre, on_date=on_date, kind=kind).first()
    if check is None:
        check = PresenceCheck(
            centre=centre, kind=kind, on_date=on_date, held_at=held_at, recorded_by=by
        )
        check._history_user = by
        check.save()
    existing = {m.resident_id: m for m in check.marks.all()}
    new, changed, newly_absent = [], [], []
    for rid, mark in marks.items():
        before = existing.get(rid)
        previous = before.status if before else None
        if before is None:
            new.append(PresenceMark(check_event=check, resident_id=rid, status=mark))
        elif previous != mark:
            before.status = mark
            changed.append(before)
        if mark == rules.ABSENT and previous != rules.ABSENT:
            newly_absent.append(rid)
    if new:
        bulk_create_with_history(new, PresenceMark, default_user=by)
    if changed:
        bulk_update_with_history(changed, PresenceMark, ["status"], default_user=by)
    for rid in newly_absent:
        timeline_event_record(
            subject=Resident(pk=rid),
            kind="absent_at_check",
            actor=by,
            at=held_at,
            rule_id="SAV-2",
            summary=_("Absent without agreement at the check %(check)s")
            % {"check": f"{check.get_kind_display().lower()} {norwegian_date(held_at)}"},
        )
        if rules.needs_investigation(mark=rules.ABSENT, statuses=statuses.get(rid, frozenset())):
            _publish_absence(
                resident_id=rid,
                centre_id=centre.pk,
                key=f"{events.ABSENT_AT_CHECK}:check:{check.pk}:{rid}",
                noticed_at=held_at,
                by_id=by.pk,
                check_id=check.pk,
            )
    for rid, mark in marks.items():
        outing = outings.get(rid)
        if mark == rules.PRESENT and outing is not None and outing.left_at <= held_at:
            _mark_back_locked(outing, back_at=held_at, by=by)
    return check


# --- agreed returns from outings --------------------------------------------------------------


def outing_record(
    *,
    resident: Resident,
    return_by: datetime,
    by: User,
    left_at: datetime | None = None,
    now: datetime | None = None,
) -> Outing:
    """The resident goes out and is agreed back at `return_by`. A deadline at that moment
    (swept every minute by beat) publishes the absence if they are not recorded back by then.
    The same outing entered twice (a double submit) is recorded once."""
    now = now or timezone.now()
    left_at = left_at or now
    problems = rules.outing_problems(left_at=left_at, return_by=return_by, now=now)
    if problems:
        raise ValidationError([OUTING_MESSAGES[p]() for p in problems])
    try:
        with transaction.atomic():
            locked = Resident.objects.select_for_update().get(pk=resident.pk)
            stay = locked.stays.filter(ended_at__isnull=True).select_related("centre").first()
            if stay is None:
                raise ValidationError(_("The resident does not live at a centre now."))
            current = Outing.objects.filter(resident=locked, back_at=None).first()
            if current is not None:
                if current.return_by == return_by:
                    return current
                raise ValidationError(
                    _(
                        "An outing is already recorded for this resident, agreed back at "
                        "%(time)s. Record them back first."
                    )
                    % {"time": norwegian_date(current.return_by)}
                )
            outing = Outing(
                resident=locked,
                centre=stay.centre,
                left_at=left_at,
                return_by=return_by,
                recorded_by=by,
            )
            outing._history_user = by
            outing.save()
            deadline_open(
                owner=outing,
                kind=OUTING_RETURN_DEADLINE,
                due_at=return_by,
                label=OUTING_RETURN_LABEL,
                rule_id="SAV-2",
                centre=stay.centre,
                subject=locked,
                by=by,
            )
            timeline_event_record(
                subject=locked,
                kind="outing",
                actor=by,
                at=left_at,
                summary=_("Went out, agreed back %(time)s") % {"time": norwegian_date(return_by)},
            )
    except IntegrityError:
        raise ValidationError(_("An outing is already recorded for this resident.")) from None
    return outing


def _mark_back_locked(outing: Outing, *, back_at: datetime, by: User) -> Outing:
    outing.back_at = back_at
    outing.back_recorded_by = by
    outing._history_user = by
    outing.save()
    deadline_meet_for(owner=outing, kind=OUTING_RETURN_DEADLINE, by=by, at=back_at)
    summary = (
        _("Back from an outing, after the agreed time")
        if back_at > outing.return_by
        else _("Back from an outing")
    )
    timeline_event_record(
        subject=outing.resident, kind="outing_back", actor=by, at=back_at, summary=summary
    )
    return outing


def outing_mark_back(
    *, outing: Outing, by: User, back_at: datetime | None = None, now: datetime | None = None
) -> Outing:
    """The resident is back. Recording it again changes nothing."""
    now = now or timezone.now()
    back_at = back_at or now
    with transaction.atomic():
        locked = Outing.objects.select_for_update().select_related("resident").get(pk=outing.pk)
        if locked.back_at is not None:
            return locked
        if back_at > now:
            raise ValidationError(_("The time they came back cannot be in the future."))
        if back_at < locked.left_at:
            raise ValidationError(_("The time they came back cannot be before they went out."))
        return _mark_back_locked(locked, back_at=back_at, by=by)


def outing_return_due(deadline, *, now: datetime) -> None:
    """On-due handler (cases/due.py) of an outing's agreed return: not recorded back by then
    is an absence to look into (SAV-2), published with the agreed return as the moment it was
    noticed. Idempotent: nothing when back, gone from the centre, or already published."""
    outing = Outing.objects.select_for_update().filter(pk=deadline.object_id, back_at=None).first()
    if outing is None:
        return
    if not Resident.objects.filter(
        pk=outing.resident_id, stays__centre=outing.centre_id, stays__ended_at__isnull=True
    ).exists():
        return
    statuses = _statuses([outing.resident_id]).get(outing.resident_id, frozenset())
    timeline_event_record(
        subject=Resident(pk=outing.resident_id),
        kind="outing_not_back",
        at=outing.return_by,
        rule_id="SAV-2",
        summary=_("Not back from an outing at the agreed time %(time)s")
        % {"time": norwegian_date(outing.return_by)},
    )
    if rules.needs_investigation(mark=rules.ABSENT, statuses=statuses):
        _publish_absence(
            resident_id=outing.resident_id,
            centre_id=outing.centre_id,
            key=f"{events.ABSENT_AT_CHECK}:outing:{outing.pk}",
            noticed_at=outing.return_by,
            by_id=outing.recorded_by_id,
            outing_id=outing.pk,
        )
