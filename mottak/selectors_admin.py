"""Reads of the admin's own pages: a resident by number, a user's access and its history."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from . import rules
from .models import (
    AccessChange,
    Centre,
    CentreUserObjectPermission,
    Region,
    RegionUserObjectPermission,
    Resident,
    User,
)
from .services.mfa import mfa_is_enrolled


def resident_by_number(number: str) -> Resident | None:
    """Exact DUF or registration number, as the admin's posted lookup asks it."""
    compact = "".join((number or "").split())
    if not compact:
        return None
    if compact.isascii() and compact.isdigit():
        match = Q(duf_number=rules.normalise_duf_number(compact) or compact)
    else:
        match = Q(registration_number__iexact=compact)
    return Resident.objects.filter(match).first()


@dataclass(frozen=True)
class UserAccess:
    user: User
    centres: QuerySet[Centre]
    regions: QuerySet[Region]
    enrolled: bool
    history: QuerySet[AccessChange]


def user_access(user: User) -> UserAccess:
    centre_ids = CentreUserObjectPermission.objects.filter(
        user=user, permission__codename="member_of_centre"
    ).values("content_object_id")
    region_ids = RegionUserObjectPermission.objects.filter(
        user=user, permission__codename="member_of_region"
    ).values("content_object_id")
    return UserAccess(
        user=user,
        centres=Centre.objects.filter(pk__in=centre_ids),
        regions=Region.objects.filter(pk__in=region_ids),
        enrolled=mfa_is_enrolled(user),
        history=AccessChange.objects.filter(user=user).select_related("actor", "centre", "region"),
    )
