"""Reads of the presence register: a centre's checks of a day, the sheet of one check, the
open outings, the check to do now (start page).

The sheet costs a fixed number of queries whatever the number of residents: the residents,
one per routine that declares a status (cases.selectors_work.statuses_of), the open outings,
the check time and the recorded marks.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from cases.selectors_work import statuses_of

from . import rules_presence as rules
from .access import residents_visible_to
from .models import (
    Centre,
    CheckKind,
    Outing,
    PresenceCheck,
    PresenceCheckTime,
    PresenceMark,
    Resident,
    User,
)


@dataclass(frozen=True)
class CheckTime:
    kind: str
    label: str
    time: time


def check_times(centre: Centre, rows: list[PresenceCheckTime] | None = None) -> list[CheckTime]:
    """The centre's checks in the order of the day: its own active times, else the defaults.
    `rows`: the centre's configured times when already read."""
    labels = dict(CheckKind.choices)
    if rows is None:
        rows = list(PresenceCheckTime.objects.filter(centre=centre).order_by("time"))
    if rows:
        pairs = [(row.kind, row.time) for row in rows if row.active]
    else:
        pairs = sorted(rules.DEFAULT_CHECK_TIMES.items(), key=lambda item: item[1])
    return [CheckTime(kind, str(labels[kind]), at) for kind, at in pairs]


def check_time(centre: Centre, kind: str) -> CheckTime | None:
    return next((t for t in check_times(centre) if t.kind == kind), None)


@dataclass(frozen=True)
class Slot:
    centre: Centre
    on_date: date
    time: CheckTime
    held_at: datetime
    check: PresenceCheck | None
    now: datetime

    @property
    def is_due(self) -> bool:
        return self.held_at <= self.now

    @property
    def url(self) -> str:
        return reverse(
            "mottak:presence_check",
            args=[self.centre.pk, self.on_date.isoformat(), self.time.kind],
        )


def day_slots(centre: Centre, on_date: date, *, now: datetime | None = None) -> list[Slot]:
    """The day's checks at the centre, each with its record when held: two queries."""
    now = now or timezone.now()
    recorded = {
        c.kind: c
        for c in PresenceCheck.objects.filter(centre=centre, on_date=on_date).select_related(
            "recorded_by"
        )
    }
    return [
        Slot(centre, on_date, t, rules.check_moment(on_date, t.time), recorded.get(t.kind), now)
        for t in check_times(centre)
    ]


def current_slots(centres, *, now: datetime | None = None) -> list[Slot]:
    """The check to do now at each of these centres (start page): three queries whatever the
    number of centres."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    yesterday = date.fromordinal(today.toordinal() - 1)
    centres = list(centres)
    configured: dict[int, list[PresenceCheckTime]] = {}
    for row in PresenceCheckTime.objects.filter(centre__in=centres).order_by("time"):
        configured.setdefault(row.centre_id, []).append(row)
    recorded = {
        (c.centre_id, c.on_date, c.kind): c
        for c in PresenceCheck.objects.filter(
            centre__in=centres, on_date__in=[today, yesterday]
        ).select_related("recorded_by")
    }
    found = []
    for centre in centres:
        times = check_times(centre, configured.get(centre.pk, []))
        slots = [
            Slot(
                centre,
                day,
                t,
                rules.check_moment(day, t.time),
                recorded.get((centre.pk, day, t.kind)),
                now,
            )
            for day in (yesterday, today)
            for t in times
        ]
        due = [s for s in slots if s.is_due]
        if due:
            found.append(due[-1])
    return found


def residents_in_house(
    *, user: User, centre: Centre, at: datetime | None = None
) -> QuerySet[Resident]:
    """The centre's residents with an open stay there (begun by `at`, the check's time: a
    resident who arrived after a check is not on it), as the user may see them."""
    stay = {"stays__centre": centre, "stays__ended_at__isnull": True}
    if at is not None:
        stay["stays__started_at__lte"] = at
    return residents_visible_to(user).filter(**stay).order_by("family_name", "given_names", "pk")


def open_outings(centre: Centre) -> QuerySet[Outing]:
    return (
        Outing.objects.filter(centre=centre, back_at__isnull=True)
        .select_related("resident")
        .order_by("return_by", "pk")
    )


@dataclass(frozen=True)
class SheetRow:
    resident: Resident
    statuses: frozenset[str]
    status_labels: list[str]
    outing: Outing | None
    mark: str  # recorded, else proposed from the records ("" = nothing chosen)

    @property
    def agreed_return(self) -> datetime | None:
        return self.outing.return_by if self.outing else None


def sheet(*, user: User, centre: Centre, held_at: datetime, check: PresenceCheck | None):
    """One row per resident in the house, with what the routines say and the mark."""
    residents = list(residents_in_house(user=user, centre=centre, at=held_at))
    ids = [r.pk for r in residents]
    watched = statuses_of(ids)
    outings = {o.resident_id: o for o in Outing.objects.filter(resident__in=ids, back_at=None)}
    marks = (
        dict(check.marks.filter(resident__in=ids).values_list("resident_id", "status"))
        if check
        else {}
    )
    rows = []
    for resident in residents:
        found = watched.get(resident.pk, [])
        statuses = frozenset(row.watch.status for row in found)
        outing = outings.get(resident.pk)
        mark = marks.get(resident.pk) or rules.default_mark(
            statuses=statuses,
            agreed_return=outing.return_by if outing else None,
            held_at=held_at,
        )
        labels = [str(row.watch.label) for row in found]
        rows.append(SheetRow(resident, statuses, labels, outing, mark))
    return rows


def last_seen_at(*, resident_id: int, before: datetime) -> datetime | None:
    """When the resident was last known to be at the centre before `before`: marked present
    at a check, or going out on a recorded outing (for the missing-person report)."""
    present = (
        PresenceMark.objects.filter(
            resident_id=resident_id,
            status=PresenceMark.Status.PRESENT,
            check_event__held_at__lte=before,
        )
        .order_by("-check_event__held_at")
        .values_list("check_event__held_at", flat=True)
        .first()
    )
    went_out = (
        Outing.objects.filter(resident_id=resident_id, left_at__lte=before)
        .order_by("-left_at")
        .values_list("left_at", flat=True)
        .first()
    )
    moments = [m for m in (present, went_out) if m is not None]
    return max(moments) if moments else None
