"""What needs doing, read through every declared routine: the start pages' lists, the
resident's status at a glance and open cases, and the link from a deadline to its step.

Every routine costs a fixed number of queries (one per watch, one per routine for a
resident), whatever the data size, so the start pages and the resident page stay flat.
"""

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone

from . import access, roles
from .routines import Routine, Watch, all_routines, for_model

# The most rows a start page lists per watch; one more is read to say "and more".
WATCH_LIMIT = 50


def case_url(routine: Routine, case_pk: int) -> str:
    return reverse(routine.detail_url, args=[case_pk]) if routine.detail_url else ""


def step_url(routine: Routine, case_pk: int, code: str) -> str:
    url = case_url(routine, case_pk)
    return f"{url}#step-{code}" if url else ""


def _model(routine: Routine) -> type[models.Model]:
    return apps.get_model(routine.model)


def _hours_since(case, field: str, now: datetime) -> int | None:
    moment = getattr(case, field, None) if field else None
    return int((now - moment).total_seconds() // 3600) if moment else None


@dataclass(frozen=True)
class WatchRow:
    routine: Routine
    watch: Watch
    case: models.Model
    url: str
    hours_since: int | None

    @property
    def resident(self):
        return getattr(self.case, self.routine.subject_field)

    @property
    def centre(self):
        return getattr(self.case, self.routine.centre_field)

    @property
    def since_at(self) -> datetime | None:
        """The moment the hours are counted from (reported missing, agreed return …)."""
        return getattr(self.case, self.watch.since, None) if self.watch.since else None


@dataclass(frozen=True)
class WatchList:
    routine: Routine
    watch: Watch
    rows: list[WatchRow]
    more: bool


def _visible_cases(routine: Routine, *, user) -> models.QuerySet | None:
    """The routine's cases at centres the user sees, about residents the user sees; None when
    the user sees none. Conditions on the case's own joins, not subqueries: the planning of
    those subqueries cost more than the start page's queries themselves."""
    centres = access.centres_visible_q(user, routine.centre_field)
    residents = access.residents_visible_q(user, routine.subject_field)
    if centres is None or residents is None:
        return None
    return _model(routine).objects.filter(centres, residents)


def _watches_for(role: str) -> list[tuple[Routine, Watch]]:
    slot = roles.slot_of(role)
    return [
        (routine, watch)
        for routine in all_routines()
        for watch in routine.watches
        if not watch.roles or slot in watch.roles
    ]


def _watch_columns(routine: Routine, watch: Watch) -> list[str]:
    """What a start page's row shows (home_section_watch.html) and the watch reads: the
    whole rows of the case, the resident and the centre cost Django more to compile than
    the database to read."""
    subject, centre = routine.subject_field, routine.centre_field
    case_fields = {routine.state_field, *(key.split("__")[0] for key in watch.where)}
    if watch.since:
        case_fields.add(watch.since)
    return [
        *sorted(case_fields),
        f"{subject}__family_name",
        f"{subject}__given_names",
        f"{centre}__name",
    ]


def watch_lists(*, user, now: datetime | None = None, limit: int = WATCH_LIMIT) -> list[WatchList]:
    """Every watch this user's start page lists, most serious first: one query per watch."""
    now = now or timezone.now()
    lists = []
    for routine, watch in _watches_for(user.role):
        visible = _visible_cases(routine, user=user)
        if visible is None:
            lists.append(WatchList(routine, watch, [], more=False))
            continue
        cases = (
            visible.filter(**{f"{routine.state_field}__in": watch.states}, **watch.where)
            .select_related(routine.subject_field, routine.centre_field)
            .only(*_watch_columns(routine, watch))
            .order_by(watch.since or "pk", "pk")
        )
        found = list(cases[: limit + 1])
        rows = [
            WatchRow(
                routine,
                watch,
                case,
                case_url(routine, case.pk),
                _hours_since(case, watch.since, now),
            )
            for case in found[:limit]
        ]
        lists.append(WatchList(routine, watch, rows, more=len(found) > limit))
    lists.sort(key=lambda item: item.watch.rank)
    return lists


@dataclass(frozen=True)
class Status:
    """A resident's status at a glance: the most serious watch with a status they are in."""

    code: str
    label: str
    tone: str
    url: str


def _status_watches(routine: Routine) -> list[Watch]:
    return [w for w in routine.watches if w.status]


def statuses_of(resident_ids, *, now: datetime | None = None) -> dict[int, list[WatchRow]]:
    """resident id → the status watches they are in, most serious first: one query per routine
    that declares a status."""
    now = now or timezone.now()
    found: dict[int, list[WatchRow]] = {}
    ids = list(resident_ids)
    if not ids:
        return found
    for routine in all_routines():
        watches = _status_watches(routine)
        if not watches or routine.national:
            continue
        states = frozenset().union(*(w.states for w in watches))
        cases = _model(routine).objects.filter(
            **{f"{routine.subject_field}__in": ids, f"{routine.state_field}__in": states}
        )
        for case in cases:
            state = getattr(case, routine.state_field)
            for watch in watches:
                if state in watch.states and _matches(case, watch.where):
                    row = WatchRow(
                        routine,
                        watch,
                        case,
                        case_url(routine, case.pk),
                        _hours_since(case, watch.since, now),
                    )
                    found.setdefault(getattr(case, f"{routine.subject_field}_id"), []).append(row)
    for rows in found.values():
        rows.sort(key=lambda row: row.watch.rank)
    return found


def statuses_among(open_cases: list["OpenCase"], *, now: datetime | None = None) -> list[WatchRow]:
    """The status watches a resident's already loaded open cases are in, most serious first,
    without a query. Only for routines whose status states are all open states (the kernel
    checks it when a routine is declared), so no case in a status state is missing here."""
    now = now or timezone.now()
    rows = []
    for item in open_cases:
        state = getattr(item.case, item.routine.state_field)
        for watch in _status_watches(item.routine):
            if state in watch.states and _matches(item.case, watch.where):
                since = _hours_since(item.case, watch.since, now)
                rows.append(WatchRow(item.routine, watch, item.case, item.url, since))
    rows.sort(key=lambda row: row.watch.rank)
    return rows


def _matches(case, where) -> bool:
    """The watch's keyword filters read on a loaded case (plain field equality or __in)."""
    for key, wanted in where.items():
        name, _, lookup = key.partition("__")
        value = getattr(case, name)
        if lookup == "in" and value not in wanted or not lookup and value != wanted:
            return False
    return True


@dataclass(frozen=True)
class OpenCase:
    routine: Routine
    case: models.Model
    url: str
    state_label: str


def open_cases_of(resident) -> list[OpenCase]:
    """Every open case of every routine about this resident, newest first: one query per
    routine."""
    found = []
    for routine in all_routines():
        if routine.national:
            continue  # about no resident
        cases = (
            _model(routine)
            .objects.filter(
                **{
                    routine.subject_field: resident,
                    f"{routine.state_field}__in": routine.open_states,
                }
            )
            .order_by("-pk")
        )
        labels = dict(routine.states)
        for case in cases:
            state = getattr(case, routine.state_field)
            found.append(
                OpenCase(routine, case, case_url(routine, case.pk), str(labels.get(state, state)))
            )
    return found


def deadline_links(deadlines) -> dict[int, str]:
    """deadline id → the step it belongs to (the case page's anchor), for deadlines of routine
    cases; no queries (content types are cached)."""
    links = {}
    for deadline in deadlines:
        if deadline.content_type_id is None:
            continue  # not attached to a case (yet): no step to lead to
        content_type = ContentType.objects.get_for_id(deadline.content_type_id)
        routine = for_model(f"{content_type.app_label}.{content_type.model}")
        if routine is None:
            continue
        step = routine.step_for_deadline(deadline.kind)
        links[deadline.pk] = (
            step_url(routine, deadline.object_id, step.code)
            if step
            else case_url(routine, deadline.object_id)
        )
    return links
