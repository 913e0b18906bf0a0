"""The resident page as the hub: status at a glance, age, open cases, deadlines with links to
their step, actions only for who may do them; correcting the record; appointments."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseEvent, TimelineEvent
from cases.services.deadlines import deadline_open
from cases.tests.dispatch_factories import create_arrival_notice
from mottak import events, rules, services
from mottak.models import Appointment, AsylumStage, Resident, Role, Stay
from mottak.tests.factories import AppointmentFactory, ResidentFactory, make_resident
from permisjon.tests.conftest import contact, interview_held_for, leave_data

pytestmark = pytest.mark.django_db


def detail_url(resident):
    return reverse("mottak:resident_detail", args=[resident.pk])


def edit_url(resident):
    return reverse("mottak:resident_edit", args=[resident.pk])


def _report_missing(resident, by):
    from savnet import services as missing_services

    now = timezone.now()
    return missing_services.missing_report_open(
        resident=resident,
        reason_to_believe_at=now - timedelta(hours=2),
        noticed_at=now - timedelta(hours=3),
        last_seen_at=None,
        circumstances="Not at breakfast.",
        by=by,
    )


def _leave(resident, by, *, starts_in_days=10):
    from permisjon import services as leave_services

    interview_held_for(resident)
    return leave_services.leave_application_submit(
        resident=resident,
        data=leave_data(starts_in_days=starts_in_days),
        contact_persons=[contact()],
        by=by,
        # A leave already under way was applied for before it began (PERM-1).
        now=min(timezone.now(), timezone.now() + timedelta(days=starts_in_days - 1)),
    )


# --- rules: age and days until 18 ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "today", "age", "days"),
    [
        (date(2010, 6, 15), date(2028, 6, 14), 17, 1),
        (date(2010, 6, 15), date(2028, 6, 15), 18, 0),
        (date(2010, 6, 15), date(2030, 1, 1), 19, 0),
        (date(2010, 6, 15), date(2026, 6, 15), 16, 731),
        # Born on 29 February: 17 on 28 February of a year without one, 18 on 1 March.
        (date(2008, 2, 29), date(2026, 2, 28), 17, 1),
        (date(2008, 2, 29), date(2026, 3, 1), 18, 0),
    ],
)
def test_age_and_days_until_18(born, today, age, days):
    assert rules.age_on(born, today) == age
    assert rules.days_until_18(born, today) == days


def test_date_of_birth_warnings():
    today = date(2026, 12, 1)
    assert rules.date_of_birth_warnings(date_of_birth=today, arrived_on=None, today=today) == [
        "born_today"
    ]
    assert (
        rules.date_of_birth_warnings(
            date_of_birth=date(2008, 12, 1), arrived_on=date(2026, 11, 30), today=today
        )
        == []
    )  # 17 years 364 days at arrival
    assert rules.date_of_birth_warnings(
        date_of_birth=date(2008, 12, 1), arrived_on=date(2026, 12, 1), today=today
    ) == ["adult_at_arrival"]


# --- the resident page --------------------------------------------------------------------------


def test_status_present_age_and_arrival_not_offered_to_who_lives_here(client, staff, resident):
    client.force_login(staff)
    content = client.get(detail_url(resident)).content.decode()
    assert f"Living at {resident.centre.name}" in content
    today = timezone.localdate()
    age = rules.age_on(resident.date_of_birth, today)
    days = rules.days_until_18(resident.date_of_birth, today)
    assert f"{age} years old" in content
    assert f"{days} days until 18" in content
    assert reverse("mottak:stay_arrival", args=[resident.pk]) not in content
    assert reverse("mottak:resident_edit", args=[resident.pk]) in content


def test_status_moved_offers_an_arrival(client, staff, resident):
    services.stay_close(
        stay=resident.stays.get(), ended_at=timezone.now(), reason=Stay.EndReason.MOVED, by=staff
    )
    client.force_login(staff)
    content = client.get(detail_url(resident)).content.decode()
    assert "Moved out: Moved to another centre" in content
    assert reverse("mottak:stay_arrival", args=[resident.pk]) in content
    # Leave and a missing report are for a child who lives here.
    assert reverse("permisjon:create", args=[resident.pk]) not in content


def test_missing_status_links_to_the_case_and_its_steps(client, staff, resident):
    report = _report_missing(resident, staff)
    client.force_login(staff)
    content = client.get(detail_url(resident)).content.decode()
    case_url = reverse("savnet:detail", args=[report.pk])
    assert "Missing now" in content
    assert f'href="{case_url}"' in content
    assert f'href="{case_url}#step-police"' in content  # the open deadline leads to its step
    # Already missing: neither a new report nor a leave application is offered.
    assert f"{reverse('savnet:start')}?resident={resident.pk}" not in content
    assert reverse("permisjon:create", args=[resident.pk]) not in content


def test_open_leave_case_is_listed_with_its_link(client, staff, resident):
    application = _leave(resident, staff)
    client.force_login(staff)
    content = client.get(detail_url(resident)).content.decode()
    assert f'href="{reverse("permisjon:detail", args=[application.pk])}"' in content


def test_actions_only_for_who_may_do_them(client, staff, caseworker, resident):
    leave = reverse("permisjon:create", args=[resident.pk])
    missing = f"{reverse('savnet:start')}?resident={resident.pk}"
    client.force_login(staff)
    content = client.get(detail_url(resident)).content.decode()
    assert leave in content and missing in content
    client.force_login(caseworker)  # sees the resident, changes nothing
    content = client.get(detail_url(resident)).content.decode()
    assert client.get(detail_url(resident)).status_code == 200
    for url in (
        leave,
        missing,
        edit_url(resident),
        reverse("mottak:appointment_new", args=[resident.pk]),
    ):
        assert url not in content


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _add_case_data(resident, staff, n, *, offset=0):
    for i in range(n):
        application = _leave(resident, staff, starts_in_days=10 + 10 * (offset + i))
        deadline_open(
            owner=application,
            kind=f"test_{offset + i}",
            due_at=timezone.now() + timedelta(days=1 + i),
            label="Test deadline",
            centre=resident.centre,
        )
        create_arrival_notice(resident=resident, by=staff)
        AppointmentFactory(resident=resident, starts_at=timezone.now() + timedelta(days=i))


def test_resident_page_queries_do_not_grow_with_the_data(client, staff, resident):
    client.force_login(staff)
    _add_case_data(resident, staff, 1)
    client.get(detail_url(resident))  # warm the content-type cache
    few = _count(client, detail_url(resident))
    _add_case_data(resident, staff, 4, offset=1)
    content = client.get(detail_url(resident)).content.decode()
    assert content.count('id="open-deadline-') >= 5
    assert _count(client, detail_url(resident)) == few


# --- correcting the record ----------------------------------------------------------------------


def _post_data(resident, **changes):
    data = {
        name: getattr(resident, name)
        for name in services.RESIDENT_DATA_FIELDS
        if getattr(resident, name) not in (None, False)
    }
    data["date_of_birth"] = resident.date_of_birth.isoformat()
    data["version"] = services.resident_version(resident)
    data.update(changes)
    return data


def test_edit_saves_with_history_timeline_and_stage_event(client, staff, resident):
    client.force_login(staff)
    assert client.get(edit_url(resident)).status_code == 200
    response = client.post(
        edit_url(resident),
        _post_data(resident, family_name="Haile", asylum_stage=AsylumStage.DECISION_PENDING),
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.family_name == "Haile"
    latest = resident.history.first()
    assert latest.history_user == staff and latest.history_type == "~"
    event = TimelineEvent.objects.get(kind="record_changed")
    assert "family name" in event.summary and "Haile" not in event.summary  # no values
    stage = CaseEvent.objects.get(kind=events.ASYLUM_STAGE_CHANGED)
    assert {"from": "registered", "to": "decision_pending"}.items() <= stage.payload.items()


def test_edit_bad_input_says_so_and_saves_nothing(client, staff, resident):
    client.force_login(staff)
    before = resident.history.count()
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(
        edit_url(resident), _post_data(resident, date_of_birth=tomorrow, duf_number="123")
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "The date of birth cannot be in the future." in content
    assert "A DUF number has exactly 12 digits" in content
    assert resident.history.count() == before
    assert not TimelineEvent.objects.filter(kind="record_changed").exists()


def test_edit_in_norwegian_by_default(client, staff, resident):
    client.defaults.pop("HTTP_ACCEPT_LANGUAGE", None)
    client.force_login(staff)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(edit_url(resident), _post_data(resident, date_of_birth=tomorrow))
    assert "Fødselsdatoen kan ikke være fram i tid." in response.content.decode()


def test_edit_refuses_a_duf_number_someone_else_has(client, staff, resident, centre):
    other = make_resident(centre)
    client.force_login(staff)
    response = client.post(edit_url(resident), _post_data(resident, duf_number=other.duf_number))
    assert "already registered" in response.content.decode()
    resident.refresh_from_db()
    assert resident.duf_number != other.duf_number


def test_edit_warns_about_an_adult_at_arrival_but_saves(client, staff, resident):
    client.force_login(staff)
    born = (timezone.localdate() - timedelta(days=20 * 365)).isoformat()
    response = client.post(
        edit_url(resident), _post_data(resident, date_of_birth=born), follow=True
    )
    assert "18 or older on arrival" in response.content.decode()
    resident.refresh_from_db()
    assert resident.date_of_birth.isoformat() == born


@pytest.mark.parametrize("role", [Role.REGION_CASEWORKER, Role.ASA_CASEWORKER, Role.RMA])
def test_read_only_roles_cannot_edit(client, user_factory, region, centre, role):
    resident = make_resident(centre, asylum_stage=AsylumStage.FINAL_REJECTION)
    user = user_factory(role, region=region if role == Role.REGION_CASEWORKER else None)
    client.force_login(user)
    assert client.get(edit_url(resident)).status_code == 404
    assert client.post(edit_url(resident), _post_data(resident, family_name="X")).status_code == 404
    assert Resident.objects.get(pk=resident.pk).family_name == "Testesen"


def test_another_centres_resident_is_404(client, staff, far_centre):
    other = make_resident(far_centre)
    client.force_login(staff)
    for url in (
        detail_url(other),
        edit_url(other),
        reverse("mottak:appointment_new", args=[other.pk]),
    ):
        assert client.get(url).status_code == 404


def test_double_submit_saves_one_change(staff, resident):
    version = services.resident_version(resident)
    data = services.ResidentData(
        **{name: getattr(resident, name) for name in services.RESIDENT_DATA_FIELDS}
        | {"family_name": "Haile"}
    )
    before = resident.history.count()
    assert services.resident_update(resident=resident, data=data, by=staff, version=version)
    assert services.resident_update(resident=resident, data=data, by=staff, version=version) == []
    assert resident.history.count() == before + 1
    assert TimelineEvent.objects.filter(kind="record_changed").count() == 1


def test_a_stale_form_does_not_overwrite_another_change(staff, leader, resident):
    version = services.resident_version(resident)
    fields = {name: getattr(resident, name) for name in services.RESIDENT_DATA_FIELDS}
    services.resident_update(
        resident=resident,
        data=services.ResidentData(**fields | {"school": "Byskolen"}),
        by=leader,
        version=version,
    )
    with pytest.raises(ValidationError, match="Someone else changed"):
        services.resident_update(
            resident=resident,
            data=services.ResidentData(**fields | {"family_name": "Haile"}),
            by=staff,
            version=version,
        )
    resident.refresh_from_db()
    assert (resident.school, resident.family_name) == ("Byskolen", "Testesen")


# --- appointments -------------------------------------------------------------------------------


def test_staff_record_and_cancel_an_appointment(client, staff, resident):
    client.force_login(staff)
    url = reverse("mottak:appointment_new", args=[resident.pk])
    when = (timezone.localtime() + timedelta(days=3)).replace(second=0, microsecond=0)
    data = {"kind": Appointment.Kind.ASYLUM_INTERVIEW, "starts_at": when.strftime("%Y-%m-%dT%H:%M")}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # a double submit records it once
    appointment = Appointment.objects.get()
    assert appointment.history.first().history_user == staff
    assert TimelineEvent.objects.filter(kind="appointment").count() == 1
    content = client.get(detail_url(resident)).content.decode()
    assert "Asylum interview" in content
    cancel = reverse("mottak:appointment_cancel", args=[resident.pk, appointment.pk])
    assert client.post(cancel).status_code == 302
    appointment.refresh_from_db()
    assert appointment.cancelled_at is not None


def test_appointment_time_out_of_range_is_refused(client, staff, resident):
    client.force_login(staff)
    url = reverse("mottak:appointment_new", args=[resident.pk])
    far = (timezone.localtime() + timedelta(days=3 * 366)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"kind": Appointment.Kind.ASYLUM_INTERVIEW, "starts_at": far})
    assert response.status_code == 200
    assert "Enter a date and time between" in response.content.decode()
    assert not Appointment.objects.exists()


def test_caseworker_cannot_record_appointments(client, caseworker, resident):
    client.force_login(caseworker)
    url = reverse("mottak:appointment_new", args=[resident.pk])
    assert client.get(url).status_code == 404
    appointment = AppointmentFactory(resident=resident)
    cancel = reverse("mottak:appointment_cancel", args=[resident.pk, appointment.pk])
    assert client.post(cancel).status_code == 404


def test_appointment_of_another_resident_is_404(client, staff, resident, centre):
    other = ResidentFactory(centre=centre)
    appointment = AppointmentFactory(resident=other)
    client.force_login(staff)
    cancel = reverse("mottak:appointment_cancel", args=[resident.pk, appointment.pk])
    assert client.post(cancel).status_code == 404


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submit_of_an_edit_saves_one_change(staff, resident):
    """The same correction posted twice at the same moment: one history row, one timeline entry."""
    import threading

    from django.test import Client

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")
    barrier = threading.Barrier(2)
    results = []
    data = _post_data(resident, family_name="Haile")
    before = resident.history.count()

    def submit():
        client = Client()
        client.force_login(staff)
        barrier.wait()
        try:
            results.append(client.post(edit_url(resident), data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [302, 302]
    assert resident.history.count() == before + 1
    assert TimelineEvent.objects.filter(kind="record_changed").count() == 1
