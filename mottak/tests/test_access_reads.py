"""The access layer reads a user's memberships once per user object, and answers "may change
this resident?" without a query — with the same answer as the queryset it stands for."""

import pytest

from mottak.access import (
    Action,
    may_change_resident,
    member_centre_ids,
    residents_visible_to,
)
from mottak.models import Move
from mottak.services.memberships import centre_membership_grant, centre_membership_revoke
from mottak.tests.factories import ResidentFactory

ROLES = ["centre_staff", "child_welfare_lead", "centre_leader", "region_caseworker"]
ROLES += ["asa_caseworker", "rma", "admin"]


@pytest.mark.parametrize("role", ROLES)
def test_may_change_resident_answers_as_the_change_queryset_does(
    user_factory, centre, region, neighbour_centre, far_centre, role
):
    user = user_factory(role, centre=centre, region=region)
    for resident in [ResidentFactory(centre=c) for c in (centre, neighbour_centre, far_centre)]:
        expected = residents_visible_to(user, Action.CHANGE).filter(pk=resident.pk).exists()
        assert may_change_resident(user, resident) is expected


def test_memberships_are_read_once_per_user_object(staff, centre, django_assert_num_queries):
    member_centre_ids(staff)
    with django_assert_num_queries(0):
        assert member_centre_ids(staff) == [centre.pk]


def test_a_grant_or_revoke_is_seen_at_once_by_the_same_user_object(staff, centre, far_centre):
    resident = ResidentFactory(centre=far_centre)
    assert not residents_visible_to(staff).filter(pk=resident.pk).exists()
    centre_membership_grant(user=staff, centre=far_centre)
    assert residents_visible_to(staff).filter(pk=resident.pk).exists()
    centre_membership_revoke(user=staff, centre=far_centre)
    assert not residents_visible_to(staff).filter(pk=resident.pk).exists()
    assert member_centre_ids(staff) == [centre.pk]


def test_a_resident_moving_in_is_visible_to_the_receiving_centre(
    user_factory, staff, centre, far_centre
):
    receiving = user_factory("centre_staff", centre=far_centre)
    resident = ResidentFactory(centre=centre)
    Move.objects.create(
        resident=resident,
        centre=centre,
        target_centre=far_centre,
        state=Move.State.APPROVED,
        origin="centre",
        reasons="x",
        created_by=staff,
    )
    assert residents_visible_to(receiving).filter(pk=resident.pk).exists()
    assert not residents_visible_to(receiving, Action.CHANGE).filter(pk=resident.pk).exists()
