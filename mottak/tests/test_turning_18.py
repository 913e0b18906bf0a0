"""Turning 18 (MOT-4, R-9): the task 6 weeks before, the request to the regional office with
child welfare's views first, what the birthday changes, and a corrected date of birth."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseEvent, Deadline
from cases.services import dispatch_mark_sent, dispatch_render
from cases.tests.test_forms_pdf import pdf_text
from mottak import events, rules, services
from mottak.models import ExternalRecipient, RepresentativeRecord, TurningEighteen
from mottak.tests.factories import CentreStaffFactory, ResidentFactory

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")
REQUEST_DEADLINE = "turning_18_region_request"


def born_for_birthday(birthday: date) -> date:
    return birthday.replace(year=birthday.year - 18)


def safe_day(day: date) -> date:
    """Tests count from a day that exists 18 years earlier (no 29 February)."""
    return day - timedelta(days=1) if (day.month, day.day) == (2, 29) else day


# --- rules ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_before", "due"),
    [(43, False), (42, True), (41, True), (1, True), (0, False)],
)
def test_r_9_the_task_opens_six_weeks_before_the_18th_birthday(days_before, due):
    birthday = date(2027, 3, 10)
    today = birthday - timedelta(days=days_before)
    assert rules.turning_18_task_opens_on(born_for_birthday(birthday)) == date(2027, 1, 27)
    assert rules.turning_18_task_due(date_of_birth=born_for_birthday(birthday), today=today) is due


def test_mot_4_birthday_across_midnight_in_oslo():
    dob = date(2009, 1, 15)
    winter_midnight = datetime(2027, 1, 15, 0, 0, tzinfo=OSLO)
    assert rules.turns_18_at(dob) == winter_midnight
    assert not rules.is_adult_at(dob, winter_midnight - timedelta(seconds=1))
    assert rules.is_adult_at(dob, winter_midnight)
    # 23:30 UTC on the 14th is already 00:30 on the 15th in Oslo.
    assert rules.is_adult_at(dob, datetime(2027, 1, 14, 23, 30, tzinfo=ZoneInfo("UTC")))
    summer = date(2009, 7, 1)
    assert not rules.is_adult_at(summer, datetime(2027, 6, 30, 21, 59, tzinfo=ZoneInfo("UTC")))
    assert rules.is_adult_at(summer, datetime(2027, 6, 30, 22, 0, tzinfo=ZoneInfo("UTC")))


def test_mot_4_born_on_29_february_turns_18_on_1_march():
    assert rules.eighteenth_birthday(date(2008, 2, 29)) == date(2026, 3, 1)
    assert rules.turning_18_task_opens_on(date(2008, 2, 29)) == date(2026, 1, 18)


# --- opening ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("days_before", "opened"), [(43, 0), (42, 1), (41, 1)])
def test_r_9_the_daily_check_opens_the_case_at_six_weeks_plus_minus_a_day(
    centre, days_before, opened
):
    today = timezone.localdate()
    birthday = safe_day(today + timedelta(days=days_before))
    resident = ResidentFactory(centre=centre, date_of_birth=born_for_birthday(birthday))
    assert services.residents_turning_18_open(today=today) == opened
    assert resident.turning_18_cases.count() == opened
    if opened:
        case = resident.turning_18_cases.get()
        deadline = Deadline.objects.get(object_id=case.pk, kind=REQUEST_DEADLINE)
        assert deadline.due_at == datetime.combine(birthday, datetime.min.time(), tzinfo=OSLO)
        assert deadline.rule_id == "MOT-4"
        assert services.residents_turning_18_open(today=today) == 0  # once


def test_r_9_no_case_without_an_open_stay_or_once_18(centre):
    today = timezone.localdate()
    ResidentFactory(
        centre=centre,
        date_of_birth=born_for_birthday(safe_day(today + timedelta(days=10))),
        stay=None,
    )
    ResidentFactory(centre=centre, date_of_birth=born_for_birthday(safe_day(today)))
    assert services.residents_turning_18_open(today=today) == 0


# --- the request ------------------------------------------------------------------------------


@pytest.fixture
def soon_18(centre):
    today = timezone.localdate()
    resident = ResidentFactory(
        centre=centre,
        date_of_birth=born_for_birthday(safe_day(today + timedelta(days=30))),
        child_welfare_case=True,
        special_needs="Needs an interpreter.",
    )
    return services.turning_18_open(resident=resident)


def test_mot_4_request_refused_until_child_welfare_views_recorded(soon_18, staff):
    with pytest.raises(ValidationError, match="record its views before"):
        services.turning_18_request_move(
            case=soon_18, recommendation="", channel="by_hand", by=staff
        )
    soon_18.refresh_from_db()
    assert soon_18.state == "open" and soon_18.requested_at is None
    with pytest.raises(ValidationError, match="future"):
        services.turning_18_record_child_welfare_views(
            case=soon_18,
            views="Stay near school.",
            given_at=timezone.now() + timedelta(hours=1),
            by=staff,
        )


def test_mot_4_request_to_the_regional_office_met_when_sent(
    soon_18, staff, settings, tmp_path, region
):
    settings.MEDIA_ROOT = tmp_path
    ExternalRecipient.objects.create(
        kind="udi_region", name="UDI Region Øst", address="Postboks 1, 2301 Hamar"
    )
    services.turning_18_record_child_welfare_views(
        case=soon_18, views="Bør bo nær skolen.", given_at=timezone.now(), by=staff
    )
    dispatch = services.turning_18_request_move(
        case=soon_18,
        recommendation="Ordinært mottak i samme kommune.",
        channel="post",
        by=staff,
    )
    soon_18.refresh_from_db()
    assert soon_18.state == "requested"
    assert dispatch.recipient_name == "UDI Region Øst"
    assert Deadline.objects.get(object_id=soon_18.pk, kind=REQUEST_DEADLINE).state == "open"
    dispatch = dispatch_render(dispatch_id=dispatch.pk)
    with dispatch.pdf.open("rb") as file:
        text = pdf_text(file.read(), tmp_path)
    for expected in ("fyller 18 år", "Ordinært mottak i samme kommune.", "Bør bo nær skolen."):
        assert expected in text, expected
    assert "MOT-4" not in text and "R-9" not in text
    dispatch_mark_sent(dispatch=dispatch, by=staff)
    assert Deadline.objects.get(object_id=soon_18.pk, kind=REQUEST_DEADLINE).state == "met"
    with pytest.raises(ValidationError):  # asked once
        services.turning_18_request_move(case=soon_18, recommendation="", channel="post", by=staff)


# --- the birthday -----------------------------------------------------------------------------


def test_mot_4_on_the_birthday_the_mandate_ends_and_open_cases_get_a_prompt(centre, staff):
    today = safe_day(timezone.localdate())
    resident = ResidentFactory(
        centre=centre, date_of_birth=born_for_birthday(today), representative_name="Rolf"
    )
    case = services.turning_18_open(resident=resident)
    arrival = services.arrival_open(stay=resident.stays.get(), by=staff)
    assert services.residents_turned_18_publish(today=today - timedelta(days=1)) == 0
    assert services.residents_turned_18_publish(today=today) == 1
    resident.refresh_from_db()
    assert resident.representative_name == ""
    ended = RepresentativeRecord.objects.get(resident=resident)
    assert (ended.status, ended.end_reason, ended.name) == ("ended", "turned_18", "Rolf")
    case.refresh_from_db()
    assert case.state == "passed" and case.passed_at is not None
    prompt = Deadline.objects.get(kind=services.TURNED_18_REVIEW)
    assert prompt.object_id == arrival.pk and prompt.rule_id == "MOT-4"
    assert CaseEvent.objects.filter(kind=events.TURNED_18).count() == 1
    assert services.residents_turned_18_publish(today=today) == 0  # once


# --- a corrected date of birth ----------------------------------------------------------------


def test_mot_4_corrected_date_of_birth_moves_the_deadline_with_history(soon_18, staff):
    resident = soon_18.resident
    old = resident.date_of_birth
    earlier = old - timedelta(days=7)
    services.resident_date_of_birth_correct(
        resident=resident, date_of_birth=earlier, reason="Age assessment", by=staff
    )
    soon_18.refresh_from_db()
    assert soon_18.birthday == rules.eighteenth_birthday(earlier)
    deadline = Deadline.objects.get(object_id=soon_18.pk, kind=REQUEST_DEADLINE)
    assert deadline.due_at == rules.turns_18_at(earlier)
    resident.refresh_from_db()
    assert resident.history.filter(date_of_birth=old).exists()
    event = CaseEvent.objects.get(kind=events.DATE_OF_BIRTH_CORRECTED)
    assert event.payload == {"from": old.isoformat(), "to": earlier.isoformat()}


def test_mot_4_a_corrected_date_of_birth_six_weeks_away_opens_the_task(centre, staff):
    resident = ResidentFactory(centre=centre)
    older = born_for_birthday(safe_day(timezone.localdate() + timedelta(days=20)))
    services.resident_date_of_birth_correct(
        resident=resident, date_of_birth=older, reason="Age assessment", by=staff
    )
    assert resident.turning_18_cases.filter(state="open").exists()


@pytest.mark.parametrize(
    ("shift", "message"),
    [
        (lambda r: timezone.localdate() + timedelta(days=1), "cannot be in the future"),
        (lambda r: timezone.localdate() - timedelta(days=2), "cannot be after the first arrival"),
    ],
)
def test_mot_4_impossible_dates_of_birth_are_refused(resident, staff, shift, message):
    old = resident.date_of_birth
    with pytest.raises(ValidationError, match=message):
        services.resident_date_of_birth_correct(
            resident=resident, date_of_birth=shift(resident), reason="Age assessment", by=staff
        )
    resident.refresh_from_db()
    assert resident.date_of_birth == old
    assert not CaseEvent.objects.filter(kind=events.DATE_OF_BIRTH_CORRECTED).exists()


def test_mot_4_correction_needs_a_reason(resident, staff):
    with pytest.raises(ValidationError, match="reason"):
        services.resident_date_of_birth_correct(
            resident=resident, date_of_birth=date(2009, 1, 1), reason=" ", by=staff
        )


# --- pages ------------------------------------------------------------------------------------


def test_mot_4_pages(client, soon_18, staff):
    client.force_login(staff)
    url = reverse("mottak:turning_18_detail", args=[soon_18.pk])
    content = client.get(url).content.decode()
    assert "Move decision asked of the regional office" in content
    response = client.post(
        reverse("mottak:turning_18_request", args=[soon_18.pk]),
        {"recommendation": "", "channel": "by_hand"},
        follow=True,
    )
    assert "record its views before" in response.content.decode()
    assert url in client.get(soon_18.resident.get_absolute_url()).content.decode()
    dob_url = reverse("mottak:date_of_birth_correct", args=[soon_18.resident.pk])
    response = client.post(
        dob_url,
        {"date_of_birth": (timezone.localdate() - timedelta(days=1)).isoformat(), "reason": "x"},
    )
    assert response.status_code == 200
    assert "cannot be after the first arrival" in response.content.decode()


def test_mot_4_another_centres_case_answers_404(client, far_centre, soon_18):
    client.force_login(CentreStaffFactory(centre=far_centre))
    assert client.get(reverse("mottak:turning_18_detail", args=[soon_18.pk])).status_code == 404
    response = client.post(
        reverse("mottak:turning_18_views", args=[soon_18.pk]),
        {"views": "x", "given_at": "2026-01-01T10:00"},
    )
    assert response.status_code == 404
    assert TurningEighteen.objects.get().child_welfare_views == ""


def test_mot_4_case_page_runs_a_fixed_number_of_queries(
    client, soon_18, staff, django_assert_max_num_queries
):
    client.force_login(staff)
    url = reverse("mottak:turning_18_detail", args=[soon_18.pk])
    services.turning_18_record_child_welfare_views(
        case=soon_18, views="Near school.", given_at=timezone.now(), by=staff
    )
    services.turning_18_request_move(case=soon_18, recommendation="", channel="by_hand", by=staff)
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200


def test_mot_4_a_date_of_birth_changed_on_the_record_form_moves_the_deadline_too(soon_18, staff):
    from dataclasses import replace

    from mottak.services import ResidentData

    resident = soon_18.resident
    fields = {name: getattr(resident, name) for name in services.RESIDENT_DATA_FIELDS}
    earlier = resident.date_of_birth - timedelta(days=3)
    services.resident_update(
        resident=resident, data=replace(ResidentData(**fields), date_of_birth=earlier), by=staff
    )
    deadline = Deadline.objects.get(object_id=soon_18.pk, kind=REQUEST_DEADLINE)
    assert deadline.due_at == rules.turns_18_at(earlier)
    assert CaseEvent.objects.filter(kind=events.DATE_OF_BIRTH_CORRECTED).count() == 1
