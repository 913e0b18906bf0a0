"""The presence register and agreed returns from outings (SAV-2, R-1): pages without
JavaScript, one record set per check, bad input, access, and fixed query counts."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from cases.models import CaseEvent, Deadline
from cases.services import deadlines_sweep
from mottak import events, services
from mottak import rules_presence as rules
from mottak.models import Outing, PresenceCheck, PresenceCheckTime, PresenceMark, Role
from mottak.tests.factories import make_resident

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quiet(settings):
    settings.CASES_EMAIL_NOTIFICATIONS = False


def yesterday():
    return timezone.localdate() - timedelta(days=1)


def check_url(centre, day=None, kind="evening"):
    return reverse(
        "mottak:presence_check", args=[centre.pk, (day or yesterday()).isoformat(), kind]
    )


def marks_for(residents, mark="present"):
    return {f"r{r.pk}": mark for r in residents}


def absence_events():
    return CaseEvent.objects.filter(kind=events.ABSENT_AT_CHECK)


# --- the check page ------------------------------------------------------------------------


def test_sav_2_check_page_lists_the_residents_with_a_radio_group_each(client, staff, centre):
    residents = [make_resident(centre, family_name=f"Barn{i}") for i in range(3)]
    make_resident(centre, family_name="Utflyttet", stay=None)  # no open stay: not listed
    client.force_login(staff)
    page = client.get(check_url(centre)).content.decode()
    for r in residents:
        assert f'name="r{r.pk}"' in page
    assert "Utflyttet" not in page
    assert page.count('type="radio"') == 3 * len(PresenceMark.Status.choices)
    assert "<script" not in page.split("<main", 1)[-1]


def test_sav_2_recording_a_check_keeps_one_mark_per_resident(client, staff, centre):
    residents = [make_resident(centre) for _ in range(3)]
    client.force_login(staff)
    data = marks_for(residents)
    first = client.post(check_url(centre), data)
    assert first.status_code == 302
    again = client.post(check_url(centre), data)  # a double submit
    assert again.status_code == 302
    assert PresenceCheck.objects.count() == 1
    assert PresenceMark.objects.count() == 3
    check = PresenceCheck.objects.get()
    assert check.held_at == rules.check_moment(yesterday(), rules.DEFAULT_CHECK_TIMES["evening"])


def test_sav_2_a_correction_updates_the_mark_and_publishes_the_absence_once(staff, centre):
    resident = make_resident(centre)
    record = dict(centre=centre, kind="evening", on_date=yesterday(), by=staff)
    services.presence_check_record(marks={resident.pk: "present"}, **record)
    services.presence_check_record(marks={resident.pk: "absent"}, **record)
    services.presence_check_record(marks={resident.pk: "absent"}, **record)
    assert PresenceMark.objects.get().status == "absent"
    assert absence_events().count() == 1
    event = absence_events().get()
    assert event.subject_id == resident.pk
    assert event.payload["check_id"] == PresenceCheck.objects.get().pk
    assert parse_datetime(event.payload["noticed_at"]) == PresenceCheck.objects.get().held_at


def test_sav_2_every_resident_must_be_marked_nothing_saved(client, staff, centre):
    residents = [make_resident(centre) for _ in range(2)]
    client.force_login(staff)
    response = client.post(check_url(centre), {f"r{residents[0].pk}": "present"})
    assert response.status_code == 200
    assert "Choose present, on leave, away or absent." in response.content.decode()
    assert not PresenceCheck.objects.exists()


def test_sav_2_a_check_in_the_future_is_refused_with_a_clear_message(client, staff, centre):
    resident = make_resident(centre)
    client.force_login(staff)
    tomorrow = timezone.localdate() + timedelta(days=1)
    page = client.get(check_url(centre, tomorrow)).content.decode()
    assert "This check is not due yet" in page
    response = client.post(check_url(centre, tomorrow), marks_for([resident]))
    assert response.status_code == 200
    assert "This check is not due yet" in response.content.decode()
    assert not PresenceCheck.objects.exists()


def test_sav_2_away_without_an_agreed_return_is_refused(client, staff, centre):
    resident = make_resident(centre)
    client.force_login(staff)
    response = client.post(check_url(centre), marks_for([resident], "away_agreed"))
    assert response.status_code == 200
    assert "No agreed return after the check" in response.content.decode()
    assert not PresenceCheck.objects.exists()


def test_sav_2_on_leave_without_a_leave_under_way_is_refused(staff, centre):
    resident = make_resident(centre)
    with pytest.raises(ValidationError, match="No leave under way"):
        services.presence_check_record(
            centre=centre,
            kind="evening",
            on_date=yesterday(),
            marks={resident.pk: "on_leave"},
            by=staff,
        )
    assert not PresenceCheck.objects.exists()


def test_presence_marking_a_resident_of_another_centre_answers_404(
    client, staff, centre, far_centre
):
    mine = make_resident(centre)
    theirs = make_resident(far_centre)
    client.force_login(staff)
    data = marks_for([mine, theirs])
    assert client.post(check_url(centre), data).status_code == 404
    assert not PresenceCheck.objects.exists()


def test_presence_pages_of_another_centre_answer_404(client, staff, far_centre):
    client.force_login(staff)
    assert client.get(check_url(far_centre)).status_code == 404
    day = reverse("mottak:presence_day", args=[far_centre.pk, yesterday().isoformat()])
    assert client.get(day).status_code == 404


def test_presence_pages_refuse_the_regional_office_and_unknown_checks(
    client, caseworker, staff, centre
):
    client.force_login(caseworker)
    assert client.get(check_url(centre)).status_code == 404
    client.force_login(staff)
    assert client.get(check_url(centre, kind="lunch")).status_code == 404
    bad_day = reverse("mottak:presence_check", args=[centre.pk, "2026-13-01", "evening"])
    assert client.get(bad_day).status_code == 404


def test_presence_check_times_are_configurable_per_centre(client, staff, centre):
    PresenceCheckTime.objects.create(centre=centre, kind="morning", time="08:15")
    client.force_login(staff)
    day = reverse("mottak:presence_day", args=[centre.pk, yesterday().isoformat()])
    page = client.get(day).content.decode()
    assert "kl. 08.15" in page
    assert client.get(check_url(centre, kind="evening")).status_code == 404


def _queries(client, url, data=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data) if data is not None else client.get(url)
    assert response.status_code in (200, 302)
    return len(queries)


def test_sav_2_the_check_page_costs_the_same_queries_for_5_and_30_residents(
    client, staff, centre, neighbour_centre
):
    other_staff = make_staff(neighbour_centre)
    few = [make_resident(centre) for _ in range(5)]
    many = [make_resident(neighbour_centre) for _ in range(30)]
    client.force_login(staff)
    get_few = _queries(client, check_url(centre))
    post_few = _queries(client, check_url(centre), marks_for(few))
    client.force_login(other_staff)
    get_many = _queries(client, check_url(neighbour_centre))
    post_many = _queries(client, check_url(neighbour_centre), marks_for(many))
    assert get_many == get_few
    assert post_many == post_few
    assert PresenceMark.objects.count() == 35


def make_staff(centre):
    from mottak.tests.factories import UserFactory

    return UserFactory(role=Role.CENTRE_STAFF, centre=centre)


def test_sav_2_start_page_shows_the_current_check_and_the_menu_links_it(client, staff, centre):
    client.force_login(staff)
    page = client.get(reverse("home")).content.decode()
    assert 'id="home-presence"' in page
    assert reverse("mottak:presence_home") in page
    assert client.get(reverse("mottak:presence_home")).status_code == 302


# --- outings ---------------------------------------------------------------------------------


def _outing(resident, by, *, hours_ago=3, back_in_hours=-1):
    """An outing that began `hours_ago` and was agreed back `back_in_hours` from now."""
    now = timezone.now()
    left = now - timedelta(hours=hours_ago)
    return services.outing_record(
        resident=resident,
        left_at=left,
        return_by=now + timedelta(hours=back_in_hours),
        by=by,
        now=left + timedelta(minutes=1),
    )


def test_sav_2_an_outing_not_back_at_the_agreed_time_publishes_the_absence_not_a_minute_before(
    staff, centre
):
    resident = make_resident(centre)
    outing = _outing(resident, staff)
    deadline = Deadline.objects.get(kind=services.OUTING_RETURN_DEADLINE)
    assert deadline.due_at == outing.return_by
    deadlines_sweep(now=outing.return_by - timedelta(minutes=1))  # 21:59
    assert not absence_events().exists()
    deadlines_sweep(now=outing.return_by)  # 22:00:00
    event = absence_events().get()
    assert event.payload["outing_id"] == outing.pk
    assert parse_datetime(event.payload["noticed_at"]) == outing.return_by
    assert event.payload["by_id"] == staff.pk
    deadline.refresh_from_db()
    assert deadline.state == Deadline.State.MET
    deadlines_sweep(now=outing.return_by + timedelta(minutes=5))
    assert absence_events().count() == 1


def test_sav_2_back_before_the_agreed_time_publishes_nothing(client, staff, centre):
    resident = make_resident(centre)
    outing = _outing(resident, staff, back_in_hours=1)
    client.force_login(staff)
    response = client.post(reverse("mottak:outing_back", args=[outing.pk]))
    assert response.status_code == 302
    client.post(reverse("mottak:outing_back", args=[outing.pk]))  # a double submit
    outing.refresh_from_db()
    assert outing.back_at is not None
    deadlines_sweep(now=outing.return_by + timedelta(minutes=1))
    assert not absence_events().exists()
    assert Deadline.objects.get(kind=services.OUTING_RETURN_DEADLINE).state == "met"


def test_sav_2_marked_present_at_a_check_records_the_outing_back(staff, centre):
    resident = make_resident(centre)
    now = timezone.now()
    start = now - timedelta(days=2)
    outing = services.outing_record(
        resident=resident,
        left_at=start,
        return_by=start + timedelta(hours=4),
        by=staff,
        now=start,
    )
    services.presence_check_record(
        centre=centre, kind="evening", on_date=yesterday(), marks={resident.pk: "present"}, by=staff
    )
    outing.refresh_from_db()
    assert outing.back_at == PresenceCheck.objects.get().held_at


def test_sav_2_recording_an_outing_through_the_page(client, staff, centre):
    resident = make_resident(centre)
    client.force_login(staff)
    url = reverse("mottak:outing_new", args=[centre.pk])
    soon = f"{timezone.localtime() + timedelta(hours=2):%H:%M}"
    response = client.post(url, {"resident": resident.pk, "return_time": soon})
    assert response.status_code == 302
    client.post(url, {"resident": resident.pk, "return_time": soon})  # a double submit
    assert Outing.objects.count() == 1
    too_long = f"{timezone.localtime() + timedelta(hours=13):%H:%M}"
    other = make_resident(centre)
    refused = client.post(url, {"resident": other.pk, "return_time": too_long})
    assert "more than 12 hours ahead is a leave" in refused.content.decode()
    bad = client.post(url, {"resident": resident.pk, "return_time": "25:00"})
    assert "Write the time as hh:mm" in bad.content.decode()


def test_presence_an_outing_for_another_centres_resident_answers_404(
    client, staff, centre, far_centre
):
    theirs = make_resident(far_centre)
    client.force_login(staff)
    url = reverse("mottak:outing_new", args=[centre.pk])
    assert client.post(url, {"resident": theirs.pk, "return_time": "22:00"}).status_code == 404
    outing = _outing(theirs, make_staff(far_centre), back_in_hours=1)
    assert client.post(reverse("mottak:outing_back", args=[outing.pk])).status_code == 404
    assert not Outing.objects.filter(back_at__isnull=False).exists()


def test_sav_2_a_resident_who_arrived_after_the_check_is_not_on_it(client, staff, centre):
    earlier = make_resident(centre)
    newcomer = make_resident(centre)
    newcomer.stays.update(started_at=timezone.now() - timedelta(minutes=5))
    client.force_login(staff)
    page = client.get(check_url(centre)).content.decode()
    assert f'name="r{earlier.pk}"' in page
    assert f'name="r{newcomer.pk}"' not in page
    assert client.post(check_url(centre), marks_for([earlier])).status_code == 302
    assert client.post(check_url(centre), marks_for([earlier, newcomer])).status_code == 404
