"""The steps of the routine as data: what must be done once a minor is reported missing.

Every step of the missing checklist has its own deadline, counted in elapsed hours from the
moment there was reason to believe the minor had left, and never later than the 24-hour
limit of SAV-2. Doing the work meets the step (sending the police report meets `police`).
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .rules import LIMIT_HOURS

MISSING_CHECKLIST = "savnet_missing"
RETURN_CHECKLIST = "savnet_return"


@dataclass(frozen=True)
class StepSpec:
    code: str
    label: Promise
    rule_id: str
    hours: int | None = None  # elapsed hours from reason to believe; None: no deadline
    conditional: bool = False  # only required when something calls for it

    def __post_init__(self):
        if self.hours is not None and not 0 < self.hours <= LIMIT_HOURS:
            raise ValueError("a step of the missing routine is due within the 24-hour limit")


POLICE = "police"
CHILD_WELFARE = "child_welfare"
REPRESENTATIVE = "representative"
LAWYER = "lawyer"
APPOINTMENTS = "appointments"
SESAM = "sesam"
REGIONAL_COPIES = "regional_copies"

MISSING_STEPS: tuple[StepSpec, ...] = (
    StepSpec(POLICE, _("Missing-person report to the police"), "SAV-3", LIMIT_HOURS),
    StepSpec(CHILD_WELFARE, _("Concern report to child welfare"), "SAV-4", LIMIT_HOURS),
    StepSpec(REPRESENTATIVE, _("Representative told by phone"), "SAV-5", LIMIT_HOURS),
    StepSpec(LAWYER, _("Lawyer told by phone"), "SAV-5", LIMIT_HOURS),
    # Done by itself at the start when there is no appointment to cancel.
    StepSpec(APPOINTMENTS, _("Appointments with UDI cancelled (KOR/BFE)"), "SAV-6", LIMIT_HOURS),
    StepSpec(SESAM, _("Registered in Sesam"), "SAV-7", LIMIT_HOURS),
    StepSpec(
        REGIONAL_COPIES,
        _("Copies of the reports sent to the regional office"),
        "SAV-7",
        LIMIT_HOURS,
    ),
)

FOUND_NOTICES = "found_notices"
FOLLOW_UP_CONVERSATION = "follow_up_conversation"
GENERAL_PROCEDURE = "general_procedure"
NEGLECT_REPORTS = "neglect_reports"
ASYLUM_INFO = "asylum_info"

RETURN_STEPS: tuple[StepSpec, ...] = (
    StepSpec(FOUND_NOTICES, _("Every instance notified told in writing"), "SAV-8"),
    StepSpec(FOLLOW_UP_CONVERSATION, _("Follow-up conversation held"), "SAV-10"),
    StepSpec(
        GENERAL_PROCEDURE,
        _("Trafficking / domestic violence: procedure of the general requirements, point 6.2"),
        "SAV-10",
        conditional=True,
    ),
    StepSpec(
        NEGLECT_REPORTS,
        _("Concern reports to child welfare and the regional office"),
        "SAV-11",
        conditional=True,
    ),
    StepSpec(
        ASYLUM_INFO,
        _("Information for the asylum case sent to the regional office (with consent)"),
        "SAV-10",
        conditional=True,
    ),
)


def step_spec(code: str) -> StepSpec:
    for spec in MISSING_STEPS + RETURN_STEPS:
        if spec.code == code:
            return spec
    raise KeyError(code)


def _definition(name: str, label, specs: tuple[StepSpec, ...]):
    from cases.checklists import ChecklistDefinition, DeadlineSpec, Step

    return ChecklistDefinition(
        name=name,
        label=label,
        steps=tuple(
            Step(
                code=spec.code,
                label=spec.label,
                rule_id=spec.rule_id,
                required=not spec.conditional,
                manual=False,  # every step is met by the routine's own forms and notices
                deadline=DeadlineSpec(
                    kind=f"savnet_{spec.code}", period=f"{spec.hours}h", anchor="reason_to_believe"
                )
                if spec.hours
                else None,
            )
            for spec in specs
        ),
    )


def register_checklists() -> None:
    """Called from the app's ready(): the case engine then knows the steps of both checklists."""
    from cases.checklists import register

    register(_definition(MISSING_CHECKLIST, _("Missing minor: within 24 hours"), MISSING_STEPS))
    register(_definition(RETURN_CHECKLIST, _("Missing minor: after the return"), RETURN_STEPS))
