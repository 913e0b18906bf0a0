"""System checks that the registered rules fit together (manage.py check, and at startup).

The purposes, consent rows and routines are registered by different apps; these checks catch
a routine sending a notice of a purpose nobody registered, and a transfer that needs a consent
no consent could ever cover (a centre recipient was one, R-14).
"""

from django.core.checks import Error, register

from . import consent_rules, routines, rules


def consent_gaps() -> list[tuple[str, str]]:
    """(purpose, recipient kind) pairs that need a consent that cannot list the kind."""
    return sorted(
        (purpose, kind)
        for purpose, rule in rules.RULES.items()
        for kind in rule.recipient_kinds
        if consent_rules.consent_required(recipient_kind=kind, purpose=purpose)
        and (
            not consent_rules.is_consentable(purpose)
            or consent_rules.unknown_recipient_kinds([kind])
        )
    )


@register()
def registered_rules_fit(app_configs=None, **kwargs):
    errors = [
        Error(
            f"A notice of purpose {purpose!r} to {kind!r} needs a consent, but no consent "
            "can cover that kind of recipient.",
            hint="Let the consent row exempt the kind, or let consents list it.",
            id="cases.E001",
        )
        for purpose, kind in consent_gaps()
    ]
    for routine in routines.all_routines():
        for step in routine.steps:
            for notice in step.notices:
                if notice.purpose not in rules.RULES:
                    errors.append(
                        Error(
                            f"{routine.name}.{step.code} sends {notice.purpose!r}, "
                            "which no app registers as a dispatch purpose.",
                            id="cases.E002",
                        )
                    )
                if notice.consent and consent_rules.consent_rule(notice.consent) is None:
                    errors.append(
                        Error(
                            f"{routine.name}.{step.code} names the consent row "
                            f"{notice.consent!r}, which no app registers.",
                            id="cases.E003",
                        )
                    )
    return errors
