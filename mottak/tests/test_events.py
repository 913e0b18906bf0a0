"""P9: mottak publishes life events in the transaction of the change; turning 18 is published
by a daily check, once per resident."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import CaseEvent
from mottak import events, services
from mottak.models import Stay
from mottak.tests.factories import make_resident


def _stay(resident):
    """The open stay make_resident gave the resident."""
    return resident.stays.get(ended_at__isnull=True)


def test_p9_ending_a_stay_publishes_stay_ended_with_ids_only(resident, staff):
    stay = _stay(resident)
    services.stay_close(stay=stay, ended_at=timezone.now(), reason="moved", by=staff)
    event = CaseEvent.objects.get(kind=events.STAY_ENDED)
    assert event.subject == resident
    assert event.payload == {"stay_id": stay.pk, "centre_id": stay.centre_id, "reason": "moved"}


def test_p9_a_refused_end_publishes_nothing(resident, staff):
    stay = _stay(resident)
    with pytest.raises(ValidationError):
        services.stay_close(stay=stay, ended_at=timezone.now(), reason="nonsense", by=staff)
    assert not CaseEvent.objects.exists()


def test_p9_arrival_publishes_stay_opened(resident, staff, neighbour_centre):
    stay = _stay(resident)
    services.stay_close(
        stay=stay, ended_at=timezone.now() - timedelta(days=1), reason="moved", by=staff
    )
    new = services.stay_open(
        resident=resident, centre=neighbour_centre, arrived_at=timezone.now(), by=staff
    )
    event = CaseEvent.objects.get(kind=events.STAY_OPENED)
    assert event.payload == {
        "stay_id": new.pk,
        "centre_id": neighbour_centre.pk,
        "by_id": staff.pk,  # who recorded it (KART-15's copy is signed by them)
    }


def test_p9_registering_a_resident_publishes_stay_opened(centre, staff):
    data = services.ResidentData(
        given_names="Ali",
        family_name="Test",
        date_of_birth=date(2010, 1, 1),
        gender="m",
        nationality="Afghanistan",
        duf_number="201000000001",
    )
    resident = services.resident_register_with_arrival(
        data=data, centre=centre, arrived_at=timezone.now(), by=staff
    )
    event = CaseEvent.objects.get(kind=events.STAY_OPENED)
    assert event.subject_id == resident.pk
    assert set(event.payload) == {"stay_id", "centre_id", "by_id"}


def test_mot_4_turned_18_is_published_once_for_residents_with_an_open_stay(centre):
    today = date(2026, 3, 1)
    turns_today = make_resident(centre, date_of_birth=date(2008, 3, 1))
    make_resident(centre, date_of_birth=date(2008, 3, 2))  # 18 tomorrow
    leap = make_resident(centre, date_of_birth=date(2008, 2, 29))  # 18 on 1 March 2026
    gone = make_resident(centre, date_of_birth=date(2000, 1, 1))
    Stay.objects.filter(resident=gone).update(ended_at=timezone.now())
    assert services.residents_turned_18_publish(today=today) == 2
    assert services.residents_turned_18_publish(today=today) == 0
    assert set(
        CaseEvent.objects.filter(kind=events.TURNED_18).values_list("subject_id", flat=True)
    ) == {turns_today.pk, leap.pk}
    assert services.residents_turned_18_publish(today=today + timedelta(days=1)) == 1


def test_mot_4_the_daily_check_is_a_registered_schedule(db):
    from django.core.management import call_command
    from django_celery_beat.models import PeriodicTask

    call_command("setup_schedules")
    task = PeriodicTask.objects.get(name="mottak.publish_turned_18")
    assert task.task == "mottak.publish_turned_18"
    assert (task.crontab.minute, task.crontab.hour) == ("10", "0")
