"""The one access layer (X-3). Every list, detail, search and download asks here.

A centre's staff see their centre's residents; a regional office its region; ASA the
residents of the return cases assigned to it (R-19: the routine that owns the assignment
registers the grant here); RMA only aggregates. A record the user may
not see answers exactly like a missing one: Http404.

Moves (MOT-3): while an approved move is under way the receiving centre also sees (never
changes) the resident; the centre being left keeps its move record after the move, but not
the resident.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet
from django.http import Http404
from guardian.shortcuts import get_objects_for_user

from cases.registry import register_once

from .models import (
    CENTRE_ROLES,
    Centre,
    Departure,
    Move,
    PrivateMove,
    Region,
    Resident,
    Role,
    Stay,
    User,
)


class Action(StrEnum):
    LIST = "list"
    VIEW = "view"
    CHANGE = "change"


MEMBER_OF_CENTRE = "mottak.member_of_centre"
MEMBER_OF_REGION = "mottak.member_of_region"
READ_ONLY_ROLES = frozenset({Role.REGION_CASEWORKER, Role.ASA_CASEWORKER})


# A user's memberships are read once per user object — in a request, once per request — and
# the page's queries then carry the ids. Rebuilding guardian's permission joins inside every
# query of a page cost more than the queries themselves (compiling and planning them).
_MEMBERSHIP_CACHE = "_access_memberships"


def memberships_forget(user: User) -> None:
    """Called by the membership services after a change, for the user object in hand."""
    user.__dict__.pop(_MEMBERSHIP_CACHE, None)


def _membership_ids(user: User, permission: str, klass) -> list[int]:
    cache = user.__dict__.setdefault(_MEMBERSHIP_CACHE, {})
    if permission not in cache:
        cache[permission] = list(
            get_objects_for_user(
                user,
                permission,
                klass=klass,
                accept_global_perms=False,
                with_superuser=False,
                use_groups=False,  # memberships are granted to users only, never to groups
            ).values_list("pk", flat=True)
        )
    return cache[permission]


def member_centre_ids(user: User) -> list[int]:
    """Ids of the centres the user works at (object permissions only, never model-wide ones)."""
    if not user.is_authenticated or user.role not in CENTRE_ROLES:
        return []
    return _membership_ids(user, MEMBER_OF_CENTRE, Centre)


def member_region_ids(user: User) -> list[int]:
    if not user.is_authenticated or user.role != Role.REGION_CASEWORKER:
        return []
    return _membership_ids(user, MEMBER_OF_REGION, Region)


def member_centres(user: User) -> QuerySet[Centre]:
    """Centres the user works at."""
    return Centre.objects.filter(pk__in=member_centre_ids(user))


def member_regions(user: User) -> QuerySet[Region]:
    return Region.objects.filter(pk__in=member_region_ids(user))


def centres_visible_q(user: User, path: str = "") -> Q | None:
    """centres_visible_to(user) as a condition on a relation `path` to a centre ("" for the
    centre itself); None for no centre. A page's case queries join through it instead of
    carrying a subquery, which PostgreSQL plans again on every query."""
    if not user.is_authenticated or not user.is_active:
        return None
    prefix = f"{path}__" if path else ""
    if user.is_admin_role or user.role in {Role.ASA_CASEWORKER, Role.RMA}:
        # Every centre, but a record at no centre is not "at a visible centre".
        return Q(**{f"{path}__isnull": False}) if path else Q()
    if user.role == Role.REGION_CASEWORKER:
        return Q(**{f"{prefix}region_id__in": member_region_ids(user)})
    return Q(**{f"{prefix}pk__in": member_centre_ids(user)})


def centres_visible_to(user: User) -> QuerySet[Centre]:
    """Centres whose records the user may see; also the choices of a centre filter."""
    scope = centres_visible_q(user)
    return Centre.objects.none() if scope is None else Centre.objects.filter(scope)


# Residents a role reaches only through a routine's own grant (R-19: ASA through the return cases
# assigned to it). The routine app registers a function user → queryset of resident ids.
_granted_residents: dict[str, Callable[[User], QuerySet]] = {}


def granted_residents_register(role: str, residents_of: Callable[[User], QuerySet]) -> None:
    register_once(_granted_residents, role, residents_of, what="resident grant")


def residents_visible_q(user: User, action: Action = Action.LIST, path: str = "") -> Q | None:
    """residents_visible_to(user, action) as a condition on a relation `path` to a resident
    ("" for the resident itself); None for nobody."""
    if not user.is_authenticated or not user.is_active:
        return None
    prefix = f"{path}__" if path else ""
    if user.is_admin_role:
        return Q()
    if action == Action.CHANGE and user.role in READ_ONLY_ROLES:
        return None
    if user.role in CENTRE_ROLES:
        at_centres = Q(**{f"{prefix}centre__in": member_centre_ids(user)})
        if action == Action.CHANGE:
            return at_centres
        return at_centres | Q(**{f"{prefix}pk__in": _incoming_ids(user)})
    if user.role == Role.REGION_CASEWORKER:
        return Q(**{f"{prefix}centre__region_id__in": member_region_ids(user)})
    granted = _granted_residents.get(user.role)
    if granted is not None:
        return Q(**{f"{prefix}pk__in": granted(user)})
    return None  # RMA and unknown roles: aggregates only


def residents_visible_to(user: User, action: Action = Action.LIST) -> QuerySet[Resident]:
    scope = residents_visible_q(user, action)
    return Resident.objects.none() if scope is None else Resident.objects.filter(scope)


def may_change_resident(user: User, resident: Resident) -> bool:
    """residents_visible_to(user, CHANGE)'s answer for one loaded resident, without a query."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_admin_role:
        return True
    if user.role in READ_ONLY_ROLES or user.role not in CENTRE_ROLES:
        return False
    return resident.centre_id in member_centre_ids(user)


def _incoming_ids(user: User) -> list[int]:
    """Residents on their way to one of the user's centres: an approved move, not yet completed.
    Read once per user object like the memberships: as ids, the resident filter stays an index
    lookup instead of a scan of every resident under an OR with a subquery."""
    cache = user.__dict__.setdefault(_MEMBERSHIP_CACHE, {})
    if "incoming" not in cache:
        cache["incoming"] = list(
            Move.objects.filter(
                state=Move.State.APPROVED, target_centre__in=member_centre_ids(user)
            ).values_list("resident_id", flat=True)
        )
    return cache["incoming"]


def moves_visible_to(user: User, action: Action = Action.VIEW) -> QuerySet[Move]:
    """Moves the user may see: those of residents they may see (both centres and the regional
    office during a move), and the centre being left's own move records after the move.
    Changing a move (the centre being left's steps) needs change access to the resident; the
    regional decision and the arrival are the routine's own permissions on a visible move."""
    if not user.is_authenticated or not user.is_active:
        return Move.objects.none()
    residents = residents_visible_to(user, action).values("pk")
    if action == Action.CHANGE or user.role not in CENTRE_ROLES:
        return Move.objects.filter(resident__in=residents)
    own = member_centre_ids(user)
    return Move.objects.filter(Q(resident__in=residents) | Q(centre__in=own))


def access_move(*, user: User, move_id, action: Action = Action.VIEW) -> Move:
    try:
        return (
            moves_visible_to(user, action)
            .select_related("resident", "centre", "centre__region", "target_centre")
            .get(pk=int(move_id))
        )
    except (Move.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _access_case_of_resident(model, *, user: User, pk, action: Action):
    """A case about a resident (a private move, a departure): visible with the resident."""
    try:
        return (
            model.objects.filter(resident__in=residents_visible_to(user, action).values("pk"))
            .select_related("resident", "centre", "centre__region")
            .get(pk=int(pk))
        )
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_private_move(*, user: User, private_move_id, action: Action = Action.VIEW):
    return _access_case_of_resident(PrivateMove, user=user, pk=private_move_id, action=action)


def access_departure(*, user: User, departure_id, action: Action = Action.VIEW):
    return _access_case_of_resident(Departure, user=user, pk=departure_id, action=action)


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


def can_export_subject_data(user: User) -> bool:
    """An access request's archive of everything about a resident (GDPR art. 15): admins."""
    return user.is_authenticated and user.is_admin_role


def access_resident_for_export(*, user: User, resident_id) -> Resident:
    """The resident whose data an admin exports; anyone else gets 404, as if it were missing."""
    if not can_export_subject_data(user):
        raise Http404
    return access_resident(user=user, resident_id=resident_id, action=Action.VIEW)


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


# --- who may do what: capabilities declared by the app that owns them ---------------------
#
# Views, templates and the navigation ask `may(user, "<app>.<capability>")` instead of
# comparing role strings; each app registers its capabilities (and its menu entries) from
# its AppConfig.ready().


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    capability: str
    order: int


_capabilities: dict[str, Callable[[User], bool]] = {}
_menu: dict[str, MenuEntry] = {}


def capability_register(name: str, predicate: Callable[[User], bool]) -> None:
    register_once(_capabilities, name, predicate, what="capability")


def menu_register(url_name: str, label, capability: str, order: int) -> None:
    """A main-menu entry, shown to whoever may use the capability, in `order`."""
    _menu[url_name] = MenuEntry(label, url_name, capability, order)


def may(user, capability: str) -> bool:
    """Whether the user may use a capability. An unknown capability is refused."""
    predicate = _capabilities.get(capability)
    return bool(user.is_authenticated and user.is_active and predicate and predicate(user))


def menu_for(user) -> list[MenuEntry]:
    """The menu entries the user may open, in order."""
    return sorted(
        (entry for entry in _menu.values() if may(user, entry.capability)),
        key=lambda entry: entry.order,
    )


def works_at_a_centre(user) -> bool:
    return user.is_admin_role or user.role in CENTRE_ROLES


def works_at_a_regional_office(user) -> bool:
    return user.role == Role.REGION_CASEWORKER


def sees_aggregates_only(user) -> bool:
    return user.role == Role.RMA


def register_capabilities() -> None:
    from django.utils.translation import gettext_lazy as _

    capability_register("mottak.see_residents", lambda user: not sees_aggregates_only(user))
    capability_register("mottak.register_resident", works_at_a_centre)
    capability_register("mottak.administer", lambda user: user.is_admin_role and user.is_staff)
    # MOT-3, MOT-5, MOT-6: the centre starts these from the resident's page; the regional
    # office may start a move too (from its list of moves).
    capability_register("mottak.leave_centre", works_at_a_centre)
    capability_register(
        "mottak.see_moves", lambda user: user.is_admin_role or works_at_a_regional_office(user)
    )
    menu_register("mottak:move_list", _("Moves"), "mottak.see_moves", 30)
    menu_register("home", _("Start"), "mottak.any", 0)
    capability_register("mottak.any", lambda user: True)
    menu_register("mottak:resident_list", _("Residents"), "mottak.see_residents", 10)
    menu_register(
        "mottak:resident_register", _("Register a resident"), "mottak.register_resident", 20
    )
    # The presence register and outings (SAV-2): kept by the centre's own staff.
    capability_register("mottak.keep_presence", works_at_a_centre)
    menu_register("mottak:presence_home", _("Presence"), "mottak.keep_presence", 15)
    # The personal and private folders (MOT-2); the private folder asks for more (rules).
    capability_register("mottak.keep_folders", works_at_a_centre)
    menu_register("admin:index", _("Administration"), "mottak.administer", 1000)
