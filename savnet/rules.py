"""Pure rules of the missing-minors routine (SAV-1..SAV-11): no database access."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Protocol

from cases import periods

# SAV-2: "straks og senest innen 24 timer" — 24 elapsed hours, not a calendar day.
LIMIT_HOURS = 24
# SAV-6: an appointment this close is "nært forestående": the notice is marked high priority.
HIGH_PRIORITY_WITHIN = timedelta(days=3)
ADULT_AGE = 18

MUNICIPAL = "municipal"
PRIVATE = "private"
ARRIVAL_INTERVIEW = "arrival_interview"
AGE_ASSESSMENT = "age_assessment"
ASYLUM_INTERVIEW = "asylum_interview"
KOR = "kor"
BFE = "bfe"


# ---- SAV-1: who the routine covers -------------------------------------------------------


def age_on(date_of_birth: date, day: date) -> int:
    years = day.year - date_of_birth.year
    if (day.month, day.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def routine_applies(*, date_of_birth: date, registered_as_minor_in_duf: bool, on: date) -> bool:
    """SAV-1: the routine covers every resident registered in DUF as an unaccompanied minor.

    That is a minor by the date of birth here, and also an adult by that date whom DUF still
    registers as a minor (a presumed adult at an ordinary centre, or a date of birth corrected
    here before DUF is). Whether staff presume the resident to be an adult does not matter:
    the presumption never takes anyone out of the routine.
    """
    return registered_as_minor_in_duf or age_on(date_of_birth, on) < ADULT_AGE


# ---- SAV-2: the 24-hour limit ------------------------------------------------------------


def limit_at(reason_to_believe_at: datetime) -> datetime:
    """SAV-2: 24 elapsed hours after there was reason to believe the minor has left
    (cases.periods counts real hours across a daylight-saving change)."""
    return periods.elapsed_hours(reason_to_believe_at, LIMIT_HOURS)


def investigation_limit_at(noticed_at: datetime, hours: int) -> datetime:
    """R-1: the end of the investigation window that noticing an absence opens."""
    return periods.elapsed_hours(noticed_at, hours)


def clock_start(*, reason_to_believe_at: datetime, window_end: datetime) -> datetime:
    """R-1: the 24 hours run from the earlier of "reason to believe the minor has left" and the
    end of the investigation window — an investigation cannot postpone them."""
    return min(reason_to_believe_at, window_end)


def needs_late_reason(*, reason_to_believe_at: datetime, window_end: datetime) -> bool:
    """R-1: a "reason to believe" later than the window's end needs a leader's written reason
    (the 24 hours still run from the window's end)."""
    return reason_to_believe_at > window_end


def hours_between(start: datetime, end: datetime) -> float:
    """Real hours from start to end (negative when end is earlier)."""
    return (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() / 3600


def hours_left(*, limit: datetime, now: datetime) -> float:
    """Hours until the limit; negative once it has passed."""
    return hours_between(now, limit)


def limit_passed(*, limit: datetime, now: datetime) -> bool:
    """The limit is passed only after the 24th hour has run out: at exactly 24 h it is still met."""
    return now.astimezone(UTC) > limit.astimezone(UTC)


# ---- SAV-3 / SAV-4 / SAV-7: recipients and legal bases ------------------------------------

# Texts printed on the Norwegian forms.
POLICE_BASIS_MUNICIPAL = "forvaltningsloven § 13 b første ledd nr. 5"
POLICE_BASIS_PRIVATE = "drifts- og databehandleravtalen mellom asylmottaket og UDI"


def disclosure_basis(operator: str) -> str:
    """SAV-3, SAV-7: the legal basis for giving personal data to the police or UDI.

    Municipal centres disclose under the Public Administration Act § 13 b no. 5; private
    centres under their operating and data-processing agreements with UDI.
    """
    if operator == MUNICIPAL:
        return POLICE_BASIS_MUNICIPAL
    if operator == PRIVATE:
        return POLICE_BASIS_PRIVATE
    raise ValueError(f"unknown centre operator: {operator!r}")


def child_welfare_municipality(
    *, centre_municipality: str, known_address: str, known_address_municipality: str
) -> str:
    """SAV-4: the local service, unless the minor is known to be at an address elsewhere."""
    if known_address.strip() and known_address_municipality.strip():
        return known_address_municipality.strip()
    return centre_municipality


# ---- how the first reports are made ---------------------------------------------------

IN_PERSON = "by_hand"
PHONE = "phone"
POST = "post"
# the police are told in person, or by phone under a recorded agreement with the
# district; the written report then follows by post. Never by post (or e-mail) first.
POLICE_FIRST_CHANNELS = (IN_PERSON, PHONE)
# child welfare is phoned (the duty service), the written report follows by post or
# by hand; "straks" is met by the call, never by the letter.
CHILD_WELFARE_WRITTEN_CHANNELS = (POST, IN_PERSON)


def police_channel_problems(
    *, channel: str, has_agreement: bool, phoned_at: datetime | None
) -> list[str]:
    """R-12: what forbids this first report to the police; empty when it may be made."""
    if channel not in POLICE_FIRST_CHANNELS:
        return ["police_not_first_by_post"]
    if channel == PHONE and not has_agreement:
        return ["police_phone_without_agreement"]
    if channel == PHONE and phoned_at is None:
        return ["police_phone_without_time"]
    return []


def police_written_channel(channel: str) -> str:
    """R-12: the written report after a call goes by post; given in person it is handed over."""
    return POST if channel == PHONE else IN_PERSON


def child_welfare_channel_problems(*, channel: str, phoned_at: datetime | None) -> list[str]:
    """R-12: the duty service is phoned first; the written report follows by post or by hand."""
    problems = []
    if phoned_at is None:
        problems.append("child_welfare_not_phoned")
    if channel not in CHILD_WELFARE_WRITTEN_CHANNELS:
        problems.append("child_welfare_channel")
    return problems


def contact_problems(*, contact_phone: str) -> list[str]:
    """R-22: an urgent form names a number at which the centre answers day and night."""
    return [] if contact_phone.strip() else ["no_duty_phone"]


# ---- SAV-6: appointments with UDI's asylum department -------------------------------------

UNIT_FOR_APPOINTMENT = {
    ARRIVAL_INTERVIEW: KOR,
    AGE_ASSESSMENT: BFE,
    ASYLUM_INTERVIEW: BFE,
}


def asa_unit_for(kind: str) -> str:
    """SAV-6: KOR for an arrival interview; BFE for an age assessment or asylum interview."""
    try:
        return UNIT_FOR_APPOINTMENT[kind]
    except KeyError:
        raise ValueError(f"unknown appointment kind: {kind!r}") from None


def is_high_priority(*, starts_at: datetime, now: datetime) -> bool:
    """SAV-6: "nært forestående" read as within 3 days = 72 elapsed hours, inclusive.

    At exactly 72 hours the notice is high priority; at 72 hours and one minute it is not.
    Reading the boundary inclusively errs towards the faster handling that protects the
    child: a notice marked urgent that could have waited costs little, a missed
    cancellation costs an interview slot and delays the case.
    """
    return timedelta(0) <= starts_at.astimezone(UTC) - now.astimezone(UTC) <= HIGH_PRIORITY_WITHIN


class AppointmentLike(Protocol):
    kind: str
    starts_at: datetime
    held: bool
    cancelled_at: datetime | None


@dataclass(frozen=True)
class CancellationPlan:
    appointment: AppointmentLike
    unit: str
    high_priority: bool


def appointments_to_cancel(
    appointments: Iterable[AppointmentLike], *, now: datetime
) -> list[CancellationPlan]:
    """SAV-6: every future appointment not yet held nor cancelled, with its unit and priority."""
    plans = []
    for appointment in appointments:
        if appointment.held or appointment.cancelled_at is not None:
            continue
        if appointment.starts_at <= now:
            continue
        plans.append(
            CancellationPlan(
                appointment=appointment,
                unit=asa_unit_for(appointment.kind),
                high_priority=is_high_priority(starts_at=appointment.starts_at, now=now),
            )
        )
    return sorted(plans, key=lambda p: p.appointment.starts_at)


# ---- SAV-8: who is told when the minor is found -------------------------------------------


def instances_to_tell(notified: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """SAV-8: every instance told of the disappearance, once each, in the order first told.

    `notified` are (recipient kind, recipient id or name) pairs taken from what was sent;
    names are compared without case and surrounding spaces so one office is told once.
    """
    seen: set[tuple[str, str]] = set()
    result = []
    for kind, ident in notified:
        key = (kind, str(ident).strip().casefold())
        if not str(ident).strip() or key in seen:
            continue
        seen.add(key)
        result.append((kind, str(ident).strip()))
    return result


# ---- SAV-9: taking a returning minor in -----------------------------------------------------


def centre_is_full(*, capacity: int, occupied: int) -> bool:
    return occupied >= capacity


def return_warnings(*, capacity: int, occupied: int) -> list[str]:
    """SAV-9: a full centre takes the minor in anyway — a warning, never a refusal."""
    return ["centre_full"] if centre_is_full(capacity=capacity, occupied=occupied) else []


# ---- SAV-10 / SAV-11: what the follow-up conversation sets off ------------------------------


@dataclass(frozen=True)
class FollowUpOutcome:
    general_procedure: bool  # SAV-10: trafficking or domestic violence → general requirements 6.2
    concern_reports: bool  # SAV-10/11: child welfare and the regional office
    asylum_info_to_region: bool  # SAV-10: only with consent, checked by the service


def follow_up_outcome(
    *,
    trafficking_suspected: bool,
    domestic_violence_suspected: bool,
    serious_neglect_suspected: bool,
    asylum_relevant_info: str,
) -> FollowUpOutcome:
    return FollowUpOutcome(
        general_procedure=trafficking_suspected or domestic_violence_suspected,
        concern_reports=serious_neglect_suspected,
        asylum_info_to_region=bool(asylum_relevant_info.strip()),
    )


def duty_to_report_raised(*, suspected_in_conversation: bool, observed_at_return: bool) -> bool:
    """R-16 (SAV-11): the new concern report is due when there is reason to believe ("grunn til
    å tro") the minor is or has been exposed to serious neglect or other circumstances that
    trigger the duty to report — from the follow-up conversation or from what staff observed at
    the return, whichever comes first."""
    return suspected_in_conversation or observed_at_return


def concern_observation_problems(
    *, observed_at: datetime, found_at: datetime | None, grounds: str, now: datetime
) -> list[str]:
    problems = []
    if not grounds.strip():
        problems.append("concern_without_grounds")
    if observed_at > now:
        problems.append("step_in_future")
    if found_at is not None and observed_at < found_at:
        problems.append("concern_before_found")
    return problems


# ---- Bad input ------------------------------------------------------------------------------


def report_problems(
    *,
    noticed_at: datetime,
    last_seen_at: datetime | None,
    reason_to_believe_at: datetime | None,
    known_address: str,
    known_address_municipality: str,
    now: datetime,
) -> list[str]:
    """Message ids for what is wrong with the times and address of a report; empty when fine."""
    problems = []
    if noticed_at > now:
        problems.append("noticed_in_future")
    if last_seen_at is not None and last_seen_at > now:
        problems.append("last_seen_in_future")
    if reason_to_believe_at is not None and reason_to_believe_at > now:
        problems.append("reason_in_future")
    if last_seen_at is not None and last_seen_at > noticed_at:
        problems.append("last_seen_after_noticed")
    if reason_to_believe_at is not None and reason_to_believe_at < noticed_at:
        problems.append("reason_before_noticed")
    if known_address.strip() and not known_address_municipality.strip():
        problems.append("address_without_municipality")
    return problems


def found_problems(
    *,
    found_at: datetime,
    noticed_at: datetime,
    last_seen_at: datetime | None,
    reason_to_believe_at: datetime | None,
    now: datetime,
) -> list[str]:
    """A minor cannot be found in the future, nor before they were missed."""
    problems = []
    if found_at > now:
        problems.append("found_in_future")
    if last_seen_at is not None and found_at < last_seen_at:
        problems.append("found_before_last_seen")
    elif found_at < noticed_at:
        problems.append("found_before_noticed")
    elif reason_to_believe_at is not None and found_at < reason_to_believe_at:
        problems.append("found_before_reason")
    return problems


def step_time_problems(*, at: datetime, noticed_at: datetime, now: datetime) -> list[str]:
    """A call, Sesam registration or conversation happens after the absence was noticed."""
    problems = []
    if at > now:
        problems.append("step_in_future")
    if at < noticed_at:
        problems.append("step_before_noticed")
    return problems


def follow_up_problems(
    *,
    held_at: datetime,
    found_at: datetime | None,
    now: datetime,
    interpreter_used: bool,
    interpreter_language: str,
    serious_neglect_suspected: bool,
    neglect_grounds: str,
) -> list[str]:
    problems = []
    if held_at > now:
        problems.append("step_in_future")
    if found_at is not None and held_at < found_at:
        problems.append("conversation_before_found")
    if interpreter_used and not interpreter_language.strip():
        problems.append("interpreter_without_language")
    if serious_neglect_suspected and not neglect_grounds.strip():
        problems.append("neglect_without_grounds")
    return problems
