"""The routine kernel: every routine declared once, as data.

A routine (missing minors, leave, moves, mapping, return …) is a case that moves through
states; steps that must be done, each allowed only in some states; a deadline per step
(anchor + calendar period + urgency, possibly repeating); the notices a step sends; and who
may do it. A routine app declares that shape in a `Routine` and registers it from its
`AppConfig.ready()`; `cases.services.routines` executes it (lock, state check, notices,
checklist record, deadlines, timeline) so no routine app writes that glue again.

    MISSING = Routine(
        name="savnet",
        model="savnet.MissingReport",
        states=MissingReport.State.choices,
        transitions={"investigating": {"open", "closed"}, "open": {"found"}, ...},
        checklists=(Checklist("savnet_missing", _("Missing minor: within 24 hours")),),
        steps=(
            Step("police", _("Missing-person report to the police"), ("SAV-3",),
                 states={"open"}, checklist="savnet_missing",
                 due=Due("reason_to_believe_at", "hours", 24, urgency="straks"),
                 notices=(Notice("missing_report", "savnet_police_report.html", ...),)),
            ...
        ),
    )

The checklist of a step is the record that it was done (cases.models.ChecklistStepCompletion);
each `Checklist` group is registered in `cases.checklists` under its name, so the checklist
pages and the routine share one set of rows. A step is ticked on the generic checklist page
only when it says `manual=True`, and then through the same state check as the routine's own
services.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import translation
from django.utils.functional import Promise

from . import checklists, periods
from . import urgency as urgency_classes
from .checklists import CODE_PATTERN, ChecklistDefinition
from .checklists import Step as ChecklistStep
from .registry import register_once
from .roles import NATIONAL_ROLES
from .urgency import Audience

# --- deadlines ------------------------------------------------------------------------------

# Calendar periods a rule can name (cases.periods reads each the way the text does).
PERIODS: dict[str, Callable[[datetime, int], datetime]] = {
    "hours": periods.elapsed_hours,
    "days": periods.within_days,
    # "By the end of the n-th calendar day", the anchor's day counting as day one.
    "calendar_days": periods.end_of_calendar_day,
    "weeks": periods.weeks,
    "months": periods.months,
    "weeks_before": lambda moment, count: periods.weeks(moment, -count),
    # "snarest", within so many working days (weekends and public holidays skipped).
    "working_days": periods.working_days,
    # The anchor itself (amount 0): "at the agreed return time".
    "at": lambda moment, count: moment,
    # The end of the anchor's day (amount 0): "the same day" (R-11, "umiddelbart").
    "same_day": lambda moment, count: periods.end_of_day(moment),
}
# Periods that count no units: the anchor itself, or the end of its day.
UNITLESS = frozenset({"at", "same_day"})
PERIOD_WORDS = {
    "hours": ("hour", "after"),
    "days": ("day", "after"),
    "calendar_days": ("calendar day", "counting the day of"),
    "weeks": ("week", "after"),
    "months": ("month", "after"),
    "weeks_before": ("week", "before"),
    "working_days": ("working day", "after"),
    "at": ("", "at"),
    "same_day": ("", "by the end of the day of"),
}
URGENCY_CODES = ("straks", "snarest", "ordinary", "target")


@dataclass(frozen=True)
class Due:
    """When a step falls due: `amount` units of `period` from the case's `anchor` field.

    `repeat`: meeting the deadline opens the next one, counted from the moment it was met
    ("at least every three months", KART-10). `alert_at_opening_to`: who is alerted when it
    opens, instead of its urgency class's audience (a cases.urgency.Audience; the class must
    alert at opening).
    """

    anchor: str
    period: str
    amount: int
    urgency: str = "ordinary"
    repeat: bool = False
    alert_at_opening_to: Audience | None = None

    def __post_init__(self):
        if self.period not in PERIODS:
            raise ValueError(f"Unknown period {self.period!r}.")
        if self.urgency not in URGENCY_CODES:
            raise ValueError(f"Unknown urgency {self.urgency!r}.")
        if self.alert_at_opening_to and not urgency_classes.get(self.urgency).alert_at_opening:
            raise ValueError(f"A {self.urgency!r} deadline alerts nobody at opening.")
        if self.period in UNITLESS:
            if self.amount != 0:
                raise ValueError("A deadline at the anchor itself counts no units.")
        elif self.amount <= 0:
            raise ValueError("A period counts at least one unit.")

    def at(self, start: datetime) -> datetime:
        return PERIODS[self.period](start, self.amount)

    def describe(self) -> str:
        if self.period in UNITLESS:
            return f"{PERIOD_WORDS[self.period][1]} {self.anchor}"
        unit, direction = PERIOD_WORDS[self.period]
        plural = "" if self.amount == 1 else "s"
        return f"{self.amount} {unit}{plural} {direction} {self.anchor}"


# --- notices --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """One notice a step sends (a cases dispatch).

    `recipient` resolves the addressee from the locked case: a dict of dispatch_create's
    recipient arguments (a directory entry, or a named recipient with kind and address).
    `legal_basis` names the legal references printed on the form (codes registered in
    cases.legal: statutes after "Hjemmel:", routines after "Jf."), or is a function of the case
    giving them, for rules that
    depend on it (SAV-3: municipal or private operator). `consent` names the consent rule
    the dispatch engine applies (KART-13); "" when the purpose needs none. `signer` says
    on behalf of which organisation the form is signed.
    """

    purpose: str
    template: str
    recipient: Callable | None
    channels: frozenset[str]
    legal_basis: str | tuple[str, ...] | Callable
    recipient_label: str = ""
    consent: str = ""
    signer: str = "centre"

    @property
    def written(self) -> bool:
        """A written notice (post, by hand, encrypted e-mail) rather than a phone call."""
        return bool(self.channels - {"phone"})

    def basis_for(self, case) -> str:
        return self.legal_basis(case) if callable(self.legal_basis) else self.legal_basis


# --- steps and routines ---------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One thing the routine asks to be done.

    `states`: the states of the case in which it may be done. `to`: the state the case moves
    to when it is done (a transition), else it stays. `checklist`: the checklist group that
    records it ("" for a step that is a transition only). `manual`: a person may tick it on
    the generic checklist page — by default no, the routine's own work records it.
    """

    code: str
    label: str | Promise
    rule_ids: tuple[str, ...]
    states: frozenset[str]
    to: str = ""
    checklist: str = ""
    required: bool = True
    due: Due | None = None
    deadline_kind: str = ""
    notices: tuple[Notice, ...] = ()
    manual: bool = False
    needs_attachment: bool = False
    help_text: str | Promise = ""

    @property
    def rule_id(self) -> str:
        return self.rule_ids[0] if self.rule_ids else ""


@dataclass(frozen=True)
class Checklist:
    name: str
    label: str | Promise


# --- watches: what people must see without looking for it ------------------------------------

# Tones, most serious first: a resident's status at a glance is the most serious watch they
# are in; the start pages list "danger" before "warning" before "info".
TONES = ("danger", "warning", "info")


@dataclass(frozen=True)
class Watch:
    """A state of the case that the start pages list and the resident's page shows at a glance
    ("missing now", "late back from leave", "decisions waiting").

    `status`: the resident's status while a case is in these states ("" for a queue that says
    nothing of where the child is). `since`: the case field the hours are counted from.
    `roles`: the role slots (cases.roles) whose start page lists it; empty for every role that
    sees the case. `where`: keyword filters on the case, e.g. who decides.
    """

    code: str
    label: str | Promise
    states: frozenset[str]
    tone: str = "info"
    status: str = ""
    since: str = ""
    roles: tuple[str, ...] = ()
    where: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self):
        if not CODE_PATTERN.match(self.code):
            raise ValueError(f"Watch code {self.code!r} is not a lower-case code.")
        if self.tone not in TONES:
            raise ValueError(f"Unknown tone {self.tone!r}.")
        object.__setattr__(self, "states", frozenset(self.states))

    @property
    def rank(self) -> int:
        return TONES.index(self.tone)


@dataclass(frozen=True)
class Routine:
    """A routine's whole shape. `transitions`: from-state → the states it may move to."""

    name: str
    label: str | Promise
    model: str
    states: tuple[tuple[str, str | Promise], ...]
    transitions: Mapping[str, frozenset[str]]
    steps: tuple[Step, ...]
    checklists: tuple[Checklist, ...] = ()
    # The message when a step is refused in the current state; %(state)s is its label.
    refusal: str | Promise = "This cannot be done while the case is “%(state)s”."
    state_field: str = "state"
    lock_related: tuple[str, ...] = ()
    # Who is responsible for its deadlines and whom its records are about.
    centre_of: Callable = field(default=lambda case: case.centre)
    subject_of: Callable = field(default=lambda case: case.resident)
    # Called inside the step's transaction after any step is recorded (e.g. PERM-4:
    # mark the application prepared when nothing is left open).
    after_step: Callable | None = None
    # Whether a step applies to this case beyond its states (MOT-1: the school notice only from
    # ordinary centres): (case, step_code) → "" or the message refusing it. Asked by the step
    # service for every way of doing a step, the generic checklist page included.
    step_refusal: Callable | None = None
    # Who may do what beyond the access layer's view/change: action → predicate(user, case).
    permissions: Mapping[str, Callable] = field(default_factory=dict)
    # The case page (a URL name taking the case's pk); a step is its "#step-<code>" anchor.
    detail_url: str = ""
    # The case's fields holding the responsible centre and the resident, for queries.
    centre_field: str = "centre"
    subject_field: str = "resident"
    watches: tuple[Watch, ...] = ()
    # A national routine (RET-6: RMA's quarterly meetings) is about no resident and no centre:
    # its deadlines are answered for by the users of this role slot (cases.roles) nationwide,
    # and the resident pages and centre start pages leave it out.
    national: str = ""
    # The named person who answers for the case's deadlines (case → user or None).
    responsible_of: Callable | None = None
    _by_code: dict = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self):
        if not CODE_PATTERN.match(self.name):
            raise ValueError(f"Routine name {self.name!r} is not a lower-case code.")
        if self.national and self.national not in NATIONAL_ROLES:
            raise ValueError(f"{self.name}: {self.national!r} is no national role.")
        if self.national and self.watches:
            raise ValueError(f"{self.name}: a national routine has no centre to watch from.")
        known = {value for value, _label in self.states}
        by_code: dict[str, Step] = {}
        groups = {c.name for c in self.checklists}
        for source, targets in self.transitions.items():
            if source not in known or not set(targets) <= known:
                raise ValueError(f"{self.name}: a transition names an unknown state.")
        for watch in self.watches:
            if not watch.states <= known:
                raise ValueError(f"{self.name}.{watch.code}: a watch names an unknown state.")
        for step in self.steps:
            if step.code in by_code:
                raise ValueError(f"{self.name}: step {step.code!r} is declared twice.")
            if not step.states or not set(step.states) <= known:
                raise ValueError(f"{self.name}.{step.code}: unknown or no allowed states.")
            if step.to and any(step.to not in self.transitions.get(s, ()) for s in step.states):
                raise ValueError(f"{self.name}.{step.code}: the transition table forbids it.")
            if step.checklist and step.checklist not in groups:
                raise ValueError(f"{self.name}.{step.code}: unknown checklist.")
            by_code[step.code] = step
        object.__setattr__(
            self, "transitions", {s: frozenset(t) for s, t in self.transitions.items()}
        )
        object.__setattr__(self, "_by_code", by_code)
        for watch in self.watches:
            # The resident page reads statuses from the open cases it has already loaded.
            if watch.status and not watch.states <= self.open_states:
                raise ValueError(f"{self.name}.{watch.code}: a status watch needs open states.")

    # -- lookups

    def step(self, code: str) -> Step:
        try:
            return self._by_code[code]
        except KeyError:
            raise UnknownStep(f"{self.name}.{code}") from None

    def has_step(self, code: str) -> bool:
        return code in self._by_code

    @property
    def open_states(self) -> frozenset[str]:
        """States the case can still leave: the case is open while in one of them."""
        return frozenset(state for state, targets in self.transitions.items() if targets)

    def step_for_deadline(self, kind: str) -> Step | None:
        """The step whose deadline has this kind."""
        return next((s for s in self.steps if self.deadline_kind(s) == kind), None)

    def steps_of(self, checklist: str) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.checklist == checklist)

    def state_values(self) -> tuple[str, ...]:
        return tuple(value for value, _label in self.states)

    def state_label(self, value: str) -> str:
        return str(dict(self.states).get(value, value))

    def may_move(self, source: str, target: str) -> bool:
        return target in self.transitions.get(source, frozenset())

    def deadline_kind(self, step: Step) -> str:
        """The one spelling of a step's deadline kind."""
        return step.deadline_kind or f"{self.name}_{step.code}"

    def checklist_definitions(self) -> list[ChecklistDefinition]:
        return [
            ChecklistDefinition(
                name=group.name,
                label=group.label,
                steps=tuple(
                    ChecklistStep(s.code, s.label, s.rule_id, required=s.required, manual=s.manual)
                    for s in self.steps_of(group.name)
                ),
            )
            for group in self.checklists
        ]


class UnknownStep(LookupError):
    pass


class UnknownRoutine(LookupError):
    pass


def english(text) -> str:
    """Deadline labels are stored as English msgids and translated where they are shown."""
    with translation.override("en"):
        return str(text)


# --- the registry ---------------------------------------------------------------------------

_routines: dict[str, Routine] = {}
_by_checklist: dict[str, str] = {}


def register(routine: Routine) -> Routine:
    """Register a routine and its checklists (idempotent for the same declaration)."""
    register_once(_routines, routine.name, routine, what="routine")
    for definition in routine.checklist_definitions():
        checklists.register(definition)
        _by_checklist[definition.name] = routine.name
    return routine


def unregister(name: str) -> None:
    routine = _routines.pop(name, None)
    for group in routine.checklists if routine else ():
        checklists.unregister(group.name)
        _by_checklist.pop(group.name, None)


def get(name: str) -> Routine:
    try:
        return _routines[name]
    except KeyError:
        raise UnknownRoutine(name) from None


def for_checklist(name: str) -> Routine | None:
    """The routine whose steps a checklist records, or None for a free-standing checklist."""
    routine_name = _by_checklist.get(name)
    return _routines.get(routine_name) if routine_name else None


def for_model(label: str) -> Routine | None:
    """The routine whose case is a row of `label` ("savnet.MissingReport")."""
    label = label.lower()
    return next((r for r in _routines.values() if r.model.lower() == label), None)


def all_routines() -> list[Routine]:
    return sorted(_routines.values(), key=lambda r: r.name)
