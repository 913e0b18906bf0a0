"""RET-6: RMA's quarterly meetings of ASA, RMA and AUA, on the routine kernel. Each quarter has
one meeting row with a national deadline (RMA answers for it) at the quarter's end; recording
the minutes meets it and plans the next quarter's, and a daily beat task plans the current
quarter's if nobody has yet — so a quarter's deadline exists whether or not the last was held."""

from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from cases.services.routines import routine_deadline_open, routine_step_do
from mottak.models import Role

from . import rules
from .models import QuarterlyMeeting
from .routine import MEETING_HELD, MEETINGS

MINUTES_MESSAGES = {
    "future": gettext_lazy("The meeting cannot be recorded as held in the future."),
    "participants": gettext_lazy(
        "Tick who took part: RMA, which calls the meeting, and whoever else came (ASA, AUA)."
    ),
    "topics": gettext_lazy("Write the topics of the meeting."),
    "clarifications": gettext_lazy("Write what was clarified (or that nothing was)."),
}


def _quarter_moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def quarterly_meeting_plan(*, quarter_of: date, by=None) -> QuarterlyMeeting:
    """The quarter's meeting row with its deadline (the quarter's end); a second call, a
    retried task or a concurrent plan give back the row that exists."""
    start = _quarter_moment(rules.quarter_start(quarter_of))
    existing = QuarterlyMeeting.objects.filter(quarter_start=start).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            meeting = QuarterlyMeeting.objects.create(quarter_start=start)
            routine_deadline_open(routine=MEETINGS, case=meeting, step_code=MEETING_HELD, by=by)
    except IntegrityError:
        return QuarterlyMeeting.objects.get(quarter_start=start)
    return meeting


def quarterly_meetings_plan_current(*, now: datetime | None = None) -> QuarterlyMeeting:
    """The beat's daily call: the current quarter has its meeting and deadline."""
    return quarterly_meeting_plan(quarter_of=timezone.localdate(now or timezone.now()))


def quarterly_meeting_record(
    *,
    meeting: QuarterlyMeeting,
    held_on: date,
    participants,
    topics: str,
    clarifications: str,
    by,
) -> QuarterlyMeeting:
    """RET-6: the minutes of the quarter's meeting, recorded by RMA; meets the quarter's
    deadline and plans the next quarter's meeting with its own."""
    if not (by.is_admin_role or by.role == Role.RMA):
        raise PermissionDenied
    problems = rules.meeting_minutes_problems(
        held_on=held_on,
        today=timezone.localdate(),
        participants=participants,
        topics=topics,
        clarifications=clarifications,
    )
    if problems:
        raise ValidationError([str(MINUTES_MESSAGES[p]) for p in problems])

    def record(locked: QuarterlyMeeting) -> None:
        locked.held_on = held_on
        locked.participants = [p for p in rules.MEETING_PARTIES if p in set(participants)]
        locked.topics = topics.strip()
        locked.clarifications = clarifications.strip()
        locked.recorded_by = by
        locked.save()

    with transaction.atomic():
        done = routine_step_do(
            routine=MEETINGS, case=meeting, step_code=MEETING_HELD, by=by, work=record
        ).case
        following = rules.next_quarter_start(timezone.localdate(done.quarter_start))
        quarterly_meeting_plan(quarter_of=following, by=by)
    return done
