"""The start pages ("I dag"): what each role sees, the most urgent first, each row leading to
its step or case, and a fixed number of queries whatever the data size."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.services import deadline_open
from cases.tests.dispatch_factories import create_arrival_notice
from mottak.models import AsylumStage, Role
from mottak.tests.factories import make_resident
from permisjon.tests.conftest import interview_held_for
from savnet import services as missing_services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CASES_EMAIL_NOTIFICATIONS = False


@pytest.fixture
def users(user_factory, centre, region):
    return {
        "staff": user_factory(Role.CENTRE_STAFF, centre=centre),
        "lead": user_factory(Role.CHILD_WELFARE_LEAD, centre=centre),
        "leader": user_factory(Role.CENTRE_LEADER, centre=centre),
        "caseworker": user_factory(Role.REGION_CASEWORKER, region=region),
        "asa": user_factory(Role.ASA_CASEWORKER),
        "rma": user_factory(Role.RMA),
        "admin": user_factory(Role.ADMIN, is_superuser=True, is_staff=True),
    }


def _section(page: str, code: str) -> str:
    start = page.find(f'<section id="home-{code}"')
    return page[start : page.index("</section>", start)] if start >= 0 else ""


def _missing(resident, by, hours_ago=1):
    now = timezone.now()
    return missing_services.missing_report_open(
        resident=resident,
        reason_to_believe_at=now - timedelta(hours=hours_ago),
        noticed_at=now - timedelta(hours=hours_ago + 1),
        last_seen_at=None,
        circumstances="Not at breakfast.",
        by=by,
    )


def _overdue(resident, centre, *, label="Send the arrival notice", hours=3, kind="test_overdue"):
    """A deadline of no routine case, already past due."""
    now = timezone.now()
    return deadline_open(
        owner=resident,
        kind=kind,
        label=label,
        due_at=now - timedelta(hours=hours),
        opened_at=now - timedelta(days=1),
        centre=centre,
    )


def _grow(users, centres, count: int) -> None:
    """`count` more of every kind of row the start pages list, spread over the centres."""
    for i in range(count):
        centre = centres[i % len(centres)]
        resident = make_resident(centre, family_name=f"Barn{i}")
        resident.stays.update(started_at=timezone.now() - timedelta(days=1))
        _missing(resident, users["staff"])
        _overdue(resident, centre)
        create_arrival_notice(resident=resident, by=users["staff"])
        make_resident(centre, asylum_stage=AsylumStage.FINAL_REJECTION)


def _queries(client, user) -> int:
    client.force_login(user)
    client.get(reverse("home"))  # warm the per-process caches (content types, routines)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["staff", "lead", "leader", "caseworker", "asa", "rma", "admin"])
def test_every_start_page_costs_the_same_queries_whatever_the_data_size(
    client, users, centre, neighbour_centre, role
):
    centres = [centre, neighbour_centre]
    _grow(users, centres, 1)
    few = _queries(client, users[role])
    _grow(users, centres, 8)
    many = _queries(client, users[role])
    assert many == few, f"{role}: {few} queries with little data, {many} with more"
    # The ceiling grows with the routines and sections a start page shows (one query each),
    # never with the data. Two of them read the user's centres and the residents moving in
    # once per request, so the other queries carry ids instead of permission joins; one more
    # reads the session's second-factor device.
    assert few <= 32


def test_the_centre_page_says_today_and_the_date_in_norwegian_form(client, users):
    client.force_login(users["staff"])
    page = client.get(reverse("home")).content.decode()
    today = timezone.localdate()
    assert "<h1>Today" in page
    assert today.strftime("%d.%m.%Y") in page
    assert today.isoformat() in page  # the <time> element's machine-readable date


def test_the_centre_page_lists_urgent_steps_first_with_hours_and_step_links(client, users, centre):
    child = make_resident(centre, given_names="Abeba", family_name="Tesfay")
    other = make_resident(centre, family_name="Annen")
    overdue = _overdue(other, centre, hours=5)
    report = _missing(child, users["staff"], hours_ago=2)
    client.force_login(users["staff"])
    deadlines = _section(client.get(reverse("home")).content.decode(), "deadlines")
    police = deadlines.index(f"{reverse('savnet:detail', args=[report.pk])}#step-police")
    assert police < deadlines.index(f"#deadline-{overdue.pk}")  # "straks" before ordinary
    assert "21 hours left" in deadlines  # 24 hours from 2 hours ago, in whole hours
    assert "5 hours over" in deadlines
    assert reverse("mottak:resident_detail", args=[child.pk]) in deadlines
    assert "Tesfay, Abeba" in deadlines


def _order(page: str, *codes: str) -> list[int]:
    return [page.index(f'id="home-{code}"') for code in codes]


def test_the_most_urgent_section_comes_first(client, users, centre):
    child = make_resident(centre)
    _missing(child, users["staff"])
    client.force_login(users["staff"])
    page = client.get(reverse("home")).content.decode()
    # A missing minor before steps still within their time; the empty sections last.
    order = _order(page, "savnet-missing", "deadlines", "arrivals", "centres")
    assert order == sorted(order)
    assert 'id="home-notices"' not in page  # nothing to send: the section is left out
    _overdue(child, centre)
    page = client.get(reverse("home")).content.decode()
    order = _order(page, "deadlines", "savnet-missing", "arrivals", "centres")
    assert order == sorted(order)  # an overdue step outranks the rest


def test_notices_made_but_not_sent_link_to_their_dispatch_page(client, users, centre, far_centre):
    child = make_resident(centre, family_name="Varslet")
    dispatch = create_arrival_notice(resident=child, by=users["staff"])
    elsewhere = create_arrival_notice(resident=make_resident(far_centre), by=users["staff"])
    client.force_login(users["staff"])
    notices = _section(client.get(reverse("home")).content.decode(), "notices")
    assert reverse("cases:dispatch_detail", args=[dispatch.pk]) in notices
    assert "Varslet" in notices
    assert reverse("cases:dispatch_detail", args=[elsewhere.pk]) not in notices


def test_the_leader_sees_centre_decisions_and_staff_do_not(client, users, centre):
    from permisjon import services as leave_services
    from permisjon.tests.conftest import contact, leave_data, prepare

    minor = make_resident(centre)
    interview_held_for(minor)
    application = leave_services.leave_application_submit(
        resident=minor,
        data=leave_data(starts_in_days=10, length_days=3),
        contact_persons=[contact()],
        by=users["staff"],
    )
    prepare(application, users["staff"])
    url = reverse("permisjon:detail", args=[application.pk])
    client.force_login(users["leader"])
    assert url in _section(client.get(reverse("home")).content.decode(), "permisjon-decide_centre")
    client.force_login(users["staff"])
    assert not _section(client.get(reverse("home")).content.decode(), "permisjon-decide_centre")


def test_the_regional_page_counts_overdue_deadlines_per_centre_with_links(
    client, users, centre, neighbour_centre, far_centre
):
    resident = make_resident(neighbour_centre)
    _overdue(resident, neighbour_centre)
    _overdue(resident, neighbour_centre, label="Another", kind="test_other")
    _overdue(make_resident(far_centre), far_centre)
    client.force_login(users["caseworker"])
    centres = _section(client.get(reverse("home")).content.decode(), "centres")
    link = reverse("cases:deadlines_centre", args=[neighbour_centre.pk])
    assert centres.index(link) < centres.index(
        reverse("cases:deadlines_centre", args=[centre.pk])
    )  # the most overdue first
    assert '<span class="ds-tag" data-color="danger">2</span>' in centres
    assert far_centre.name not in centres


def test_the_regional_page_lists_missing_minors_with_hours_since_reported(client, users, centre):
    report = _missing(make_resident(centre, family_name="Borte"), users["staff"])
    report.__class__.objects.filter(pk=report.pk).update(
        opened_at=timezone.now() - timedelta(hours=3, minutes=10)
    )
    client.force_login(users["caseworker"])
    missing = _section(client.get(reverse("home")).content.decode(), "savnet-missing")
    assert "Borte" in missing and "3 hours ago" in missing


def test_the_admin_page_counts_overdue_deadlines_per_region_without_names(
    client, users, centre, far_centre
):
    _overdue(make_resident(centre, family_name="Hemmelig"), centre)
    client.force_login(users["admin"])
    page = client.get(reverse("home")).content.decode()
    assert reverse("cases:deadlines_region", args=[centre.region_id]) in page
    assert (
        far_centre.region.name not in page.split('id="overdue-heading"')[1].split("</section>")[0]
    )
    assert "Hemmelig" not in page


def test_the_rma_page_shows_no_deadline_or_names(client, users, centre):
    _overdue(make_resident(centre, family_name="Hemmelig"), centre)
    client.force_login(users["rma"])
    page = client.get(reverse("home")).content.decode()
    assert "Hemmelig" not in page and "/frister/" not in page
