"""User-facing texts for the problem ids the rules return (English msgids, translated later)."""

from django.utils.translation import gettext_lazy as _

PROBLEM_MESSAGES = {
    "noticed_in_future": _("The time the absence was noticed cannot be in the future."),
    "last_seen_in_future": _("The time the resident was last seen cannot be in the future."),
    "reason_in_future": _(
        "The time of reason to believe the resident has left cannot be in the future."
    ),
    "last_seen_after_noticed": _(
        "The resident cannot have been last seen after the absence was noticed."
    ),
    "reason_before_noticed": _(
        "There cannot be reason to believe the resident has left before the absence was noticed."
    ),
    "address_without_municipality": _("Give the municipality of the known address."),
    "found_in_future": _("The time the resident was found cannot be in the future."),
    "found_before_last_seen": _("The resident cannot be found before they disappeared."),
    "found_before_noticed": _("The resident cannot be found before the absence was noticed."),
    "found_before_reason": _(
        "The resident cannot be found before there was reason to believe they had left."
    ),
    "step_in_future": _("The time cannot be in the future."),
    "step_before_noticed": _("The time cannot be before the absence was noticed."),
    "conversation_before_found": _(
        "The conversation cannot be held before the resident was found."
    ),
    "interpreter_without_language": _("Give the interpreter's language."),
    "neglect_without_grounds": _("Give the grounds for the suspicion of serious neglect."),
    "police_not_first_by_post": _(
        "The first report to the police is made in person, or by phone where the centre has an "
        "agreement with the police district. A letter or e-mail is too slow: it can only follow."
    ),
    "police_phone_without_agreement": _(
        "The centre has no recorded agreement with this police district to report by phone. "
        "Make the report in person at the police station, or have a leader record the agreement."
    ),
    "police_phone_without_time": _("Give the time you phoned the police."),
    "child_welfare_not_phoned": _(
        "Phone the child-welfare duty service first and give the time of the call: the written "
        "report follows the call."
    ),
    "child_welfare_channel": _("The written report goes by post or is handed over."),
    "no_duty_phone": _(
        "Give a phone number at which the recipient can reach the centre day and night "
        "(or record the centre's 24-hour phone)."
    ),
    "concern_without_grounds": _("Say what staff observed."),
    "concern_before_found": _("The observation cannot be before the resident came back."),
}


def messages_for(problems: list[str]) -> list[str]:
    return [str(PROBLEM_MESSAGES[p]) for p in problems]
