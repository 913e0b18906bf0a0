"""Leaving a centre, declared on the routine kernel (cases.routines):

- MOVE (MOT-3, R-11, R-14): the request, child welfare's views, the regional office's
  decision, the representative told, Sesam, the moving notices, the personal folder, the
  receiving centre's confirmation of the arrival;
- PRIVATE_MOVE (MOT-5, R-18): the wish, conditions a–e, the encouragement to stay, the concern
  report and its copies when the minor moves anyway;
- DEPARTURE (MOT-6): PU's or IOM's instructions, follow-up needs told, the arrangements,
  packing, the offer of the mapping and action plan, the departure by kind.

Registered from MottakConfig.ready() (register()).
"""

from django.utils.translation import gettext_lazy as _

from cases import roles
from cases.legal import ROUTINE, STATUTE, register_reference
from cases.routines import Checklist, Due, Notice, Routine, Step, Watch
from cases.routines import register as register_routine

from . import directory
from .models import Departure, Move, PrivateMove

WRITTEN = frozenset({"post", "by_hand", "encrypted_email"})
COPY_CHANNELS = frozenset({"post", "encrypted_email"})

# --- legal references (R-22) ------------------------------------------------------------------

_ROUTINES = "UDIs rutiner for asylmottak med enslige mindreårige"
ROUTINE_MOVE = "em_routines_1_2"
ROUTINE_PRIVATE_MOVE = "em_routines_1_4"
CHILD_WELFARE_DUTY = "bvl_13_2"


def register_references() -> None:
    register_reference(
        ROUTINE_MOVE, ROUTINE, f"{_ROUTINES}, punkt 1.2 (flytting til annet asylmottak)"
    )
    register_reference(
        ROUTINE_PRIVATE_MOVE, ROUTINE, f"{_ROUTINES}, punkt 1.4 (ønske om å flytte privat)"
    )
    register_reference(
        CHILD_WELFARE_DUTY,
        STATUTE,
        "barnevernsloven § 13-2 (opplysningsplikt til barneverntjenesten)",
    )


# --- MOT-3: moving to another centre ------------------------------------------------------------

MoveState = Move.State
MOVE_NAME = "flytting"
MOVE_CHECKLIST = "mot_3_move"

CHILD_WELFARE_VIEWS = "child_welfare_views"
REPRESENTATIVE = "representative"
APPROVE = "approve"
REFUSE = "refuse"
SESAM = "sesam"
NOTICE_COUNTY_GOVERNOR = "notice_county_governor"
NOTICE_SCHOOL = "notice_school"
NOTICE_HEALTH_OFFICE = "notice_health_office"
PERSONAL_FOLDER = "personal_folder"
COMPLETE = "complete"
WITHDRAW = "withdraw"
MOVING_NOTICE_PURPOSE = "moving_notice"
MOVING_NOTICE_TEMPLATE = "mottak_flyttemelding.html"
NOTICE_STEPS = (NOTICE_COUNTY_GOVERNOR, NOTICE_SCHOOL, NOTICE_HEALTH_OFFICE)
# What the centre being left must have done before the receiving centre confirms the arrival:
# after that it no longer sees the resident.
BEFORE_ARRIVAL_STEPS = (REPRESENTATIVE, SESAM, *NOTICE_STEPS, PERSONAL_FOLDER)


def _county_governor(move) -> dict:
    return directory.county_governor_of_centre(move.centre)


def _school(move) -> dict:
    return directory.recipient_in_municipality(
        directory.Kind.SCHOOL, move.centre.municipality, fallback_name=move.resident.school
    )


def _health_office(move) -> dict:
    return directory.health_office(move.centre.municipality)


def _may_decide(user, move) -> bool:
    """The regional office of the centre being left decides the move (MOT-3)."""
    from .access import member_region_ids

    if user.is_admin_role:
        return True
    return user.role == roles.REGION_CASEWORKER and move.centre.region_id in member_region_ids(user)


def _may_confirm_arrival(user, move) -> bool:
    """The receiving centre confirms the arrival."""
    from .access import member_centre_ids

    if user.is_admin_role:
        return True
    return move.target_centre_id is not None and move.target_centre_id in member_centre_ids(user)


def _may_withdraw(user, move) -> bool:
    from .access import member_centre_ids

    if _may_decide(user, move):
        return True
    return user.role == roles.CENTRE_LEADER and move.centre_id in member_centre_ids(user)


def _moving_notice(recipient, label: str) -> tuple[Notice, ...]:
    return (
        Notice(
            MOVING_NOTICE_PURPOSE,
            MOVING_NOTICE_TEMPLATE,
            recipient=recipient,
            recipient_label=label,
            channels=WRITTEN,
            legal_basis=(ROUTINE_MOVE,),
        ),
    )


PREPARING = frozenset({MoveState.APPROVED})
OPEN_MOVE = frozenset({MoveState.REQUESTED, MoveState.APPROVED})

MOVE = Routine(
    name=MOVE_NAME,
    label=_("Moving to another centre"),
    model="mottak.Move",
    states=tuple(MoveState.choices),
    transitions={
        MoveState.REQUESTED: frozenset(
            {MoveState.APPROVED, MoveState.REFUSED, MoveState.WITHDRAWN}
        ),
        MoveState.APPROVED: frozenset({MoveState.COMPLETED, MoveState.WITHDRAWN}),
        MoveState.REFUSED: frozenset(),
        MoveState.WITHDRAWN: frozenset(),
        MoveState.COMPLETED: frozenset(),
    },
    refusal=_("This cannot be done while the move is “%(state)s”."),
    lock_related=("resident", "centre", "centre__region", "target_centre"),
    checklists=(Checklist(MOVE_CHECKLIST, _("Moving to another centre")),),
    permissions={
        "decide": _may_decide,
        "confirm_arrival": _may_confirm_arrival,
        "withdraw": _may_withdraw,
    },
    detail_url="mottak:move_detail",
    watches=(
        Watch(
            "waiting_decision",
            _("Moves waiting for the regional office's decision"),
            {MoveState.REQUESTED},
            tone="warning",
            roles=(roles.REGION_CASEWORKER,),
            since="requested_at",
        ),
        Watch(
            "requested",
            _("Moves waiting for the regional office"),
            {MoveState.REQUESTED},
            roles=roles.CENTRE_ROLES,
            since="requested_at",
        ),
        Watch(
            "approved",
            _("Moves being prepared"),
            {MoveState.APPROVED},
            roles=roles.CENTRE_ROLES,
            since="decided_at",
        ),
    ),
    steps=(
        Step(
            CHILD_WELFARE_VIEWS,
            _("Child welfare's views on the move recorded"),
            ("MOT-3",),
            states=frozenset({MoveState.REQUESTED}),
            checklist=MOVE_CHECKLIST,
            required=False,
            help_text=_(
                "When child welfare has an ongoing case, the regional office decides only after "
                "its views are recorded, unless child welfare decides a placement."
            ),
        ),
        Step(
            REPRESENTATIVE,
            _("The representative told that a move is planned"),
            ("MOT-3", "R-11"),
            states=OPEN_MOVE,
            checklist=MOVE_CHECKLIST,
            # "snarest" is within one working day of the request.
            due=Due("requested_at", "working_days", 1, urgency="snarest"),
        ),
        Step(
            APPROVE,
            _("The regional office approves the move"),
            ("MOT-3",),
            states=frozenset({MoveState.REQUESTED}),
            to=MoveState.APPROVED,
        ),
        Step(
            REFUSE,
            _("The regional office refuses the move"),
            ("MOT-3",),
            states=frozenset({MoveState.REQUESTED}),
            to=MoveState.REFUSED,
        ),
        Step(
            SESAM,
            _("The move registered in Sesam"),
            ("MOT-3",),
            states=PREPARING,
            checklist=MOVE_CHECKLIST,
        ),
        Step(
            NOTICE_COUNTY_GOVERNOR,
            _("Moving notice to Statsforvalteren"),
            ("MOT-3",),
            states=PREPARING,
            checklist=MOVE_CHECKLIST,
            notices=_moving_notice(_county_governor, "Statsforvalteren of the centre's county"),
        ),
        Step(
            NOTICE_SCHOOL,
            _("Moving notice to the school"),
            ("MOT-3",),
            states=PREPARING,
            checklist=MOVE_CHECKLIST,
            notices=_moving_notice(_school, "the minor's school"),
        ),
        Step(
            NOTICE_HEALTH_OFFICE,
            _("Moving notice to the municipal health office"),
            ("MOT-3",),
            states=PREPARING,
            checklist=MOVE_CHECKLIST,
            notices=_moving_notice(
                _health_office, "the health office of the centre's municipality"
            ),
        ),
        Step(
            PERSONAL_FOLDER,
            _("The personal folder handed to the new centre"),
            ("MOT-3",),
            states=PREPARING,
            checklist=MOVE_CHECKLIST,
            help_text=_("With printouts of the individual mapping and the action plan."),
        ),
        Step(
            COMPLETE,
            _("The new centre confirms the arrival"),
            ("MOT-3", "MOT-1"),
            states=PREPARING,
            to=MoveState.COMPLETED,
        ),
        Step(
            WITHDRAW,
            _("The move is withdrawn"),
            ("MOT-3",),
            states=OPEN_MOVE,
            to=MoveState.WITHDRAWN,
        ),
    ),
)


# --- MOT-5: moving privately --------------------------------------------------------------------

PrivateState = PrivateMove.State
PRIVATE_NAME = "privat_flytting"
PRIVATE_CHECKLIST = "mot_5_private_move"
REGION_TOLD = "region_told"
ENCOURAGED = "encouraged"
MOVED_OUT = "moved_out"
STAYS = "stays"
CONCERN_REPORT = "concern_report"
COPY_REGION = "copy_region"
COPY_IMDI = "copy_imdi"
CONCERN_PURPOSE = "concern_report"
CONCERN_COPY_PURPOSE = "concern_report_copy"
CONCERN_TEMPLATE = "mottak_bekymringsmelding_privat.html"
CONCERN_COPY_TEMPLATE = "mottak_kopi_bekymringsmelding.html"
CONCERN_STEPS = (CONCERN_REPORT, COPY_REGION, COPY_IMDI)
IMDI_FALLBACK = "IMDi, regionkontoret"


def _destination_child_welfare(private_move) -> dict:
    """MOT-5: child welfare in the municipality the minor moves to, not the centre's."""
    return directory.child_welfare_service(private_move.municipality)


def _private_regional_office(private_move) -> dict:
    return directory.regional_office(private_move.centre.region)


def _imdi(private_move) -> dict:
    entry = directory.directory_entry(directory.Kind.IMDI)
    if entry is not None:
        return {"recipient": entry}
    return directory.named(directory.Kind.IMDI, IMDI_FALLBACK)


MOVED = frozenset({PrivateState.MOVED})

PRIVATE_MOVE = Routine(
    name=PRIVATE_NAME,
    label=_("Moving privately"),
    model="mottak.PrivateMove",
    states=tuple(PrivateState.choices),
    transitions={
        PrivateState.WISH: frozenset({PrivateState.MOVED, PrivateState.WITHDRAWN}),
        PrivateState.MOVED: frozenset(),
        PrivateState.WITHDRAWN: frozenset(),
    },
    refusal=_("This cannot be done while the private move is “%(state)s”."),
    lock_related=("resident", "centre", "centre__region"),
    checklists=(Checklist(PRIVATE_CHECKLIST, _("Moving privately")),),
    detail_url="mottak:private_move_detail",
    watches=(
        Watch(
            "wish",
            _("Wishes to move privately"),
            {PrivateState.WISH},
            roles=roles.CENTRE_ROLES,
            since="recorded_at",
        ),
    ),
    steps=(
        Step(
            REGION_TOLD,
            _("The regional office told of the wish, the address and the relation"),
            ("MOT-5",),
            states=frozenset({PrivateState.WISH}),
            checklist=PRIVATE_CHECKLIST,
        ),
        Step(
            ENCOURAGED,
            _("The minor encouraged to stay until the conditions are met"),
            ("MOT-5",),
            states=frozenset({PrivateState.WISH}),
            checklist=PRIVATE_CHECKLIST,
        ),
        Step(
            MOVED_OUT,
            _("Moved out"),
            ("MOT-5",),
            states=frozenset({PrivateState.WISH}),
            to=PrivateState.MOVED,
        ),
        Step(
            STAYS,
            _("Stays at the centre"),
            ("MOT-5",),
            states=frozenset({PrivateState.WISH}),
            to=PrivateState.WITHDRAWN,
        ),
        Step(
            CONCERN_REPORT,
            _("Concern report to child welfare where the minor moved"),
            ("MOT-5", "R-18", "R-11"),
            states=MOVED,
            checklist=PRIVATE_CHECKLIST,
            required=False,
            # "umiddelbart" is the same day, with urgent alerts.
            due=Due("moved_at", "same_day", 0, urgency="straks"),
            notices=(
                Notice(
                    CONCERN_PURPOSE,
                    CONCERN_TEMPLATE,
                    recipient=_destination_child_welfare,
                    recipient_label="child welfare in the municipality the minor moved to",
                    channels=WRITTEN,
                    legal_basis=(CHILD_WELFARE_DUTY, ROUTINE_PRIVATE_MOVE),
                ),
            ),
        ),
        Step(
            COPY_REGION,
            _("Copy of the concern report to the UDI regional office"),
            ("MOT-5",),
            states=MOVED,
            checklist=PRIVATE_CHECKLIST,
            required=False,
            due=Due("moved_at", "same_day", 0, urgency="straks"),
            notices=(
                Notice(
                    CONCERN_COPY_PURPOSE,
                    CONCERN_COPY_TEMPLATE,
                    recipient=_private_regional_office,
                    recipient_label="the UDI regional office",
                    channels=COPY_CHANNELS,
                    legal_basis=(ROUTINE_PRIVATE_MOVE,),
                ),
            ),
        ),
        Step(
            COPY_IMDI,
            _("Copy of the concern report to the IMDi regional office"),
            ("MOT-5",),
            states=MOVED,
            checklist=PRIVATE_CHECKLIST,
            required=False,
            due=Due("moved_at", "same_day", 0, urgency="straks"),
            notices=(
                Notice(
                    CONCERN_COPY_PURPOSE,
                    CONCERN_COPY_TEMPLATE,
                    recipient=_imdi,
                    recipient_label="the IMDi regional office",
                    channels=COPY_CHANNELS,
                    legal_basis=(ROUTINE_PRIVATE_MOVE,),
                ),
            ),
        ),
    ),
)


# --- MOT-6: departure ---------------------------------------------------------------------------

DepartureState = Departure.State
DEPARTURE_NAME = "avreise"
DEPARTURE_CHECKLIST = "mot_6_departure"
INSTRUCTIONS = "instructions"
FOLLOW_UP_TOLD = "follow_up_told"
ARRANGEMENTS = "arrangements"
READY = "ready"
MAPPING_OFFERED = "mapping_offered"
DEPART = "depart"
CANCEL = "cancel"
PLANNED = frozenset({DepartureState.PLANNED})

DEPARTURE = Routine(
    name=DEPARTURE_NAME,
    label=_("Departure"),
    model="mottak.Departure",
    states=tuple(DepartureState.choices),
    transitions={
        DepartureState.PLANNED: frozenset({DepartureState.DEPARTED, DepartureState.CANCELLED}),
        DepartureState.DEPARTED: frozenset(),
        DepartureState.CANCELLED: frozenset(),
    },
    refusal=_("This cannot be done while the departure is “%(state)s”."),
    lock_related=("resident", "centre", "centre__region"),
    checklists=(Checklist(DEPARTURE_CHECKLIST, _("Departure")),),
    detail_url="mottak:departure_detail",
    watches=(
        Watch(
            "planned",
            _("Departures being prepared"),
            {DepartureState.PLANNED},
            roles=roles.CENTRE_ROLES,
            since="created_at",
        ),
    ),
    steps=(
        Step(
            INSTRUCTIONS,
            _("PU's or IOM's instructions recorded"),
            ("MOT-6",),
            states=PLANNED,
            checklist=DEPARTURE_CHECKLIST,
        ),
        Step(
            FOLLOW_UP_TOLD,
            _("Special follow-up needs told to PU or IOM and the regional office"),
            ("MOT-6",),
            states=PLANNED,
            checklist=DEPARTURE_CHECKLIST,
            required=False,
        ),
        Step(
            ARRANGEMENTS,
            _("The departure arranged to be as easy as possible for the minor"),
            ("MOT-6",),
            states=PLANNED,
            checklist=DEPARTURE_CHECKLIST,
        ),
        Step(
            READY,
            _("Packed and ready at the agreed time"),
            ("MOT-6",),
            states=PLANNED,
            checklist=DEPARTURE_CHECKLIST,
        ),
        Step(
            MAPPING_OFFERED,
            _("The mapping and action plan offered to the minor"),
            ("MOT-6",),
            states=PLANNED,
            checklist=DEPARTURE_CHECKLIST,
        ),
        Step(
            DEPART,
            _("Departed"),
            ("MOT-6",),
            states=PLANNED,
            to=DepartureState.DEPARTED,
        ),
        Step(
            CANCEL,
            _("The departure is cancelled"),
            ("MOT-6",),
            states=PLANNED,
            to=DepartureState.CANCELLED,
        ),
    ),
)

REQUIRED_BEFORE_DEPARTURE = (INSTRUCTIONS, ARRANGEMENTS, READY, MAPPING_OFFERED)


def register() -> None:
    register_references()
    for routine in (MOVE, PRIVATE_MOVE, DEPARTURE):
        register_routine(routine)
