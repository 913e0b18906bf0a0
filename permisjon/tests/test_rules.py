"""Boundary tests of the leave rules, named after the rule IDs they prove."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from permisjon import rules
from permisjon.rules import CENTRE, REGION, LeaveFacts, assess

OSLO = ZoneInfo("Europe/Oslo")
DEPARTURE = date(2026, 6, 10)


def facts(**overrides) -> LeaveFacts:
    base = dict(
        centre_kind="ordinary_minors",
        asylum_stage="registered",
        departure_on=DEPARTURE,
        return_on=DEPARTURE + timedelta(days=7),
        at_centre_since=DEPARTURE - timedelta(days=200),
        contact_birth_dates=(date(1980, 1, 1),),
        pu_view=rules.PU_NONE,
    )
    base.update(overrides)
    return LeaveFacts(**base)


def codes(findings) -> set[str]:
    return {f.code for f in findings}


# --- PERM-1: length ----------------------------------------------------------------------


def test_perm_1_length_is_return_date_minus_departure_date():
    assert rules.perm_1_length_days(date(2026, 5, 1), date(2026, 5, 15)) == 14
    assert rules.perm_1_length_days(date(2026, 5, 1), date(2026, 5, 16)) == 15
    assert rules.perm_1_length_days(date(2026, 5, 1), date(2026, 5, 2)) == 1


def test_perm_1_length_counts_oslo_dates_not_utc_dates():
    # 00:30 in Oslo on 1 May is still 30 April in UTC; the local dates count.
    leave = datetime(2026, 5, 1, 0, 30, tzinfo=OSLO)
    back = datetime(2026, 5, 15, 23, 30, tzinfo=OSLO)
    assert rules.perm_1_length_days(rules.local_date(leave), rules.local_date(back)) == 14


@pytest.mark.parametrize("kind", ["ordinary_minors", "ordinary_accompanied"])
def test_perm_1_ordinary_centre_decides_14_days(kind):
    outcome = assess(facts(centre_kind=kind, return_on=DEPARTURE + timedelta(days=14)))
    assert outcome.length_days == 14
    assert outcome.decider == CENTRE
    assert codes(outcome.decider_reasons) == {"centre_may_decide"}


@pytest.mark.parametrize("kind", ["ordinary_minors", "ordinary_accompanied"])
def test_perm_1_leave_over_14_days_goes_to_regional_office(kind):
    outcome = assess(facts(centre_kind=kind, return_on=DEPARTURE + timedelta(days=15)))
    assert outcome.decider == REGION
    assert codes(outcome.decider_reasons) == {"over_14_days"}


@pytest.mark.parametrize("kind", ["arrival_transit", "transit"])
def test_perm_1_leave_from_transit_goes_to_regional_office_even_for_one_day(kind):
    outcome = assess(facts(centre_kind=kind, return_on=DEPARTURE + timedelta(days=1)))
    assert outcome.decider == REGION
    assert "from_transit" in codes(outcome.decider_reasons)


@pytest.mark.parametrize(
    ("stage", "code"), [("dublin", "dublin"), ("final_rejection", "final_rejection")]
)
def test_perm_1_dublin_and_final_rejection_go_to_regional_office(stage, code):
    outcome = assess(facts(asylum_stage=stage, return_on=DEPARTURE + timedelta(days=2)))
    assert outcome.decider == REGION
    assert code in codes(outcome.decider_reasons)


@pytest.mark.parametrize("stage", ["registered", "awaiting_interview", "rejected_udi", "granted"])
def test_perm_1_other_stages_leave_the_decision_to_the_centre(stage):
    assert assess(facts(asylum_stage=stage)).decider == CENTRE


def test_perm_1_abroad_is_never_granted():
    outcome = assess(facts(abroad=True))
    assert codes(outcome.blocks) == {"abroad"}
    assert not outcome.may_be_granted


def test_perm_1_within_norway_is_not_blocked():
    outcome = assess(facts(abroad=False))
    assert outcome.blocks == ()
    assert outcome.may_be_granted


# --- PERM-3: forwarding one week before departure ----------------------------------------


def test_perm_3_forwarding_due_one_calendar_week_before_departure():
    departure = datetime(2026, 6, 10, 14, 0, tzinfo=OSLO)
    assert rules.perm_3_forwarding_due(departure) == datetime(2026, 6, 3, 14, 0, tzinfo=OSLO)


def test_perm_3_forwarding_due_keeps_the_oslo_wall_clock_across_summer_time():
    # Summer time starts on 29 March 2026: a week before 1 April 10:00 is 25 March 10:00,
    # which is 167 elapsed hours, not 168.
    departure = datetime(2026, 4, 1, 10, 0, tzinfo=OSLO)
    due = rules.perm_3_forwarding_due(departure)
    assert due == datetime(2026, 3, 25, 10, 0, tzinfo=OSLO)
    utc = ZoneInfo("UTC")
    assert departure.astimezone(utc) - due.astimezone(utc) == timedelta(hours=167)


def test_perm_3_forwarded_at_the_deadline_is_on_time_one_second_later_is_late():
    departure = datetime(2026, 6, 10, 14, 0, tzinfo=OSLO)
    due = datetime(2026, 6, 3, 14, 0, tzinfo=OSLO)
    assert not rules.perm_3_forwarded_late(forwarded_at=due, departure_at=departure)
    assert rules.perm_3_forwarded_late(
        forwarded_at=due + timedelta(seconds=1), departure_at=departure
    )


# --- PERM-4 c: contact person has turned 25 ------------------------------------------------


def test_perm_4c_contact_person_24_years_364_days_is_too_young():
    born = date(2001, 6, 11)  # turns 25 on 11 June 2026, the day after the leave starts
    outcome = assess(facts(contact_birth_dates=(born,)))
    assert codes(outcome.blocks) == {"contact_person_under_25"}


def test_perm_4c_contact_person_turning_25_on_the_first_day_is_old_enough():
    born = date(2001, 6, 10)
    assert rules.perm_4c_contact_person_old_enough(born, DEPARTURE)
    assert assess(facts(contact_birth_dates=(born,))).blocks == ()


def test_perm_4c_born_29_february_turns_25_on_1_march_in_a_common_year():
    born = date(2000, 2, 29)
    assert not rules.perm_4c_contact_person_old_enough(born, date(2025, 2, 28))
    assert rules.perm_4c_contact_person_old_enough(born, date(2025, 3, 1))


def test_perm_4c_born_29_february_turns_25_on_29_february_in_a_leap_year():
    born = date(1999, 2, 28)
    assert rules.perm_4c_contact_person_old_enough(born, date(2024, 2, 28))
    born_leap = date(1996, 2, 29)
    assert not rules.perm_4c_contact_person_old_enough(born_leap, date(2021, 2, 28))
    assert rules.perm_4c_contact_person_old_enough(born_leap, date(2021, 3, 1))


def test_r_4_a_young_designated_contact_person_blocks():
    outcome = assess(facts(contact_birth_dates=(date(2005, 1, 1),)))
    [block] = outcome.blocks
    assert block.code == "contact_person_under_25"


def test_r_4_only_the_designated_person_counts_others_at_the_address_may_be_any_age():
    problems = rules.application_input_problems(
        departure_at=datetime(2026, 6, 1, 12, tzinfo=rules.OSLO),
        return_at=datetime(2026, 6, 5, 12, tzinfo=rules.OSLO),
        contact_birth_dates=[date(1970, 1, 1), date(2015, 3, 3)],
        designated_birth_dates=[date(1970, 1, 1)],
        today=date(2026, 5, 1),
    )
    assert problems == []


@pytest.mark.parametrize("designated", [[], [date(1970, 1, 1), date(1975, 1, 1)]])
def test_r_4_exactly_one_designated_contact_person(designated):
    problems = rules.application_input_problems(
        departure_at=datetime(2026, 6, 1, 12, tzinfo=rules.OSLO),
        return_at=datetime(2026, 6, 5, 12, tzinfo=rules.OSLO),
        contact_birth_dates=[date(1970, 1, 1), date(1975, 1, 1)],
        designated_birth_dates=designated,
        today=date(2026, 5, 1),
    )
    assert "designated_not_one" in problems


def test_perm_4c_no_contact_person_blocks():
    assert codes(assess(facts(contact_birth_dates=())).blocks) == {"no_contact_person"}


@pytest.mark.parametrize(
    ("representative", "police", "expected"),
    [
        ("supports", "no_objection", set()),
        ("not_reached", "contacts_region", set()),
        ("objects", "no_objection", {"representative_objects"}),
        ("supports", "objects", {"police_objects"}),
    ],
)
def test_perm_4_an_objection_needs_an_override_reason_to_grant(representative, police, expected):
    outcome = assess(facts(representative_answer=representative, police_answer=police))
    assert codes(outcome.warnings) == expected
    assert codes(outcome.warnings_without_reason({})) == expected
    assert outcome.warnings_without_reason({c: "Vurdert" for c in expected}) == []


# --- PERM-7: earlier broken agreements -----------------------------------------------------


def test_perm_7_earlier_broken_agreements_are_shown():
    outcome = assess(facts(broken_agreements=2))
    [note] = outcome.notes
    assert note.code == "earlier_broken_agreements" and note.rule_id == "PERM-7"
    assert "2" in note.message


def test_perm_7_no_note_without_broken_agreements():
    assert assess(facts(broken_agreements=0)).notes == ()


# --- PERM-8: transit ---------------------------------------------------------------------


def test_perm_8_exactly_3_months_in_transit_is_still_normally_not():
    since = date(2026, 3, 10)  # 10 March + 3 months = 10 June, the first day of the leave
    outcome = assess(facts(centre_kind="transit", at_centre_since=since, transit_since=since))
    assert codes(outcome.warnings) == {"transit_under_3_months"}


def test_perm_8_more_than_3_months_in_transit_lifts_the_warning():
    since = date(2026, 3, 9)
    outcome = assess(facts(centre_kind="transit", at_centre_since=since, transit_since=since))
    assert outcome.warnings == ()
    assert outcome.decider == REGION


def test_perm_8_three_months_from_31st_ends_on_the_last_day_of_the_shorter_month():
    assert rules.add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)
    assert rules.add_months(date(2023, 11, 30), 3) == date(2024, 2, 29)
    assert not rules.perm_8_more_than_3_months_in_transit(date(2025, 11, 30), date(2026, 2, 28))
    assert rules.perm_8_more_than_3_months_in_transit(date(2025, 11, 30), date(2026, 3, 1))


def test_perm_8_transit_counts_the_whole_run_of_transit_stays():
    # Arrival transit first, then this transit centre for one month: the run counts.
    outcome = assess(
        facts(
            centre_kind="transit",
            at_centre_since=date(2026, 5, 10),
            transit_since=date(2026, 2, 1),
        )
    )
    assert outcome.warnings == ()


def test_perm_8_before_interview_or_age_assessment_is_normally_not():
    since = date(2025, 1, 1)
    outcome = assess(
        facts(
            centre_kind="arrival_transit",
            at_centre_since=since,
            transit_since=since,
            before_interview_or_age_assessment=True,
        )
    )
    assert codes(outcome.warnings) == {"transit_before_interview"}


@pytest.mark.parametrize("kind", ["ordinary_minors", "ordinary_accompanied", "transit"])
def test_r_5_interview_pending_warns_at_every_centre_kind(kind):
    outcome = assess(
        facts(
            centre_kind=kind,
            before_interview_or_age_assessment=True,
            transit_since=date(2020, 1, 1),
        )
    )
    assert "transit_before_interview" in codes(outcome.warnings)
    assert outcome.may_be_granted


def test_r_5_interview_held_no_warning_at_an_ordinary_centre():
    assert assess(facts(before_interview_or_age_assessment=False)).warnings == ()


def test_perm_8_warnings_may_be_overridden_with_a_reason():
    since = date(2026, 5, 1)
    outcome = assess(facts(centre_kind="transit", at_centre_since=since, transit_since=since))
    assert codes(outcome.warnings_without_reason({})) == {"transit_under_3_months"}
    assert codes(outcome.warnings_without_reason({"transit_under_3_months": "  "})) == {
        "transit_under_3_months"
    }
    assert outcome.warnings_without_reason({"transit_under_3_months": "Death in the family"}) == []
    assert outcome.may_be_granted


# --- PERM-9: Dublin --------------------------------------------------------------------------


def test_r_6_21_days_blocks_22_does_not():
    at_21 = assess(
        facts(
            asylum_stage="dublin",
            at_centre_since=DEPARTURE - timedelta(days=21),
            pu_view=rules.PU_NO_CLASH,
        )
    )
    at_22 = assess(
        facts(
            asylum_stage="dublin",
            at_centre_since=DEPARTURE - timedelta(days=22),
            pu_view=rules.PU_NO_CLASH,
        )
    )
    assert codes(at_21.blocks) == {"dublin_under_3_weeks"} and not at_21.may_be_granted
    assert at_22.blocks == () and at_22.may_be_granted


def test_r_6_after_3_weeks_the_warning_stays_the_region_decides_and_pu_is_asked():
    outcome = assess(facts(asylum_stage="dublin", at_centre_since=DEPARTURE - timedelta(days=22)))
    assert codes(outcome.warnings) == {"dublin_normally_not"}
    assert outcome.decider == REGION
    assert codes(outcome.required_steps) == {"pu_view_missing"}


def test_perm_9_pu_view_is_a_required_step_in_dublin():
    outcome = assess(facts(asylum_stage="dublin"))
    [step] = outcome.required_steps
    assert (step.code, step.rule_id) == ("pu_view_missing", "PERM-9")
    assert assess(facts(asylum_stage="dublin", pu_view=rules.PU_NO_CLASH)).required_steps == ()


def test_perm_9_pu_clash_in_dublin_is_a_warning_not_a_block():
    outcome = assess(
        facts(
            asylum_stage="dublin",
            at_centre_since=DEPARTURE - timedelta(days=60),
            pu_view=rules.PU_CLASHES,
        )
    )
    assert outcome.blocks == ()
    assert codes(outcome.warnings) == {"dublin_normally_not", "dublin_pu_clash"}


# --- PERM-10: final rejection -------------------------------------------------------------


def test_perm_10_pu_view_is_a_required_step_after_final_rejection():
    outcome = assess(facts(asylum_stage="final_rejection"))
    [step] = outcome.required_steps
    assert (step.code, step.rule_id) == ("pu_view_missing", "PERM-10")


def test_perm_10_pu_clash_with_removal_plans_blocks():
    outcome = assess(facts(asylum_stage="final_rejection", pu_view=rules.PU_CLASHES))
    assert codes(outcome.blocks) == {"final_rejection_pu_clash"}
    assert not outcome.may_be_granted


def test_perm_10_pu_no_clash_leaves_it_to_the_regional_office():
    outcome = assess(facts(asylum_stage="final_rejection", pu_view=rules.PU_NO_CLASH))
    assert outcome.blocks == () and outcome.required_steps == ()
    assert outcome.decider == REGION


def test_perm_10_pu_clash_does_not_block_other_stages():
    assert assess(facts(asylum_stage="registered", pu_view=rules.PU_CLASHES)).blocks == ()


# --- the table: centre kind × asylum stage × length × time at the centre --------------------

# days_at_centre is counted back from the first day of the leave (10 June 2026);
# 92 days back is 10 March, exactly 3 months; 93 days is more than 3 months.
TABLE = [
    # kind, stage, length, days at centre, decider, blocks, warnings, steps
    ("ordinary_minors", "registered", 14, 30, CENTRE, set(), set(), set()),
    ("ordinary_minors", "registered", 15, 30, REGION, set(), set(), set()),
    ("ordinary_accompanied", "registered", 14, 30, CENTRE, set(), set(), set()),
    ("ordinary_accompanied", "registered", 15, 30, REGION, set(), set(), set()),
    ("ordinary_minors", "awaiting_interview", 1, 2, CENTRE, set(), set(), set()),
    ("ordinary_minors", "rejected_udi", 14, 400, CENTRE, set(), set(), set()),
    ("ordinary_minors", "granted", 15, 400, REGION, set(), set(), set()),
    ("ordinary_minors", "dublin", 14, 21, REGION, {"dublin_under_3_weeks"}, {"dublin_normally_not"}, {"pu_view_missing"}),
    ("ordinary_minors", "dublin", 14, 22, REGION, set(), {"dublin_normally_not"}, {"pu_view_missing"}),
    ("ordinary_minors", "dublin", 15, 22, REGION, set(), {"dublin_normally_not"}, {"pu_view_missing"}),
    ("ordinary_accompanied", "dublin", 1, 0, REGION, {"dublin_under_3_weeks"}, {"dublin_normally_not"}, {"pu_view_missing"}),
    ("ordinary_minors", "final_rejection", 14, 30, REGION, set(), set(), {"pu_view_missing"}),
    ("ordinary_accompanied", "final_rejection", 15, 30, REGION, set(), set(), {"pu_view_missing"}),
    ("transit", "registered", 1, 92, REGION, set(), {"transit_under_3_months"}, set()),
    ("transit", "registered", 14, 93, REGION, set(), set(), set()),
    ("transit", "registered", 15, 93, REGION, set(), set(), set()),
    ("arrival_transit", "registered", 14, 10, REGION, set(), {"transit_under_3_months"}, set()),
    ("arrival_transit", "registered", 14, 93, REGION, set(), set(), set()),
    ("transit", "dublin", 14, 21, REGION, {"dublin_under_3_weeks"}, {"transit_under_3_months", "dublin_normally_not"}, {"pu_view_missing"}),
    ("transit", "dublin", 14, 22, REGION, set(), {"transit_under_3_months", "dublin_normally_not"}, {"pu_view_missing"}),
    ("transit", "dublin", 14, 93, REGION, set(), {"dublin_normally_not"}, {"pu_view_missing"}),
    ("transit", "final_rejection", 14, 93, REGION, set(), set(), {"pu_view_missing"}),
    ("arrival_transit", "final_rejection", 15, 5, REGION, set(), {"transit_under_3_months"}, {"pu_view_missing"}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "stage", "length", "days_at_centre", "decider", "blocks", "warnings", "steps"), TABLE
)
def test_perm_1_8_9_10_table(kind, stage, length, days_at_centre, decider, blocks, warnings, steps):
    since = DEPARTURE - timedelta(days=days_at_centre)
    outcome = assess(
        facts(
            centre_kind=kind,
            asylum_stage=stage,
            return_on=DEPARTURE + timedelta(days=length),
            at_centre_since=since,
            transit_since=since if kind in rules.TRANSIT_KINDS else None,
        )
    )
    assert outcome.length_days == length
    assert outcome.decider == decider
    assert codes(outcome.blocks) == blocks
    assert codes(outcome.warnings) == warnings
    assert codes(outcome.required_steps) == steps


@pytest.mark.parametrize("kind", ["ordinary_minors", "transit"])
@pytest.mark.parametrize("stage", ["registered", "dublin", "final_rejection"])
def test_perm_1_abroad_blocks_at_every_centre_kind_and_stage(kind, stage):
    outcome = assess(facts(centre_kind=kind, asylum_stage=stage, abroad=True))
    assert "abroad" in codes(outcome.blocks)


# --- reasons are translatable text ----------------------------------------------------------


def test_reasons_are_readable_text_with_their_numbers_filled_in():
    outcome = assess(facts(return_on=DEPARTURE + timedelta(days=20), abroad=True))
    with translation.override("en"):
        messages = [r.message for r in outcome.reasons]
    assert any("20 days" in m for m in messages)
    assert all("%(" not in m for m in messages)
    assert {r.rule_id for r in outcome.reasons} == {"PERM-1"}


# --- bad input --------------------------------------------------------------------------------

T0 = datetime(2026, 6, 10, 12, 0, tzinfo=OSLO)
TODAY = date(2026, 6, 1)


def test_bad_input_return_before_or_at_departure():
    for back in (T0 - timedelta(minutes=1), T0):
        problems = rules.application_input_problems(
            departure_at=T0, return_at=back, contact_birth_dates=[date(1980, 1, 1)], today=TODAY
        )
        assert problems == ["return_before_departure"]


def test_bad_input_missing_contact_person():
    problems = rules.application_input_problems(
        departure_at=T0, return_at=T0 + timedelta(days=1), contact_birth_dates=[], today=TODAY
    )
    assert problems == ["no_contact_person"]


def test_bad_input_contact_person_who_is_a_child():
    born_17 = date(2008, 6, 2)  # 17 years 364 days on 1 June 2026
    born_18 = date(2008, 6, 1)
    assert rules.contact_person_is_child(born_17, TODAY)
    assert not rules.contact_person_is_child(born_18, TODAY)
    problems = rules.application_input_problems(
        departure_at=T0,
        return_at=T0 + timedelta(days=1),
        contact_birth_dates=[born_17],
        today=TODAY,
    )
    assert problems == ["contact_person_child"]


def test_bad_input_contact_person_born_in_the_future():
    problems = rules.application_input_problems(
        departure_at=T0,
        return_at=T0 + timedelta(days=1),
        contact_birth_dates=[TODAY + timedelta(days=1)],
        today=TODAY,
    )
    assert problems == ["contact_birth_in_future"]


def test_bad_input_overlapping_periods_are_half_open():
    a, b = T0, T0 + timedelta(days=3)
    assert rules.periods_overlap(a, b, b - timedelta(minutes=1), b + timedelta(days=1))
    assert not rules.periods_overlap(a, b, b, b + timedelta(days=1))
    assert not rules.periods_overlap(a, b, a - timedelta(days=2), a)
    assert rules.periods_overlap(a, b, a - timedelta(days=2), b + timedelta(days=2))


def test_every_finding_and_step_has_its_norwegian_form_text():
    import inspect
    import re

    from permisjon import documents
    from permisjon.routine import PREPARATION_STEPS

    codes_in_rules = set(re.findall(r'Finding\(\s*"(\w+)"', inspect.getsource(rules)))
    assert codes_in_rules and codes_in_rules <= documents.FINDING_NB.keys()
    assert {s.code for s in PREPARATION_STEPS} == documents.STEP_LABELS_NB.keys()
