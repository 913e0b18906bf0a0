"""Turning 18 (MOT-4) declared on the routine kernel.

R-9: the case opens 6 weeks before the 18th birthday (a daily check,
`residents_turning_18_open`). The centre asks the regional office for a decision to move the
resident to an ordinary centre, optionally recommending a solution; when child welfare has an
ongoing case its views come first (as MOT-3 a). The move itself then follows MOT-3. On the
birthday (`resident_turned_18_apply`, run with the TURNED_18 life event) the representative's
mandate ends, consent passes to the resident, and every open case gets a prompt.
"""

from django.utils.translation import gettext_lazy as _

from cases import roles
from cases.routines import Checklist, Due, Notice, Routine, Step, Watch, register

from . import directory
from .models import TurningEighteen
from .references import ROUTINE_TURNING_18

State = TurningEighteen.State

NAME = "turning_18"
CHECKLIST = "turning_18"
CHILD_WELFARE_VIEWS = "child_welfare_views"
REGION_REQUEST = "region_request"
PAPER = frozenset({"post", "by_hand"})


def _regional_office(case) -> dict:
    return directory.regional_office(case.centre.region)


TURNING_18 = register(
    Routine(
        name=NAME,
        label=_("Turning 18"),
        model="mottak.TurningEighteen",
        states=tuple(State.choices),
        transitions={
            State.OPEN: frozenset({State.REQUESTED, State.PASSED}),
            State.REQUESTED: frozenset({State.PASSED}),
            State.PASSED: frozenset(),
        },
        refusal=_("This cannot be done while the case is “%(state)s”."),
        detail_url="mottak:turning_18_detail",
        lock_related=("resident", "centre", "centre__region"),
        checklists=(Checklist(CHECKLIST, _("Turning 18")),),
        watches=(
            Watch(
                "turning_18_ask_region",
                _("Turning 18 soon: ask the regional office for a move decision"),
                {State.OPEN},
                tone="warning",
                since="opened_at",
                roles=roles.CENTRE_ROLES,
            ),
        ),
        steps=(
            Step(
                CHILD_WELFARE_VIEWS,
                _("Child welfare's views recorded"),
                ("MOT-4", "MOT-3"),
                states=frozenset({State.OPEN}),
                checklist=CHECKLIST,
                required=False,  # only when child welfare has an ongoing case
                help_text=_("Only when child welfare has an ongoing case: before the request."),
            ),
            Step(
                REGION_REQUEST,
                _("Move decision asked of the regional office"),
                ("MOT-4", "R-9"),
                states=frozenset({State.OPEN}),
                to=State.REQUESTED,
                checklist=CHECKLIST,
                due=Due("birthday_at", "at", 0),
                notices=(
                    Notice(
                        "move_information",
                        "turning_18_request.html",
                        recipient=_regional_office,
                        recipient_label="the UDI regional office of the centre",
                        channels=PAPER,
                        legal_basis=(ROUTINE_TURNING_18,),
                    ),
                ),
            ),
        ),
    )
)
