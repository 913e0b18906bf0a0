"""Pure rules of the return routine (RET-1..RET-6, IM 2012-021): no database access."""

from dataclasses import dataclass
from datetime import date

AFTER_UDI = "after_udi"
AFTER_UNE = "after_une"


@dataclass(frozen=True)
class Topic:
    code: str
    text_nb: str  # printed in the minutes
    rule_id: str


# RET-1: every return conversation covers these.
RET_1_TOPICS = (
    Topic(
        "rejection",
        "Avslaget og hva det betyr: plikt til å forlate Norge, ulovlig opphold",
        "RET-1",
    ),
    Topic(
        "deadline",
        "Utreisefristen, utvisning og registrering i Schengen informasjonssystem (SIS)",
        "RET-1",
    ),
    Topic("programmes", "Returprogrammer og reintegreringsprosjekter", "RET-1"),
    Topic("forced", "Tvangsretur", "RET-1"),
    Topic(
        "assisted_vs_forced",
        "Forskjellen på assistert og tvangsretur (eventuelt eskortert retur), med invitasjon til å snakke om valgene",
        "RET-1",
    ),
)
# RET-2: after UDI's rejection, also these.
RET_2_TOPICS = (
    Topic(
        "further_process",
        "Den videre asylprosessen og hvor stor andel av sakene UNE omgjør",
        "RET-2",
    ),
    Topic("assisted_instead_of_appeal", "Assistert retur som alternativ til å klage", "RET-2"),
)
# RET-3: after UNE's rejection, also these.
RET_3_TOPICS = (
    Topic("final", "At saken er endelig avgjort", "RET-3"),
    Topic("consequences", "Hva det innebærer at saken er endelig", "RET-3"),
)


def mandatory_topics(kind: str) -> tuple[Topic, ...]:
    """RET-1 always; RET-2 after UDI's rejection; RET-3 after UNE's."""
    if kind == AFTER_UDI:
        return RET_1_TOPICS + RET_2_TOPICS
    if kind == AFTER_UNE:
        return RET_1_TOPICS + RET_3_TOPICS
    raise ValueError(f"unknown conversation kind {kind!r}")


def missing_topics(kind: str, covered) -> list[Topic]:
    """The mandatory topics not covered: a conversation with any cannot be recorded as held."""
    covered = set(covered)
    return [topic for topic in mandatory_topics(kind) if topic.code not in covered]


def unknown_topics(kind: str, covered) -> list[str]:
    known = {topic.code for topic in mandatory_topics(kind)}
    return sorted(set(covered) - known)


def departure_problems(*, care_premise: str, verified: bool) -> list[str]:
    """IM §2: a return whose decision rests on a care premise ("return to the parents in X")
    is refused while the premise is not verified. A case without a recorded premise is refused
    too: the protective reading is that every minor's care on return must be clarified."""
    if not care_premise.strip():
        return ["no_care_premise"]
    if not verified:
        return ["care_premise_unverified"]
    return []


# ---- RET-6: quarterly meetings of ASA, RMA and AUA ---------------------------------------------

MEETING_PARTIES = ("asa", "rma", "aua")


def quarter_start(day: date) -> date:
    """The first day of the quarter the day falls in."""
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def next_quarter_start(day: date) -> date:
    """The first day of the quarter after the one the day falls in."""
    start = quarter_start(day)
    return date(start.year + 1, 1, 1) if start.month == 10 else date(start.year, start.month + 3, 1)


def meeting_minutes_problems(
    *, held_on: date, today: date, participants, topics: str, clarifications: str
) -> list[str]:
    """RET-6: the minutes name the date (not in the future), who took part (the parties RMA
    calls, RMA among them as the one who calls), the topics and what was clarified."""
    problems = []
    if held_on > today:
        problems.append("future")
    chosen = set(participants)
    if not chosen or not chosen <= set(MEETING_PARTIES) or "rma" not in chosen:
        problems.append("participants")
    if not topics.strip():
        problems.append("topics")
    if not clarifications.strip():
        problems.append("clarifications")
    return problems
