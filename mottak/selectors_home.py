"""The start pages ("I dag"): what each role must see today, the most urgent first.

Each page costs a fixed number of queries whatever the data size: one per section (a watch
list is one query per watch, cases/selectors_work.py) and one for the names of the residents
the deadline and notice rows are about. The sections are built here; the templates render
them in the order given.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases.models import Deadline, Dispatch
from cases.selectors_deadlines import (
    deadlines_visible_to,
    national_deadlines,
    pending_counts_by_centre,
)
from cases.selectors_work import WatchList, deadline_links, watch_lists

from .access import centres_visible_to, member_regions, residents_visible_to
from .models import (
    CENTRE_ROLES,
    FINAL_REJECTION_STAGES,
    RETURN_STAGES,
    AsylumStage,
    Centre,
    Resident,
    Role,
    Stay,
    User,
)
from .selectors_presence import current_slots

# Deadlines listed when overdue or due within this long.
DUE_SOON = timedelta(hours=48)
ARRIVALS_SINCE = timedelta(days=7)
# The most rows a section lists; one more is read to say there are more.
ROW_LIMIT = 50
URGENT = "straks"
TONES = ("danger", "warning", "info")


@dataclass(frozen=True)
class Section:
    """One block of a start page. `template` renders `rows`; an empty section says `empty`,
    or is left out when that is ""."""

    code: str
    title: str | Promise
    tone: str
    template: str
    rows: list = field(default_factory=list)
    more: bool = False
    empty: str | Promise = ""
    watch: WatchList | None = None

    @property
    def shown(self) -> bool:
        return bool(self.rows) or bool(self.empty)


def _by_urgency(sections: list[Section]) -> list[Section]:
    """The most serious tone first; the order given within a tone (stable sort)."""
    return sorted(
        (s for s in sections if s.shown), key=lambda s: TONES.index(s.tone) if s.rows else 9
    )


def _limited(queryset, limit: int = ROW_LIMIT) -> tuple[list, bool]:
    found = list(queryset[: limit + 1])
    return found[:limit], len(found) > limit


def _resident_ct() -> ContentType:
    return ContentType.objects.get_for_model(Resident)  # cached after the first call


def _names(user: User, ids) -> dict[int, Resident]:
    """The residents the rows are about, in one query (only those the user may see)."""
    ids = {i for i in ids if i}
    return residents_visible_to(user).in_bulk(ids) if ids else {}


# --- deadlines: overdue and due soon ----------------------------------------------------------


@dataclass(frozen=True)
class DeadlineRow:
    deadline: Deadline
    url: str  # the step on its case page, else the centre's deadline page
    resident: Resident | None
    now: datetime

    @property
    def is_urgent(self) -> bool:
        return self.deadline.urgency == URGENT

    @property
    def is_overdue(self) -> bool:
        return self.deadline.due_at <= self.now

    @property
    def hours_left(self) -> int:
        return int(max((self.deadline.due_at - self.now).total_seconds(), 0) // 3600)

    @property
    def hours_over(self) -> int:
        return int(max((self.now - self.deadline.due_at).total_seconds(), 0) // 3600)


def _due_deadlines(*, user: User, centres: QuerySet[Centre], now: datetime):
    """Pending deadlines at these centres, overdue or due soon: the urgent class first, then
    by due time."""
    urgent_first = Case(
        When(urgency=URGENT, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        deadlines_visible_to(user)
        .filter(
            centre__in=centres.values("pk"),
            state__in=Deadline.PENDING,
            due_at__lte=now + DUE_SOON,
        )
        .select_related("centre")
        .annotate(urgent_first=urgent_first)
        .order_by("urgent_first", "due_at", "pk")
    )


def _centre_deadlines_url(deadline: Deadline) -> str:
    return f"{reverse('cases:deadlines_centre', args=[deadline.centre_id])}#deadline-{deadline.pk}"


def _deadline_rows(deadlines: list[Deadline], names: dict[int, Resident], now) -> list:
    links = deadline_links(deadlines)
    resident_ct = _resident_ct()
    return [
        DeadlineRow(
            deadline=d,
            url=links.get(d.pk) or _centre_deadlines_url(d),
            resident=names.get(d.subject_id) if d.subject_ct_id == resident_ct.pk else None,
            now=now,
        )
        for d in deadlines
    ]


# --- notices made but not sent (R-13) ---------------------------------------------------------


def _unsent_notices(*, user: User, centres: QuerySet[Centre]):
    """Written notices about residents of these centres that are not yet recorded as sent
    (Dispatch.awaits_sending, read in the query)."""
    residents = residents_visible_to(user).filter(centre__in=centres.values("pk"))
    return (
        Dispatch.objects.filter(subject_ct=_resident_ct(), subject_id__in=residents.values("pk"))
        .exclude(channel=Dispatch.Channel.PHONE)
        .exclude(state=Dispatch.State.SENT)
        .order_by("created_at", "pk")
    )


@dataclass(frozen=True)
class NoticeRow:
    dispatch: Dispatch
    resident: Resident | None

    @property
    def url(self) -> str:
        return reverse("cases:dispatch_detail", args=[self.dispatch.pk])


# --- centres and their counts -----------------------------------------------------------------


@dataclass(frozen=True)
class CentreRow:
    centre: Centre
    open_deadlines: int
    overdue_deadlines: int

    @property
    def deadlines_url(self) -> str:
        return reverse("cases:deadlines_centre", args=[self.centre.pk])


def _overdue(now: datetime, prefix: str = "") -> Q:
    """Missed, or open and past due: what the deadline pages count as overdue."""
    return Q(**{f"{prefix}state": Deadline.State.MISSED}) | Q(
        **{f"{prefix}state": Deadline.State.OPEN, f"{prefix}due_at__lte": now}
    )


def _count_per_centre(rows: QuerySet) -> Coalesce:
    """A correlated count: joining residents and stays in one query would count their product."""
    per_centre = rows.filter(centre=OuterRef("pk")).order_by().values("centre")
    return Coalesce(Subquery(per_centre.annotate(n=Count("pk")).values("n")), 0)


def centres_with_counts(centres: QuerySet[Centre]) -> QuerySet[Centre]:
    return centres.select_related("region").annotate(
        resident_count=_count_per_centre(Resident.objects.all()),
        open_stay_count=_count_per_centre(Stay.objects.filter(ended_at__isnull=True)),
    )


def centre_rows(centres: QuerySet[Centre], *, now: datetime) -> list[CentreRow]:
    """The centres with their residents and pending/overdue deadline counts (counts only):
    two queries, the most overdue first."""
    loaded = list(centres_with_counts(centres).order_by("region__name", "name"))
    counts = pending_counts_by_centre([centre.pk for centre in loaded], now=now)
    rows = [CentreRow(centre, *counts.get(centre.pk, (0, 0))) for centre in loaded]
    rows.sort(key=lambda row: -row.overdue_deadlines)
    return rows


def overdue_by_region(*, now: datetime) -> list[dict]:
    """Overdue deadlines per regional office (counts only), for the administrators."""
    return list(
        Deadline.objects.filter(_overdue(now))
        .values("region_id", "region__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "region__name")
    )


# --- the pages --------------------------------------------------------------------------------


def _watch_sections(lists: list[WatchList]) -> tuple[list[Section], list]:
    """A section per watch with rows; the labels of the empty ones, said in one line."""
    sections, quiet = [], []
    for item in lists:
        if item.rows:
            sections.append(
                Section(
                    code=f"{item.routine.name}-{item.watch.code}",
                    title=item.watch.label,
                    tone=item.watch.tone,
                    template="home_section_watch.html",
                    rows=item.rows,
                    more=item.more,
                    watch=item,
                )
            )
        else:
            quiet.append(item.watch.label)
    return sections, quiet


def _deadlines_tone(rows: list[DeadlineRow]) -> str:
    if any(row.is_overdue for row in rows):
        return "danger"
    return "warning" if any(row.is_urgent for row in rows) else "info"


def _arrivals(*, centres, residents, now: datetime):
    """Stays opened at these centres in the last 7 days (there is no move routine yet)."""
    return (
        Stay.objects.filter(
            centre__in=centres.values("pk"),
            resident__in=residents.values("pk"),
            started_at__gte=now - ARRIVALS_SINCE,
        )
        .select_related("resident", "centre")
        .order_by("-started_at", "-pk")
    )


def home_for_centre_roles(*, user: User, now: datetime) -> dict:
    centres = centres_visible_to(user)
    residents = residents_visible_to(user)
    deadlines, more_deadlines = _limited(_due_deadlines(user=user, centres=centres, now=now))
    notices, more_notices = _limited(_unsent_notices(user=user, centres=centres))
    # One read of the names for both lists; the rows are about residents the user may see.
    about = [d.subject_id for d in deadlines if d.subject_ct_id == _resident_ct().pk]
    names = _names(user, about + [n.subject_id for n in notices])
    deadline_rows = _deadline_rows(deadlines, names, now)
    watches, quiet = _watch_sections(watch_lists(user=user, now=now))
    arrivals, more_arrivals = _limited(_arrivals(centres=centres, residents=residents, now=now))
    rows_of_centres = centre_rows(centres, now=now)
    # The presence check to do now at each of the user's centres (SAV-2): two more queries,
    # on the centres the overview has loaded already.
    by_name = sorted((row.centre for row in rows_of_centres), key=lambda c: (c.name, c.pk))
    slots = current_slots(by_name[: ROW_LIMIT + 1], now=now)
    sections = [
        Section(
            code="deadlines",
            title=_("Overdue and due within 48 hours"),
            tone=_deadlines_tone(deadline_rows),
            template="home_section_deadlines.html",
            rows=deadline_rows,
            more=more_deadlines,
            empty=_("No deadline is overdue or due within 48 hours."),
        ),
        Section(
            code="presence",
            title=_("Presence check now"),
            tone="warning" if any(slot.check is None for slot in slots) else "info",
            template="home_section_presence.html",
            rows=slots[:ROW_LIMIT],
            more=len(slots) > ROW_LIMIT,
        ),
        *watches,
        Section(
            code="notices",
            title=_("Notices made but not sent"),
            tone="warning",
            template="home_section_notices.html",
            rows=[NoticeRow(n, names.get(n.subject_id)) for n in notices],
            more=more_notices,
        ),
        Section(
            code="arrivals",
            title=_("Arrivals in the last 7 days"),
            tone="info",
            template="home_section_arrivals.html",
            rows=arrivals,
            more=more_arrivals,
            empty=_("No arrivals in the last 7 days."),
        ),
    ]
    return {
        "sections": _by_urgency(sections),
        "quiet": quiet,
        "centres": rows_of_centres,
    }


def home_for_region(*, user: User, now: datetime) -> dict:
    centres = centres_visible_to(user)
    watches, quiet = _watch_sections(watch_lists(user=user, now=now))
    return {
        "sections": _by_urgency(watches),
        "quiet": quiet,
        "centres": centre_rows(centres, now=now),
        "regions": list(member_regions(user)),
    }


def home_for_asa(*, user: User, limit: int = ROW_LIMIT) -> dict:
    residents = residents_visible_to(user).filter(asylum_stage__in=RETURN_STAGES)
    return {
        "return_residents": list(residents.select_related("centre")[:limit]),
        "return_count": residents.count(),
    }


def home_for_rma(*, user: User, now: datetime) -> dict:
    """Counts, and the national deadlines RMA answers for (RET-6: the quarterly meeting)."""
    national = national_deadlines(user=user, now=now, limit=ROW_LIMIT)
    links = deadline_links(national)
    page = reverse("cases:deadlines_national")
    rows = [
        DeadlineRow(
            deadline=d, url=links.get(d.pk) or f"{page}#deadline-{d.pk}", resident=None, now=now
        )
        for d in national
    ]
    section = Section(
        code="national",
        title=_("National deadlines"),
        tone=_deadlines_tone(rows) if rows else "info",
        template="home_section_deadlines.html",
        rows=rows,
        empty=_("No open national deadline."),
    )
    return {"aggregates": resident_aggregates(), "sections": [section], "quiet": []}


def resident_aggregates() -> dict:
    """Counts only, no names (what RMA may see, RET-4). One grouped read of the residents by
    centre and stage (at most centres × stages rows) gives every count: four separate
    aggregates over all residents cost four scans of the table."""
    counts = (
        Resident.objects.order_by()
        .values("centre_id", "asylum_stage")
        .annotate(n=Count("id"))
        .values_list("centre_id", "asylum_stage", "n")
    )
    centres = Centre.objects.select_related("region").in_bulk()
    by_region: dict[str, dict] = {}
    by_centre: dict[int, dict] = {}
    by_stage: dict[str, int] = {}
    for centre_id, stage, n in counts:
        centre = centres[centre_id]
        region = by_region.setdefault(
            centre.region.name, {"centre__region__name": centre.region.name, "n": 0, "in_return": 0}
        )
        region["n"] += n
        region["in_return"] += n if stage in RETURN_STAGES else 0
        row = by_centre.setdefault(
            centre_id,
            {"centre__name": centre.name, "centre__region__name": centre.region.name, "n": 0},
        )
        row["n"] += n
        by_stage[stage] = by_stage.get(stage, 0) + n
    stage_labels = dict(AsylumStage.choices)
    return {
        "by_region": sorted(by_region.values(), key=lambda row: row["centre__region__name"]),
        "by_centre": sorted(
            by_centre.values(), key=lambda row: (row["centre__region__name"], row["centre__name"])
        ),
        "by_stage": [
            {"label": stage_labels.get(stage, stage), "n": n}
            for stage, n in sorted(by_stage.items())
        ],
        "final_rejections": sum(
            n for stage, n in by_stage.items() if stage in FINAL_REJECTION_STAGES
        ),
        "departed": Stay.objects.filter(end_reason__in=Stay.DEPARTURE_REASONS).count(),
    }


def home_context(*, user: User, now: datetime | None = None) -> tuple[str, dict]:
    """The start page template and its data for the user's role."""
    now = now or timezone.now()
    context: dict = {"today": timezone.localdate(now)}
    if user.is_admin_role:
        context.update(
            aggregates=resident_aggregates(), overdue_by_region=overdue_by_region(now=now)
        )
        return "home_admin.html", context
    if user.role in CENTRE_ROLES:
        return "home_centre.html", context | home_for_centre_roles(user=user, now=now)
    if user.role == Role.REGION_CASEWORKER:
        return "home_region.html", context | home_for_region(user=user, now=now)
    if user.role == Role.ASA_CASEWORKER:
        return "home_asa.html", context | home_for_asa(user=user)
    if user.role == Role.RMA:
        return "home_rma.html", context | home_for_rma(user=user, now=now)
    return "home.html", context
