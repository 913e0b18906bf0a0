"""The time limits the routines use, computed the way the text reads them (pure functions).

"24 hours" is 24 elapsed hours: computed in UTC, so it stays 24 hours across the change
to and from summer time (the wall clock then shows 25 or 23 hours).

"Snarest" is one working day (R-11): the same local wall time on the next day that is neither
a weekend nor a Norwegian public holiday.

"Within two days", "two weeks", "one week before" and "three months" are calendar periods in
Europe/Oslo: the same local wall time so many days, weeks or months later (or earlier).

Where the text can be read two ways we take the reading that gives the earlier deadline,
because an earlier deadline protects the child:
- "within two days" of Monday 14:00 is Wednesday 14:00, not the end of Wednesday;
- a wall time that does not exist (02:30 on the last Sunday of March) or exists twice
  (02:30 on the last Sunday of October) is read as the earlier of its possible instants.
Every function takes and returns timezone-aware datetimes; a naive one is refused.
"""

import calendar
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

OSLO = ZoneInfo("Europe/Oslo")


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("A time limit needs a timezone-aware datetime.")


def _earliest_local(day: date, wall: time) -> datetime:
    """The earliest instant showing `wall` on `day` in Oslo, as an aware Oslo datetime.

    A wall time in the spring gap is read with the summer offset (earlier instant); one in
    the autumn overlap as its first occurrence.
    """
    candidates = [
        datetime.combine(day, wall.replace(tzinfo=None, fold=fold), tzinfo=OSLO) for fold in (0, 1)
    ]
    return min(candidates, key=lambda dt: dt.astimezone(UTC)).astimezone(UTC).astimezone(OSLO)


def _shift_local_days(moment: datetime, days: int) -> datetime:
    _require_aware(moment)
    local = moment.astimezone(OSLO)
    return _earliest_local(local.date() + timedelta(days=days), local.timetz())


def elapsed_hours(start: datetime, hours: int | float) -> datetime:
    """`hours` elapsed hours after `start` (e.g. SAV-2, SAV-7: within 24 hours)."""
    _require_aware(start)
    return (start.astimezone(UTC) + timedelta(hours=hours)).astimezone(OSLO)


def within_days(start: datetime, days: int) -> datetime:
    """'Within `days` days' (KART-3: the welcome conversation within two days): the same local
    wall time `days` calendar days later — the earlier of the two readings (see module text)."""
    return _shift_local_days(start, days)


@cache
def norwegian_public_holidays(year: int) -> frozenset[date]:
    """Norway's public holidays (helligdager, 1 and 17 May) of a year, from the holidays library."""
    return frozenset(holidays.country_holidays("NO", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in norwegian_public_holidays(day.year)


def working_days(start: datetime, count: int) -> datetime:
    """`count` working days after `start`, at the same local wall time (R-11: "snarest" is one
    working day): Friday 15:00 gives Monday 15:00, Maundy Thursday the Tuesday after Easter."""
    _require_aware(start)
    local = start.astimezone(OSLO)
    day, left = local.date(), count
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return _earliest_local(day, local.timetz())


def end_of_day(start: datetime) -> datetime:
    """The last minute of `start`'s calendar day in Oslo (R-11: "umiddelbart" is the same
    day): 23:59 local time."""
    _require_aware(start)
    return _earliest_local(start.astimezone(OSLO).date(), time(23, 59))


def end_of_calendar_day(start: datetime, days: int) -> datetime:
    """By the end of the `days`-th calendar day in Oslo, the start's own day counting as day
    one (R-7, KART-3: "helst i løpet av de to første dagene"): the local midnight that ends it.
    Monday 23:00 with two days is Wednesday 00:00 — earlier than `within_days`. Midnight in
    Oslo is never in a daylight-saving gap or overlap, so the result is one instant."""
    _require_aware(start)
    local = start.astimezone(OSLO)
    return _earliest_local(local.date() + timedelta(days=days), time(0))


def weeks(start: datetime, count: int) -> datetime:
    """`count` calendar weeks after `start` at the same local wall time (KART-8, KART-9)."""
    return _shift_local_days(start, 7 * count)


def one_week_before(moment: datetime) -> datetime:
    """One calendar week before `moment`, same local wall time (PERM-3)."""
    return _shift_local_days(moment, -7)


def add_months(day: date, count: int) -> date:
    """Calendar months with month-end clamping: 31 January + 3 months = 30 April."""
    month_index = day.month - 1 + count
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months(start: datetime, count: int) -> datetime:
    """`count` calendar months after `start` at the same local wall time (KART-10: at least
    every three months). A day that the target month lacks becomes its last day."""
    _require_aware(start)
    local = start.astimezone(OSLO)
    return _earliest_local(add_months(local.date(), count), local.timetz())
