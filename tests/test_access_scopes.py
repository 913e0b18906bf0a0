"""The access layer's scopes as conditions on a relation (centres_visible_q, residents_visible_q)
select exactly the records the querysets do (centres_visible_to, residents_visible_to): the start
pages read cases through the conditions, every other page through the querysets."""

import pytest

from mottak.access import (
    Action,
    centres_visible_q,
    centres_visible_to,
    residents_visible_q,
    residents_visible_to,
)
from mottak.models import Move, Role, Stay
from mottak.tests.factories import AdminFactory, ResidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stays(centre, neighbour_centre, far_centre):
    """A stay at each centre, and one of a resident on an approved move to `centre`."""
    rows = []
    for place in (centre, neighbour_centre, far_centre, far_centre):
        resident = ResidentFactory(centre=place)  # with its open stay
        rows.append(Stay.objects.get(resident=resident, ended_at__isnull=True))
    incoming = rows[-1].resident
    Move.objects.create(
        resident=incoming,
        centre=far_centre,
        origin="centre",
        state=Move.State.APPROVED,
        target_centre=centre,
        created_by=AdminFactory(),
    )
    return rows


def _users(user_factory, centre, region):
    return {
        "staff": user_factory(Role.CENTRE_STAFF, centre=centre),
        "leader": user_factory(Role.CENTRE_LEADER, centre=centre),
        "caseworker": user_factory(Role.REGION_CASEWORKER, region=region),
        "admin": user_factory(Role.ADMIN),
        "asa": user_factory(Role.ASA_CASEWORKER),
        "rma": user_factory(Role.RMA),
        "inactive": user_factory(Role.CENTRE_STAFF, centre=centre, is_active=False),
    }


def _ids(scope, path: str, visible) -> tuple[set, set]:
    through = (
        set() if scope is None else set(Stay.objects.filter(scope).values_list("pk", flat=True))
    )
    by_subquery = set(
        Stay.objects.filter(**{f"{path}__in": visible.values("pk")}).values_list("pk", flat=True)
    )
    return through, by_subquery


@pytest.mark.parametrize("action", [Action.LIST, Action.CHANGE])
def test_residents_visible_q_through_a_relation_selects_what_residents_visible_to_does(
    stays, user_factory, centre, region, action
):
    seen_somewhere = False
    for name, user in _users(user_factory, centre, region).items():
        scope = residents_visible_q(user, action, path="resident")
        through, by_subquery = _ids(scope, "resident", residents_visible_to(user, action))
        assert through == by_subquery, name
        seen_somewhere |= bool(through)
    assert seen_somewhere


def test_the_incoming_resident_is_in_the_receiving_staffs_scope_only_for_reading(
    stays, user_factory, centre, region
):
    staff = _users(user_factory, centre, region)["staff"]
    incoming = stays[-1]
    listed = Stay.objects.filter(residents_visible_q(staff, Action.LIST, path="resident"))
    changed = Stay.objects.filter(residents_visible_q(staff, Action.CHANGE, path="resident"))
    assert incoming in listed
    assert incoming not in changed


def test_centres_visible_q_through_a_relation_selects_what_centres_visible_to_does(
    stays, user_factory, centre, region
):
    for name, user in _users(user_factory, centre, region).items():
        scope = centres_visible_q(user, path="centre")
        through, by_subquery = _ids(scope, "centre", centres_visible_to(user))
        assert through == by_subquery, name
