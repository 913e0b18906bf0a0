"""MOT-3 pages and the access matrix of a move: the centre being left, the receiving centre,
the regional office and another centre — during the move and after it (the old centre then
gets 404 for the resident but keeps its move record and its notices)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mottak import routine_moves as steps
from mottak.models import Centre, Move
from mottak.services import move_approve, move_notice_create
from mottak.tests.factories import (
    CentreFactory,
    CentreStaffFactory,
    RegionCaseworkerFactory,
    ResidentFactory,
)
from mottak.tests.test_moves import approved, directory, prepared, request_move, send_out  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def target(region):
    return CentreFactory(
        name="Solbakken mottak",
        kind=Centre.Kind.ORDINARY_MINORS,
        municipality="Hamar",
        region=region,
        capacity=20,
    )


@pytest.fixture
def target_staff(target):
    return CentreStaffFactory(centre=target)


@pytest.fixture
def stranger(region):
    """Staff at a third centre of the same region."""
    return CentreStaffFactory(centre=CentreFactory(name="Tredje mottak", region=region))


@pytest.fixture
def minor(centre):
    return ResidentFactory(centre=centre, representative_name="Bjørg Representant")


def as_user(client, user):
    client.force_login(user)
    return client


def status(client, user, url):
    return as_user(client, user).get(url).status_code


# --- the access matrix -------------------------------------------------------------------------


def test_mot_3_access_matrix_while_a_move_is_requested(
    client, minor, staff, caseworker, target_staff, stranger
):
    move = request_move(minor, staff)
    resident_url = reverse("mottak:resident_detail", args=[minor.pk])
    move_url = reverse("mottak:move_detail", args=[move.pk])
    assert status(client, staff, resident_url) == 200
    assert status(client, staff, move_url) == 200
    assert status(client, caseworker, move_url) == 200
    # The receiving centre is not known yet: nobody else sees the minor.
    assert status(client, target_staff, resident_url) == 404
    assert status(client, target_staff, move_url) == 404
    assert status(client, stranger, resident_url) == 404
    assert status(client, stranger, move_url) == 404


def test_mot_3_access_matrix_during_an_approved_move(
    client, minor, staff, caseworker, target, target_staff, stranger
):
    move = approved(minor, staff, caseworker, target)
    resident_url = reverse("mottak:resident_detail", args=[minor.pk])
    move_url = reverse("mottak:move_detail", args=[move.pk])
    for user in (staff, caseworker, target_staff):
        assert status(client, user, resident_url) == 200, user.role
        assert status(client, user, move_url) == 200, user.role
    for url in (resident_url, move_url):
        assert status(client, stranger, url) == 404
    # The receiving centre sees but does not change the resident or the leaving centre's steps.
    assert status(client, target_staff, reverse("mottak:resident_edit", args=[minor.pk])) == 404
    response = as_user(client, target_staff).post(
        reverse("mottak:move_sesam", args=[move.pk]), {"at": ""}
    )
    assert response.status_code == 404
    # Another region's caseworker sees nothing.
    other = RegionCaseworkerFactory(region=CentreFactory(name="Langt unna").region)
    assert status(client, other, move_url) == 404


def test_mot_3_after_completion_the_old_centre_gets_404_but_keeps_its_move_and_notices(
    client, minor, staff, caseworker, target, target_staff, stranger
):
    move = approved(minor, staff, caseworker, target)
    notices = prepared(move, staff)
    response = as_user(client, target_staff).post(
        reverse("mottak:move_complete", args=[move.pk]), {"arrived_at": ""}
    )
    assert response.status_code == 302
    move.refresh_from_db()
    assert move.state == Move.State.COMPLETED
    resident_url = reverse("mottak:resident_detail", args=[minor.pk])
    move_url = reverse("mottak:move_detail", args=[move.pk])
    assert status(client, staff, resident_url) == 404
    assert status(client, target_staff, resident_url) == 200
    assert status(client, stranger, move_url) == 404
    # The old centre's own register of the move's notices.
    page = as_user(client, staff).get(move_url)
    assert page.status_code == 200
    assert minor.full_name not in page.content.decode()
    pdf_url = reverse("mottak:move_dispatch_pdf", args=[move.pk, notices[0].pk])
    assert status(client, staff, pdf_url) == 200
    # ...but not through the resident's dispatch pages.
    assert status(client, staff, reverse("cases:dispatch_detail", args=[notices[0].pk])) == 404


def test_mot_3_a_dispatch_of_another_case_is_404_through_the_move(
    client, minor, staff, caseworker, target, centre
):
    move = approved(minor, staff, caseworker, target)
    other_resident = ResidentFactory(centre=centre, representative_name="X")
    other_move = approved(other_resident, staff, caseworker, target)
    other_notice = move_notice_create(
        move=other_move, by=staff, step_code=steps.NOTICE_COUNTY_GOVERNOR
    )
    url = reverse("mottak:move_dispatch_pdf", args=[move.pk, other_notice.pk])
    assert status(client, staff, url) == 404


# --- pages -------------------------------------------------------------------------------------


def test_mot_3_request_page_creates_one_move_on_a_double_submit(client, minor, staff):
    url = reverse("mottak:move_new", args=[minor.pk])
    as_user(client, staff)
    assert client.get(url).status_code == 200
    data = {"reasons": "Closer to school.", "special_needs_note": "", "proposed_centre": ""}
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == 302
    assert second.status_code == 200
    assert "already under way" in second.content.decode()
    assert Move.objects.filter(resident=minor).count() == 1


def test_mot_3_region_may_request_a_move_other_centres_may_not(client, minor, caseworker, stranger):
    url = reverse("mottak:move_new", args=[minor.pk])
    response = as_user(client, caseworker).post(url, {"reasons": "Capacity."})
    assert response.status_code == 302
    assert Move.objects.get().origin == Move.Origin.REGION
    assert status(client, stranger, url) == 404


def test_mot_3_same_centre_and_past_date_get_a_message_not_a_500(
    client, minor, staff, caseworker, centre, target
):
    move = request_move(minor, staff)
    url = reverse("mottak:move_approve", args=[move.pk])
    as_user(client, caseworker)
    response = client.post(
        url,
        {"approve-target_centre": centre.pk, "approve-move_date": timezone.localdate().isoformat()},
        follow=True,
    )
    assert response.status_code == 200
    assert "another centre than the current one" in response.content.decode()
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(
        url, {"approve-target_centre": target.pk, "approve-move_date": yesterday}, follow=True
    )
    assert "cannot be in the past" in response.content.decode()
    move.refresh_from_db()
    assert move.state == Move.State.REQUESTED


def test_mot_3_centre_staff_cannot_decide(client, minor, staff, target):
    move = request_move(minor, staff)
    response = as_user(client, staff).post(
        reverse("mottak:move_approve", args=[move.pk]),
        {"approve-target_centre": target.pk, "approve-move_date": timezone.localdate().isoformat()},
    )
    assert response.status_code == 404
    move.refresh_from_db()
    assert move.state == Move.State.REQUESTED


def test_mot_3_move_page_offers_the_steps_to_the_leaving_centre(
    client, minor, staff, caseworker, target
):
    move = approved(minor, staff, caseworker, target)
    page = as_user(client, staff).get(reverse("mottak:move_detail", args=[move.pk]))
    html = page.content.decode()
    assert 'id="sesam"' in html and 'id="notice-school"' in html
    assert 'id="confirm-arrival"' not in html


def test_mot_3_region_list_of_moves_waiting_keeps_a_fixed_query_count(
    client, centre, staff, caseworker, django_assert_max_num_queries
):
    def count_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        as_user(client, caseworker)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("mottak:move_list"))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    request_move(ResidentFactory(centre=centre), staff)
    few = count_queries()
    for _ in range(4):
        request_move(ResidentFactory(centre=centre, child_welfare_case=True), staff)
    assert count_queries() == few
    assert "Waiting for child welfare" in client.get(reverse("mottak:move_list")).content.decode()


def test_mot_3_region_start_page_lists_moves_waiting_for_a_decision(
    client, minor, staff, caseworker
):
    request_move(minor, staff)
    html = as_user(client, caseworker).get(reverse("home")).content.decode()
    assert "Moves waiting for the regional office" in html
    assert minor.family_name in html and reverse("mottak:move_list") in html


def test_mot_3_move_list_is_404_for_centre_staff(client, staff):
    assert status(client, staff, reverse("mottak:move_list")) == 404


def test_mot_3_resident_page_offers_the_move_to_the_centre(client, minor, staff):
    html = as_user(client, staff).get(reverse("mottak:resident_detail", args=[minor.pk]))
    assert reverse("mottak:move_new", args=[minor.pk]) in html.content.decode()


def test_mot_3_the_whole_move_through_the_pages(
    client, minor, staff, caseworker, target, target_staff
):
    """A → B end to end without JavaScript: request, decision, steps, notices sent, arrival."""
    as_user(client, staff)
    client.post(reverse("mottak:move_new", args=[minor.pk]), {"reasons": "Closer to family."})
    move = Move.objects.get()
    as_user(client, caseworker)
    client.post(
        reverse("mottak:move_approve", args=[move.pk]),
        {"approve-target_centre": target.pk, "approve-move_date": timezone.localdate().isoformat()},
    )
    move.refresh_from_db()
    assert move.state == Move.State.APPROVED
    as_user(client, staff)
    client.post(
        reverse("mottak:move_representative", args=[move.pk]), {"representative-how": "phone"}
    )
    client.post(reverse("mottak:move_sesam", args=[move.pk]), {})
    client.post(reverse("mottak:move_folder", args=[move.pk]), {"folder-note": "With printouts."})
    for code in steps.NOTICE_STEPS:
        client.post(reverse(f"mottak:move_{code}", args=[move.pk]), {f"{code}-channel": "post"})
    from cases.models import Dispatch

    send_out(*Dispatch.objects.filter(purpose="moving_notice"), by=staff)
    as_user(client, target_staff)
    response = client.post(reverse("mottak:move_complete", args=[move.pk]), {}, follow=True)
    assert response.status_code == 200
    move.refresh_from_db()
    assert move.state == Move.State.COMPLETED, response.content.decode()[:2000]
    assert move_approve  # the decision service is the one the page called
