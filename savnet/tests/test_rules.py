"""Boundary tests of the pure rules, named after the rule they prove."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cases.routines import Due
from savnet import rules
from savnet.routine import MISSING_STEPS

OSLO = ZoneInfo("Europe/Oslo")


def oslo(*args) -> datetime:
    return datetime(*args, tzinfo=OSLO)


# ---- SAV-1 -----------------------------------------------------------------------------


def test_sav_1_minor_by_date_of_birth_is_covered_without_the_duf_fact():
    dob = date(2010, 5, 1)
    on = date(2026, 11, 22)
    assert rules.routine_applies(date_of_birth=dob, registered_as_minor_in_duf=False, on=on)
    assert rules.routine_applies(date_of_birth=dob, registered_as_minor_in_duf=True, on=on)


def test_sav_1_boundary_day_before_and_on_the_18th_birthday():
    dob = date(2008, 11, 23)
    day_before, birthday = date(2026, 11, 22), date(2026, 11, 23)
    assert rules.routine_applies(date_of_birth=dob, registered_as_minor_in_duf=False, on=day_before)
    assert not rules.routine_applies(
        date_of_birth=dob, registered_as_minor_in_duf=False, on=birthday
    )


def test_sav_1_adult_by_date_of_birth_registered_as_minor_in_duf_stays_covered():
    """A presumed adult at an ordinary centre, or a date of birth corrected here after an age
    assessment before DUF is: DUF's registration as a minor keeps the routine in force."""
    dob = date(2000, 1, 1)
    assert rules.routine_applies(
        date_of_birth=dob, registered_as_minor_in_duf=True, on=date(2026, 11, 23)
    )
    assert not rules.routine_applies(
        date_of_birth=dob, registered_as_minor_in_duf=False, on=date(2026, 11, 23)
    )


def test_sav_1_born_29_february_turns_18_on_1_march():
    dob = date(2008, 2, 29)
    assert rules.routine_applies(
        date_of_birth=dob, registered_as_minor_in_duf=False, on=date(2026, 2, 28)
    )
    assert not rules.routine_applies(
        date_of_birth=dob, registered_as_minor_in_duf=False, on=date(2026, 3, 1)
    )


# ---- SAV-2 -----------------------------------------------------------------------------


def test_sav_2_limit_is_24_elapsed_hours_on_an_ordinary_day():
    start = oslo(2026, 11, 22, 14, 30)
    assert rules.limit_at(start) == oslo(2026, 11, 23, 14, 30)
    assert rules.hours_between(start, rules.limit_at(start)) == 24


def test_sav_2_limit_across_the_spring_dst_change_is_24_real_hours():
    # 29 March 2026 02:00 → 03:00 in Oslo: the wall clock jumps one hour ahead.
    start = oslo(2026, 3, 28, 12, 0)
    limit = rules.limit_at(start)
    assert limit == oslo(2026, 3, 29, 13, 0)  # 25 wall-clock hours later, 24 real hours
    assert (limit.astimezone(UTC) - start.astimezone(UTC)) == timedelta(hours=24)
    assert rules.hours_between(start, limit) == 24


def test_sav_2_limit_across_the_autumn_dst_change_is_24_real_hours():
    # 25 October 2026 03:00 → 02:00 in Oslo: the wall clock goes one hour back.
    start = oslo(2026, 10, 24, 12, 0)
    limit = rules.limit_at(start)
    assert limit == oslo(2026, 10, 25, 11, 0)  # 23 wall-clock hours later, 24 real hours
    assert (limit.astimezone(UTC) - start.astimezone(UTC)) == timedelta(hours=24)


def test_sav_2_naive_wall_clock_arithmetic_would_be_wrong_across_dst():
    start = oslo(2026, 10, 24, 12, 0)
    wall_clock = start + timedelta(hours=24)  # zoneinfo adds wall time: 25 real hours
    assert rules.limit_at(start) != wall_clock
    assert rules.hours_between(start, wall_clock) == 25


def test_sav_2_limit_starting_inside_the_repeated_autumn_hour():
    first = datetime(2026, 10, 25, 2, 30, tzinfo=OSLO, fold=0)  # CEST, 00:30 UTC
    second = datetime(2026, 10, 25, 2, 30, tzinfo=OSLO, fold=1)  # CET, 01:30 UTC
    assert rules.hours_between(first, rules.limit_at(first)) == 24
    assert rules.hours_between(second, rules.limit_at(second)) == 24
    assert rules.hours_between(rules.limit_at(first), rules.limit_at(second)) == 1


def test_sav_2_limit_met_at_exactly_24_hours_and_passed_one_second_later():
    start = oslo(2026, 3, 28, 23, 15)
    limit = rules.limit_at(start)
    assert not rules.limit_passed(limit=limit, now=limit)
    assert rules.limit_passed(limit=limit, now=limit + timedelta(seconds=1))
    assert rules.hours_left(limit=limit, now=start) == 24
    assert rules.hours_left(limit=limit, now=limit + timedelta(hours=2)) == -2


def test_sav_2_limit_refuses_a_naive_time():
    with pytest.raises(ValueError):
        rules.limit_at(datetime(2026, 11, 22, 12, 0))


def test_sav_2_every_step_of_the_missing_checklist_is_due_within_24_hours():
    assert MISSING_STEPS
    assert all(
        step.due is not None
        and step.due.anchor == "reason_to_believe_at"
        and step.due.period == "hours"
        and step.due.amount <= 24
        for step in MISSING_STEPS
    )
    with pytest.raises(ValueError):
        Due("reason_to_believe_at", "fortnights", 1)


# ---- SAV-3 / SAV-7 ----------------------------------------------------------------------


def test_sav_3_municipal_centre_discloses_under_public_administration_act():
    assert rules.disclosure_basis("municipal") == "forvaltningsloven § 13 b første ledd nr. 5"


def test_sav_3_private_centre_discloses_under_its_agreements_with_udi():
    text = rules.disclosure_basis("private")
    assert "drifts- og databehandleravtalen" in text and "UDI" in text
    assert "forvaltningsloven" not in text


def test_sav_3_unknown_operator_is_an_error_not_a_guess():
    with pytest.raises(ValueError):
        rules.disclosure_basis("")


# ---- SAV-4 ------------------------------------------------------------------------------


def test_sav_4_without_known_address_child_welfare_of_the_centres_municipality():
    assert (
        rules.child_welfare_municipality(
            centre_municipality="Lillehammer", known_address="", known_address_municipality=""
        )
        == "Lillehammer"
    )


def test_sav_4_with_known_address_child_welfare_of_that_municipality():
    assert (
        rules.child_welfare_municipality(
            centre_municipality="Lillehammer",
            known_address="Storgata 1, 0155 Oslo",
            known_address_municipality="Oslo",
        )
        == "Oslo"
    )


def test_sav_4_blank_address_with_a_municipality_falls_back_to_the_centre():
    assert (
        rules.child_welfare_municipality(
            centre_municipality="Lillehammer", known_address="  ", known_address_municipality="Oslo"
        )
        == "Lillehammer"
    )


def test_sav_4_known_address_without_municipality_is_bad_input():
    now = oslo(2026, 11, 22, 12)
    problems = rules.report_problems(
        noticed_at=now,
        last_seen_at=None,
        reason_to_believe_at=now,
        known_address="Storgata 1",
        known_address_municipality="",
        now=now,
    )
    assert problems == ["address_without_municipality"]


# ---- SAV-6 ------------------------------------------------------------------------------


@dataclass
class FakeAppointment:
    kind: str
    starts_at: datetime
    held: bool = False
    cancelled_at: datetime | None = None


def test_sav_6_arrival_interview_goes_to_kor():
    assert rules.asa_unit_for("arrival_interview") == "kor"


@pytest.mark.parametrize("kind", ["age_assessment", "asylum_interview"])
def test_sav_6_age_assessment_and_asylum_interview_go_to_bfe(kind):
    assert rules.asa_unit_for(kind) == "bfe"


def test_sav_6_unknown_appointment_kind_is_an_error():
    with pytest.raises(ValueError):
        rules.asa_unit_for("dentist")


def test_sav_6_high_priority_at_exactly_72_hours_not_at_72_hours_and_one_minute():
    now = oslo(2026, 11, 22, 9, 0)
    assert rules.is_high_priority(starts_at=now + timedelta(hours=72), now=now)
    assert not rules.is_high_priority(starts_at=now + timedelta(hours=72, minutes=1), now=now)
    assert rules.is_high_priority(starts_at=now + timedelta(minutes=1), now=now)


def test_sav_6_three_days_are_72_real_hours_across_dst():
    now = oslo(2026, 10, 23, 9, 0)
    # 26 Oct 08:00 on the wall clock is exactly 72 real hours later (the clocks went back).
    assert rules.is_high_priority(starts_at=oslo(2026, 10, 26, 8, 0), now=now)
    assert not rules.is_high_priority(starts_at=oslo(2026, 10, 26, 8, 1), now=now)


def test_sav_6_only_future_appointments_not_held_not_cancelled():
    now = oslo(2026, 11, 22, 9, 0)
    soon = FakeAppointment("arrival_interview", now + timedelta(days=1))
    later = FakeAppointment("asylum_interview", now + timedelta(days=10))
    past = FakeAppointment("age_assessment", now - timedelta(minutes=1))
    at_now = FakeAppointment("age_assessment", now)
    held = FakeAppointment("age_assessment", now + timedelta(days=2), held=True)
    cancelled = FakeAppointment(
        "asylum_interview", now + timedelta(days=2), cancelled_at=now - timedelta(days=1)
    )
    plans = rules.appointments_to_cancel([later, past, held, soon, cancelled, at_now], now=now)
    assert [(p.appointment, p.unit, p.high_priority) for p in plans] == [
        (soon, "kor", True),
        (later, "bfe", False),
    ]


# ---- SAV-8 ------------------------------------------------------------------------------


def test_sav_8_instances_to_tell_are_the_notified_once_each_in_order():
    notified = [
        ("police", "12"),
        ("child_welfare", "Barneverntjenesten i Oslo"),
        ("udi_region", "3"),
        ("police", "12"),
        ("child_welfare", " barneverntjenesten i oslo "),
        ("kor", "7"),
    ]
    assert rules.instances_to_tell(notified) == [
        ("police", "12"),
        ("child_welfare", "Barneverntjenesten i Oslo"),
        ("udi_region", "3"),
        ("kor", "7"),
    ]


def test_sav_8_nobody_notified_nobody_told_and_blank_names_ignored():
    assert rules.instances_to_tell([]) == []
    assert rules.instances_to_tell([("police", "  ")]) == []


def test_sav_8_same_name_different_kind_are_different_instances():
    assert len(rules.instances_to_tell([("kor", "UDI"), ("bfe", "UDI")])) == 2


# ---- SAV-9 ------------------------------------------------------------------------------


def test_sav_9_full_centre_gives_a_warning_never_a_refusal():
    assert rules.return_warnings(capacity=30, occupied=29) == []
    assert rules.return_warnings(capacity=30, occupied=30) == ["centre_full"]
    assert rules.return_warnings(capacity=30, occupied=35) == ["centre_full"]


# ---- SAV-10 / SAV-11 ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("trafficking", "violence", "expected"),
    [(False, False, False), (True, False, True), (False, True, True), (True, True, True)],
)
def test_sav_10_trafficking_or_domestic_violence_opens_the_general_procedure(
    trafficking, violence, expected
):
    outcome = rules.follow_up_outcome(
        trafficking_suspected=trafficking,
        domestic_violence_suspected=violence,
        serious_neglect_suspected=False,
        asylum_relevant_info="",
    )
    assert outcome.general_procedure is expected
    assert outcome.concern_reports is False


def test_sav_10_asylum_information_goes_on_only_when_there_is_some():
    def outcome(info):
        return rules.follow_up_outcome(
            trafficking_suspected=False,
            domestic_violence_suspected=False,
            serious_neglect_suspected=False,
            asylum_relevant_info=info,
        )

    assert outcome("Met his uncle in Sweden").asylum_info_to_region
    assert not outcome("   ").asylum_info_to_region


def test_sav_11_grounded_suspicion_of_serious_neglect_leads_to_concern_reports():
    outcome = rules.follow_up_outcome(
        trafficking_suspected=False,
        domestic_violence_suspected=False,
        serious_neglect_suspected=True,
        asylum_relevant_info="",
    )
    assert outcome.concern_reports


def test_sav_11_suspicion_must_be_grounded():
    now = oslo(2026, 11, 22, 12)
    kwargs = dict(
        held_at=now, found_at=now, now=now, interpreter_used=False, interpreter_language=""
    )
    assert rules.follow_up_problems(
        serious_neglect_suspected=True, neglect_grounds=" ", **kwargs
    ) == ["neglect_without_grounds"]
    assert (
        rules.follow_up_problems(
            serious_neglect_suspected=True, neglect_grounds="Bruises, no food for days", **kwargs
        )
        == []
    )


# ---- Bad input ------------------------------------------------------------------------------

NOW = oslo(2026, 11, 22, 12, 0)


def report_problems(**overrides):
    values = dict(
        noticed_at=NOW - timedelta(hours=2),
        last_seen_at=NOW - timedelta(hours=5),
        reason_to_believe_at=NOW - timedelta(hours=1),
        known_address="",
        known_address_municipality="",
        now=NOW,
    )
    values.update(overrides)
    return rules.report_problems(**values)


def test_sav_2_good_report_has_no_problems():
    assert report_problems() == []
    assert report_problems(last_seen_at=None, reason_to_believe_at=None) == []


def test_sav_2_times_in_the_future_are_refused_to_the_minute():
    assert report_problems(noticed_at=NOW, reason_to_believe_at=NOW, last_seen_at=NOW) == []
    later = NOW + timedelta(minutes=1)
    assert "noticed_in_future" in report_problems(noticed_at=later, reason_to_believe_at=later)
    assert "last_seen_in_future" in report_problems(last_seen_at=later)
    assert "reason_in_future" in report_problems(reason_to_believe_at=later)


def test_sav_2_order_of_times():
    noticed = NOW - timedelta(hours=2)
    assert report_problems(last_seen_at=noticed) == []
    assert report_problems(last_seen_at=noticed + timedelta(minutes=1)) == [
        "last_seen_after_noticed"
    ]
    assert report_problems(reason_to_believe_at=noticed) == []
    assert report_problems(reason_to_believe_at=noticed - timedelta(minutes=1)) == [
        "reason_before_noticed"
    ]


def found(**overrides):
    values = dict(
        found_at=NOW,
        noticed_at=NOW - timedelta(hours=20),
        last_seen_at=NOW - timedelta(hours=24),
        reason_to_believe_at=NOW - timedelta(hours=18),
        now=NOW,
    )
    values.update(overrides)
    return rules.found_problems(**values)


def test_sav_8_found_problems():
    assert found() == []
    assert found(found_at=NOW + timedelta(minutes=1)) == ["found_in_future"]
    assert found(found_at=NOW - timedelta(hours=25)) == ["found_before_last_seen"]
    assert found(found_at=NOW - timedelta(hours=21), last_seen_at=None) == ["found_before_noticed"]
    assert found(found_at=NOW - timedelta(hours=19)) == ["found_before_reason"]
    assert found(found_at=NOW - timedelta(hours=18)) == []


def test_sav_5_step_times():
    noticed = NOW - timedelta(hours=3)
    assert rules.step_time_problems(at=noticed, noticed_at=noticed, now=NOW) == []
    assert rules.step_time_problems(
        at=noticed - timedelta(minutes=1), noticed_at=noticed, now=NOW
    ) == ["step_before_noticed"]
    assert rules.step_time_problems(at=NOW + timedelta(minutes=1), noticed_at=noticed, now=NOW) == [
        "step_in_future"
    ]


def test_sav_10_interpreter_needs_a_language_and_conversation_follows_the_return():
    kwargs = dict(now=NOW, serious_neglect_suspected=False, neglect_grounds="")
    assert rules.follow_up_problems(
        held_at=NOW, found_at=NOW, interpreter_used=True, interpreter_language="", **kwargs
    ) == ["interpreter_without_language"]
    assert rules.follow_up_problems(
        held_at=NOW - timedelta(minutes=1),
        found_at=NOW,
        interpreter_used=True,
        interpreter_language="Tigrinja",
        **kwargs,
    ) == ["conversation_before_found"]
