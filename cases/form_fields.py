"""Date and date-time form fields that accept only dates the records can hold.

A value far outside the years the service deals with is a typing error, and some are worse:
a time in year 1 overflows when it is converted between time zones, and every page that shows
it breaks. Every form in the project that takes a date or a time uses one of these fields.

Each field has an earliest and a latest value; either may be a fixed value or a function
without arguments (for bounds that move with the clock, see ``today_plus`` and ``now_plus``).
Anything outside is refused with one message that names the range in Norwegian notation;
input that is not a date at all keeps Django's own "Enter a valid date." message.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Nobody the centres deal with was born earlier.
EARLIEST_BIRTH_DATE = date(1900, 1, 1)
# The system keeps no earlier records: dates of events and plans start here.
EARLIEST_DATE = date(2000, 1, 1)
# How far ahead a plan (a leave's departure and return) may reach.
YEARS_AHEAD = 5
# Where a form refuses the future, how far ahead the range itself still reaches: the form's own
# rule gives the precise message for times just ahead (a clock that is off, a typo in the hour).
FUTURE_MARGIN = timedelta(days=1)

DATE_DISPLAY = "%d.%m.%Y"
DATETIME_DISPLAY = "%d.%m.%Y %H:%M"

Bound = date | datetime | Callable[[], date | datetime]


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a year without one
        return day.replace(year=day.year + years, day=28)


def today_plus(*, years: int = 0, days: int = 0) -> Callable[[], date]:
    """A bound that moves with the local date."""

    def bound() -> date:
        return _years_later(timezone.localdate(), years) + timedelta(days=days)

    return bound


def now_plus(*, years: int = 0, delta: timedelta = timedelta()) -> Callable[[], datetime]:
    """A bound that moves with the clock (in local time)."""

    def bound() -> datetime:
        now = timezone.localtime() if settings.USE_TZ else datetime.now()
        try:
            later = now.replace(year=now.year + years)
        except ValueError:  # 29 February into a year without one
            later = now.replace(year=now.year + years, day=28)
        return later + delta

    return bound


# The default latest values: five years from today, from now.
DATE_PLANNING_HORIZON = today_plus(years=YEARS_AHEAD)
TIME_PLANNING_HORIZON = now_plus(years=YEARS_AHEAD)


def _resolve(bound: Bound) -> date | datetime:
    return bound() if callable(bound) else bound


class _RangeMixin:
    """Refuses values outside [earliest, latest]; subclasses say how values compare."""

    display_format: str
    default_latest: Bound

    def __init__(self, *, earliest: Bound = EARLIEST_DATE, latest: Bound | None = None, **kwargs):
        self.earliest = earliest
        self.latest = latest if latest is not None else self.default_latest
        super().__init__(**kwargs)

    def comparable(self, value):
        """The value in a form that compares with the bounds, or None if it cannot be."""
        raise NotImplementedError

    def range(self) -> tuple:
        return self.comparable(_resolve(self.earliest)), self.comparable(_resolve(self.latest))

    def validate(self, value):
        super().validate(value)
        if value in self.empty_values:
            return
        earliest, latest = self.range()
        comparable = self.comparable(value)
        if comparable is None or not earliest <= comparable <= latest:
            raise ValidationError(
                self.error_messages["out_of_range"],
                code="out_of_range",
                params={
                    "min": earliest.strftime(self.display_format),
                    "max": latest.strftime(self.display_format),
                },
            )


class PlausibleDateField(_RangeMixin, forms.DateField):
    """A date between ``earliest`` (default 1 January 2000) and ``latest`` (default five years
    from today). Dates of birth: see ``birth_date_field``."""

    display_format = DATE_DISPLAY
    default_error_messages = {
        "out_of_range": _("Enter a date between %(min)s and %(max)s."),
    }

    default_latest = staticmethod(DATE_PLANNING_HORIZON)

    def comparable(self, value) -> date | None:
        if isinstance(value, datetime):
            return value.date()
        return value


class PlausibleDateTimeField(_RangeMixin, forms.DateTimeField):
    """A date and time between ``earliest`` (default 1 January 2000, 00:00) and ``latest``
    (default five years from now), compared as local wall-clock times: no time-zone arithmetic
    on a value that may not survive it."""

    display_format = DATETIME_DISPLAY
    default_error_messages = {
        "out_of_range": _("Enter a date and time between %(min)s and %(max)s."),
    }

    default_latest = staticmethod(TIME_PLANNING_HORIZON)

    def comparable(self, value) -> datetime | None:
        if not isinstance(value, datetime):
            return datetime.combine(value, time.min)
        if timezone.is_aware(value):
            try:
                value = timezone.localtime(value)
            except (OverflowError, ValueError):
                return None
        return value.replace(tzinfo=None)


def birth_date_field(**kwargs) -> PlausibleDateField:
    """A date of birth: from 1 January 1900, and not beyond tomorrow (the form says more about
    a birth date in the future)."""
    kwargs.setdefault("earliest", EARLIEST_BIRTH_DATE)
    kwargs.setdefault("latest", today_plus(days=FUTURE_MARGIN.days))
    return PlausibleDateField(**kwargs)
