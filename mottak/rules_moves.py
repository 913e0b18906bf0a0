"""Pure rules of leaving a centre: moving (MOT-3), moving privately (MOT-5, R-18) and
departure (MOT-6). No database, no I/O: the services turn each problem code into a message."""

from datetime import date, datetime

MET = "met"

# Problem codes.
SAME_CENTRE = "same_centre"
OUTSIDE_REGION = "outside_region"
DATE_IN_PAST = "date_in_past"
NO_TARGET = "no_target"
NO_DATE = "no_date"
NO_REASONS = "no_reasons"
NO_SPECIAL_NEEDS_NOTE = "no_special_needs_note"
CHILD_WELFARE_VIEWS_MISSING = "child_welfare_views_missing"
NO_REFUSAL_REASON = "no_refusal_reason"
NO_ADDRESS = "no_address"
NO_MUNICIPALITY = "no_municipality"
NO_RELATION = "no_relation"
IN_FUTURE = "in_future"
BEFORE_START = "before_start"


def move_request_problems(
    *,
    reasons: str,
    has_special_needs: bool,
    special_needs_note: str,
    from_centre_id: int,
    proposed_centre_id: int | None,
    proposed_region_id: int | None,
    region_id: int,
) -> list[str]:
    """MOT-3 b, R-14: the request says what matters for choosing a centre, with a note of the
    special needs when the minor has any; a proposed centre is another centre in the region."""
    problems = []
    if not reasons.strip():
        problems.append(NO_REASONS)
    if has_special_needs and not special_needs_note.strip():
        problems.append(NO_SPECIAL_NEEDS_NOTE)
    if proposed_centre_id is not None:
        problems += _target_problems(
            from_centre_id=from_centre_id,
            target_centre_id=proposed_centre_id,
            target_region_id=proposed_region_id,
            region_id=region_id,
        )
    return problems


def _target_problems(
    *, from_centre_id: int, target_centre_id: int, target_region_id: int | None, region_id: int
) -> list[str]:
    if target_centre_id == from_centre_id:
        return [SAME_CENTRE]
    if target_region_id != region_id:
        return [OUTSIDE_REGION]
    return []


def move_approval_problems(
    *,
    waits_for_child_welfare: bool,
    from_centre_id: int,
    target_centre_id: int | None,
    target_region_id: int | None,
    region_id: int,
    move_date: date | None,
    today: date,
) -> list[str]:
    """MOT-3 a: no decision before child welfare's views are recorded (unless child welfare
    decides a placement); the new centre is another centre within the region's reach; the
    moving date is not in the past."""
    problems = []
    if waits_for_child_welfare:
        problems.append(CHILD_WELFARE_VIEWS_MISSING)
    if target_centre_id is None:
        problems.append(NO_TARGET)
    else:
        problems += _target_problems(
            from_centre_id=from_centre_id,
            target_centre_id=target_centre_id,
            target_region_id=target_region_id,
            region_id=region_id,
        )
    if move_date is None:
        problems.append(NO_DATE)
    elif move_date < today:
        problems.append(DATE_IN_PAST)
    return problems


def move_refusal_problems(*, waits_for_child_welfare: bool, reason: str) -> list[str]:
    problems = []
    if waits_for_child_welfare:
        problems.append(CHILD_WELFARE_VIEWS_MISSING)
    if not reason.strip():
        problems.append(NO_REFUSAL_REASON)
    return problems


def time_problems(*, at: datetime, now: datetime, not_before: datetime | None = None) -> list[str]:
    """A recorded moment is not in the future (nor before the case began)."""
    if at > now:
        return [IN_FUTURE]
    if not_before is not None and at < not_before:
        return [BEFORE_START]
    return []


# --- MOT-5 ---------------------------------------------------------------------------------


def private_move_problems(*, address: str, municipality: str, relation: str) -> list[str]:
    """MOT-5: the regional office is told the address and the relation to the people there."""
    problems = []
    if not address.strip():
        problems.append(NO_ADDRESS)
    if not municipality.strip():
        problems.append(NO_MUNICIPALITY)
    if not relation.strip():
        problems.append(NO_RELATION)
    return problems


def concern_report_required(statuses) -> bool:
    """R-18: moving with *any one* of conditions a–e not met triggers the concern report to
    child welfare in the destination municipality. A condition not yet clarified is not met."""
    return any(status != MET for status in statuses)


# --- MOT-6 ---------------------------------------------------------------------------------

ASSISTED_RETURN = "assisted_return"


def departure_counterpart(kind: str) -> str:
    """Whose instructions the centre follows (MOT-6 a): IOM runs an assisted return; PU carries
    out forced returns and Dublin transfers (and is the counterpart of other departures)."""
    return "iom" if kind == ASSISTED_RETURN else "pu"
