"""Who sees and changes leave applications: role × scope × action (X-3), one table."""

import pytest
from django.urls import reverse

from mottak.models import Role
from permisjon.tests.conftest import prepare

# who: (role, where) — where is "own" centre/region, "near" (other centre, same region) or "far".
MATRIX = [
    # who, list, detail, change, decide page
    ((Role.CENTRE_STAFF, "own"), True, 200, True, 404),
    ((Role.CENTRE_LEADER, "own"), True, 200, True, 200),
    ((Role.CHILD_WELFARE_LEAD, "own"), True, 200, True, 404),
    ((Role.CENTRE_STAFF, "near"), False, 404, False, 404),
    ((Role.CENTRE_LEADER, "near"), False, 404, False, 404),
    ((Role.REGION_CASEWORKER, "own"), True, 200, False, 404),
    ((Role.REGION_CASEWORKER, "far"), False, 404, False, 404),
    ((Role.ASA_CASEWORKER, None), False, 404, False, 404),
    ((Role.RMA, None), False, 404, False, 404),
]


@pytest.fixture
def application(submit, resident, staff):
    return prepare(submit(resident), staff)


def _user(user_factory, role, where, centre, neighbour_centre, region, other_region):
    if role in {Role.CENTRE_STAFF, Role.CENTRE_LEADER, Role.CHILD_WELFARE_LEAD}:
        return user_factory(role, centre=centre if where == "own" else neighbour_centre)
    if role == Role.REGION_CASEWORKER:
        return user_factory(role, region=region if where == "own" else other_region)
    return user_factory(role)


@pytest.mark.parametrize(("who", "listed", "detail", "change", "decide"), MATRIX)
def test_x_3_leave_access_matrix(
    client,
    user_factory,
    centre,
    neighbour_centre,
    region,
    other_region,
    application,
    who,
    listed,
    detail,
    change,
    decide,
):
    user = _user(user_factory, *who, centre, neighbour_centre, region, other_region)
    client.force_login(user)
    listing = client.get(reverse("permisjon:list"))
    assert (application in listing.context["applications"]) is listed
    assert client.get(reverse("permisjon:detail", args=[application.pk])).status_code == detail
    assert client.get(reverse("permisjon:decide", args=[application.pk])).status_code == decide
    response = client.post(
        reverse("permisjon:recommend_refusal", args=[application.pk]), {"note": "Brutt avtale"}
    )
    application.refresh_from_db()
    assert application.centre_recommends_refusal is change
    assert response.status_code == (302 if change else 404)


def test_x_3_anonymous_is_sent_to_login(client, application):
    response = client.get(reverse("permisjon:detail", args=[application.pk]))
    assert response.status_code == 302
    assert "login" in response["Location"] or "/accounts/" in response["Location"]


def test_x_3_a_forbidden_application_answers_exactly_like_a_missing_one(
    client, submit, resident, user_factory, neighbour_centre
):
    application = submit(resident)
    client.force_login(user_factory(Role.CENTRE_STAFF, centre=neighbour_centre))
    forbidden = client.get(reverse("permisjon:detail", args=[application.pk]))
    missing = client.get(reverse("permisjon:detail", args=[application.pk + 1000]))
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content
