"""Pure rules of the presence register and agreed returns from outings (SAV-2, R-1).

No database access: the services and selectors give the facts, these say what follows.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")

# The checks a centre holds when it has configured none (kind code → time of day).
DEFAULT_CHECK_TIMES: dict[str, time] = {
    "night": time(2, 0),
    "morning": time(7, 30),
    "after_school": time(16, 0),
    "evening": time(22, 0),
}

# An outing is an ordinary trip out with an agreed return the same day or night; longer is
# a leave (the leave routine), so an agreed return further ahead is refused.
OUTING_MAX_HOURS = 12

# Status codes the routines declare for a resident (cases Watch.status) that mean the absence
# is already known to a routine: on leave, late back from leave, being looked into, missing.
ON_LEAVE_STATUSES = frozenset({"on_leave"})
ALREADY_FOLLOWED_STATUSES = frozenset({"missing", "absent", "late"})

PRESENT = "present"
ON_LEAVE = "on_leave"
AWAY_AGREED = "away_agreed"
ABSENT = "absent"


def check_moment(on_date: date, at: time) -> datetime:
    """The check's time: the date and time of day read in Europe/Oslo (a time that does not
    exist on the night clocks go forward is read as the same wall time an hour later)."""
    return datetime.combine(on_date, at, tzinfo=OSLO)


def check_problems(*, held_at: datetime, now: datetime) -> list[str]:
    """A check cannot be recorded before its time."""
    return ["check_in_future"] if held_at > now else []


def mark_problems(
    *, mark: str, statuses: frozenset[str], agreed_return: datetime | None, held_at: datetime
) -> list[str]:
    """What is wrong with a resident's mark at a check, given what the routines say of them
    (`statuses`) and the agreed return of an outing they are on (None if none).

    "On leave" needs a leave under way; "away, back at an agreed time" needs an outing whose
    agreed return is after the check — a return time already passed is not an agreement any
    more, it is an absence (SAV-2).
    """
    if mark == ON_LEAVE and not statuses & ON_LEAVE_STATUSES:
        return ["no_leave_under_way"]
    if mark == AWAY_AGREED and (agreed_return is None or agreed_return <= held_at):
        return ["no_agreed_return"]
    return []


def needs_investigation(*, mark: str, statuses: frozenset[str]) -> bool:
    """SAV-2: absent at a check without an agreed reason prompts an investigation, unless a
    routine already follows the absence (missing, being looked into, late back from leave)."""
    return mark == ABSENT and not statuses & ALREADY_FOLLOWED_STATUSES


def default_mark(
    *, statuses: frozenset[str], agreed_return: datetime | None, held_at: datetime
) -> str:
    """The mark the page proposes from the records; "" (nothing chosen) when the records do
    not say, so staff must look at every resident rather than confirm a guess of "present"."""
    if statuses & ON_LEAVE_STATUSES:
        return ON_LEAVE
    if statuses & ALREADY_FOLLOWED_STATUSES:
        return ABSENT
    if agreed_return is not None and agreed_return > held_at:
        return AWAY_AGREED
    return ""


def outing_return_at(*, now: datetime, at: time) -> datetime:
    """The agreed return "out until HH:MM": the next time the clock in Oslo shows HH:MM after
    `now` (22:00 said at 18:00 is tonight; 01:00 said at 22:00 is after midnight)."""
    local = now.astimezone(OSLO)
    candidate = check_moment(local.date(), at)
    if candidate <= local:
        candidate = check_moment(local.date() + timedelta(days=1), at)
    return candidate


def outing_problems(*, left_at: datetime, return_by: datetime, now: datetime) -> list[str]:
    problems = []
    if left_at > now:
        problems.append("left_in_future")
    if return_by <= now:
        problems.append("return_passed")
    elif return_by - left_at > timedelta(hours=OUTING_MAX_HOURS):
        problems.append("outing_too_long")
    return problems
