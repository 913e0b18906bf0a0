"""Every read a view of the core records needs. All personal data comes through the access layer."""

from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import dispatch_readable
from cases.models import Dispatch
from cases.selectors import dispatches_for_subject, routine_page, timeline_for
from cases.selectors_deadlines import deadlines_for_resident
from cases.selectors_work import deadline_links, open_cases_of, statuses_among

from . import resident_actions, rules
from .access import (
    Action,
    access_resident,
    may,
    may_change_resident,
    member_centres,
    residents_visible_to,
)
from .models import (
    CENTRE_ROLES,
    Appointment,
    Arrival,
    Centre,
    RepresentativeRecord,
    Resident,
    Stay,
    TurningEighteen,
    User,
)
from .routine_arrival import ARRIVAL, SESAM_REPRESENTATIVE, checklists_for
from .routine_turning18 import CHECKLIST as TURNING_18_CHECKLIST
from .routine_turning18 import TURNING_18


def may_register(user: User) -> bool:
    """Registering residents is for the centres' own staff and admins."""
    return user.is_admin_role or user.role in CENTRE_ROLES


def centres_for_change(user: User) -> QuerySet[Centre]:
    """Centres where the user may record arrivals: the centres they work at; admins all."""
    if user.is_admin_role:
        return Centre.objects.all()
    return member_centres(user)


def can_change(*, user: User, resident: Resident) -> bool:
    return may_change_resident(user, resident)


# What the list page and its export show (and the list's order): the whole rows of a page of
# residents and their centres cost more to build as objects than the page's query.
LIST_COLUMNS = (
    "family_name",
    "given_names",
    "duf_number",
    "registration_number",
    "date_of_birth",
    "date_of_birth_uncertain",
    "asylum_stage",
    "centre__name",
)


def resident_list(
    *, user: User, query: str = "", centre: Centre | None = None, stage: str = ""
) -> QuerySet[Resident]:
    """Residents the user may list, searched by name, DUF or registration number and filtered."""
    residents = residents_visible_to(user, Action.LIST).select_related("centre").only(*LIST_COLUMNS)
    if centre is not None:
        residents = residents.filter(centre=centre)
    if stage:
        residents = residents.filter(asylum_stage=stage)
    return residents.filter(_search(query)) if query.strip() else residents


def resident_export_rows(residents) -> list[list]:
    """The resident list's columns for a file (residents loaded with their centre)."""
    return [
        [
            r.family_name,
            r.given_names,
            r.duf_number or "",
            r.registration_number or "",
            r.date_of_birth,
            r.centre.name,
            r.asylum_stage_label,
        ]
        for r in residents
    ]


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
class Glance:
    """One line of the resident's status at a glance; `url` leads to the case behind it."""

    code: str  # missing, absent, late, on_leave (from the routines' watches); present, moved
    label: str
    tone: str  # danger, warning, info, success, neutral
    url: str = ""
    hours_since: int | None = None


@dataclass(frozen=True)
class ResidentPage:
    resident: Resident
    stays: list[Stay]
    open_stay: Stay | None
    appointments: list
    timeline: list
    deadlines: list
    open_deadlines: list  # each with `step_url`: the step of its case, where there is one
    dispatches: list
    statuses: list[Glance]
    open_cases: list
    age: int
    days_to_18: int
    can_change: bool
    actions: list
    stage_changes: list
    sesam_notices: list
    representative_records: list
    has_representative: bool

    @property
    def status(self) -> Glance:
        """The most serious status: the one the page shows first."""
        return self.statuses[0]


def _glances(watch_rows, open_stay: Stay | None, stays) -> list[Glance]:
    """The routines' statuses, most serious first; else where the resident lives now."""
    glances = [
        Glance(row.watch.status, str(row.watch.label), row.watch.tone, row.url, row.hours_since)
        for row in watch_rows
    ]
    if glances:
        return glances
    if open_stay is not None:
        return [
            Glance(
                "present",
                str(_("Living at %(centre)s") % {"centre": open_stay.centre.name}),
                "success",
            )
        ]
    if stays:
        last = stays[0]
        return [
            Glance(
                "moved",
                str(_("Moved out: %(reason)s") % {"reason": last.get_end_reason_display()}),
                "neutral",
            )
        ]
    return [Glance("moved", str(_("No stay recorded")), "neutral")]


def resident_page(*, user: User, resident_id: int, today: date | None = None) -> ResidentPage:
    """Everything the resident page shows, in a fixed number of queries whatever the data size
    (one per part, one per routine for its cases and statuses); 404 when not visible."""
    try:
        resident = (
            residents_visible_to(user, Action.VIEW)
            .select_related("centre__region")
            .get(pk=int(resident_id))
        )
    except (Resident.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    today = today or timezone.localdate()
    stays = list(resident.stays.select_related("centre").order_by("-started_at"))
    open_stay = next((stay for stay in stays if stay.ended_at is None), None)
    deadlines = list(deadlines_for_resident(resident))
    open_deadlines = [d for d in deadlines if d.is_pending]
    links = deadline_links(open_deadlines)
    for deadline in open_deadlines:
        deadline.step_url = links.get(deadline.pk, "")
    open_cases = open_cases_of(resident)
    statuses = _glances(statuses_among(open_cases), open_stay, stays)
    changeable = can_change(user=user, resident=resident)
    actions = (
        resident_actions.offered(
            may=lambda capability: may(user, capability),
            resident_id=resident.pk,
            has_open_stay=open_stay is not None,
            status=statuses[0].code,
        )
        if changeable
        else []
    )
    representative_records = list(
        resident.representative_records.select_related("recorded_by").order_by(
            "-effective_on", "-recorded_at", "-pk"
        )
    )
    return ResidentPage(
        resident=resident,
        stage_changes=list(resident.asylum_stage_changes.select_related("recorded_by")),
        sesam_notices=list(resident.sesam_notices.select_related("recorded_by")),
        representative_records=representative_records,
        has_representative=_acting(
            resident, representative_records[0] if representative_records else None, today
        ),
        stays=stays,
        open_stay=open_stay,
        appointments=list(resident.appointments.order_by("starts_at")),
        timeline=list(timeline_for(resident)),
        deadlines=deadlines,
        open_deadlines=open_deadlines,
        # A case's notices that read narrower than the resident (the mapping's copies, KART-12)
        # are listed only to whoever may read them: their links would answer 404.
        dispatches=[
            d for d in dispatches_for_subject(resident) if dispatch_readable(user=user, dispatch=d)
        ],
        statuses=statuses,
        open_cases=open_cases,
        age=rules.age_on(resident.date_of_birth, today),
        days_to_18=rules.days_until_18(resident.date_of_birth, today),
        can_change=changeable,
        actions=actions,
    )


# --- the arrival routine (MOT-1) ----------------------------------------------------------------


def access_arrival(*, user: User, arrival_id, action: Action = Action.VIEW) -> Arrival:
    """The arrival case of a resident the user may see (or change); else 404."""
    try:
        arrival = Arrival.objects.select_related("resident", "centre", "previous_centre").get(
            pk=int(arrival_id)
        )
    except (Arrival.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    access_resident(user=user, resident_id=arrival.resident_id, action=action)
    return arrival


@dataclass(frozen=True)
class ArrivalPage:
    arrival: Arrival
    groups: list  # (checklist label, [StepRow]) for the checklists that apply
    skipped: frozenset  # codes of steps that do not apply now (no representative yet)
    dispatches: list
    has_representative: bool
    can_change: bool


def arrival_page(*, user: User, arrival_id) -> ArrivalPage:
    """The arrival case's steps (the kernel's page selector), its notices and whether the user
    may do the steps: a fixed number of queries."""
    arrival = access_arrival(user=user, arrival_id=arrival_id)
    labels = {c.name: c.label for c in ARRIVAL.checklists}
    groups = [
        (labels[name], routine_page(routine=ARRIVAL, case=arrival, checklist=name))
        for name in checklists_for(arrival)
    ]
    has_representative = resident_has_representative(arrival.resident)
    ct = ContentType.objects.get_for_model(Arrival)
    return ArrivalPage(
        arrival=arrival,
        groups=groups,
        skipped=frozenset() if has_representative else frozenset({SESAM_REPRESENTATIVE}),
        dispatches=list(
            Dispatch.objects.filter(owner_ct=ct, owner_id=arrival.pk).select_related(
                "created_by", "sent_by"
            )
        ),
        has_representative=has_representative,
        can_change=can_change(user=user, resident=arrival.resident),
    )


# --- turning 18 (MOT-4) ------------------------------------------------------------------------


def access_turning_18(*, user: User, case_id, action: Action = Action.VIEW) -> TurningEighteen:
    try:
        case = TurningEighteen.objects.select_related("resident", "centre__region").get(
            pk=int(case_id)
        )
    except (TurningEighteen.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    access_resident(user=user, resident_id=case.resident_id, action=action)
    return case


@dataclass(frozen=True)
class TurningEighteenPage:
    case: TurningEighteen
    steps: list
    dispatches: list
    needs_child_welfare_views: bool
    can_change: bool


def turning_18_page(*, user: User, case_id) -> TurningEighteenPage:
    case = access_turning_18(user=user, case_id=case_id)
    steps = routine_page(routine=TURNING_18, case=case, checklist=TURNING_18_CHECKLIST)
    ct = ContentType.objects.get_for_model(TurningEighteen)
    return TurningEighteenPage(
        case=case,
        steps=steps,
        dispatches=list(
            Dispatch.objects.filter(owner_ct=ct, owner_id=case.pk).select_related(
                "created_by", "sent_by"
            )
        ),
        needs_child_welfare_views=case.resident.child_welfare_case,
        can_change=can_change(user=user, resident=case.resident),
    )


# --- the representative ------------------------------------------------------------------------


def representative_current(
    resident: Resident, *, on: date | None = None
) -> RepresentativeRecord | None:
    """The representative's status on `on` (today by default): the newest record from then or
    before; None when nothing is recorded."""
    on = on or timezone.localdate()
    return (
        resident.representative_records.filter(effective_on__lte=on)
        .order_by("-effective_on", "-recorded_at", "-pk")
        .first()
    )


def _acting(resident: Resident, record: RepresentativeRecord | None, on: date) -> bool:
    if rules.age_on(resident.date_of_birth, on) >= rules.ADULT_AGE:
        return False  # MOT-4: the mandate ends on the 18th birthday
    if record is None:
        # Recorded before the lifecycle existed: a name on the record is a representative.
        return bool(resident.representative_name.strip())
    return record.acting


def resident_has_representative(resident: Resident, *, on: date | None = None) -> bool:
    """Whether someone acts for the minor on `on` (a temporary, appointed or changed
    representative whose mandate has not ended): the question every routine that must tell
    the representative asks (SAV-5, PERM-5, MOT-3 c)."""
    on = on or timezone.localdate()
    return _acting(resident, representative_current(resident, on=on), on)


def resident_for_change(*, user: User, resident_id: int) -> tuple[Resident, Stay | None]:
    """The resident the user may change (else 404) and their first stay (the arrival the
    date of birth is checked against)."""
    resident = access_resident(user=user, resident_id=resident_id, action=Action.CHANGE)
    return resident, resident.stays.order_by("started_at").first()


def appointment_for_change(*, user: User, resident_id: int, appointment_id: int) -> Appointment:
    resident = access_resident(user=user, resident_id=resident_id, action=Action.CHANGE)
    try:
        return resident.appointments.get(pk=int(appointment_id))
    except (Appointment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


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
