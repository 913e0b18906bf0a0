"""Pure rules of the core records: no database access."""

import re
from datetime import date, datetime

DUF_DIGITS = 12


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
