"""The mapping routine's rules at their boundaries (KART-1..7, R-7)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kartlegging import rules

OSLO = ZoneInfo("Europe/Oslo")
AREAS = {"background", "family", "school"}


def oslo(*args) -> datetime:
    return datetime(*args, tzinfo=OSLO)


@pytest.mark.parametrize(
    ("moved_in", "target"),
    [
        # Monday 23:00: by the end of Tuesday, not Wednesday 23:00 (48 hours).
        (oslo(2026, 11, 30, 23, 0), oslo(2026, 12, 2, 0, 0)),
        (oslo(2026, 11, 30, 0, 5), oslo(2026, 12, 2, 0, 0)),
        # Just before midnight and just after: a day apart.
        (oslo(2026, 11, 30, 23, 59), oslo(2026, 12, 2, 0, 0)),
        (oslo(2026, 12, 1, 0, 0), oslo(2026, 12, 3, 0, 0)),
    ],
)
def test_r_7_kart_3_welcome_by_the_end_of_the_second_calendar_day(moved_in, target):
    assert rules.welcome_target(moved_in) == target


def test_r_7_welcome_target_across_the_spring_change_is_local_midnight():
    # Saturday 28 March 2026 23:30 (winter time); the clocks go forward on Sunday 29 March.
    moved_in = oslo(2026, 3, 28, 23, 30)
    target = rules.welcome_target(moved_in)
    assert target == oslo(2026, 3, 30, 0, 0)
    assert target.astimezone(UTC) == datetime(2026, 3, 29, 22, 0, tzinfo=UTC)
    assert target.astimezone(UTC) - moved_in.astimezone(UTC) == timedelta(hours=23, minutes=30)


def test_r_7_welcome_target_across_the_autumn_change_is_local_midnight():
    # Saturday 24 October 2026 23:30 (summer time); the clocks go back on Sunday 25 October.
    moved_in = oslo(2026, 10, 24, 23, 30)
    target = rules.welcome_target(moved_in)
    assert target == oslo(2026, 10, 26, 0, 0)
    assert target.astimezone(UTC) == datetime(2026, 10, 25, 23, 0, tzinfo=UTC)
    assert target.astimezone(UTC) - moved_in.astimezone(UTC) == timedelta(hours=25, minutes=30)


def test_kart_2_ordinary_mapping_starts_on_day_22_of_a_transit_stay():
    moved_in = oslo(2026, 3, 1, 18, 0)  # day 1
    start = rules.ordinary_mapping_from(moved_in_at=moved_in, transit=True)
    assert start == oslo(2026, 3, 22, 0, 0)  # the first moment of day 22
    last_of_day_21 = oslo(2026, 3, 21, 23, 59)
    assert rules.in_scaled_transit_mapping(moved_in_at=moved_in, transit=True, now=last_of_day_21)
    assert not rules.in_scaled_transit_mapping(moved_in_at=moved_in, transit=True, now=start)


def test_kart_2_kart_3_ordinary_mapping_starts_at_once_at_an_ordinary_centre():
    moved_in = oslo(2026, 3, 1, 18, 0)
    assert rules.ordinary_mapping_from(moved_in_at=moved_in, transit=False) == moved_in
    assert not rules.in_scaled_transit_mapping(moved_in_at=moved_in, transit=False, now=moved_in)


NOW = oslo(2026, 6, 1, 12, 0)


@pytest.mark.parametrize(
    ("used", "language", "mode", "problems"),
    [
        (None, "", "", ["interpreter_unanswered"]),
        (False, "", "", []),
        (True, "Dari", "in_person", []),
        (True, "Dari", "phone", []),
        (True, " ", "phone", ["interpreter_language_missing"]),
        (True, "Dari", "", ["interpreter_mode_missing"]),
        (False, "Dari", "", ["interpreter_details_without_interpreter"]),
    ],
)
def test_kart_6_interpreter_per_conversation(used, language, mode, problems):
    assert (
        rules.conversation_problems(
            interpreter_used=used, language=language, mode=mode, held_at=NOW, now=NOW
        )
        == problems
    )


def test_kart_6_a_conversation_cannot_be_in_the_future():
    assert rules.conversation_problems(
        interpreter_used=False, language="", mode="", held_at=NOW + timedelta(minutes=1), now=NOW
    ) == ["held_in_future"]


def test_kart_1_an_entry_says_whose_words_and_refuses_health_details():
    assert rules.entry_problems(area="family", source="minor", text="x", areas=AREAS) == []
    assert rules.entry_problems(area="health", source="staff", text="x", areas=AREAS) == [
        "health_details"
    ]
    assert rules.entry_problems(area="family", source="", text=" ", areas=AREAS) == [
        "source_missing",
        "text_missing",
    ]
    assert rules.entry_problems(area="nope", source="staff", text="x", areas=AREAS) == [
        "unknown_area"
    ]


def test_kart_1_who_writes_and_who_leads():
    assert rules.may_write(role="child_welfare_lead", is_admin=False, is_key_worker=False)
    assert rules.may_write(role="centre_staff", is_admin=False, is_key_worker=True)
    assert not rules.may_write(role="centre_staff", is_admin=False, is_key_worker=False)
    assert not rules.may_write(role="centre_leader", is_admin=False, is_key_worker=False)
    assert rules.may_lead(role="child_welfare_lead", is_admin=False)
    assert rules.may_lead(role="centre_leader", is_admin=False)
    assert not rules.may_lead(role="centre_staff", is_admin=False)
    assert rules.may_hold_welcome(role="centre_staff", is_admin=False)
    assert not rules.may_hold_welcome(role="region_caseworker", is_admin=False)


def test_kart_5_reading_is_withheld_only_for_a_recorded_reason():
    assert rules.withholding_problems(withhold=True, reason=" ") == ["reason_missing"]
    assert rules.withholding_problems(withhold=True, reason="Risk to the minor") == []
    assert rules.withholding_problems(withhold=False, reason="") == []


def test_kart_7_a_measure_has_goal_actions_responsible_and_a_need():
    assert (
        rules.measure_problems(goal="g", actions="a", responsible="r", area="school", areas=AREAS)
        == []
    )
    assert rules.measure_problems(
        goal="", actions="", responsible="", area="health", areas=AREAS
    ) == [
        "health_details",
        "goal_missing",
        "actions_missing",
        "responsible_missing",
    ]


def test_kart_7_the_minor_view_is_recorded_with_the_move_decision():
    assert rules.move_decision_problems(decision="continue", minor_view="Vil fortsette") == []
    assert rules.move_decision_problems(decision="", minor_view="") == [
        "decision_missing",
        "minor_view_missing",
    ]
