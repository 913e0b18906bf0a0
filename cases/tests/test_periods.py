"""The time limits at their boundaries: daylight saving and month ends (X-5)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from cases import periods
from cases.periods import (
    OSLO,
    add_months,
    elapsed_hours,
    months,
    one_week_before,
    weeks,
    within_days,
    working_days,
)


def oslo(*args, fold=0) -> datetime:
    return datetime(*args, tzinfo=OSLO, fold=fold)


def elapsed(a: datetime, b: datetime) -> timedelta:
    return b.astimezone(UTC) - a.astimezone(UTC)


def test_x_5_sav_2_24_hours_across_spring_change_is_24_elapsed_hours():
    # Last Sunday of March 2025 is 30 March: clocks jump 02:00 → 03:00.
    start = oslo(2025, 3, 29, 12, 0)
    due = elapsed_hours(start, 24)
    assert elapsed(start, due) == timedelta(hours=24)
    # The wall clock shows 25 hours later.
    assert due.astimezone(OSLO).replace(tzinfo=None) == datetime(2025, 3, 30, 13, 0)


def test_x_5_sav_2_24_hours_across_autumn_change_is_24_elapsed_hours():
    # Last Sunday of October 2025 is 26 October: clocks fall back 03:00 → 02:00.
    start = oslo(2025, 10, 25, 12, 0)
    due = elapsed_hours(start, 24)
    assert elapsed(start, due) == timedelta(hours=24)
    # The wall clock shows 23 hours later.
    assert due.astimezone(OSLO).replace(tzinfo=None) == datetime(2025, 10, 26, 11, 0)


def test_x_5_24_hours_from_inside_the_autumn_overlap():
    first = oslo(2025, 10, 26, 2, 30, fold=0)  # 00:30 UTC
    second = oslo(2025, 10, 26, 2, 30, fold=1)  # 01:30 UTC
    assert elapsed_hours(first, 24).astimezone(UTC) == datetime(2025, 10, 27, 0, 30, tzinfo=UTC)
    assert elapsed_hours(second, 24).astimezone(UTC) == datetime(2025, 10, 27, 1, 30, tzinfo=UTC)


def test_x_5_elapsed_hours_from_a_utc_moment_is_the_same_instant_in_any_zone():
    start_utc = datetime(2025, 3, 30, 0, 30, tzinfo=UTC)
    assert elapsed_hours(start_utc, 24) == elapsed_hours(start_utc.astimezone(OSLO), 24)


def test_kart_3_within_two_days_is_same_wall_time_two_calendar_days_later():
    assert within_days(oslo(2025, 6, 2, 14, 0), 2) == oslo(2025, 6, 4, 14, 0)


def test_kart_3_within_two_days_across_spring_change_keeps_wall_time():
    start = oslo(2025, 3, 29, 14, 0)
    due = within_days(start, 2)
    assert due == oslo(2025, 3, 31, 14, 0)
    assert elapsed(start, due) == timedelta(hours=47)


def test_kart_3_within_two_days_is_the_earlier_reading_not_end_of_day():
    due = within_days(oslo(2025, 6, 2, 9, 15), 2)
    assert due < oslo(2025, 6, 4, 23, 59)
    assert due.astimezone(OSLO).hour == 9


def test_x_5_wall_time_in_the_spring_gap_is_read_as_the_earlier_instant():
    # 02:30 on 30 March 2025 does not exist; the earlier reading is 00:30 UTC (01:30 CET).
    start = oslo(2025, 3, 28, 2, 30)
    due = within_days(start, 2)
    assert due.astimezone(UTC) == datetime(2025, 3, 30, 0, 30, tzinfo=UTC)


def test_x_5_wall_time_in_the_autumn_overlap_is_its_first_occurrence():
    start = oslo(2025, 10, 24, 2, 30)
    due = within_days(start, 2)
    assert due.astimezone(UTC) == datetime(2025, 10, 26, 0, 30, tzinfo=UTC)


def test_kart_8_two_weeks_across_autumn_change_keeps_wall_time():
    start = oslo(2025, 10, 20, 10, 0)
    due = weeks(start, 2)
    assert due == oslo(2025, 11, 3, 10, 0)
    assert elapsed(start, due) == timedelta(days=14, hours=1)


def test_perm_3_one_week_before_across_spring_change_keeps_wall_time():
    leave_starts = oslo(2025, 4, 2, 9, 0)
    due = one_week_before(leave_starts)
    assert due == oslo(2025, 3, 26, 9, 0)
    assert elapsed(due, leave_starts) == timedelta(days=7) - timedelta(hours=1)


@pytest.mark.parametrize(
    "start, count, expected",
    [
        (date(2025, 1, 31), 3, date(2025, 4, 30)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 11, 30), 3, date(2025, 2, 28)),
        (date(2023, 11, 30), 3, date(2024, 2, 29)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2025, 10, 31), 3, date(2026, 1, 31)),
        (date(2025, 12, 15), 3, date(2026, 3, 15)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
    ],
)
def test_kart_10_calendar_months_clamp_at_month_end(start, count, expected):
    assert add_months(start, count) == expected


def test_kart_10_three_months_from_31_january_is_30_april_same_wall_time():
    start = oslo(2025, 1, 31, 16, 45)
    assert months(start, 3) == oslo(2025, 4, 30, 16, 45)


def test_kart_10_three_months_from_30_november_is_end_of_february():
    assert months(oslo(2025, 11, 30, 8, 0), 3) == oslo(2026, 2, 28, 8, 0)
    assert months(oslo(2027, 11, 30, 8, 0), 3) == oslo(2028, 2, 29, 8, 0)


def test_kart_10_months_from_a_utc_moment_uses_the_oslo_calendar_day():
    # 23:30 UTC on 31 December is already 1 January in Oslo.
    start = datetime(2024, 12, 31, 23, 30, tzinfo=UTC)
    assert months(start, 1) == oslo(2025, 2, 1, 0, 30)


@pytest.mark.parametrize("func", [elapsed_hours, within_days, weeks, months])
def test_x_5_naive_datetimes_are_refused(func):
    with pytest.raises(ValueError):
        func(datetime(2025, 1, 1, 12, 0), 1)


def test_x_5_one_week_before_refuses_naive_datetime():
    with pytest.raises(ValueError):
        one_week_before(datetime(2025, 1, 1, 12, 0))


# ---- "snarest" is one working day ---------------------------------------------------------


def test_r_11_one_working_day_from_a_weekday_is_the_next_day_same_time():
    assert working_days(oslo(2026, 12, 1, 14, 5), 1) == oslo(2026, 12, 2, 14, 5)


def test_r_11_friday_afternoon_gives_monday_and_saturday_gives_monday_too():
    assert working_days(oslo(2026, 12, 4, 15, 0), 1) == oslo(2026, 12, 7, 15, 0)
    assert working_days(oslo(2026, 12, 5, 10, 0), 1) == oslo(2026, 12, 7, 10, 0)


def test_r_11_norwegian_public_holidays_are_not_working_days():
    # Maundy Thursday 2 April 2026 → Good Friday, Easter Sunday and Monday are holidays.
    assert working_days(oslo(2026, 4, 1, 9, 0), 1) == oslo(2026, 4, 7, 9, 0)
    # 17 May 2027 is a Monday.
    assert working_days(oslo(2027, 5, 14, 9, 0), 1) == oslo(2027, 5, 18, 9, 0)
    # Christmas Eve is a working day, the 25th and 26th are not.
    assert working_days(oslo(2026, 12, 23, 9, 0), 1) == oslo(2026, 12, 24, 9, 0)
    assert working_days(oslo(2026, 12, 24, 9, 0), 1) == oslo(2026, 12, 28, 9, 0)


# --- "snarest" within one working day, "umiddelbart" the same day -------------------------


def test_r_11_one_working_day_after_a_monday_is_tuesday_same_wall_time():
    monday = datetime(2026, 11, 23, 10, 0, tzinfo=periods.OSLO)
    assert periods.working_days(monday, 1) == datetime(2026, 11, 24, 10, 0, tzinfo=periods.OSLO)


def test_r_11_one_working_day_after_a_friday_is_monday():
    friday = datetime(2026, 11, 27, 14, 0, tzinfo=periods.OSLO)
    assert periods.working_days(friday, 1) == datetime(2026, 11, 30, 14, 0, tzinfo=periods.OSLO)


def test_r_11_a_request_on_saturday_is_due_monday():
    saturday = datetime(2026, 11, 28, 9, 0, tzinfo=periods.OSLO)
    assert periods.working_days(saturday, 1) == datetime(2026, 11, 30, 9, 0, tzinfo=periods.OSLO)


def test_r_11_same_day_ends_at_23_59_local_time():
    evening = datetime(2026, 11, 27, 22, 30, tzinfo=periods.OSLO)
    assert periods.end_of_day(evening) == datetime(2026, 11, 27, 23, 59, tzinfo=periods.OSLO)
    # Given in UTC just after midnight Oslo time: still that Oslo day.
    after_midnight_utc = datetime(2026, 11, 27, 23, 30, tzinfo=UTC)  # 00:30 on the 28th
    assert periods.end_of_day(after_midnight_utc).date().day == 28


def test_r_11_same_day_and_working_days_are_declarable_periods():
    from cases.routines import Due

    assert Due("moved_at", "same_day", 0, urgency="straks").describe() == (
        "by the end of the day of moved_at"
    )
    with pytest.raises(ValueError):
        Due("moved_at", "same_day", 1)
    assert Due("requested_at", "working_days", 1).describe() == "1 working day after requested_at"
