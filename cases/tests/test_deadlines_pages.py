"""Deadline pages (X-5, X-3): per centre, per region, on the resident page; waiving."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from cases.models import Deadline
from cases.selectors_deadlines import deadlines_for_resident
from cases.services import deadline_meet, deadline_open, deadlines_sweep
from mottak.models import AsylumStage, Role
from mottak.tests.factories import ResidentFactory

NOW = timezone.now()


@pytest.fixture(autouse=True)
def english(settings):
    """Assert on the English msgids whatever translations exist."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def open_deadline(
    resident, centre, *, hours, kind="k", label="Report the minor missing to the police"
):
    return deadline_open(
        owner=resident,
        kind=kind,
        rule_id="SAV-2",
        label=label,
        due_at=NOW + timedelta(hours=hours),
        opened_at=NOW - timedelta(days=2),
        centre=centre,
    )


@pytest.fixture
def rows(centre, neighbour_centre, far_centre, resident):
    """At the centre: one due in 5 h, one 3 h over (open), one missed 30 h ago, one met."""
    later = open_deadline(resident, centre, hours=5, kind="a")
    over = open_deadline(resident, centre, hours=-3, kind="b", label="Record in Sesam")
    missed = open_deadline(ResidentFactory(centre=centre), centre, hours=-30, kind="c")
    Deadline.objects.filter(pk=missed.pk).update(state=Deadline.State.MISSED)
    met = open_deadline(resident, centre, hours=1, kind="d")
    deadline_meet(deadline=met, by=None)
    elsewhere = open_deadline(ResidentFactory(centre=neighbour_centre), neighbour_centre, hours=-1)
    far = open_deadline(ResidentFactory(centre=far_centre), far_centre, hours=2)
    return {
        "later": later,
        "over": over,
        "missed": missed,
        "met": met,
        "elsewhere": elsewhere,
        "far": far,
    }


def centre_url(centre):
    return reverse("cases:deadlines_centre", args=[centre.pk])


def test_x_5_centre_page_lists_pending_deadlines_overdue_first(
    client, leader, centre, rows, django_assert_max_num_queries
):
    client.force_login(leader)
    with django_assert_max_num_queries(12):  # 10, the user's memberships and the second factor
        response = client.get(centre_url(centre))
    assert response.status_code == 200
    listed = [d.pk for d in response.context["deadlines"]]
    assert listed == [rows["missed"].pk, rows["over"].pk, rows["later"].pk]
    html = response.content.decode()
    assert "30 hours over" in html
    assert "3 hours over" in html
    assert "4 hours left" in html
    assert response.context["overdue_count"] == 2


def test_x_5_centre_page_query_count_does_not_grow_with_rows(
    client, leader, centre, django_assert_max_num_queries
):
    for i in range(25):
        open_deadline(ResidentFactory(centre=centre), centre, hours=i - 10, kind=f"k{i}")
    client.force_login(leader)
    with django_assert_max_num_queries(12):  # 10, the user's memberships and the second factor
        response = client.get(centre_url(centre))
    assert len(response.context["deadlines"]) == 25


@pytest.mark.parametrize(
    "role, where, status",
    [
        (Role.CENTRE_STAFF, "centre", 200),
        (Role.CENTRE_STAFF, "neighbour", 404),
        (Role.REGION_CASEWORKER, "region", 200),
        (Role.REGION_CASEWORKER, "other_region", 404),
        (Role.ADMIN, None, 200),
    ],
)
def test_x_3_centre_page_access(
    client, user_factory, centre, neighbour_centre, region, other_region, rows, role, where, status
):
    scope = {
        "centre": {"centre": centre},
        "neighbour": {"centre": neighbour_centre},
        "region": {"region": region},
        "other_region": {"region": other_region},
        None: {},
    }[where]
    client.force_login(user_factory(role, **scope))
    assert client.get(centre_url(centre)).status_code == status


def test_R_19_x_3_centre_page_shows_asa_only_deadlines_of_residents_of_its_assigned_cases(
    client, user_factory, centre, rows, admin_user
):
    """R-19: ASA reaches a resident through the return case assigned to it, not through the
    return stage: a return-stage resident of someone else's case stays hidden."""
    from retur import services as return_services

    asa = user_factory(Role.ASA_CASEWORKER)
    returning = ResidentFactory(centre=centre, asylum_stage=AsylumStage.FINAL_REJECTION)
    someone_elses = ResidentFactory(centre=centre, asylum_stage=AsylumStage.FINAL_REJECTION)
    for resident, caseworker in ((returning, asa), (someone_elses, None)):
        case = return_services.return_case_open(
            resident=resident, stage=resident.asylum_stage, at=NOW
        )
        if caseworker:
            return_services.return_case_assign(case=case, caseworker=caseworker, by=admin_user)
    visible = open_deadline(returning, centre, hours=10, kind="ret")
    open_deadline(someone_elses, centre, hours=11, kind="ret")
    client.force_login(asa)
    response = client.get(centre_url(centre))
    assert [d.pk for d in response.context["deadlines"]] == [visible.pk]


def test_x_3_unknown_centre_answers_like_a_forbidden_one(client, leader):
    client.force_login(leader)
    assert client.get(reverse("cases:deadlines_centre", args=[999999])).status_code == 404


def test_x_5_region_page_counts_open_and_overdue_per_centre(
    client, caseworker, centre, neighbour_centre, rows, django_assert_max_num_queries
):
    client.force_login(caseworker)
    with django_assert_max_num_queries(9):  # 7, the user's memberships and the second factor
        response = client.get(reverse("cases:deadlines_region", args=[centre.region_id]))
    assert response.status_code == 200
    counts = {c.pk: (c.open_count, c.overdue_count) for c in response.context["centres"]}
    assert counts == {centre.pk: (3, 2), neighbour_centre.pk: (1, 1)}
    assert response.context["open_total"] == 4
    html = response.content.decode()
    assert centre_url(centre) in html


def test_x_5_region_page_shows_a_centre_without_deadlines(
    client, caseworker, centre, neighbour_centre
):
    client.force_login(caseworker)
    response = client.get(reverse("cases:deadlines_region", args=[centre.region_id]))
    counts = {c.pk: (c.open_count, c.overdue_count) for c in response.context["centres"]}
    assert counts == {centre.pk: (0, 0), neighbour_centre.pk: (0, 0)}


def test_x_3_region_page_access(client, staff, user_factory, centre, far_centre, rows):
    client.force_login(staff)
    response = client.get(reverse("cases:deadlines_region", args=[centre.region_id]))
    # A centre's staff see their own centre only.
    assert [c.pk for c in response.context["centres"]] == [centre.pk]
    assert (
        client.get(reverse("cases:deadlines_region", args=[far_centre.region_id])).status_code
        == 404
    )


def test_x_5_resident_partial_lists_that_residents_deadlines(
    resident, centre, rows, django_assert_num_queries
):
    with django_assert_num_queries(1):
        deadlines = deadlines_for_resident(resident)
    assert [d.pk for d in deadlines] == [rows["over"].pk, rows["later"].pk, rows["met"].pk]
    html = render_to_string("cases/deadlines/_resident_deadlines.html", {"deadlines": deadlines})
    assert "Record in Sesam" in html
    assert f'id="deadline-{rows["met"].pk}"' in html
    assert f'id="deadline-{rows["missed"].pk}"' not in html


def test_x_5_leader_waives_through_the_page(client, leader, centre, rows):
    client.force_login(leader)
    d = rows["over"]
    response = client.post(
        reverse("cases:deadline_waive", args=[d.pk]), {"reason": "Came back at once"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{centre_url(centre)}#deadline-{d.pk}"
    d.refresh_from_db()
    assert (d.state, d.waive_reason, d.waived_by) == (
        Deadline.State.WAIVED,
        "Came back at once",
        leader,
    )


def test_x_5_waiving_without_a_reason_through_the_page_changes_nothing(
    client, leader, centre, rows
):
    client.force_login(leader)
    d = rows["over"]
    response = client.post(
        reverse("cases:deadline_waive", args=[d.pk]), {"reason": "   "}, follow=True
    )
    assert response.status_code == 200
    assert "Give the reason for waiving the deadline." in response.content.decode()
    d.refresh_from_db()
    assert d.state == Deadline.State.OPEN


def test_x_5_waiving_a_met_deadline_through_the_page_says_so(client, leader, centre, rows):
    client.force_login(leader)
    d = rows["met"]
    response = client.post(
        reverse("cases:deadline_waive", args=[d.pk]), {"reason": "x"}, follow=True
    )
    assert "already met" in response.content.decode()
    d.refresh_from_db()
    assert d.state == Deadline.State.MET


def test_x_5_staff_may_not_waive_and_other_centres_cannot_reach_it(
    client, staff, user_factory, neighbour_centre, rows
):
    client.force_login(staff)
    url = reverse("cases:deadline_waive", args=[rows["over"].pk])
    assert client.post(url, {"reason": "x"}).status_code == 403
    client.force_login(user_factory(Role.CENTRE_LEADER, centre=neighbour_centre))
    assert client.post(url, {"reason": "x"}).status_code == 404
    assert client.get(url).status_code == 405
    rows["over"].refresh_from_db()
    assert rows["over"].state == Deadline.State.OPEN


def test_x_5_missed_after_a_sweep_stays_on_the_centre_page(client, leader, centre, rows):
    deadlines_sweep()
    client.force_login(leader)
    response = client.get(centre_url(centre))
    states = {d.pk: d.state for d in response.context["deadlines"]}
    assert states[rows["over"].pk] == Deadline.State.MISSED
