"""The arrival routine (MOT-1) declared on the routine kernel: one case per stay, opened with
the stay at every arrival, first or transfer (mottak.services.stay_open and
resident_register_with_arrival open it in the stay's transaction).

Which steps apply depends on the kind of centre the resident arrived at:
- every centre: the arrival recorded in Sesam, the representative's details entered in Sesam
  (when a representative acts), the arrival notice to the county governor;
- ordinary centres: the arrival notice to the school, with the school-background mapping
  attached when it exists;
- arrival transit: the personal folder opened, clothes and bedding handed out.

The seed gives no time; the reading that protects the child is "snarest" (R-11): within one
working day of the arrival for every step.
"""

from django.utils.translation import gettext_lazy as _

from cases import roles
from cases.routines import Checklist, Due, Notice, Routine, Step, Watch, register

from . import directory
from .models import Arrival, Centre
from .references import ROUTINE_ARRIVAL

State = Arrival.State
Kind = Centre.Kind

NAME = "arrival"
CHECKLIST = "arrival"
SCHOOL_CHECKLIST = "arrival_school"
TRANSIT_CHECKLIST = "arrival_transit"

SESAM_ARRIVAL = "sesam_arrival"
SESAM_REPRESENTATIVE = "sesam_representative"
COUNTY_GOVERNOR_NOTICE = "county_governor_notice"
SCHOOL_NOTICE = "school_notice"
PERSONAL_FOLDER = "personal_folder"
CLOTHES_AND_BEDDING = "clothes_and_bedding"

# SAV-1: an ordinary centre for adults houses presumed adults still registered as minors; the
# school is told of them too (the protective reading).
ORDINARY_KINDS = frozenset({Kind.ORDINARY_MINORS, Kind.ORDINARY_ACCOMPANIED, Kind.ORDINARY_ADULTS})
PAPER = frozenset({"post", "by_hand"})


def _snarest() -> Due:
    """R-11: within 1 working day of the arrival."""
    return Due("arrived_at", "working_days", 1, urgency="snarest")


def _county_governor(arrival) -> dict:
    return directory.county_governor_of_centre(arrival.centre)


def _school(arrival) -> dict:
    return directory.school(arrival.centre.municipality)


def checklists_for(arrival) -> tuple[str, ...]:
    """The checklists that apply at the kind of centre the resident arrived at."""
    groups = [CHECKLIST]
    if arrival.centre_kind in ORDINARY_KINDS:
        groups.append(SCHOOL_CHECKLIST)
    if arrival.centre_kind == Kind.ARRIVAL_TRANSIT:
        groups.append(TRANSIT_CHECKLIST)
    return tuple(groups)


def step_refusal(arrival, step_code: str) -> str:
    """A step that does not apply at this kind of centre, or the representative's details
    while no representative acts, is refused by every way of doing it."""
    from .selectors import resident_has_representative

    if ARRIVAL.step(step_code).checklist not in checklists_for(arrival):
        return str(_("This step does not apply at this kind of centre."))
    if step_code == SESAM_REPRESENTATIVE and not resident_has_representative(arrival.resident):
        return str(_("No representative acts for the resident yet: there are no details to enter."))
    return ""


def _after_step(case, *, by) -> None:
    from .services.arrival import arrival_complete_if_done

    arrival_complete_if_done(case, by=by)


OPEN = frozenset({State.OPEN})

ARRIVAL = register(
    Routine(
        name=NAME,
        label=_("Arrival"),
        model="mottak.Arrival",
        states=tuple(State.choices),
        transitions={
            State.OPEN: frozenset({State.DONE, State.ENDED}),
            State.DONE: frozenset(),
            # The stay ended before the steps were done: the next stay's arrival asks again.
            State.ENDED: frozenset(),
        },
        refusal=_("This cannot be done while the arrival is “%(state)s”."),
        detail_url="mottak:arrival_detail",
        lock_related=("resident", "centre", "stay"),
        after_step=_after_step,
        step_refusal=step_refusal,
        checklists=(
            Checklist(CHECKLIST, _("Arrival")),
            Checklist(SCHOOL_CHECKLIST, _("Arrival at an ordinary centre")),
            Checklist(TRANSIT_CHECKLIST, _("Arrival at an arrival transit centre")),
        ),
        watches=(
            Watch(
                "arrival_steps_left",
                _("Arrivals with steps left"),
                {State.OPEN},
                tone="info",
                since="arrived_at",
                roles=roles.CENTRE_ROLES,
            ),
        ),
        steps=(
            Step(
                SESAM_ARRIVAL,
                _("Arrival recorded in Sesam"),
                ("MOT-1",),
                states=OPEN,
                checklist=CHECKLIST,
                due=_snarest(),
            ),
            Step(
                SESAM_REPRESENTATIVE,
                _("Representative's contact details entered in Sesam"),
                ("MOT-1",),
                states=OPEN,
                checklist=CHECKLIST,
                due=_snarest(),
                manual=True,
                help_text=_("Only when a representative acts for the resident."),
            ),
            Step(
                COUNTY_GOVERNOR_NOTICE,
                _("Arrival notice to the county governor"),
                ("MOT-1",),
                states=OPEN,
                checklist=CHECKLIST,
                due=_snarest(),
                notices=(
                    Notice(
                        "arrival_notice",
                        "arrival_notice.html",
                        recipient=_county_governor,
                        recipient_label="the county governor of the centre's county",
                        channels=PAPER,
                        legal_basis=(ROUTINE_ARRIVAL,),
                    ),
                ),
            ),
            Step(
                SCHOOL_NOTICE,
                _("Arrival notice to the school"),
                ("MOT-1",),
                states=OPEN,
                checklist=SCHOOL_CHECKLIST,
                due=_snarest(),
                notices=(
                    Notice(
                        "arrival_notice",
                        "arrival_notice.html",
                        recipient=_school,
                        recipient_label="the school of the centre's municipality",
                        channels=PAPER,
                        legal_basis=(ROUTINE_ARRIVAL,),
                    ),
                ),
            ),
            Step(
                PERSONAL_FOLDER,
                _("Personal folder opened"),
                ("MOT-1", "MOT-2"),
                states=OPEN,
                checklist=TRANSIT_CHECKLIST,
                due=_snarest(),
                manual=True,
            ),
            Step(
                CLOTHES_AND_BEDDING,
                _("Clothes and bedding handed out"),
                ("MOT-1",),
                states=OPEN,
                checklist=TRANSIT_CHECKLIST,
                due=_snarest(),
                manual=True,
            ),
        ),
    )
)
