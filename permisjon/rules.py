"""The leave routine's rules (PERM-1..PERM-10) as pure functions: no database access.

Dates are local dates in Europe/Oslo. The leave's length is the return date minus the
departure date in days (the 1st to the 15th is 14 days). Periods that depend on the leave
("has turned 25", "more than 3 weeks at the centre", "more than 3 months in transit") are
measured on the leave's first day, the day the condition must hold.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

from cases import periods
from mottak.rules import age_on

OSLO = ZoneInfo("Europe/Oslo")

CENTRE_MAY_DECIDE_MAX_DAYS = 14  # PERM-1
CONTACT_PERSON_MIN_AGE = 25  # PERM-4 c
ADULT_AGE = 18
DUBLIN_MIN_DAYS_AT_CENTRE = 21  # PERM-9: "more than 3 weeks"
TRANSIT_MIN_MONTHS = 3  # PERM-8: "more than 3 months"

# Centre kinds and asylum stages, spelled as the values of mottak's choices.
ORDINARY_KINDS = frozenset({"ordinary_minors", "ordinary_accompanied"})
TRANSIT_KINDS = frozenset({"arrival_transit", "transit"})
DUBLIN = "dublin"
FINAL_REJECTION = "final_rejection"  # final without an appeal
FINAL_REJECTION_UNE = "final_rejection_une"  # final from UNE
# PERM-10: a final rejection, whichever way it became final.
FINAL_REJECTIONS = frozenset({FINAL_REJECTION, FINAL_REJECTION_UNE})
STAGES_NEEDING_PU = frozenset({DUBLIN, *FINAL_REJECTIONS})

CENTRE = "centre"
REGION = "region"

PU_NONE = "none"
PU_NO_CLASH = "no_clash"
PU_CLASHES = "clashes"


@dataclass(frozen=True)
class Finding:
    """One reason in an outcome: a code for the program, a rule ID and a translatable text."""

    code: str
    rule_id: str
    text: str  # a lazy translation; %(name)s placeholders filled from params
    params: tuple[tuple[str, object], ...] = ()

    @property
    def message(self) -> str:
        text = str(self.text)
        return text % dict(self.params) if self.params else text

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class LeaveFacts:
    """What the rules need to know about one application."""

    centre_kind: str
    asylum_stage: str
    departure_on: date
    return_on: date
    at_centre_since: date
    abroad: bool = False
    # the designated contact person's date of birth (one; the others at the address are
    # not measured against the age rule).
    contact_birth_dates: tuple[date, ...] = ()
    # First day of the unbroken run of stays at transit centres, if the minor is in one.
    transit_since: date | None = None
    before_interview_or_age_assessment: bool = False
    pu_view: str = PU_NONE
    broken_agreements: int = 0
    # PERM-4 e, f: the representative's and the police's answers.
    representative_answer: str = "none"
    police_answer: str = "none"


@dataclass(frozen=True)
class Outcome:
    length_days: int
    decider: str
    decider_reasons: tuple[Finding, ...]
    blocks: tuple[Finding, ...] = ()
    warnings: tuple[Finding, ...] = ()
    required_steps: tuple[Finding, ...] = ()
    notes: tuple[Finding, ...] = ()

    @property
    def may_be_granted(self) -> bool:
        """False when a "never" rule applies, whatever the decider thinks."""
        return not self.blocks

    @property
    def reasons(self) -> tuple[Finding, ...]:
        return self.decider_reasons + self.blocks + self.warnings + self.required_steps + self.notes

    def warnings_without_reason(self, overrides: Mapping[str, str]) -> list[Finding]:
        """The "normally not" warnings a grant still needs a reason for."""
        return [w for w in self.warnings if not (overrides.get(w.code) or "").strip()]


# --- dates ---------------------------------------------------------------------------


def local_date(moment: datetime) -> date:
    return moment.astimezone(OSLO).date()


def add_months(day: date, months: int) -> date:
    """Calendar months; the 31st plus one month is the last day of a shorter month."""
    return periods.add_months(day, months)


# --- PERM-1: length and who decides --------------------------------------------------


def perm_1_length_days(departure_on: date, return_on: date) -> int:
    return (return_on - departure_on).days


def perm_1_decider(
    *, centre_kind: str, asylum_stage: str, length_days: int
) -> tuple[str, tuple[Finding, ...]]:
    """The centre decides up to and including 14 days at an ordinary centre, else the region."""
    reasons = []
    if length_days > CENTRE_MAY_DECIDE_MAX_DAYS:
        reasons.append(
            Finding(
                "over_14_days",
                "PERM-1",
                _("Leave over 14 days (%(days)s days) is decided by the UDI regional office."),
                (("days", length_days),),
            )
        )
    if centre_kind in TRANSIT_KINDS:
        reasons.append(
            Finding(
                "from_transit",
                "PERM-1",
                _("Leave from a transit centre is decided by the UDI regional office."),
            )
        )
    elif centre_kind not in ORDINARY_KINDS:
        reasons.append(
            Finding(
                "unknown_centre_kind",
                "PERM-1",
                _("Only ordinary centres may grant leave themselves."),
            )
        )
    if asylum_stage == DUBLIN:
        reasons.append(
            Finding(
                "dublin",
                "PERM-9",
                _("Leave in the Dublin procedure is decided only by the UDI regional office."),
            )
        )
    if asylum_stage in FINAL_REJECTIONS:
        reasons.append(
            Finding(
                "final_rejection",
                "PERM-10",
                _("Leave after a final rejection is decided only by the UDI regional office."),
            )
        )
    if reasons:
        return REGION, tuple(reasons)
    return CENTRE, (
        Finding(
            "centre_may_decide",
            "PERM-1",
            _("An ordinary centre may itself decide leave of up to 14 days (%(days)s days)."),
            (("days", length_days),),
        ),
    )


def perm_1_abroad_block(abroad: bool) -> Finding | None:
    if not abroad:
        return None
    return Finding(
        "abroad", "PERM-1", _("Leave to travel out of Norway is never granted to asylum seekers.")
    )


# --- PERM-3: forwarding deadline ------------------------------------------------------


def perm_3_forwarding_due(departure_at: datetime) -> datetime:
    """One calendar week before the departure, on the Oslo wall clock."""
    return periods.one_week_before(departure_at)


def perm_3_forwarded_late(*, forwarded_at: datetime, departure_at: datetime) -> bool:
    return forwarded_at > perm_3_forwarding_due(departure_at)


# --- PERM-4 c: the contact person's age ----------------------------------------------


def perm_4c_contact_person_old_enough(date_of_birth: date, first_day: date) -> bool:
    """Turned 25 on or before the leave's first day (born 29 February: on 1 March)."""
    return age_on(date_of_birth, first_day) >= CONTACT_PERSON_MIN_AGE


def perm_4c_contact_person_blocks(
    contact_birth_dates: Iterable[date], first_day: date
) -> Finding | None:
    """R-4: the one designated contact person has turned 25 on the leave's first day."""
    births = list(contact_birth_dates)
    if not births:
        return Finding(
            "no_contact_person", "PERM-4", _("Leave requires a contact person at the destination.")
        )
    if not all(perm_4c_contact_person_old_enough(b, first_day) for b in births):
        return Finding(
            "contact_person_under_25",
            "PERM-4",
            _(
                "Leave requires a designated contact person who has turned 25 by the first day "
                "of the leave."
            ),
        )
    return None


# --- PERM-4 e, f: objections ---------------------------------------------------------------

OBJECTS = "objects"


def perm_4_objection_warnings(
    *, representative_answer: str, police_answer: str
) -> tuple[Finding, ...]:
    """An objection from the representative or the police is shown to the decider and needs
    a reason to grant anyway."""
    warnings = []
    if representative_answer == OBJECTS:
        warnings.append(
            Finding(
                "representative_objects",
                "PERM-4",
                _("The representative objects to the leave."),
            )
        )
    if police_answer == OBJECTS:
        warnings.append(
            Finding("police_objects", "PERM-4", _("The local police object to the leave."))
        )
    return tuple(warnings)


# --- PERM-8: transit ------------------------------------------------------------------


def perm_8_more_than_3_months_in_transit(transit_since: date, first_day: date) -> bool:
    return first_day > add_months(transit_since, TRANSIT_MIN_MONTHS)


def perm_8_transit_warnings(
    *,
    centre_kind: str,
    transit_since: date | None,
    first_day: date,
    before_interview_or_age_assessment: bool,
) -> tuple[Finding, ...]:
    warnings = []
    since = transit_since or first_day
    if centre_kind in TRANSIT_KINDS and not perm_8_more_than_3_months_in_transit(since, first_day):
        warnings.append(
            Finding(
                "transit_under_3_months",
                "PERM-8",
                _(
                    "Normally no leave from transit: the minor has not been in transit for more "
                    "than 3 months. UDI may grant it in special cases, e.g. a death in the close "
                    "family."
                ),
            )
        )
    # before the interview or age assessment is a warning at every centre kind.
    if before_interview_or_age_assessment:
        warnings.append(
            Finding(
                "transit_before_interview",
                "PERM-8",
                _(
                    "Normally no leave before the asylum interview or the age assessment has "
                    "been held."
                ),
            )
        )
    return tuple(warnings)


# --- PERM-9: Dublin -------------------------------------------------------------------


def perm_9_more_than_3_weeks_at_centre(at_centre_since: date, first_day: date) -> bool:
    return (first_day - at_centre_since).days > DUBLIN_MIN_DAYS_AT_CENTRE


def perm_9_dublin_block(
    *, asylum_stage: str, at_centre_since: date, first_day: date
) -> Finding | None:
    """R-6: 21 days or less at the current centre is a block in the Dublin procedure."""
    if asylum_stage != DUBLIN or perm_9_more_than_3_weeks_at_centre(at_centre_since, first_day):
        return None
    return Finding(
        "dublin_under_3_weeks",
        "PERM-9",
        _(
            "No leave in the Dublin procedure before the minor has lived at the centre for more "
            "than 3 weeks (%(days)s days on the first day of the leave)."
        ),
        (("days", (first_day - at_centre_since).days),),
    )


def perm_9_dublin_warnings(
    *, asylum_stage: str, at_centre_since: date, first_day: date, pu_view: str
) -> tuple[Finding, ...]:
    """R-6: after 3 weeks the "normally not" stays a warning; the region decides with PU's view."""
    if asylum_stage != DUBLIN:
        return ()
    warnings = [
        Finding(
            "dublin_normally_not",
            "PERM-9",
            _(
                "Normally no leave in the Dublin procedure; after more than 3 weeks at the centre "
                "UDI may grant it in some cases."
            ),
        )
    ]
    if pu_view == PU_CLASHES:
        warnings.append(
            Finding(
                "dublin_pu_clash",
                "PERM-9",
                _("PU says the leave clashes with the plans for the transfer."),
            )
        )
    return tuple(warnings)


# --- PERM-9, PERM-10: PU's view ---------------------------------------------------------


def perm_9_10_pu_view_step(*, asylum_stage: str, pu_view: str) -> Finding | None:
    if asylum_stage not in STAGES_NEEDING_PU or pu_view != PU_NONE:
        return None
    rule = "PERM-9" if asylum_stage == DUBLIN else "PERM-10"
    return Finding(
        "pu_view_missing",
        rule,
        _("Ask PU whether the leave clashes with transfer or removal plans and record the answer."),
    )


def perm_10_pu_clash_block(*, asylum_stage: str, pu_view: str) -> Finding | None:
    if asylum_stage not in FINAL_REJECTIONS or pu_view != PU_CLASHES:
        return None
    return Finding(
        "final_rejection_pu_clash",
        "PERM-10",
        _("PU says the leave clashes with the removal plans: it cannot be granted."),
    )


# --- PERM-7: broken agreements ------------------------------------------------------------


def perm_7_broken_agreements_note(count: int) -> Finding | None:
    if count <= 0:
        return None
    return Finding(
        "earlier_broken_agreements",
        "PERM-7",
        _(
            "The minor has broken %(count)s earlier leave agreement(s). The centre may recommend "
            "that the regional office refuses this application."
        ),
        (("count", count),),
    )


# --- the whole assessment -------------------------------------------------------------------


def assess(facts: LeaveFacts) -> Outcome:
    first_day = facts.departure_on
    length = perm_1_length_days(facts.departure_on, facts.return_on)
    decider, decider_reasons = perm_1_decider(
        centre_kind=facts.centre_kind, asylum_stage=facts.asylum_stage, length_days=length
    )
    blocks = [
        perm_1_abroad_block(facts.abroad),
        perm_4c_contact_person_blocks(facts.contact_birth_dates, first_day),
        perm_10_pu_clash_block(asylum_stage=facts.asylum_stage, pu_view=facts.pu_view),
        perm_9_dublin_block(
            asylum_stage=facts.asylum_stage,
            at_centre_since=facts.at_centre_since,
            first_day=first_day,
        ),
    ]
    warnings = (
        perm_8_transit_warnings(
            centre_kind=facts.centre_kind,
            transit_since=facts.transit_since,
            first_day=first_day,
            before_interview_or_age_assessment=facts.before_interview_or_age_assessment,
        )
        + perm_9_dublin_warnings(
            asylum_stage=facts.asylum_stage,
            at_centre_since=facts.at_centre_since,
            first_day=first_day,
            pu_view=facts.pu_view,
        )
        + perm_4_objection_warnings(
            representative_answer=facts.representative_answer, police_answer=facts.police_answer
        )
    )
    steps = [perm_9_10_pu_view_step(asylum_stage=facts.asylum_stage, pu_view=facts.pu_view)]
    notes = [perm_7_broken_agreements_note(facts.broken_agreements)]
    return Outcome(
        length_days=length,
        decider=decider,
        decider_reasons=decider_reasons,
        blocks=tuple(b for b in blocks if b),
        warnings=warnings,
        required_steps=tuple(s for s in steps if s),
        notes=tuple(n for n in notes if n),
    )


# --- bad input ---------------------------------------------------------------------------

INPUT_MESSAGES = {
    "return_before_departure": _("The return must be after the departure."),
    "no_contact_person": _("Give at least one contact person at the destination."),
    "designated_not_one": _("Mark exactly one person as the designated contact person."),
    "contact_person_child": _(
        "The designated contact person must be an adult: this date of birth makes them a child."
    ),
    "contact_birth_in_future": _("A date of birth cannot be in the future."),
    "overlap": _("The resident already has a leave in this period."),
    "abroad": _(
        "Leave to travel out of Norway is never granted to asylum seekers: the application "
        "cannot be registered."
    ),
    "departure_in_past": _("The departure cannot be in the past."),
    "too_long": _("A leave of more than %(days)s days is not plausible: check the dates."),
    "too_far_ahead": _("The departure is more than a year ahead: check the dates."),
}

# PERM-1: what no application can be (the review found 400 days and 5 years ahead accepted).
# A leave is days or weeks; the longest the regional office would consider is set generously.
PLAUSIBLE_MAX_DAYS = 90
PLAUSIBLE_AHEAD_DAYS = 365


def application_input_problems(
    *,
    departure_at: datetime,
    return_at: datetime,
    contact_birth_dates: Iterable[date],
    today: date,
    now: datetime | None = None,
    abroad: bool = False,
    designated_birth_dates: Iterable[date] | None = None,
) -> list[str]:
    """Codes of what makes an application impossible to register at all (PERM-1): abroad, a
    departure in the past, a return before the departure, an implausible length or date."""
    problems = []
    if abroad:
        problems.append("abroad")
    if now is not None and departure_at < now:
        problems.append("departure_in_past")
    if return_at <= departure_at:
        problems.append("return_before_departure")
    elif perm_1_length_days(local_date(departure_at), local_date(return_at)) > PLAUSIBLE_MAX_DAYS:
        problems.append("too_long")
    if (local_date(departure_at) - today).days > PLAUSIBLE_AHEAD_DAYS:
        problems.append("too_far_ahead")
    births = list(contact_birth_dates)
    # one designated contact person; the others at the address may be any age.
    designated = births if designated_birth_dates is None else list(designated_birth_dates)
    if not births:
        problems.append("no_contact_person")
    elif len(designated) != 1:
        problems.append("designated_not_one")
    if any(b > today for b in births):
        problems.append("contact_birth_in_future")
    elif any(age_on(b, today) < ADULT_AGE for b in designated):
        problems.append("contact_person_child")
    return problems


def input_message(code: str) -> str:
    return str(INPUT_MESSAGES[code]) % {"days": PLAUSIBLE_MAX_DAYS}


def departure_stale_reasons(
    *, stage_at_decision: str, stage_now: str, granted_by: str, outcome: Outcome
) -> list[str]:
    """PERM-1, PERM-9/10: what makes a granted leave need a new decision before the minor may
    leave — the asylum stage changed since the decision, a rule now blocks it, or someone else
    now decides. Empty when the grant still holds."""
    reasons = []
    if stage_at_decision and stage_at_decision != stage_now:
        reasons.append("stage_changed")
    if outcome.blocks:
        reasons.append("now_blocked")
    if outcome.decider != granted_by:
        reasons.append("decider_changed")
    return reasons


def contact_person_is_child(date_of_birth: date, today: date) -> bool:
    return date_of_birth > today or age_on(date_of_birth, today) < ADULT_AGE


def periods_overlap(
    start: datetime, end: datetime, other_start: datetime, other_end: datetime
) -> bool:
    """Half-open periods: back at 18:00 and leaving again at 18:00 do not overlap."""
    return start < other_end and other_start < end
