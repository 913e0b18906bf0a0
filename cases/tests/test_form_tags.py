"""The one date format of the forms: 01.12.2026, and 01.12.2026 kl. 14.05 in Europe/Oslo."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import timezone

from cases.templatetags.form_tags import dato

OSLO = ZoneInfo("Europe/Oslo")


@pytest.mark.parametrize(
    ("value", "printed"),
    [
        # Dates stay dates: no time of day, whatever the time zone.
        ("2026-12-01", "01.12.2026"),
        (date(2026, 12, 1), "01.12.2026"),
        ("2010-03-04", "04.03.2010"),
        # Winter time: UTC+1.
        ("2026-12-01T13:05:00+00:00", "01.12.2026 kl. 14.05"),
        ("2026-12-01T13:05:00Z", "01.12.2026 kl. 14.05"),
        ("2026-12-01T14:05:00+01:00", "01.12.2026 kl. 14.05"),
        (datetime(2026, 12, 1, 13, 5, tzinfo=UTC), "01.12.2026 kl. 14.05"),
        # Summer time: UTC+2.
        ("2026-07-01T12:05:00+00:00", "01.07.2026 kl. 14.05"),
        (datetime(2026, 7, 1, 14, 5, tzinfo=OSLO), "01.07.2026 kl. 14.05"),
        # Late evening UTC is the next day in Oslo.
        ("2026-06-30T22:30:00+00:00", "01.07.2026 kl. 00.30"),
        # The night the clocks go back: 01.30 comes twice, an hour apart in UTC.
        ("2026-10-25T00:30:00+00:00", "25.10.2026 kl. 02.30"),
        ("2026-10-25T01:30:00+00:00", "25.10.2026 kl. 02.30"),
        # A time with milliseconds, as DjangoJSONEncoder stores it.
        ("2026-12-01T13:05:59.123Z", "01.12.2026 kl. 14.05"),
        # A naive date-time is already a wall-clock time.
        ("2026-12-01T14:05:00", "01.12.2026 kl. 14.05"),
    ],
)
def test_dates_and_times_print_the_norwegian_way(value, printed):
    assert dato(value) == printed


@pytest.mark.parametrize("value", [None, ""])
def test_an_empty_value_prints_nothing(value):
    assert dato(value) == ""


def test_something_that_is_not_a_date_shows_as_it_is():
    assert dato("ukjent") == "ukjent"
    assert dato("2026-13-45") == "2026-13-45"


def test_the_time_is_oslo_time_whatever_time_zone_is_active():
    with timezone.override("America/New_York"):
        assert dato("2026-12-01T13:05:00+00:00") == "01.12.2026 kl. 14.05"


def test_a_year_before_1000_keeps_four_digits():
    assert dato(date(999, 1, 2)) == "02.01.0999"


def test_the_filter_in_a_template():
    template = Template("{% load form_tags %}{{ at|dato }}|{{ on|dato }}|{{ missing|dato }}")
    context = Context({"at": "2026-07-01T12:05:00+00:00", "on": "2026-12-01"})
    assert template.render(context) == "01.07.2026 kl. 14.05|01.12.2026|"
