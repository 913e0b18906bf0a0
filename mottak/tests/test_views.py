"""The core records' pages: login, start pages, list and search, resident page, history, forms."""

from datetime import date, timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cases.models import ReadLog, TimelineEvent
from mottak.models import AsylumStage, Resident, Role, Stay
from mottak.tests.factories import AppointmentFactory, ResidentFactory

PASSWORD = "pw-test-123!"
LIST_URL = "/beboere/"
REGISTER_URL = "/beboere/ny/"


def detail_url(resident):
    return reverse("mottak:resident_detail", args=[resident.pk])


def history_url(resident):
    return reverse("mottak:resident_history", args=[resident.pk])


def search(client, **criteria):
    """Search through the form (POST, kept in the session) and return the result page."""
    response = client.post(LIST_URL, criteria)
    assert response.status_code == 302
    assert response["Location"] == LIST_URL  # the search terms never go into the URL
    return client.get(LIST_URL)


# --- login, lockout, session, language ----------------------------------------------------------


def test_login_page_and_successful_login(client, staff):
    response = client.get("/login/")
    assert response.status_code == 200
    assert b'<label class="ds-label" for="id_username">' in response.content
    response = client.post("/login/", {"username": staff.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    # The password alone does not open the start page: the second factor comes first
    # (mottak/tests/test_mfa.py logs in all the way).
    assert client.get("/")["Location"].startswith(reverse("mfa_enrol"))


def test_pages_need_login(client, resident):
    for url in ["/", LIST_URL, detail_url(resident), REGISTER_URL]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


def test_logout_is_a_post(client, staff):
    client.force_login(staff)
    assert client.get("/logout/").status_code == 405
    response = client.post("/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_wrong_password_says_so(client, staff):
    response = client.post("/login/", {"username": staff.username, "password": "wrong"})
    assert response.status_code == 200
    assert b"The username or password is wrong" in response.content


def test_lockout_after_five_failures(client, staff):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/login/", {"username": staff.username, "password": "wrong"})
        assert response.status_code == 200
    response = client.post("/login/", {"username": staff.username, "password": "wrong"})
    assert response.status_code == 429
    assert b"Login locked" in response.content
    # Even the right password is refused during the cool-off.
    response = client.post("/login/", {"username": staff.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_session_expires_after_30_idle_minutes(client, staff):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client.post("/login/", {"username": staff.username, "password": PASSWORD})
    assert client.session.get_expiry_age() == 30 * 60


def test_language_switch(staff):
    from django.test import Client

    client = Client()  # no Accept-Language: the default language
    client.force_login(staff)
    response = client.get("/")
    assert b'<html lang="nb">' in response.content
    assert b'action="/i18n/setlang/"' in response.content
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/beboere/"})
    assert response.status_code == 302
    assert response["Location"] == "/beboere/"
    assert b'<html lang="en">' in client.get("/").content
    client.post("/i18n/setlang/", {"language": "nb", "next": "/"})
    assert b'<html lang="nb">' in client.get("/").content


def test_header_shows_user_and_role(client, staff):
    staff.first_name, staff.last_name = "Kari", "Nordmann"
    staff.save()
    client.force_login(staff)
    content = client.get("/").content.decode()
    assert "Kari Nordmann" in content
    assert str(Role.CENTRE_STAFF.label) in content
    assert 'class="ds-skip-link" href="#main"' in content
    assert 'href="/saker/varsler/"' in content  # the notifications link with its unread count


# --- start pages ----------------------------------------------------------------------------------


def test_home_centre_staff_sees_their_centre_and_recent_arrivals(client, staff, centre, far_centre):
    mine = ResidentFactory(centre=centre, given_names="Mina")
    mine.stays.update(started_at=timezone.now() - timedelta(days=2))
    ResidentFactory(centre=far_centre, given_names="Fremmed")
    client.force_login(staff)
    content = client.get("/").content.decode()
    assert centre.name in content
    assert far_centre.name not in content
    assert "Mina" in content
    assert "Fremmed" not in content
    assert detail_url(mine) in content


def test_home_region_sees_centres_with_counts(
    client, caseworker, centre, neighbour_centre, far_centre
):
    ResidentFactory(centre=centre)
    ResidentFactory(centre=neighbour_centre)
    client.force_login(caseworker)
    content = client.get("/").content.decode()
    assert centre.name in content and neighbour_centre.name in content
    assert far_centre.name not in content


def test_home_rma_sees_counts_but_no_names(client, user_factory, centre, far_centre):
    rma = user_factory(Role.RMA)
    resident = ResidentFactory(
        centre=centre, given_names="Hemmelig", asylum_stage=AsylumStage.FINAL_REJECTION
    )
    ResidentFactory(centre=far_centre, given_names="Skjult")
    client.force_login(rma)
    content = client.get("/").content.decode()
    assert "Hemmelig" not in content and "Skjult" not in content
    assert resident.duf_number not in content
    assert centre.name in content and far_centre.region.name in content
    assert str(AsylumStage.FINAL_REJECTION.label) in content
    assert "/beboere/" not in content  # no resident list link for an aggregates-only role


def test_home_admin_links_to_admin(client, admin_user):
    client.force_login(admin_user)
    content = client.get("/").content.decode()
    assert reverse("admin:index") in content
    assert reverse("admin:mottak_centre_changelist") in content


# --- list, search, filters, pagination ----------------------------------------------------------


def test_list_shows_only_visible_residents(client, staff, centre, neighbour_centre):
    mine = ResidentFactory(centre=centre, family_name="Innenfor")
    theirs = ResidentFactory(centre=neighbour_centre, family_name="Utenfor")
    client.force_login(staff)
    content = client.get(LIST_URL).content.decode()
    assert "Innenfor" in content and detail_url(mine) in content
    assert "Utenfor" not in content and detail_url(theirs) not in content


def test_search_by_duf_number_with_spaces(client, staff, centre):
    wanted = ResidentFactory(centre=centre, duf_number="202412345678", family_name="Funnet")
    ResidentFactory(centre=centre, duf_number="202499999999", family_name="Annen")
    client.force_login(staff)
    content = search(client, q=" 2024 1234 5678 ").content.decode()
    assert "Funnet" in content and detail_url(wanted) in content
    assert "Annen" not in content


def test_search_by_beginning_of_duf_number(client, staff, centre):
    ResidentFactory(centre=centre, duf_number="202412345678", family_name="Funnet")
    ResidentFactory(centre=centre, duf_number="201900000001", family_name="Annen")
    client.force_login(staff)
    content = search(client, q="2024 12").content.decode()
    assert "Funnet" in content and "Annen" not in content


def test_search_by_names_any_order_and_case(client, staff, centre):
    ResidentFactory(centre=centre, given_names="Amina Sara", family_name="Haile")
    ResidentFactory(centre=centre, given_names="Amina", family_name="Tesfay")
    client.force_login(staff)
    content = search(client, q="haile amina").content.decode()
    assert "Haile" in content and "Tesfay" not in content


def test_search_by_registration_number(client, staff, centre):
    ResidentFactory(
        centre=centre, duf_number=None, registration_number="REG-77", family_name="Uten"
    )
    ResidentFactory(centre=centre, family_name="Med")
    client.force_login(staff)
    content = search(client, q="reg-77").content.decode()
    assert "Uten" in content and "Med" not in content


def test_search_is_kept_across_pages_and_can_be_cleared(client, staff, centre):
    ResidentFactory(centre=centre, family_name="Funnet")
    ResidentFactory(centre=centre, family_name="Annen")
    client.force_login(staff)
    search(client, q="Funnet")
    assert "Annen" not in client.get(LIST_URL).content.decode()
    client.post(LIST_URL, {"clear": "1"})
    assert "Annen" in client.get(LIST_URL).content.decode()


def test_filter_by_centre_and_stage(client, user_factory, centre, neighbour_centre):
    user = user_factory(Role.CENTRE_LEADER, centre=centre)
    from mottak.services.memberships import centre_membership_grant

    centre_membership_grant(user=user, centre=neighbour_centre)
    ResidentFactory(centre=centre, family_name="Alfa", asylum_stage=AsylumStage.DUBLIN)
    ResidentFactory(centre=centre, family_name="Beta", asylum_stage=AsylumStage.REGISTERED)
    ResidentFactory(centre=neighbour_centre, family_name="Gamma", asylum_stage=AsylumStage.DUBLIN)
    client.force_login(user)
    content = search(client, centre=centre.pk).content.decode()
    assert "Alfa" in content and "Beta" in content and "Gamma" not in content
    content = search(client, stage=AsylumStage.DUBLIN).content.decode()
    assert "Alfa" in content and "Gamma" in content and "Beta" not in content
    content = search(client, centre=neighbour_centre.pk, stage=AsylumStage.DUBLIN).content.decode()
    assert "Gamma" in content and "Alfa" not in content


def test_filter_choices_are_only_visible_centres(client, staff, centre, far_centre):
    client.force_login(staff)
    content = client.get(LIST_URL).content.decode()
    assert f'<option value="{centre.pk}">' in content
    assert far_centre.name not in content
    # Asking for a centre outside one's scope is a form error, and shows nobody.
    ResidentFactory(centre=far_centre, family_name="Fjern")
    response = client.post(LIST_URL, {"centre": far_centre.pk})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Select a valid choice" in content
    assert "Fjern" not in content


def test_bad_search_input_gives_a_message(client, staff):
    client.force_login(staff)
    response = client.post(LIST_URL, {"q": "x" * 101, "stage": "nonsense"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Ensure this value has at most 100 characters" in content
    assert "Select a valid choice" in content


def test_pagination_50_a_page(client, staff, centre):
    for i in range(51):
        ResidentFactory(centre=centre, family_name=f"Person{i:03d}")
    client.force_login(staff)
    first = client.get(LIST_URL)
    assert first.context["page"].paginator.count == 51
    assert len(first.context["page"].object_list) == 50
    assert 'href="?page=2"' in first.content.decode()
    second = client.get(LIST_URL + "?page=2")
    assert len(second.context["page"].object_list) == 1
    # Nonsense page numbers fall back to a real page, never a 500.
    assert client.get(LIST_URL + "?page=abc").status_code == 200
    assert client.get(LIST_URL + "?page=999").context["page"].number == 2


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


# Measured: list 10 (session, user, the session's second-factor device, the user's centres read
# once, count, page, centre choices, session save with its savepoint pair). Two spare for
# header context processors.
LIST_MAX_QUERIES = 12
# record, stays, appointments, timeline, deadlines, notices, consents, session, notifications,
# the user's centres and the residents moving in (read once, may-change is then answered
# without a query), the asylum stage history, the Sesam notices, the representative's records,
# and one query per routine for its open cases (the statuses at a glance are read from them):
# a routine more costs a query more, never a row more. One more reads the session's
# second-factor device (mottak/middleware.py).
PAGE_MAX_QUERIES = 29


def test_list_runs_a_fixed_number_of_queries(client, staff, centre, django_assert_max_num_queries):
    for _ in range(5):
        ResidentFactory(centre=centre)
    client.force_login(staff)
    client.get(LIST_URL)  # warm caches (content types)
    small = _count_queries(client, LIST_URL)
    for _ in range(55):
        ResidentFactory(centre=centre)
    assert _count_queries(client, LIST_URL) == small
    search(client, q="Testesen", stage=AsylumStage.REGISTERED)
    with django_assert_max_num_queries(LIST_MAX_QUERIES):
        client.get(LIST_URL)


def test_resident_page_runs_a_fixed_number_of_queries(
    client, leader, centre, neighbour_centre, django_assert_max_num_queries
):
    from mottak.services import stay_close, stay_open

    resident = ResidentFactory(centre=centre)
    client.force_login(leader)
    client.get(detail_url(resident))
    small = _count_queries(client, detail_url(resident))
    now = timezone.now()
    for i in range(5):  # more stays, appointments and timeline events
        stay = resident.stays.get(ended_at__isnull=True)
        stay_close(stay=stay, ended_at=now - timedelta(days=20 - 2 * i), reason="moved", by=leader)
        stay_open(
            resident=resident, centre=centre, arrived_at=now - timedelta(days=19 - 2 * i), by=leader
        )
        AppointmentFactory(resident=resident, kind="asylum_interview", starts_at=now)
    assert resident.stays.count() == 6
    assert _count_queries(client, detail_url(resident)) == small
    with django_assert_max_num_queries(PAGE_MAX_QUERIES):
        client.get(detail_url(resident))


# --- resident page, read log, history -------------------------------------------------------------


def test_resident_page_shows_stays_appointments_and_timeline(client, staff, centre):
    from mottak.services import ResidentData, resident_register_with_arrival

    resident = resident_register_with_arrival(
        data=ResidentData(
            given_names="Selam",
            family_name="Tekle",
            date_of_birth=date(2009, 5, 1),
            gender="female",
            nationality="Eritrea",
            duf_number="201812345678",
        ),
        centre=centre,
        arrived_at=timezone.now() - timedelta(days=2),
        by=staff,
    )
    AppointmentFactory(
        resident=resident, kind="arrival_interview", starts_at=timezone.now() + timedelta(days=3)
    )
    client.force_login(staff)
    content = client.get(detail_url(resident)).content.decode()
    assert "Selam Tekle" in content
    assert "201812345678" in content
    assert f'id="stay-{resident.stays.get().pk}"' in content
    assert "still living here" in content
    assert "Arrival interview" in content
    assert f"Arrived at {centre.name}" in content  # the timeline
    assert "MOT-1" in content


def test_opening_the_resident_page_is_read_logged(client, staff, resident):
    client.force_login(staff)
    client.get(detail_url(resident))
    log = ReadLog.objects.get()
    assert (log.user, log.object_id, log.action) == (staff, resident.pk, "view")


def test_x_4_history_link_and_page_only_for_leaders_and_admins(client, staff, leader, resident):
    client.force_login(staff)
    assert history_url(resident) not in client.get(detail_url(resident)).content.decode()
    assert client.get(history_url(resident)).status_code == 404
    assert not ReadLog.objects.filter(action="history").exists()

    client.force_login(leader)
    assert history_url(resident) in client.get(detail_url(resident)).content.decode()
    assert client.get(history_url(resident)).status_code == 200
    assert ReadLog.objects.filter(user=leader, action="history", object_id=resident.pk).exists()


def test_x_4_history_shows_who_changed_what(client, leader, admin_user, resident, centre):
    from mottak.services import stay_close

    leader.first_name, leader.last_name = "Leder", "Lie"
    leader.save()
    # A change made through a request carries the user (HistoryRequestMiddleware); here, set it.
    resident.nationality = "Somalia"
    resident._history_user = admin_user
    resident.save()
    stay_close(
        stay=resident.stays.get(), ended_at=timezone.now(), reason=Stay.EndReason.MOVED, by=leader
    )
    client.force_login(leader)
    content = client.get(history_url(resident)).content.decode()
    assert "nationality" in content
    assert "<del>Eritrea</del>" in content and "<ins>Somalia</ins>" in content
    assert admin_user.username in content
    assert "Moved to another centre" in content  # a stay change, with its choice label
    assert "Created" in content


def test_history_of_a_forbidden_resident_is_404(client, user_factory, far_centre, centre):
    leader = user_factory(Role.CENTRE_LEADER, centre=centre)
    other = ResidentFactory(centre=far_centre)
    client.force_login(leader)
    assert client.get(history_url(other)).status_code == 404


# --- registration -------------------------------------------------------------------------------


def registration(centre, **overrides):
    data = {
        "duf_number": "2023 0000 0001",
        "registration_number": "",
        "given_names": "Yonas",
        "family_name": "Berhe",
        "date_of_birth": "2009-02-03",
        "gender": "male",
        "nationality": "Eritrea",
        "asylum_stage": "registered",
        "centre": centre.pk,
        "arrived_at": (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
    }
    data.update(overrides)
    return data


def test_mot_1_register_resident_with_arrival(client, staff, centre):
    client.force_login(staff)
    response = client.post(REGISTER_URL, registration(centre))
    resident = Resident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(resident)
    assert resident.duf_number == "202300000001"
    assert resident.centre == centre
    stay = resident.stays.get()
    assert stay.centre == centre and stay.ended_at is None
    event = TimelineEvent.objects.get(kind="arrival")
    assert (event.kind, event.rule_id, event.actor) == ("arrival", "MOT-1", staff)
    assert resident.history.get().history_user == staff


def test_register_with_registration_number_only(client, staff, centre):
    client.force_login(staff)
    client.post(REGISTER_URL, registration(centre, duf_number="", registration_number=" R-9 "))
    resident = Resident.objects.get()
    assert resident.duf_number is None
    assert resident.registration_number == "R-9"


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"duf_number": "1234"}, "A DUF number has exactly 12 digits"),
        ({"duf_number": "12345678901X"}, "A DUF number has exactly 12 digits"),
        (
            {"duf_number": "", "registration_number": ""},
            "Give a DUF number or a registration number",
        ),
        ({"date_of_birth": "2999-01-01"}, "Enter a date between 01.01.1900 and"),
        ({"date_of_birth": "1066-10-14"}, "Enter a date between 01.01.1900 and"),
        ({"date_of_birth": "2009-02-30"}, "Enter a valid date"),
        ({"arrived_at": "2999-01-01T10:00"}, "Enter a date and time between 01.01.2000 00:00 and"),
        ({"arrived_at": "1999-12-31T23:59"}, "Enter a date and time between 01.01.2000 00:00 and"),
        ({"arrived_at": "2008-01-01T10:00"}, "The arrival cannot be before the date of birth"),
        ({"arrived_at": "yesterday"}, "Enter a valid date/time"),
        ({"given_names": "   "}, "This field is required"),
        ({"gender": "robot"}, "Select a valid choice"),
    ],
)
def test_bad_registration_input_says_what_is_wrong_and_saves_nothing(
    client, staff, centre, overrides, message
):
    client.force_login(staff)
    response = client.post(REGISTER_URL, registration(centre, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Nothing has been saved" in response.content.decode()
    assert not Resident.objects.exists()
    assert not Stay.objects.exists()
    assert not TimelineEvent.objects.exists()


def test_duplicate_duf_number_is_refused_clearly(client, staff, centre):
    ResidentFactory(centre=centre, duf_number="202300000001")
    client.force_login(staff)
    response = client.post(REGISTER_URL, registration(centre, duf_number="2023 0000 0001"))
    assert response.status_code == 200
    assert "A resident with this DUF number is already registered" in response.content.decode()
    assert Resident.objects.count() == 1


def test_register_only_at_own_centres(client, staff, centre, neighbour_centre):
    client.force_login(staff)
    content = client.get(REGISTER_URL).content.decode()
    assert centre.name in content and neighbour_centre.name not in content
    response = client.post(REGISTER_URL, registration(neighbour_centre))
    assert "Select a valid choice" in response.content.decode()
    assert not Resident.objects.exists()


@pytest.mark.parametrize("role", [Role.REGION_CASEWORKER, Role.ASA_CASEWORKER, Role.RMA])
def test_roles_outside_centres_may_not_register(client, user_factory, region, centre, role):
    user = user_factory(role, region=region if role == Role.REGION_CASEWORKER else None)
    client.force_login(user)
    assert client.get(REGISTER_URL).status_code == 403
    assert client.post(REGISTER_URL, registration(centre)).status_code == 403
    assert not Resident.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submit_creates_one_resident(staff, centre):
    """Two identical registrations at the same moment: one resident, the other a clear message."""
    import threading

    from django.db import connection
    from django.test import Client

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")
    barrier = threading.Barrier(2)
    results = []

    def submit():
        client = Client()
        client.force_login(staff)
        barrier.wait()
        try:
            results.append(client.post(REGISTER_URL, registration(centre)).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [200, 302]
    assert Resident.objects.count() == 1
    assert Stay.objects.count() == 1
    # One arrival on the timeline (the arrival routine adds its own entries for its steps).
    assert TimelineEvent.objects.filter(kind="arrival").count() == 1
    assert apps.get_model("mottak", "Arrival").objects.count() == 1  # one arrival routine case


# --- arrival of a known resident, end of a stay ---------------------------------------------------


def _moved_out(resident, user):
    from mottak.services import stay_close

    stay_close(
        stay=resident.stays.get(),
        ended_at=timezone.now() - timedelta(days=10),
        reason=Stay.EndReason.MOVED,
        by=user,
    )


def test_record_arrival_of_known_resident(client, staff, resident, centre):
    _moved_out(resident, staff)
    client.force_login(staff)
    when = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    url = reverse("mottak:stay_arrival", args=[resident.pk])
    response = client.post(url, {"centre": centre.pk, "arrived_at": when})
    assert response.status_code == 302
    assert resident.stays.filter(ended_at__isnull=True).count() == 1


def test_second_open_stay_is_refused(client, staff, resident, centre):
    client.force_login(staff)
    when = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    url = reverse("mottak:stay_arrival", args=[resident.pk])
    response = client.post(url, {"centre": centre.pk, "arrived_at": when})
    assert response.status_code == 200
    assert "already has an open stay" in response.content.decode()
    assert resident.stays.count() == 1


def test_end_a_stay(client, staff, resident):
    stay = resident.stays.get()
    client.force_login(staff)
    url = reverse("mottak:stay_end", args=[resident.pk, stay.pk])
    when = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"ended_at": when, "reason": "settled"})
    assert response.status_code == 302
    stay.refresh_from_db()
    assert stay.end_reason == "settled" and stay.ended_at is not None
    # Ending it again: a message, nothing changed.
    response = client.post(url, {"ended_at": when, "reason": "moved"})
    assert "This stay has already ended" in response.content.decode()
    stay.refresh_from_db()
    assert stay.end_reason == "settled"


def test_stay_of_another_resident_is_404(client, staff, centre):
    one, two = ResidentFactory(centre=centre), ResidentFactory(centre=centre)
    client.force_login(staff)
    url = reverse("mottak:stay_end", args=[one.pk, two.stays.get().pk])
    assert client.get(url).status_code == 404
