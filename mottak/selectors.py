"""Every read a view of the core records needs. All personal data comes through the access layer."""

from dataclasses import dataclass
from itertools import pairwise

from django.db.models import Q, QuerySet

from cases.selectors import dispatches_for_subject, timeline_for
from cases.selectors_deadlines import deadlines_for_resident

from . import rules
from .access import (
    Action,
    access_resident,
    member_centres,
    residents_visible_to,
)
from .models import CENTRE_ROLES, Centre, Resident, Stay, User


def may_register(user: User) -> bool:
    """Registering residents is for the centres' own staff and admins."""
    return user.is_admin_role or user.role in CENTRE_ROLES


def centres_for_change(user: User) -> QuerySet[Centre]:
    """Centres where the user may record arrivals: the centres they work at; admins all."""
    if user.is_admin_role:
        return Centre.objects.all()
    return member_centres(user)


def can_change(*, user: User, resident: Resident) -> bool:
    return residents_visible_to(user, Action.CHANGE).filter(pk=resident.pk).exists()


def resident_list(
    *, user: User, query: str = "", centre: Centre | None = None, stage: str = ""
) -> QuerySet[Resident]:
    """Residents the user may list, searched by name, DUF or registration number and filtered."""
    residents = residents_visible_to(user, Action.LIST).select_related("centre")
    if centre is not None:
        residents = residents.filter(centre=centre)
    if stage:
        residents = residents.filter(asylum_stage=stage)
    return residents.filter(_search(query)) if query.strip() else residents


def _search(query: str) -> Q:
    """A DUF number (whole or its beginning, spaces allowed), a registration number, or names."""
    compact = "".join(query.split())
    if compact.isascii() and compact.isdigit():
        duf = rules.normalise_duf_number(compact)
        return Q(duf_number=duf) if duf else Q(duf_number__startswith=compact)
    by_registration = Q(registration_number__iexact=query.strip())
    by_names = Q()
    for term in query.split():
        by_names &= Q(given_names__icontains=term) | Q(family_name__icontains=term)
    return by_registration | by_names


@dataclass(frozen=True)
class ResidentPage:
    resident: Resident
    stays: list[Stay]
    appointments: list
    timeline: list
    deadlines: list
    dispatches: list


def resident_page(*, user: User, resident_id: int) -> ResidentPage:
    """Everything the resident page shows, in a fixed number of queries (404 when not visible)."""
    resident = access_resident(user=user, resident_id=resident_id, action=Action.VIEW)
    resident = Resident.objects.select_related("centre__region").get(pk=resident.pk)
    return ResidentPage(
        resident=resident,
        stays=list(resident.stays.select_related("centre").order_by("-started_at")),
        appointments=list(resident.appointments.order_by("starts_at")),
        timeline=list(timeline_for(resident)),
        deadlines=list(deadlines_for_resident(resident)),
        dispatches=list(dispatches_for_subject(resident)),
    )


@dataclass(frozen=True)
class HistoryEntry:
    record: object
    kind: str  # "resident" or "stay"
    changes: list[tuple[str, object, object]]


def _shown(field, value, centres: dict[int, Centre]):
    """A readable form of a stored value: choice labels and centre names instead of codes."""
    if value is None or value == "":
        return ""
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if field.is_relation and field.related_model is Centre:
        return centres.get(value, value)
    return value


def _entries(records: list, model, kind: str, centres: dict[int, Centre]) -> list[HistoryEntry]:
    """Pair each historical record with its predecessor of the same object; no extra queries."""
    by_object: dict[int, list] = {}
    for record in records:
        by_object.setdefault(record.id, []).append(record)
    entries = []
    for versions in by_object.values():
        versions.sort(key=lambda r: (r.history_date, r.history_id))
        entries.append(HistoryEntry(record=versions[0], kind=kind, changes=[]))
        for old, new in pairwise(versions):
            changes = []
            for change in new.diff_against(old).changes:
                field = model._meta.get_field(change.field)
                changes.append(
                    (
                        field.verbose_name,
                        _shown(field, change.old, centres),
                        _shown(field, change.new, centres),
                    )
                )
            entries.append(HistoryEntry(record=new, kind=kind, changes=changes))
    return entries


def resident_history(*, user: User, resident_id: int) -> tuple[Resident, list[HistoryEntry]]:
    """The change history of a resident and their stays, newest first (X-4)."""
    resident = access_resident(user=user, resident_id=resident_id, action=Action.VIEW)
    resident_records = list(resident.history.select_related("history_user"))
    stay_records = list(Stay.history.filter(resident_id=resident.pk).select_related("history_user"))
    centres = Centre.objects.in_bulk({r.centre_id for r in resident_records + stay_records})
    entries = _entries(resident_records, Resident, "resident", centres) + _entries(
        stay_records, Stay, "stay", centres
    )
    entries.sort(key=lambda e: (e.record.history_date, e.record.history_id), reverse=True)
    return resident, entries


# The start pages' reads live in selectors_home; kept importable from here.
from .selectors_home import (  # noqa: E402
    centres_with_counts,
    home_context,
    resident_aggregates,
)

__all__ = ["centres_with_counts", "home_context", "resident_aggregates"]
