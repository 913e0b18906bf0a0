"""The missing-minors routine (SAV-1..SAV-11) declared on the routine kernel.

Every step of the first checklist has its own deadline, counted in elapsed hours from the
moment there was reason to believe the minor had left, and never later than the 24-hour
limit of SAV-2. Doing the work meets the step (sending the police report meets `police`).
"""

from django.utils.translation import gettext_lazy as _

from cases.routines import Checklist, Due, Notice, Routine, Step, Watch, register
from cases.urgency import ON_DUTY_AND_REGION
from mottak import directory

from . import references as refs
from . import rules
from .models import MissingReport

State = MissingReport.State

NAME = "savnet"
MISSING_CHECKLIST = "savnet_missing"
RETURN_CHECKLIST = "savnet_return"

POLICE = "police"
CHILD_WELFARE = "child_welfare"
REPRESENTATIVE = "representative"
LAWYER = "lawyer"
APPOINTMENTS = "appointments"
SESAM = "sesam"
REGIONAL_COPIES = "regional_copies"

FOUND_NOTICES = "found_notices"
PLACEMENT = "placement"
END_STAY = "end_stay"
WHEREABOUTS_KNOWN = "whereabouts_known"
FOLLOW_UP_CONVERSATION = "follow_up_conversation"
GENERAL_PROCEDURE = "general_procedure"
NEGLECT_REPORTS = "neglect_reports"
ASYLUM_INFO = "asylum_info"

# Steps that move the case and are not on a checklist.
FOUND = "found"
INVESTIGATION_END = "investigation_end"
# the investigation window; when it ends unexplained the report opens by itself.
INVESTIGATION_WINDOW = "investigation_window"
INVESTIGATION_DUE_DEADLINE = "savnet_investigation_due"
CLOSE = "close"

WRITTEN = frozenset({"post", "by_hand", "encrypted_email"})
# the written reports to the police and child welfare go on paper; the first report
# is given in person or by phone (services.notices), never by the letter alone.
PAPER = frozenset({"post", "by_hand"})
POST_OR_ENCRYPTED = frozenset({"post", "encrypted_email"})
# SAV-10/11: "at once" read as within the same 24 hours as the first reports.
FOLLOW_UP_FLAG_HOURS = 24
# the follow-up conversation within 72 hours of the return.
FOLLOW_UP_HOURS = 72


def _within_limit(urgency: str = "ordinary") -> Due:
    return Due("reason_to_believe_at", "hours", rules.LIMIT_HOURS, urgency=urgency)


# the police, child-welfare and representative steps are "straks": they alert the
# centre's on-duty staff and leader the moment the report opens.
def _at_once() -> Due:
    return _within_limit("straks")


# The regional office must know at once that a minor of its region is missing (it receives
# the copies, SAV-7, and decides on the place, R-20): the police step's opening tells it too,
# once per report, besides the escalation at the 24-hour limit.
def _at_once_and_region() -> Due:
    return Due(
        "reason_to_believe_at",
        "hours",
        rules.LIMIT_HOURS,
        urgency="straks",
        alert_at_opening_to=ON_DUTY_AND_REGION,
    )


def _flag_due() -> Due:
    return Due("follow-up conversation recorded", "hours", FOLLOW_UP_FLAG_HOURS)


def _citing(*routine_points: str):
    """The disclosure basis of the report's centre (the Public Administration Act § 13 b no. 5
    for a municipal centre, the operating agreement for a private one) and the routine's
    points (R-22)."""

    def citation(report) -> tuple[str, ...]:
        return (refs.disclosure(report.centre.operator), *routine_points)

    citation.__doc__ = "disclosure basis by the centre's operator + " + ", ".join(routine_points)
    return citation


def _police(report) -> dict:
    """R-2: the police district of the municipality given with the report (a leave address),
    else the centre's."""
    return directory.police_district(report.police_municipality or report.centre.municipality)


def child_welfare_municipality_of(report) -> str:
    return rules.child_welfare_municipality(
        centre_municipality=report.centre.municipality,
        known_address=report.known_address,
        known_address_municipality=report.known_address_municipality,
    )


def _child_welfare(report) -> dict:
    return directory.child_welfare_service(child_welfare_municipality_of(report))


def _whereabouts_child_welfare(report) -> dict:
    """R-17: the child-welfare service of the municipality where the minor is."""
    return directory.child_welfare_service(report.whereabouts_municipality)


def _local_child_welfare(report) -> dict:
    return directory.child_welfare_service(report.centre.municipality)


def _regional_office(report) -> dict:
    return directory.regional_office(report.centre.region)


OPEN = frozenset({State.OPEN})
AFTER_RETURN = frozenset({State.FOUND, State.CLOSED})

# What the start pages list and the resident's status shows: missing now first.
WATCHES = (
    Watch(
        "missing",
        _("Missing now"),
        {State.OPEN},
        tone="danger",
        status="missing",
        since="opened_at",
    ),
    Watch(
        "absent",
        _("Absent, being looked into"),
        {State.INVESTIGATING},
        tone="warning",
        status="absent",
        since="noticed_at",
    ),
    Watch(
        "found", _("Back after being missing: follow-up to finish"), {State.FOUND}, since="found_at"
    ),
)

MISSING = register(
    Routine(
        name=NAME,
        label=_("Missing minors"),
        model="savnet.MissingReport",
        states=tuple(State.choices),
        transitions={
            # a minor back while the absence was still looked into is "found" too: the
            # follow-up conversation is due all the same.
            State.INVESTIGATING: frozenset({State.OPEN, State.CLOSED, State.FOUND}),
            State.OPEN: frozenset({State.FOUND}),
            State.FOUND: frozenset({State.CLOSED}),
            State.CLOSED: frozenset(),
        },
        refusal=_("This cannot be done while the report is “%(state)s”."),
        detail_url="savnet:detail",
        watches=WATCHES,
        lock_related=("resident", "centre", "centre__region"),
        checklists=(
            Checklist(MISSING_CHECKLIST, _("Missing minor: within 24 hours")),
            Checklist(RETURN_CHECKLIST, _("Missing minor: after the return")),
        ),
        steps=(
            Step(
                POLICE,
                _("Missing-person report to the police"),
                ("SAV-3",),
                states=OPEN,
                checklist=MISSING_CHECKLIST,
                due=_at_once_and_region(),
                notices=(
                    Notice(
                        "missing_report",
                        "savnet_police_report.html",
                        recipient=_police,
                        recipient_label="police district of the centre's municipality",
                        channels=PAPER,
                        legal_basis=_citing(refs.ROUTINE_REPORTING),
                    ),
                ),
            ),
            Step(
                CHILD_WELFARE,
                _("Concern report to child welfare"),
                ("SAV-4",),
                states=OPEN,
                checklist=MISSING_CHECKLIST,
                due=_at_once(),
                notices=(
                    Notice(
                        "concern_report",
                        "savnet_child_welfare_report.html",
                        recipient=_child_welfare,
                        recipient_label="child welfare of a known address, else the centre's",
                        channels=PAPER,
                        legal_basis=(refs.CHILD_WELFARE_DUTY, refs.ROUTINE_REPORTING),
                    ),
                ),
            ),
            Step(
                REPRESENTATIVE,
                _("Representative told by phone"),
                ("SAV-5",),
                states=OPEN,
                checklist=MISSING_CHECKLIST,
                due=_at_once(),
                notices=(
                    Notice(
                        "missing_notice",
                        "savnet_phone_note.html",
                        recipient=None,
                        recipient_label="the representative reached by phone",
                        channels=frozenset({"phone"}),
                        legal_basis=(refs.ROUTINE_REPORTING,),
                    ),
                ),
            ),
            Step(
                LAWYER,
                _("Lawyer told by phone"),
                ("SAV-5",),
                states=OPEN,
                checklist=MISSING_CHECKLIST,
                due=_within_limit(),
                notices=(
                    Notice(
                        "missing_notice",
                        "savnet_phone_note.html",
                        recipient=None,
                        recipient_label="the lawyer reached by phone",
                        channels=frozenset({"phone"}),
                        legal_basis=(refs.ROUTINE_REPORTING,),
                    ),
                ),
            ),
            # Done by itself at the start when there is no appointment to cancel.
            Step(
                APPOINTMENTS,
                _("Appointments with UDI cancelled (KOR/BFE)"),
                ("SAV-6",),
                states=OPEN,
                checklist=MISSING_CHECKLIST,
                due=_within_limit(),
                notices=(
                    Notice(
                        "appointment_cancellation",
                        "savnet_appointment_cancellation.html",
                        recipient=None,
                        recipient_label="KOR or BFE of UDI's asylum department",
                        channels=frozenset({"phone", "encrypted_email", "post"}),
                        legal_basis=_citing(refs.ROUTINE_APPOINTMENTS),
                    ),
                ),
            ),
            Step(
                SESAM,
                _("Registered in Sesam"),
                ("SAV-7",),
                states=frozenset({State.OPEN, State.FOUND}),
                checklist=MISSING_CHECKLIST,
                due=_within_limit(),
            ),
            Step(
                REGIONAL_COPIES,
                _("Copies of the reports sent to the regional office"),
                ("SAV-7",),
                states=OPEN,
                checklist=MISSING_CHECKLIST,
                due=_within_limit(),
                notices=(
                    Notice(
                        "missing_report_copy",
                        "savnet_regional_cover_letter.html",
                        recipient=_regional_office,
                        recipient_label="the UDI regional office",
                        channels=POST_OR_ENCRYPTED,
                        legal_basis=_citing(refs.ROUTINE_REGIONAL_OFFICE),
                    ),
                ),
            ),
            Step(
                FOUND_NOTICES,
                _("Every instance notified told in writing"),
                ("SAV-8",),
                states=frozenset({State.FOUND}),
                checklist=RETURN_CHECKLIST,
                notices=(
                    Notice(
                        "found_notice",
                        "savnet_found_notice.html",
                        recipient=None,
                        recipient_label="every instance told of the disappearance",
                        channels=WRITTEN,
                        legal_basis=(refs.ROUTINE_RETURN,),
                    ),
                ),
            ),
            # R-17 (SAV-8): whereabouts known, not back — its own event; the case stays open.
            Step(
                WHEREABOUTS_KNOWN,
                _("Whereabouts known: everyone notified told in writing"),
                ("SAV-8", "R-17"),
                states=OPEN,
                due=Due("whereabouts_known_at", "hours", 24, urgency="straks"),
                notices=(
                    Notice(
                        "whereabouts_notice",
                        "savnet_whereabouts_notice.html",
                        recipient=None,
                        recipient_label="every instance told of the disappearance",
                        channels=WRITTEN,
                        legal_basis=(refs.ROUTINE_RETURN,),
                    ),
                    Notice(
                        "concern_report",
                        "savnet_child_welfare_report.html",
                        recipient=_whereabouts_child_welfare,
                        recipient_label="child welfare where the minor is",
                        channels=WRITTEN,
                        legal_basis=(refs.CHILD_WELFARE_DUTY, refs.ROUTINE_REPORTING),
                    ),
                ),
            ),
            # SAV-9: taken in until the placement is clarified with the regional office, read
            # as "snarest" (one working day, R-11) because the minor is housed on a warning.
            Step(
                PLACEMENT,
                _("Placement clarified with the regional office"),
                ("SAV-9", "R-20"),
                states=frozenset({State.FOUND}),
                checklist=RETURN_CHECKLIST,
                due=Due("found_at", "working_days", 1, urgency="snarest"),
            ),
            Step(
                FOLLOW_UP_CONVERSATION,
                _("Follow-up conversation held"),
                ("SAV-10", "R-10"),
                states=frozenset({State.FOUND}),
                checklist=RETURN_CHECKLIST,
                # within 72 hours of the return.
                due=Due("found_at", "hours", FOLLOW_UP_HOURS),
            ),
            Step(
                GENERAL_PROCEDURE,
                _(
                    "Trafficking / domestic violence: procedure of the general requirements, point 6.2"
                ),
                ("SAV-10",),
                states=AFTER_RETURN,
                checklist=RETURN_CHECKLIST,
                required=False,
                due=_flag_due(),
            ),
            Step(
                NEGLECT_REPORTS,
                _("Concern reports to child welfare and the regional office"),
                ("SAV-11",),
                states=AFTER_RETURN,
                checklist=RETURN_CHECKLIST,
                required=False,
                due=_flag_due(),
                notices=(
                    Notice(
                        "concern_report",
                        "savnet_neglect_concern_report.html",
                        recipient=_local_child_welfare,
                        recipient_label="the centre's local child-welfare service",
                        channels=WRITTEN,
                        legal_basis=(refs.CHILD_WELFARE_DUTY, refs.ROUTINE_RETURN),
                    ),
                    Notice(
                        "concern_report_copy",
                        "savnet_neglect_concern_report.html",
                        recipient=_regional_office,
                        recipient_label="the UDI regional office",
                        channels=POST_OR_ENCRYPTED,
                        legal_basis=_citing(refs.ROUTINE_RETURN),
                    ),
                ),
            ),
            Step(
                ASYLUM_INFO,
                _("Information for the asylum case sent to the regional office (with consent)"),
                ("SAV-10",),
                states=AFTER_RETURN,
                checklist=RETURN_CHECKLIST,
                required=False,
                notices=(
                    Notice(
                        "asylum_information",
                        "savnet_asylum_info.html",
                        recipient=_regional_office,
                        recipient_label="the UDI regional office",
                        channels=POST_OR_ENCRYPTED,
                        legal_basis=_citing(refs.ROUTINE_RETURN),
                        consent="asylum_information",
                    ),
                ),
            ),
            # Recording the return moves an open report to "found" and an absence still being
            # looked into straight to "closed" (services.returns.missing_report_found).
            Step(
                FOUND,
                _("Found or returned"),
                ("SAV-8", "SAV-9"),
                states=frozenset({State.INVESTIGATING, State.OPEN}),
            ),
            # explained or reported missing by the window's end; if neither, the sweep
            # reports the minor missing with the window's end as the start of the 24 hours.
            Step(
                INVESTIGATION_WINDOW,
                _("Absence looked into: explained or reported missing"),
                ("SAV-2",),
                states=frozenset({State.INVESTIGATING}),
                due=Due("investigation_limit_at", "at", 0),
                deadline_kind=INVESTIGATION_DUE_DEADLINE,
            ),
            # the regional office may end the stay of a minor who is missing.
            Step(
                END_STAY,
                _("Stay ended as missing (regional office)"),
                ("R-20",),
                states=OPEN,
                required=False,
            ),
            Step(
                INVESTIGATION_END,
                _("Absence explained; no missing report"),
                ("SAV-2",),
                states=frozenset({State.INVESTIGATING}),
                to=State.CLOSED,
            ),
            Step(
                CLOSE,
                _("Missing report closed"),
                ("SAV-10",),
                states=frozenset({State.FOUND}),
                to=State.CLOSED,
            ),
        ),
    )
)

MISSING_STEPS = MISSING.steps_of(MISSING_CHECKLIST)
RETURN_STEPS = MISSING.steps_of(RETURN_CHECKLIST)
# Steps a leader may waive (the minor came back first, no lawyer yet …).
WAIVABLE_STATES = frozenset({State.OPEN, State.FOUND, State.CLOSED})
