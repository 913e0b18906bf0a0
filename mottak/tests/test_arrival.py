"""The arrival routine (MOT-1) on the routine kernel, with R-11's working day."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import periods
from cases.models import Deadline
from cases.routines import get as get_routine
from cases.services import dispatch_mark_sent, dispatch_render
from cases.tests.test_forms_pdf import pdf_text
from mottak import services
from mottak.models import Arrival, Centre, ExternalRecipient, Stay
from mottak.routine_arrival import (
    ARRIVAL,
    CLOTHES_AND_BEDDING,
    COUNTY_GOVERNOR_NOTICE,
    PERSONAL_FOLDER,
    SCHOOL_NOTICE,
    SESAM_ARRIVAL,
    SESAM_REPRESENTATIVE,
)
from mottak.services import ResidentData
from mottak.tests.factories import CentreFactory, CentreStaffFactory, ResidentFactory

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")


def oslo(*args) -> datetime:
    return datetime(*args, tzinfo=OSLO)


def data(**overrides) -> ResidentData:
    values = dict(
        given_names="Amanuel",
        family_name="Tesfay",
        date_of_birth=date.today() - timedelta(days=15 * 365),
        gender="male",
        nationality="Eritrea",
        duf_number="202400000001",
        languages="Tigrinja",
        interpreter_language="Tigrinja",
    )
    values.update(overrides)
    return ResidentData(**values)


def register(centre, by, *, hours_ago=2, **overrides):
    return services.resident_register_with_arrival(
        data=data(**overrides),
        centre=centre,
        arrived_at=timezone.now() - timedelta(hours=hours_ago),
        by=by,
    )


def kinds_open(arrival) -> set[str]:
    return set(
        Deadline.objects.filter(object_id=arrival.pk, state__in=Deadline.PENDING).values_list(
            "kind", flat=True
        )
    )


# --- within 1 working day -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (oslo(2026, 11, 26, 15, 0), oslo(2026, 11, 27, 15, 0)),  # Thursday → Friday
        (oslo(2026, 11, 27, 15, 0), oslo(2026, 11, 30, 15, 0)),  # Friday → Monday
        (oslo(2026, 11, 28, 10, 0), oslo(2026, 11, 30, 10, 0)),  # Saturday → Monday
        (oslo(2026, 4, 1, 9, 0), oslo(2026, 4, 7, 9, 0)),  # before Easter → after Easter Monday
        (oslo(2026, 5, 16, 9, 0), oslo(2026, 5, 18, 9, 0)),  # 17 May is a Sunday in 2026
        (oslo(2026, 12, 24, 12, 0), oslo(2026, 12, 28, 12, 0)),  # Christmas
    ],
)
def test_r_11_snarest_is_one_working_day(start, due):
    assert periods.working_days(start, 1) == due


def test_r_11_public_holidays_of_2026():
    holidays = periods.norwegian_public_holidays(2026)
    assert date(2026, 4, 3) in holidays  # Good Friday
    assert date(2026, 5, 14) in holidays  # Ascension Day
    assert date(2026, 5, 25) in holidays  # Whit Monday
    assert date(2026, 5, 17) in holidays and date(2026, 12, 26) in holidays
    assert not periods.is_working_day(date(2026, 5, 1))
    assert periods.is_working_day(date(2026, 5, 4))


# --- opening at every arrival ---------------------------------------------------------------------


def test_mot_1_the_routine_is_declared():
    routine = get_routine("arrival")
    assert routine is ARRIVAL
    assert {s.code for s in routine.steps} == {
        SESAM_ARRIVAL,
        SESAM_REPRESENTATIVE,
        COUNTY_GOVERNOR_NOTICE,
        SCHOOL_NOTICE,
        PERSONAL_FOLDER,
        CLOTHES_AND_BEDDING,
    }


def test_mot_1_first_arrival_at_an_ordinary_centre_opens_the_case_and_its_deadlines(centre, staff):
    resident = register(centre, staff)
    arrival = Arrival.objects.get(resident=resident)
    assert arrival.state == "open" and arrival.previous_centre is None
    assert kinds_open(arrival) == {
        "arrival_sesam_arrival",
        "arrival_county_governor_notice",
        "arrival_school_notice",
    }
    deadline = Deadline.objects.get(object_id=arrival.pk, kind="arrival_sesam_arrival")
    assert deadline.due_at == periods.working_days(arrival.arrived_at, 1)
    assert deadline.urgency == "snarest" and deadline.rule_id == "MOT-1"


def test_mot_1_arrival_transit_asks_for_the_personal_folder_and_clothes_not_the_school(
    region, staff
):
    transit = CentreFactory(kind=Centre.Kind.ARRIVAL_TRANSIT, region=region)
    resident = register(transit, staff)
    arrival = resident.arrivals.get()
    assert kinds_open(arrival) == {
        "arrival_sesam_arrival",
        "arrival_county_governor_notice",
        "arrival_personal_folder",
        "arrival_clothes_and_bedding",
    }


def test_mot_1_a_transfer_in_opens_a_new_case_through_stay_open(centre, neighbour_centre, staff):
    resident = register(neighbour_centre, staff, hours_ago=48)
    stay = resident.stays.get()
    services.stay_close(
        stay=stay,
        ended_at=timezone.now() - timedelta(hours=5),
        reason=Stay.EndReason.MOVED,
        by=staff,
    )
    services.stay_open(
        resident=resident, centre=centre, arrived_at=timezone.now() - timedelta(hours=4), by=staff
    )
    arrivals = list(resident.arrivals.order_by("arrived_at"))
    assert len(arrivals) == 2
    assert arrivals[1].centre == centre and arrivals[1].previous_centre == neighbour_centre
    # The first arrival's steps were left: it ended with its stay, nobody is reminded.
    assert arrivals[0].state == "ended"
    assert not kinds_open(arrivals[0])
    assert kinds_open(arrivals[1])


def test_mot_1_opening_twice_gives_the_same_case(centre, staff):
    resident = register(centre, staff)
    stay = resident.stays.get()
    assert services.arrival_open(stay=stay, by=staff) == resident.arrivals.get()
    assert Arrival.objects.count() == 1


# --- the steps ------------------------------------------------------------------------------------


def test_mot_1_sesam_registration_meets_its_step(centre, staff):
    resident = register(centre, staff)
    arrival = resident.arrivals.get()
    services.arrival_record_sesam(
        arrival=arrival, registered_at=timezone.now() - timedelta(hours=1), by=staff
    )
    arrival.refresh_from_db()
    assert arrival.sesam_registered_at is not None
    assert "arrival_sesam_arrival" not in kinds_open(arrival)


@pytest.mark.parametrize(
    ("moment", "message"),
    [
        (timedelta(hours=1), "cannot be in the future"),
        (-timedelta(hours=5), "cannot be before the arrival"),
    ],
)
def test_mot_1_sesam_registration_bad_time_is_refused(centre, staff, moment, message):
    resident = register(centre, staff)
    arrival = resident.arrivals.get()
    with pytest.raises(ValidationError, match=message):
        services.arrival_record_sesam(
            arrival=arrival, registered_at=timezone.now() + moment, by=staff
        )
    arrival.refresh_from_db()
    assert arrival.sesam_registered_at is None


def test_mot_1_representative_step_waits_for_a_representative(centre, staff):
    resident = register(centre, staff)
    arrival = resident.arrivals.get()
    with pytest.raises(ValidationError, match="No representative"):
        services.arrival_step_tick(arrival=arrival, step_code=SESAM_REPRESENTATIVE, by=staff)
    services.representative_record(
        resident=resident,
        status="temporary",
        name="Tora Midlertidig",
        effective_on=timezone.localdate(),
        by=staff,
    )
    assert "arrival_sesam_representative" in kinds_open(arrival)
    opened = Deadline.objects.get(object_id=arrival.pk, kind="arrival_sesam_representative")
    assert opened.due_at > timezone.now()  # counted from the appointment, not the arrival
    services.arrival_step_tick(arrival=arrival, step_code=SESAM_REPRESENTATIVE, by=staff)
    assert "arrival_sesam_representative" not in kinds_open(arrival)


def test_mot_1_transit_steps_do_not_apply_at_an_ordinary_centre(centre, staff):
    arrival = register(centre, staff).arrivals.get()
    with pytest.raises(ValidationError, match="does not apply"):
        services.arrival_step_tick(arrival=arrival, step_code=PERSONAL_FOLDER, by=staff)
    with pytest.raises(ValidationError, match="recorded by doing the work"):
        services.arrival_step_tick(arrival=arrival, step_code=COUNTY_GOVERNOR_NOTICE, by=staff)


def test_mot_1_the_generic_checklist_page_refuses_a_step_that_does_not_apply(client, centre, staff):
    from django.contrib.contenttypes.models import ContentType

    from cases.models import ChecklistStepCompletion

    arrival = register(centre, staff).arrivals.get()
    client.force_login(staff)
    for code, checklist in (
        (PERSONAL_FOLDER, "arrival_transit"),
        (SESAM_REPRESENTATIVE, "arrival"),
    ):
        url = reverse(
            "cases:checklist_step_complete",
            args=[ContentType.objects.get_for_model(arrival).pk, arrival.pk, checklist, code],
        )
        client.post(url, {"note": "ticked"})
    assert not ChecklistStepCompletion.objects.filter(owner_id=arrival.pk).exists()


def test_mot_1_school_notice_only_from_ordinary_centres(region, staff):
    transit = CentreFactory(kind=Centre.Kind.TRANSIT, region=region)
    arrival = register(transit, staff).arrivals.get()
    with pytest.raises(ValidationError, match="does not apply"):
        services.arrival_notice_create(
            arrival=arrival, step_code=SCHOOL_NOTICE, channel="post", by=staff
        )


def test_mot_1_county_governor_notice_is_met_when_sent_and_prints_what_it_needs(
    centre, staff, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    ExternalRecipient.objects.create(
        kind="county_governor",
        name="Statsforvalteren i Innlandet",
        address="Postboks 987, 2626 Lillehammer",
        county="Innlandet",
    )
    centre.county = "Innlandet"
    centre.phone = "61 00 00 00"
    centre.save()
    staff.first_name, staff.last_name = "Kari", "Ansattsen"
    staff.save()
    resident = register(centre, staff)
    services.representative_record(
        resident=resident,
        status="appointed",
        name="Rolf Representant",
        appointed_by="Statsforvalteren i Innlandet",
        effective_on=timezone.localdate(),
        by=staff,
    )
    arrival = resident.arrivals.get()
    dispatch = services.arrival_notice_create(
        arrival=arrival, step_code=COUNTY_GOVERNOR_NOTICE, channel="post", by=staff
    )
    again = services.arrival_notice_create(
        arrival=arrival, step_code=COUNTY_GOVERNOR_NOTICE, channel="post", by=staff
    )
    assert again.pk == dispatch.pk  # a double submit makes one notice
    assert dispatch.recipient_name == "Statsforvalteren i Innlandet"
    assert "arrival_county_governor_notice" in kinds_open(arrival)  # made is not sent
    dispatch = dispatch_render(dispatch_id=dispatch.pk)
    with dispatch.pdf.open("rb") as file:
        text = pdf_text(file.read(), tmp_path)
    for expected in (
        "vergemålsmyndighet",
        "Amanuel Tesfay",
        "Mann",
        "Ja, Tigrinja",
        "Oppnevnt",
        "Rolf Representant",
        "Statsforvalteren i Innlandet",
        "Kari Ansattsen",
        "61 00 00 00",
    ):
        assert expected in text, expected
    assert "tilsynsmyndighet" not in text and "MOT-1" not in text
    dispatch_mark_sent(dispatch=dispatch, by=staff)
    assert "arrival_county_governor_notice" not in kinds_open(arrival)


def test_mot_1_school_notice_attaches_the_school_background_when_mapped(
    centre, staff, settings, tmp_path
):
    from mottak.services import arrival as arrival_services

    settings.MEDIA_ROOT = tmp_path
    resident = register(centre, staff)
    arrival_services._school_background["test"] = lambda r: "Fem års skolegang."
    try:
        dispatch = services.arrival_notice_create(
            arrival=resident.arrivals.get(), step_code=SCHOOL_NOTICE, channel="by_hand", by=staff
        )
    finally:
        arrival_services._school_background.pop("test")
    assert dispatch.context["school_background"] == "Fem års skolegang."
    assert dispatch.context["recipient_role"] == "school"


def test_mot_1_the_case_is_done_when_every_step_that_applies_is_done(region, staff):
    transit = CentreFactory(kind=Centre.Kind.ARRIVAL_TRANSIT, region=region)
    arrival = register(transit, staff).arrivals.get()
    services.arrival_record_sesam(arrival=arrival, registered_at=timezone.now(), by=staff)
    services.arrival_step_tick(arrival=arrival, step_code=PERSONAL_FOLDER, by=staff)
    services.arrival_step_tick(arrival=arrival, step_code=CLOTHES_AND_BEDDING, by=staff)
    arrival.refresh_from_db()
    assert arrival.state == "open"
    dispatch = services.arrival_notice_create(
        arrival=arrival, step_code=COUNTY_GOVERNOR_NOTICE, channel="by_hand", by=staff
    )
    dispatch = dispatch_render(dispatch_id=dispatch.pk)
    dispatch_mark_sent(dispatch=dispatch, by=staff)
    arrival.refresh_from_db()
    assert arrival.state == "done" and arrival.done_at is not None
    with pytest.raises(ValidationError):
        services.arrival_step_tick(arrival=arrival, step_code=PERSONAL_FOLDER, by=staff)


# --- pages ----------------------------------------------------------------------------------------


def test_mot_1_arrival_page_and_steps_through_the_pages(client, centre, staff):
    resident = register(centre, staff)
    arrival = resident.arrivals.get()
    client.force_login(staff)
    url = reverse("mottak:arrival_detail", args=[arrival.pk])
    content = client.get(url).content.decode()
    assert "Arrival recorded in Sesam" in content and "Arrival notice to the school" in content
    future = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("mottak:arrival_sesam", args=[arrival.pk]), {"registered_at": future}, follow=True
    )
    assert "cannot be in the future" in response.content.decode()
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    client.post(reverse("mottak:arrival_sesam", args=[arrival.pk]), {"registered_at": now})
    arrival.refresh_from_db()
    assert arrival.sesam_registered_at is not None
    response = client.post(
        reverse("mottak:arrival_notice", args=[arrival.pk]),
        {"step_code": COUNTY_GOVERNOR_NOTICE, "channel": "by_hand"},
    )
    assert response.status_code == 302
    assert "Made, not sent" in client.get(url).content.decode()
    resident_page = client.get(resident.get_absolute_url()).content.decode()
    assert url in resident_page  # the open arrival is listed among the open cases


def test_mot_1_another_centres_arrival_answers_404(client, centre, far_centre, staff):
    arrival = register(far_centre, CentreStaffFactory(centre=far_centre)).arrivals.get()
    client.force_login(staff)
    assert client.get(reverse("mottak:arrival_detail", args=[arrival.pk])).status_code == 404
    response = client.post(
        reverse("mottak:arrival_tick", args=[arrival.pk]), {"step_code": PERSONAL_FOLDER}
    )
    assert response.status_code == 404


def test_mot_1_arrival_page_runs_a_fixed_number_of_queries(
    client, centre, staff, django_assert_max_num_queries
):
    arrival = register(centre, staff).arrivals.get()
    client.force_login(staff)
    url = reverse("mottak:arrival_detail", args=[arrival.pk])
    services.arrival_record_sesam(arrival=arrival, registered_at=timezone.now(), by=staff)
    for step in (COUNTY_GOVERNOR_NOTICE, SCHOOL_NOTICE):
        services.arrival_notice_create(arrival=arrival, step_code=step, channel="by_hand", by=staff)
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200


def test_mot_1_factory_stays_open_no_case(centre):
    """Stays made directly (old data, fixtures) have no arrival case; nothing breaks."""
    resident = ResidentFactory(centre=centre)
    assert not resident.arrivals.exists()
