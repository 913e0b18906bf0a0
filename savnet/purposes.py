"""The notices and the consent row of the missing-minors routine, registered into the case engine.

SAV-3, SAV-5..8, SAV-10; the concern reports of SAV-4/SAV-11 and their copies are mottak's.
Called from SavnetConfig.ready(), before the routine that sends them is declared.
"""

from django.utils.translation import gettext_lazy as _

from cases.consent_rules import ConsentRule, register_consent_rules
from cases.rules import (
    BFE,
    CHILD_WELFARE,
    IMDI,
    KOR,
    LAWYER,
    PAPER,
    POLICE,
    REPRESENTATIVE,
    UDI_REGION,
    WRITTEN,
    Channel,
    DispatchRule,
    register_dispatch_rules,
)

ASYLUM_INFORMATION = "asylum_information"
ASYLUM_INFORMATION_LABEL = _("Information that matters for the asylum case")

DISPATCH_RULES = (
    DispatchRule(
        "missing_report",
        _("Missing-person report"),
        ("SAV-3",),
        frozenset({POLICE}),
        # never e-mail; the first report is in person or by phone (savnet.rules).
        PAPER,
    ),
    DispatchRule(
        "missing_report_copy",
        _("Copy of a missing-person report"),
        ("SAV-7",),
        frozenset({UDI_REGION}),
        # SAV-7: by post or encrypted e-mail.
        frozenset({Channel.POST, Channel.ENCRYPTED_EMAIL}),
    ),
    DispatchRule(
        "missing_notice",
        _("Notice that the minor is missing"),
        ("SAV-5",),
        frozenset({REPRESENTATIVE, LAWYER}),
        frozenset({Channel.PHONE}),
    ),
    DispatchRule(
        "appointment_cancellation",
        _("Cancellation of an appointment"),
        ("SAV-6",),
        frozenset({KOR, BFE}),
        frozenset({Channel.PHONE, Channel.ENCRYPTED_EMAIL, Channel.POST}),
    ),
    DispatchRule(
        "found_notice",
        _("Notice that the minor is back or found"),
        ("SAV-8",),
        frozenset({POLICE, CHILD_WELFARE, UDI_REGION, IMDI, REPRESENTATIVE, LAWYER, KOR, BFE}),
        WRITTEN,
    ),
    DispatchRule(
        "whereabouts_notice",
        _("Notice that the missing minor's whereabouts are known"),
        ("SAV-8", "R-17"),
        frozenset({POLICE, CHILD_WELFARE, UDI_REGION, IMDI, REPRESENTATIVE, LAWYER, KOR, BFE}),
        WRITTEN,
    ),
    DispatchRule(
        ASYLUM_INFORMATION,
        ASYLUM_INFORMATION_LABEL,
        ("SAV-10",),
        frozenset({UDI_REGION}),
        frozenset({Channel.POST, Channel.ENCRYPTED_EMAIL}),
    ),
)

CONSENT_RULES = (
    # SAV-10, R-15: with the consent of the resident *or* the representative — the resident's
    # own consent counts before 18 too.
    ConsentRule(
        ASYLUM_INFORMATION,
        ASYLUM_INFORMATION_LABEL,
        ("SAV-10", "R-15"),
        minor_may_consent=True,
    ),
)


def register() -> None:
    register_dispatch_rules(*DISPATCH_RULES)
    register_consent_rules(*CONSENT_RULES)
