"""SAV-2 / R-1 rules of the presence register and of agreed returns from outings, at their
boundaries."""

from datetime import date, datetime, time, timedelta

from mottak import rules_presence as rules

OSLO = rules.OSLO
CHECK = datetime(2026, 12, 1, 22, 0, tzinfo=OSLO)


def test_sav_2_a_check_at_its_time_may_be_recorded_a_second_before_not():
    assert rules.check_problems(held_at=CHECK, now=CHECK) == []
    assert rules.check_problems(held_at=CHECK, now=CHECK - timedelta(seconds=1)) == [
        "check_in_future"
    ]


def test_sav_2_check_moment_reads_the_time_in_oslo():
    moment = rules.check_moment(date(2026, 7, 1), time(22, 0))
    assert moment.utcoffset() == timedelta(hours=2)
    assert rules.check_moment(date(2026, 12, 1), time(22, 0)).utcoffset() == timedelta(hours=1)


def test_sav_2_away_needs_an_agreed_return_after_the_check():
    def problems(agreed):
        return rules.mark_problems(
            mark=rules.AWAY_AGREED, statuses=frozenset(), agreed_return=agreed, held_at=CHECK
        )

    assert problems(None) == ["no_agreed_return"]
    assert problems(CHECK) == ["no_agreed_return"]  # due at the check: not back on time
    assert problems(CHECK + timedelta(seconds=1)) == []


def test_sav_2_on_leave_needs_a_leave_under_way():
    assert rules.mark_problems(
        mark=rules.ON_LEAVE, statuses=frozenset(), agreed_return=None, held_at=CHECK
    ) == ["no_leave_under_way"]
    assert (
        rules.mark_problems(
            mark=rules.ON_LEAVE, statuses=frozenset({"on_leave"}), agreed_return=None, held_at=CHECK
        )
        == []
    )


def test_sav_2_absent_without_agreement_needs_an_investigation_unless_already_followed():
    assert rules.needs_investigation(mark=rules.ABSENT, statuses=frozenset())
    assert rules.needs_investigation(mark=rules.ABSENT, statuses=frozenset({"on_leave"}))
    for followed in ("missing", "absent", "late"):
        assert not rules.needs_investigation(mark=rules.ABSENT, statuses=frozenset({followed}))
    for mark in (rules.PRESENT, rules.ON_LEAVE, rules.AWAY_AGREED):
        assert not rules.needs_investigation(mark=mark, statuses=frozenset())


def test_sav_2_nothing_is_proposed_as_present():
    assert rules.default_mark(statuses=frozenset(), agreed_return=None, held_at=CHECK) == ""
    assert (
        rules.default_mark(statuses=frozenset({"on_leave"}), agreed_return=None, held_at=CHECK)
        == rules.ON_LEAVE
    )
    assert (
        rules.default_mark(statuses=frozenset({"missing"}), agreed_return=None, held_at=CHECK)
        == rules.ABSENT
    )
    later = CHECK + timedelta(hours=1)
    assert (
        rules.default_mark(statuses=frozenset(), agreed_return=later, held_at=CHECK)
        == rules.AWAY_AGREED
    )
    assert rules.default_mark(statuses=frozenset(), agreed_return=CHECK, held_at=CHECK) == ""


def test_sav_2_out_until_is_the_next_time_the_clock_shows_it():
    evening = datetime(2026, 12, 1, 18, 0, tzinfo=OSLO)
    assert rules.outing_return_at(now=evening, at=time(22, 0)) == CHECK
    assert rules.outing_return_at(now=CHECK, at=time(1, 0)) == datetime(
        2026, 12, 2, 1, 0, tzinfo=OSLO
    )
    # Said at 22:00 exactly, "22:00" is tomorrow: never a return already reached.
    assert rules.outing_return_at(now=CHECK, at=time(22, 0)) == CHECK + timedelta(days=1)


def test_sav_2_an_outing_is_at_most_12_hours():
    left = datetime(2026, 12, 1, 10, 0, tzinfo=OSLO)
    assert rules.outing_problems(left_at=left, return_by=left + timedelta(hours=12), now=left) == []
    assert rules.outing_problems(
        left_at=left, return_by=left + timedelta(hours=12, minutes=1), now=left
    ) == ["outing_too_long"]
    assert rules.outing_problems(left_at=left, return_by=left, now=left) == ["return_passed"]
    assert rules.outing_problems(
        left_at=left + timedelta(minutes=1), return_by=left + timedelta(hours=2), now=left
    ) == ["left_in_future"]
