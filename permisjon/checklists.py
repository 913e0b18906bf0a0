"""The centre's documented preparation of a leave application (PERM-4 a–g), as data."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from cases.checklists import ChecklistDefinition, Step, register

PREPARATION_NAME = "perm_4_preparation"


@dataclass(frozen=True)
class PreparationStep:
    code: str
    label: str
    rule_id: str
    required: bool = True
    needs_attachment: bool = False
    help_text: str = ""


PREPARATION_STEPS: tuple[PreparationStep, ...] = (
    PreparationStep(
        "a_clash",
        _("Checked for clashes with the mandatory programme, centre duties and school"),
        "PERM-4",
    ),
    PreparationStep(
        "b_own_wish",
        _("Made sure the minor wants to stay with the contact person(s)"),
        "PERM-4",
    ),
    PreparationStep(
        "c_contact_details",
        _("Contact person's details and personal data collected (recorded in Sesam)"),
        "PERM-4",
        help_text=_("Leave requires a contact person who has turned 25."),
    ),
    PreparationStep(
        "d_met",
        _("Met the contact person at the centre"),
        "PERM-4",
        required=False,
        help_text=_("If possible."),
    ),
    PreparationStep(
        "d_id_copy",
        _("Copy of the contact person's ID document"),
        "PERM-4",
        needs_attachment=True,
        help_text=_("E.g. passport or driving licence. Upload the copy."),
    ),
    PreparationStep(
        "d_references",
        _("References asked for (one or two public persons who know the contact person)"),
        "PERM-4",
    ),
    PreparationStep(
        "e_representative",
        _("The representative's support or objections obtained"),
        "PERM-4",
    ),
    PreparationStep(
        "f_police",
        _("The local police asked whether they object to the address or person(s)"),
        "PERM-4",
    ),
    PreparationStep(
        "g_child_welfare",
        _("Child welfare asked to look into the place, or a concern report sent"),
        "PERM-4",
        required=False,
        help_text=_("When the centre is still unsure whether the place is safe."),
    ),
)

REQUIRED_STEP_CODES = frozenset(s.code for s in PREPARATION_STEPS if s.required)
STEPS_BY_CODE = {s.code: s for s in PREPARATION_STEPS}


PREPARATION = ChecklistDefinition(
    name=PREPARATION_NAME,
    label=_("Preparing the leave (PERM-4)"),
    steps=tuple(Step(s.code, s.label, s.rule_id, required=s.required) for s in PREPARATION_STEPS),
)
ATTACHMENT_STEP_CODES = frozenset(s.code for s in PREPARATION_STEPS if s.needs_attachment)


def register_checklists() -> None:
    register(PREPARATION)
