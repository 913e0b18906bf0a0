"""The one access layer (X-3). Every list, detail, search and download asks here.

A centre's staff see their centre's residents; a regional office its region; ASA the
residents whose case is in a return stage; RMA only aggregates. A record the user may
not see answers exactly like a missing one: Http404.
"""

from enum import StrEnum

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.http import Http404
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from .models import CENTRE_ROLES, RETURN_STAGES, Centre, Region, Resident, Role, Stay, User


class Action(StrEnum):
    LIST = "list"
    VIEW = "view"
    CHANGE = "change"


MEMBER_OF_CENTRE = "mottak.member_of_centre"
MEMBER_OF_REGION = "mottak.member_of_region"
READ_ONLY_ROLES = frozenset({Role.REGION_CASEWORKER, Role.ASA_CASEWORKER})


def centre_membership_grant(*, user: User, centre: Centre) -> None:
    assign_perm(MEMBER_OF_CENTRE, user, centre)


def centre_membership_revoke(*, user: User, centre: Centre) -> None:
    remove_perm(MEMBER_OF_CENTRE, user, centre)


def region_membership_grant(*, user: User, region: Region) -> None:
    assign_perm(MEMBER_OF_REGION, user, region)


def member_centres(user: User) -> QuerySet[Centre]:
    """Centres the user works at (object permissions only, never model-wide ones)."""
    if not user.is_authenticated or user.role not in CENTRE_ROLES:
        return Centre.objects.none()
    return get_objects_for_user(
        user, MEMBER_OF_CENTRE, klass=Centre, accept_global_perms=False, with_superuser=False
    )


def member_regions(user: User) -> QuerySet[Region]:
    if not user.is_authenticated or user.role != Role.REGION_CASEWORKER:
        return Region.objects.none()
    return get_objects_for_user(
        user, MEMBER_OF_REGION, klass=Region, accept_global_perms=False, with_superuser=False
    )


def centres_visible_to(user: User) -> QuerySet[Centre]:
    """Centres whose records the user may see; also the choices of a centre filter."""
    if not user.is_authenticated or not user.is_active:
        return Centre.objects.none()
    if user.is_admin_role or user.role in {Role.ASA_CASEWORKER, Role.RMA}:
        return Centre.objects.all()
    if user.role == Role.REGION_CASEWORKER:
        return Centre.objects.filter(region__in=member_regions(user).values("pk"))
    return Centre.objects.filter(pk__in=member_centres(user).values("pk"))


def residents_visible_to(user: User, action: Action = Action.LIST) -> QuerySet[Resident]:
    if not user.is_authenticated or not user.is_active:
        return Resident.objects.none()
    if user.is_admin_role:
        return Resident.objects.all()
    if action == Action.CHANGE and user.role in READ_ONLY_ROLES:
        return Resident.objects.none()
    if user.role in CENTRE_ROLES:
        return Resident.objects.filter(centre__in=member_centres(user).values("pk"))
    if user.role == Role.REGION_CASEWORKER:
        return Resident.objects.filter(centre__region__in=member_regions(user).values("pk"))
    if user.role == Role.ASA_CASEWORKER:
        return Resident.objects.filter(asylum_stage__in=RETURN_STAGES)
    return Resident.objects.none()  # RMA and unknown roles: aggregates only


def access_resident(*, user: User, resident_id, action: Action = Action.VIEW) -> Resident:
    try:
        return residents_visible_to(user, action).get(pk=int(resident_id))
    except (Resident.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def stays_visible_to(user: User, action: Action = Action.LIST) -> QuerySet[Stay]:
    return Stay.objects.filter(resident__in=residents_visible_to(user, action).values("pk"))


def access_stay(*, user: User, stay_id, action: Action = Action.VIEW) -> Stay:
    try:
        return (
            stays_visible_to(user, action).select_related("resident", "centre").get(pk=int(stay_id))
        )
    except (Stay.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_centre(*, user: User, centre_id) -> Centre:
    try:
        return centres_visible_to(user).get(pk=int(centre_id))
    except (Centre.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_see_history(user: User) -> bool:
    """A resident's change history: centre leaders and admins (X-4)."""
    return user.is_authenticated and (user.is_admin_role or user.role == Role.CENTRE_LEADER)


def resident_of(subject) -> Resident | None:
    """The resident a case subject belongs to: the resident itself or its `resident` field."""
    if isinstance(subject, Resident):
        return subject
    return getattr(subject, "resident", None)


def access_subject(*, user: User, content_type_id: int, object_id: int, action: str = "view"):
    """A case subject (resident or a case with a `resident`) the user may act on, else 404."""
    try:
        model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
        subject = model._default_manager.get(pk=int(object_id))
    except (ObjectDoesNotExist, AttributeError, ValueError, TypeError):
        raise Http404 from None
    resident = resident_of(subject)
    if resident is None:
        raise Http404
    access_resident(user=user, resident_id=resident.pk, action=Action(action))
    return subject
