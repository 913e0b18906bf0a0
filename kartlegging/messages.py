"""User-facing texts for the problem codes of kartlegging/rules.py (English msgids)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PROBLEM_MESSAGES = {
    "interpreter_unanswered": _("Say whether an interpreter was used."),
    "interpreter_language_missing": _("Give the interpreter's language."),
    "interpreter_mode_missing": _("Say whether the interpreter was there in person or by phone."),
    "interpreter_details_without_interpreter": _(
        "Language and manner are given only when an interpreter was used."
    ),
    "held_in_future": _("The conversation cannot be in the future."),
    "health_details": _(
        "Health details are not written in the mapping. Mark only that the minor has health "
        "needs; the details belong to the health service."
    ),
    "unknown_area": _("Choose one of the mapping's areas."),
    "source_missing": _("Say whether this is the minor's own words or a staff observation."),
    "text_missing": _("Write the entry."),
    "reason_missing": _("Give the special reason why the minor may not read the mapping."),
    "goal_missing": _("Give the measure's goal."),
    "actions_missing": _("Say what is done."),
    "responsible_missing": _("Say who is responsible."),
    "decision_missing": _("Choose whether the measure ends or continues."),
    "minor_view_missing": _("Record the minor's view of the measure."),
    "not_a_key_worker_candidate": _("The key worker must be a member of staff at the centre."),
    "no_decision_due": _("This measure has no decision to make after a move."),
    "entry_of_other_mapping": _("The entry belongs to another minor's mapping."),
    "measure_closed": _("This measure is closed."),
    "assessment_not_needed": _(
        "This recipient is among those who need the mapping: no leader's assessment is needed."
    ),
    "assessment_kind_not_allowed": _("The mapping cannot be sent to this kind of recipient."),
    "assessment_function_missing": _("Give the recipient's function for the minor."),
    "assessment_reason_missing": _("Give the reason why the recipient needs the mapping."),
    "assessment_areas_missing": _("Choose the areas of the mapping the recipient needs."),
    "assessment_not_leader": _(
        "Only the centre leader may assess a recipient outside the list of those who need the "
        "mapping."
    ),
    "assessment_missing": _(
        "This recipient is not among those who need the mapping: the centre leader must record "
        "an assessment before a copy can be sent."
    ),
}


def refuse(problems: list[str]) -> None:
    if problems:
        raise ValidationError([str(PROBLEM_MESSAGES[p]) for p in problems])
