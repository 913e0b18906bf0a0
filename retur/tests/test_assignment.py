"""R-19, RET-5: the assignment of a named ASA caseworker is ASA's access grant — an object
permission on the return case, granted, moved and revoked by one service, with history."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import TimelineEvent
from mottak.access import Action, access_resident, residents_visible_to, stays_visible_to
from mottak.models import AsylumStage, Role
from mottak.tests.factories import make_resident
from retur import selectors, services
from retur.models import WORK_RETURN_CASE, ReturnCase

pytestmark = pytest.mark.django_db

MISSING_ID = 987654321


@pytest.fixture
def asa(user_factory):
    return user_factory(Role.ASA_CASEWORKER)


@pytest.fixture
def other_asa(user_factory):
    return user_factory(Role.ASA_CASEWORKER)


def open_case(centre, **extra) -> ReturnCase:
    resident = make_resident(centre, asylum_stage=AsylumStage.FINAL_REJECTION, **extra)
    return services.return_case_open(
        resident=resident, stage=resident.asylum_stage, at=timezone.now() - timedelta(days=1)
    )


def test_R_19_assigning_grants_the_object_permission_and_writes_history(centre, asa, admin_user):
    case = open_case(centre)
    assert not asa.has_perm(WORK_RETURN_CASE, case)
    services.return_case_assign(case=case, caseworker=asa, by=admin_user)
    case.refresh_from_db()
    assert case.caseworker == asa
    assert type(asa).objects.get(pk=asa.pk).has_perm(WORK_RETURN_CASE, case)
    assert not asa.get_all_permissions()  # an object permission, never a model-wide one
    assert case.history.first().caseworker_id == asa.pk
    assert TimelineEvent.objects.filter(kind="return_assigned").count() == 1


def test_R_19_reassigning_moves_the_grant_and_the_one_before_gets_404(
    centre, asa, other_asa, admin_user, client
):
    case = open_case(centre)
    services.return_case_assign(case=case, caseworker=asa, by=admin_user)
    services.return_case_assign(case=case, caseworker=other_asa, by=admin_user)
    assert list(selectors.return_cases_visible_to(other_asa)) == [case]
    assert not selectors.return_cases_visible_to(asa).exists()
    assert not residents_visible_to(asa).exists()
    assert list(residents_visible_to(other_asa)) == [case.resident]
    assert not selectors.may_work_on(asa, case)
    with pytest.raises(PermissionDenied):
        services.return_case_record_contact(
            case=case, at=timezone.now(), party="minor", summary="Samtale.", by=asa
        )
    client.force_login(asa)
    assert client.get(reverse("retur:detail", args=[case.pk])).status_code == 404
    assert case.history.count() >= 3  # opened, assigned, reassigned


def test_R_19_unassigning_revokes_and_the_case_answers_exactly_like_a_missing_one(
    centre, asa, admin_user, client
):
    case = open_case(centre)
    services.return_case_assign(case=case, caseworker=asa, by=admin_user)
    services.return_case_assign(case=case, caseworker=None, by=admin_user)
    case.refresh_from_db()
    assert case.caseworker is None
    assert case in selectors.unassigned_cases()
    assert not selectors.return_cases_visible_to(asa).exists()
    client.force_login(asa)
    for forbidden, missing in (
        (reverse("retur:detail", args=[case.pk]), reverse("retur:detail", args=[MISSING_ID])),
        (
            reverse("mottak:resident_detail", args=[case.resident_id]),
            reverse("mottak:resident_detail", args=[MISSING_ID]),
        ),
    ):
        one, other = client.get(forbidden), client.get(missing)
        assert one.status_code == other.status_code == 404
        assert one.content == other.content
    summaries = list(
        TimelineEvent.objects.filter(kind="return_assigned").values_list("summary", flat=True)
    )
    assert len(summaries) == 2 and summaries[0] != summaries[1]


def test_R_19_unassigning_through_the_page_is_for_the_administrator(
    centre, asa, admin_user, client
):
    case = open_case(centre)
    services.return_case_assign(case=case, caseworker=asa, by=admin_user)
    url = reverse("retur:assign", args=[case.pk])
    client.force_login(asa)
    assert client.post(url, {"caseworker": ""}).status_code in (403, 404)
    case.refresh_from_db()
    assert case.caseworker == asa
    client.force_login(admin_user)
    assert client.post(url, {"caseworker": ""}).status_code == 302
    case.refresh_from_db()
    assert case.caseworker is None
    assert not type(asa).objects.get(pk=asa.pk).has_perm(WORK_RETURN_CASE, case)


def test_R_19_asa_reaches_the_resident_and_its_records_only_through_its_cases(
    centre, far_centre, asa, other_asa, admin_user, client
):
    mine = open_case(far_centre)
    theirs = open_case(centre)
    services.return_case_assign(case=mine, caseworker=asa, by=admin_user)
    services.return_case_assign(case=theirs, caseworker=other_asa, by=admin_user)
    assert list(residents_visible_to(asa)) == [mine.resident]
    assert set(stays_visible_to(asa)) == set(mine.resident.stays.all())
    assert access_resident(user=asa, resident_id=mine.resident_id) == mine.resident
    # Read only: the assignment grants no change of the resident's record.
    assert not residents_visible_to(asa, Action.CHANGE).exists()
    client.force_login(asa)
    assert client.get(reverse("mottak:resident_detail", args=[mine.resident_id])).status_code == 200
    theirs_page = client.get(reverse("mottak:resident_detail", args=[theirs.resident_id]))
    assert theirs_page.status_code == 404


def test_R_19_home_asa_sees_only_its_assigned_return_residents(
    client, centre, far_centre, asa, other_asa, admin_user
):
    """Replaces the start-page test that showed ASA every resident in a return stage."""
    mine = open_case(far_centre, given_names="Returnia")
    theirs = open_case(centre, given_names="Annensak")
    make_resident(centre, given_names="Ventende", asylum_stage=AsylumStage.DECISION_PENDING)
    services.return_case_assign(case=mine, caseworker=asa, by=admin_user)
    services.return_case_assign(case=theirs, caseworker=other_asa, by=admin_user)
    client.force_login(asa)
    content = client.get("/").content.decode()
    assert "Returnia" in content
    assert "Annensak" not in content and "Ventende" not in content


def _queries(client, url) -> int:
    client.get(url)  # warm the per-process caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url_name", ["retur:list", "mottak:resident_list", "home"])
def test_R_19_asa_list_pages_cost_the_same_queries_whatever_the_number_of_cases(
    client, centre, far_centre, asa, admin_user, url_name
):
    def grow(n):
        for index in range(n):
            case = open_case(centre if index % 2 else far_centre)
            services.return_case_assign(case=case, caseworker=asa, by=admin_user)

    client.force_login(asa)
    grow(1)
    few = _queries(client, reverse(url_name))
    grow(6)
    many = _queries(client, reverse(url_name))
    assert many == few
