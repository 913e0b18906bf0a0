"""From the presence register to the missing routine (SAV-2, R-1): an absence without
agreement at a check, or an outing not back at its agreed time, starts the investigation with
the time of the check as the moment it was noticed — once per resident."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from cases.services import case_events_drain, deadlines_sweep
from mottak import services
from mottak.models import PresenceCheck
from mottak.tests.factories import make_resident
from savnet.models import MissingReport

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quiet(settings):
    settings.CASES_EMAIL_NOTIFICATIONS = False


def _check(centre, by, marks, *, days_ago=1, kind="evening"):
    return services.presence_check_record(
        centre=centre,
        kind=kind,
        on_date=timezone.localdate() - timedelta(days=days_ago),
        marks=marks,
        by=by,
    )


def test_sav_2_r_1_absent_at_a_check_opens_the_investigation_at_the_time_of_the_check(
    staff, centre
):
    absent, present = make_resident(centre), make_resident(centre)
    earlier = _check(centre, staff, {absent.pk: "present", present.pk: "present"}, kind="morning")
    check = _check(centre, staff, {absent.pk: "absent", present.pk: "present"})
    case_events_drain()
    report = MissingReport.objects.get()
    assert report.resident == absent
    assert report.state == MissingReport.State.INVESTIGATING
    assert report.noticed_at == check.held_at
    assert report.last_seen_at == earlier.held_at
    window = timedelta(hours=settings.SAVNET_INVESTIGATION_HOURS)
    assert report.investigation_limit_at == check.held_at + window
    assert report.created_by == staff


def test_sav_2_r_1_no_second_investigation_for_a_resident_with_an_open_one(staff, centre):
    resident = make_resident(centre)
    _check(centre, staff, {resident.pk: "absent"}, days_ago=2)
    case_events_drain()
    _check(centre, staff, {resident.pk: "absent"}, days_ago=1)
    case_events_drain()
    case_events_drain(now=timezone.now() + timedelta(hours=2))
    assert MissingReport.objects.count() == 1
    assert (
        MissingReport.objects.get().noticed_at
        == PresenceCheck.objects.order_by("held_at")[0].held_at
    )


def test_sav_2_r_1_an_outing_not_back_at_22_00_opens_the_investigation_at_22_00(staff, centre):
    resident = make_resident(centre)
    now = timezone.now()
    left = now - timedelta(hours=4)
    outing = services.outing_record(
        resident=resident,
        left_at=left,
        return_by=now - timedelta(hours=1),
        by=staff,
        now=left,
    )
    deadlines_sweep(now=outing.return_by - timedelta(seconds=1))
    case_events_drain()
    assert not MissingReport.objects.exists()
    deadlines_sweep(now=outing.return_by)
    case_events_drain()
    report = MissingReport.objects.get()
    assert report.noticed_at == outing.return_by
    assert report.last_seen_at == left
    assert report.state == MissingReport.State.INVESTIGATING


def test_sav_1_no_investigation_for_a_resident_registered_as_adult(staff, centre):
    adult = make_resident(centre, date_of_birth=timezone.localdate() - timedelta(days=19 * 365))
    _check(centre, staff, {adult.pk: "absent"})
    result = case_events_drain()
    assert result.failures == 0
    assert not MissingReport.objects.exists()
