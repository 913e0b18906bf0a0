"""Pure rules of the core records: no database access."""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DUF_DIGITS = 12
OSLO = ZoneInfo("Europe/Oslo")


def normalise_duf_number(raw: str) -> str | None:
    """Return the 12-digit DUF number, or None if it is not one. Spaces are accepted on input."""
    compact = re.sub(r"\s+", "", raw or "")
    if len(compact) == DUF_DIGITS and compact.isascii() and compact.isdigit():
        return compact
    return None


def age_on(date_of_birth: date, day: date) -> int:
    years = day.year - date_of_birth.year
    if (day.month, day.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def arrival_problems(*, date_of_birth: date, arrived_at: datetime, now: datetime) -> list[str]:
    """Message ids for what is wrong with an arrival; empty when it may be recorded."""
    problems = []
    if date_of_birth > now.date():
        problems.append("birth_in_future")
    if arrived_at > now:
        problems.append("arrival_in_future")
    if arrived_at.date() < date_of_birth:
        problems.append("arrival_before_birth")
    return problems


ADULT_AGE = 18


def eighteenth_birthday(date_of_birth: date) -> date:
    """The day the resident turns 18; born on 29 February, 1 March in a year without one
    (the same reading as the daily turned-18 check: 17 on 28 February)."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + ADULT_AGE)
    except ValueError:
        return date(date_of_birth.year + ADULT_AGE, 3, 1)


def days_until_18(date_of_birth: date, today: date) -> int:
    """Whole days left until the 18th birthday; 0 on the day and after."""
    return max((eighteenth_birthday(date_of_birth) - today).days, 0)


def date_of_birth_warnings(
    *, date_of_birth: date, arrived_on: date | None, today: date
) -> list[str]:
    """Codes of what looks wrong but may be true (the form asks staff to confirm):
    born today (a date typed by mistake?), or 18 or older at arrival (not a minor)."""
    warnings = []
    if date_of_birth == today:
        warnings.append("born_today")
    if arrived_on is not None and age_on(date_of_birth, arrived_on) >= ADULT_AGE:
        warnings.append("adult_at_arrival")
    return warnings


APPOINTMENT_YEARS_BACK = 1
APPOINTMENT_YEARS_AHEAD = 2


def appointment_time_problems(*, starts_at: datetime, now: datetime) -> list[str]:
    """An appointment is planned or recently held: within a year back and two years ahead."""
    earliest = _years_from(now, -APPOINTMENT_YEARS_BACK)
    latest = _years_from(now, APPOINTMENT_YEARS_AHEAD)
    if starts_at < earliest:
        return ["too_early"]
    if starts_at > latest:
        return ["too_late"]
    return []


def _years_from(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February into a year without one
        return moment.replace(year=moment.year + years, day=28)


# --- MOT-4: turning 18 ----------------------------------------------------------------------

TURNING_18_TASK_WEEKS = 6  # the task opens 6 weeks before the 18th birthday


def turning_18_task_opens_on(date_of_birth: date) -> date:
    """R-9: six calendar weeks before the 18th birthday."""
    return eighteenth_birthday(date_of_birth) - timedelta(weeks=TURNING_18_TASK_WEEKS)


def turning_18_task_due(*, date_of_birth: date, today: date) -> bool:
    """The turning-18 task should be open today: from six weeks before the birthday until the
    day before it (a missed day is caught up)."""
    return turning_18_task_opens_on(date_of_birth) <= today < eighteenth_birthday(date_of_birth)


def turns_18_at(date_of_birth: date) -> datetime:
    """The first moment of the 18th birthday in Europe/Oslo (the day counts from local
    midnight, whatever the offset)."""
    return datetime.combine(eighteenth_birthday(date_of_birth), time(0), tzinfo=OSLO)


def is_adult_at(date_of_birth: date, moment: datetime) -> bool:
    """18 or older at `moment`, read on the calendar in Europe/Oslo."""
    return moment.astimezone(OSLO).date() >= eighteenth_birthday(date_of_birth)


def date_of_birth_correction_problems(
    *, date_of_birth: date, first_arrival_on: date | None, today: date
) -> list[str]:
    """Codes of what makes a corrected date of birth impossible."""
    problems = []
    if date_of_birth > today:
        problems.append("birth_in_future")
    if first_arrival_on is not None and date_of_birth > first_arrival_on:
        problems.append("birth_after_arrival")
    return problems
