"""Members of many places read at once are the members guardian finds place by place."""

import pytest
from django.contrib.auth.models import Group
from guardian.shortcuts import assign_perm, get_users_with_perms

from cases.place_members import active_users_by_id, member_ids_by_place
from mottak.models import Centre, Role
from mottak.tests.factories import CentreFactory, UserFactory

MEMBER = "member_of_centre"


def guardian_finds(places, codename) -> dict:
    found = {}
    for place in places:
        users = get_users_with_perms(place, only_with_perms_in=[codename], with_group_users=True)
        if users:
            found[place.pk] = {user.pk for user in users}
    return found


@pytest.fixture
def centres(db):
    first, second, empty = CentreFactory(), CentreFactory(), CentreFactory()
    UserFactory(role=Role.CENTRE_STAFF, centre=first)
    UserFactory(role=Role.CENTRE_LEADER, centre=first, is_active=False)
    UserFactory(role=Role.CENTRE_STAFF, centre=second)
    by_group = UserFactory(role=Role.CENTRE_STAFF)
    group = Group.objects.create(name="Second's night shift")
    by_group.groups.add(group)
    assign_perm(MEMBER, group, second)
    nobody = Group.objects.create(name="Nobody")  # a group without users: no member
    assign_perm(MEMBER, nobody, first)
    return [first, second, empty]


def test_members_of_centres_are_guardians_per_centre_members(centres):
    assert member_ids_by_place(Centre, [c.pk for c in centres], MEMBER) == guardian_finds(
        centres, MEMBER
    )


def test_members_through_guardians_generic_permissions_too(db):
    """A model without permission tables of its own: guardian's generic ones, text ids."""
    places = [Group.objects.create(name=f"Place {i}") for i in range(3)]
    for place, user in zip(places[:2], [UserFactory(), UserFactory()], strict=True):
        assign_perm("auth.change_group", user, place)
    found = member_ids_by_place(Group, [p.pk for p in places], "change_group")
    assert found == guardian_finds(places, "change_group")
    assert set(found) == {places[0].pk, places[1].pk}


def test_only_active_users_are_given_back(centres):
    ids = set().union(*member_ids_by_place(Centre, [c.pk for c in centres], MEMBER).values())
    users = active_users_by_id(ids)
    assert users and all(user.is_active for user in users.values())
    assert len(users) == len(ids) - 1  # the inactive leader
