"""The kernel's reads of what needs doing, through every declared routine: the start pages'
watch lists, the resident's status at a glance, open cases and deadline → step links."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import routines
from cases.models import Deadline
from cases.selectors_work import (
    deadline_links,
    open_cases_of,
    statuses_among,
    statuses_of,
    watch_lists,
)
from mottak.tests.factories import make_resident
from savnet import services as missing_services

pytestmark = pytest.mark.django_db


def _report_missing(resident, by, hours_ago=1):
    now = timezone.now()
    return missing_services.missing_report_open(
        resident=resident,
        reason_to_believe_at=now - timedelta(hours=hours_ago),
        noticed_at=now - timedelta(hours=hours_ago + 1),
        last_seen_at=None,
        circumstances="Not at breakfast.",
        by=by,
    )


def _lists(user):
    return watch_lists(user=user)


def test_every_watch_names_states_of_its_routine_and_a_case_page():
    for routine in routines.all_routines():
        known = {state for state, _label in routine.states}
        for watch in routine.watches:
            assert watch.states <= known
            assert routine.detail_url, routine.name


def test_a_missing_minor_is_on_the_centre_and_region_start_lists(
    staff, leader, caseworker, resident, far_centre
):
    report = _report_missing(resident, staff)
    for user in (staff, leader, caseworker):
        missing = next(w for w in _lists(user) if w.watch.code == "missing")
        assert [row.case.pk for row in missing.rows] == [report.pk]
        assert missing.rows[0].url.endswith(f"/{report.pk}/")
    assert _lists(staff)[0].watch.tone == "danger"


def test_a_missing_minor_at_another_centre_is_not_listed(staff, far_centre, user_factory):
    other_staff = user_factory("centre_staff", centre=far_centre)
    _report_missing(make_resident(far_centre), other_staff)
    missing = next(w for w in _lists(staff) if w.watch.code == "missing")
    assert missing.rows == []


def test_watch_lists_cost_the_same_queries_whatever_the_data_size(staff, centre):
    def count():
        with CaptureQueriesContext(connection) as queries:
            _lists(staff)
        return len(queries)

    _report_missing(make_resident(centre), staff)
    _lists(staff)  # the user's memberships are read once per user object, then reused
    few = count()
    for _ in range(4):
        _report_missing(make_resident(centre), staff)
    assert count() == few


def test_the_resident_status_is_the_most_serious_watch(staff, resident):
    report = _report_missing(resident, staff)
    statuses = statuses_of([resident.pk])
    assert statuses[resident.pk][0].watch.status == "missing"
    assert statuses[resident.pk][0].case.pk == report.pk
    assert [c.case.pk for c in open_cases_of(resident)] == [report.pk]


def test_the_statuses_read_from_the_open_cases_are_those_the_query_finds(
    staff, resident, django_assert_num_queries
):
    _report_missing(resident, staff)
    cases = open_cases_of(resident)
    with django_assert_num_queries(0):
        among = statuses_among(cases)
    queried = statuses_of([resident.pk])[resident.pk]
    assert [(r.watch.code, r.case.pk) for r in among] == [
        (r.watch.code, r.case.pk) for r in queried
    ]


def test_a_routine_deadline_links_to_its_step(staff, resident):
    report = _report_missing(resident, staff)
    deadlines = list(Deadline.objects.filter(object_id=report.pk, kind="savnet_police"))
    assert deadlines
    assert deadline_links(deadlines)[deadlines[0].pk].endswith(f"/{report.pk}/#step-police")
