"""The mapping routine's rules as pure functions (KART-1..7, R-7): no database, no clock.

Each returns a value or a list of problem codes; the services turn codes into messages
(kartlegging/messages.py) and refuse.
"""

from datetime import datetime

from cases import periods
from mottak.models import Role

# R-7 (KART-3): the welcome conversation by the end of the second calendar day in Oslo,
# the day of moving in counting as day one.
WELCOME_DAYS = 2
# KART-2: a minor staying in transit more than three weeks joins the ordinary mapping: on
# day 22 of the stay (the day of moving in is day 1).
TRANSIT_DAYS_BEFORE_ORDINARY = 21
# KART-3 says "snarest" with no limit; the target for starting the ordinary mapping once it is
# due is one week (the domain review's recommendation).
ORDINARY_START_TARGET_DAYS = 7
# KART-4: "oppdateres jevnlig" — a review at least monthly.
REVIEW_EVERY_MONTHS = 1
# KART-8/9: the paper copy within two weeks of the notice in Sesam.
TRANSFER_WEEKS = 2
# KART-10, R-8: a new version or a "nothing new" confirmation at least every three months.
RESEND_EVERY_MONTHS = 3

ALL_AREAS = (
    "background",
    "family",
    "school",
    "leisure",
    "resources",
    "care_needs",
    "safety",
    "future",
)
# KART-14: the document holds only what the recipient needs for its purpose (KART-12); the
# rest is removed and the removal recorded. The settlement caseworker and the new centre
# carry the care forward and need the whole picture; the regional office in a return case
# the care situation on return; IOM what it needs to prepare the return; the correctional
# service and the first asylum country's care authority the care needs only.
AREAS_FOR_RECIPIENT = {
    "imdi": ALL_AREAS,
    "centre": ALL_AREAS,
    "child_welfare": ALL_AREAS,
    "udi_region": ("background", "family", "care_needs", "safety", "future"),
    "iom": ("family", "care_needs", "safety", "future"),
    "correctional_service": ("family", "care_needs", "safety"),
    "dublin_care_authority": ("family", "care_needs", "safety"),
}
# KART-12: the instances that need the mapping for their responsibility for the minor. Any
# other recipient gets a copy only after the centre leader's recorded assessment.
KART_12_KINDS = frozenset(AREAS_FOR_RECIPIENT)


# KART-12, KART-13: the recipients outside the list a copy may go to after the leader's
# assessment, with a consent that names them.
ASSESSABLE_KINDS = frozenset({"school", "health_office", "county_governor", "police", "lawyer"})


def on_kart_12_list(recipient_kind: str) -> bool:
    return recipient_kind in KART_12_KINDS


def may_assess_recipient(*, role: str) -> bool:
    """KART-12: "etter vurdering fra leder" — the centre leader, no one else (not an
    administrator, not the child-welfare lead)."""
    return role == Role.CENTRE_LEADER


def assessment_problems(*, function: str, reason: str, areas, kind: str) -> list[str]:
    problems = []
    if on_kart_12_list(kind):
        problems.append("assessment_not_needed")
    elif kind not in ASSESSABLE_KINDS:
        problems.append("assessment_kind_not_allowed")
    if not function.strip():
        problems.append("assessment_function_missing")
    if not reason.strip():
        problems.append("assessment_reason_missing")
    if not areas or not set(areas) <= set(ALL_AREAS):
        problems.append("assessment_areas_missing")
    return problems


# KART-12: each transfer states its purpose and the recipient's function (the seed's §4.1.2 a,
# in the form's Norwegian).
RECIPIENT_PURPOSE_NB = {
    "imdi": "IMDis regionkontor ved bosettingsansvarlig saksbehandler, i bosettingssaken",
    "udi_region": (
        "UDIs regionkontor ved kontaktperson, fagansvarlig for enslige mindreårige eller "
        "leder/stedfortreder, i sak om bo- og omsorgsløsning, alternativ mottaksplass eller retur"
    ),
    "child_welfare": "Barneverntjenesten, i undersøkelsessak etter barnevernsloven",
    "iom": "IOM, som ledd i forberedelse og tilrettelegging av retur",
    "correctional_service": "Kriminalomsorgen, som ledd i tilrettelegging av tiltak",
    "dublin_care_authority": (
        "Omsorgsmyndigheten i første asylsøkerland, ved retur etter Dublin-forordningen"
    ),
    "centre": "Nytt asylmottak, som viderefører kartleggingen og tiltaksplanen ved flytting",
}


# KART-8/9: who receives the paper copy on each track.
TRACK_RECIPIENT_KIND = {"settlement": "imdi", "return": "udi_region"}


def redaction(recipient_kind: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """KART-14: (areas kept, areas left out) for a recipient kind; an unknown kind gets
    nothing (the dispatch rules refuse it anyway)."""
    kept = AREAS_FOR_RECIPIENT.get(recipient_kind, ())
    return kept, tuple(a for a in ALL_AREAS if a not in kept)


HEALTH_AREA = "health"


def welcome_target(moved_in_at: datetime) -> datetime:
    """R-7: the end of the second calendar day of the stay."""
    return periods.end_of_calendar_day(moved_in_at, WELCOME_DAYS)


def ordinary_mapping_from(*, moved_in_at: datetime, transit: bool) -> datetime:
    """KART-2/3: when the ordinary mapping is due to start: at once at an ordinary centre;
    in transit at the start of day 22 of the stay."""
    if not transit:
        return moved_in_at
    return periods.end_of_calendar_day(moved_in_at, TRANSIT_DAYS_BEFORE_ORDINARY)


def in_scaled_transit_mapping(*, moved_in_at: datetime, transit: bool, now: datetime) -> bool:
    """KART-2: the mapping is still the transit one, scaled to the stay (days 1–21)."""
    return transit and now < ordinary_mapping_from(moved_in_at=moved_in_at, transit=True)


# --- who may do what (KART-1) --------------------------------------------------------------


def may_lead(*, role: str, is_admin: bool) -> bool:
    """Assigning the key worker and withholding reading (KART-1, KART-5) are the child-welfare
    lead's (or the centre leader's, who answers for the centre)."""
    return is_admin or role in {Role.CHILD_WELFARE_LEAD, Role.CENTRE_LEADER}


def may_write(*, role: str, is_admin: bool, is_key_worker: bool) -> bool:
    """The mapping and the plan are written by the child-welfare lead and the minor's named
    key worker under the lead (KART-1); other staff read them."""
    return is_admin or role == Role.CHILD_WELFARE_LEAD or is_key_worker


def may_hold_welcome(*, role: str, is_admin: bool) -> bool:
    """The welcome conversation is held by whoever receives the minor on the day."""
    return is_admin or role in {Role.CENTRE_STAFF, Role.CHILD_WELFARE_LEAD, Role.CENTRE_LEADER}


# --- input ----------------------------------------------------------------------------------


def conversation_problems(
    *, interpreter_used: bool | None, language: str, mode: str, held_at: datetime, now: datetime
) -> list[str]:
    """KART-6: whether an interpreter was used is always answered; when one was, the language
    and whether in person or by phone."""
    problems = []
    if interpreter_used is None:
        problems.append("interpreter_unanswered")
    elif interpreter_used:
        if not language.strip():
            problems.append("interpreter_language_missing")
        if mode not in {"in_person", "phone"}:
            problems.append("interpreter_mode_missing")
    elif language.strip() or mode:
        problems.append("interpreter_details_without_interpreter")
    if held_at > now:
        problems.append("held_in_future")
    return problems


def entry_problems(*, area: str, source: str, text: str, areas: set[str]) -> list[str]:
    """KART-1: every entry has an area, says whose words it is, and has text. Health needs are
    a flag on the mapping: no health details in an entry."""
    problems = []
    if area == HEALTH_AREA:
        problems.append("health_details")
    elif area not in areas:
        problems.append("unknown_area")
    if source not in {"minor", "staff"}:
        problems.append("source_missing")
    if not text.strip():
        problems.append("text_missing")
    return problems


def withholding_problems(*, withhold: bool, reason: str) -> list[str]:
    """KART-5: reading is withheld only for a recorded special reason."""
    if withhold and not reason.strip():
        return ["reason_missing"]
    return []


def measure_problems(*, goal: str, actions: str, responsible: str, area: str, areas) -> list:
    """KART-7: a measure has a goal, what is done, who is responsible and the need it answers."""
    problems = []
    if area == HEALTH_AREA:
        problems.append("health_details")
    elif area not in areas:
        problems.append("unknown_area")
    for code, value in (
        ("goal_missing", goal),
        ("actions_missing", actions),
        ("responsible_missing", responsible),
    ):
        if not value.strip():
            problems.append(code)
    return problems


def move_decision_problems(*, decision: str, minor_view: str) -> list[str]:
    """KART-7: on a move the centre and the minor decide; the minor's view is recorded."""
    problems = []
    if decision not in {"continue", "end"}:
        problems.append("decision_missing")
    if not minor_view.strip():
        problems.append("minor_view_missing")
    return problems


# R-21 (SAV-12): after a stay ends as missing, two weeks to get the representative's consent
# to keep the mapping; without it the mapping is deleted, with it on the 18th birthday.
STORAGE_CONSENT_WEEKS = 2
