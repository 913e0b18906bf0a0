"""Who may see whom: granting and revoking centre and regional-office memberships.

Memberships are guardian object permissions (mottak.access reads them). Every change goes
through these services and writes an AccessChange row (who, when, what) in the same
transaction; the admin offers no other way to change them."""

from django.db import transaction
from guardian.shortcuts import assign_perm, remove_perm

from ..access import MEMBER_OF_CENTRE, MEMBER_OF_REGION, memberships_forget
from ..models import (
    AccessChange,
    Centre,
    CentreUserObjectPermission,
    Region,
    RegionUserObjectPermission,
    User,
)


def _is_centre_member(user: User, centre: Centre) -> bool:
    return CentreUserObjectPermission.objects.filter(
        user=user, content_object=centre, permission__codename="member_of_centre"
    ).exists()


def _is_region_member(user: User, region: Region) -> bool:
    return RegionUserObjectPermission.objects.filter(
        user=user, content_object=region, permission__codename="member_of_region"
    ).exists()


@transaction.atomic
def centre_membership_grant(
    *, user: User, centre: Centre, actor: User | None = None, reason: str = ""
) -> AccessChange | None:
    """Returns the history row, or None when the user already worked at the centre."""
    if _is_centre_member(user, centre):
        return None
    assign_perm(MEMBER_OF_CENTRE, user, centre)
    memberships_forget(user)
    return AccessChange.objects.create(
        kind=AccessChange.Kind.CENTRE_GRANTED, user=user, centre=centre, actor=actor, reason=reason
    )


@transaction.atomic
def centre_membership_revoke(
    *, user: User, centre: Centre, actor: User | None = None, reason: str = ""
) -> AccessChange | None:
    if not _is_centre_member(user, centre):
        return None
    remove_perm(MEMBER_OF_CENTRE, user, centre)
    memberships_forget(user)
    return AccessChange.objects.create(
        kind=AccessChange.Kind.CENTRE_REVOKED, user=user, centre=centre, actor=actor, reason=reason
    )


@transaction.atomic
def region_membership_grant(
    *, user: User, region: Region, actor: User | None = None, reason: str = ""
) -> AccessChange | None:
    if _is_region_member(user, region):
        return None
    assign_perm(MEMBER_OF_REGION, user, region)
    memberships_forget(user)
    return AccessChange.objects.create(
        kind=AccessChange.Kind.REGION_GRANTED, user=user, region=region, actor=actor, reason=reason
    )


@transaction.atomic
def region_membership_revoke(
    *, user: User, region: Region, actor: User | None = None, reason: str = ""
) -> AccessChange | None:
    if not _is_region_member(user, region):
        return None
    remove_perm(MEMBER_OF_REGION, user, region)
    memberships_forget(user)
    return AccessChange.objects.create(
        kind=AccessChange.Kind.REGION_REVOKED, user=user, region=region, actor=actor, reason=reason
    )
