"""The mapping routine's transfers and consent rows, registered into the case engine.

KART-8..15 (mapping and action plan to the instances that need it, on paper only) and the
consent rows of KART-13 and SAV-12 (keeping the mapping data of a minor who left without an
address). All of these concern kartlegging's data alone, so kartlegging registers them; no
other routine sends them. Called from KartleggingConfig.ready().
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.consent_rules import ConsentRule, register_consent_rules
from cases.rules import (
    CENTRE,
    CHILD_WELFARE,
    CORRECTIONAL_SERVICE,
    DUBLIN_CARE_AUTHORITY,
    IMDI,
    IOM,
    PAPER,
    UDI_REGION,
    DispatchRule,
    register_dispatch_rules,
)

from . import rules


class Purpose(models.TextChoices):
    """What a transfer of mapping data (or the consent to it) is for."""

    MAPPING_TRANSFER = "mapping_transfer", _("Transfer of the individual mapping and action plan")
    MAPPING_STORAGE = "mapping_storage", _("Keeping mapping data after leaving without an address")
    # KART-12: to a recipient outside the list, after the centre leader's recorded assessment.
    MAPPING_TRANSFER_ASSESSED = (
        "mapping_transfer_assessed",
        _("Transfer of the mapping to another recipient after the leader's assessment"),
    )
    CHILD_WELFARE_INVESTIGATION = (
        "child_welfare_investigation",
        _("Child welfare asks in an investigation"),
    )


KART_12_LIST = frozenset(
    {UDI_REGION, CHILD_WELFARE, IMDI, IOM, CORRECTIONAL_SERVICE, DUBLIN_CARE_AUTHORITY, CENTRE}
)

# KART-12: the recipients outside the list a copy may go to after the leader's assessment.
OUTSIDE_THE_LIST = rules.ASSESSABLE_KINDS

DISPATCH_RULES = (
    DispatchRule(
        Purpose.MAPPING_TRANSFER.value,
        _("Individual mapping and action plan"),
        ("KART-8", "KART-9", "KART-10", "KART-12", "KART-13", "KART-14", "KART-15"),
        # KART-12: only instances that need it.
        KART_12_LIST,
        # KART-14: never by e-mail, not even encrypted.
        PAPER,
    ),
    # KART-12: any other recipient — the service sends it only after the centre leader's
    # recorded assessment (kartlegging.services.mapping_transfer_other_send); a recipient on
    # the list goes by the purpose above.
    DispatchRule(
        Purpose.MAPPING_TRANSFER_ASSESSED.value,
        Purpose.MAPPING_TRANSFER_ASSESSED.label,
        ("KART-12", "KART-13", "KART-14"),
        OUTSIDE_THE_LIST,
        PAPER,
    ),
    DispatchRule(
        Purpose.CHILD_WELFARE_INVESTIGATION.value,
        _("Information to child welfare in its investigation"),
        ("KART-12", "KART-13", "KART-14"),
        frozenset({CHILD_WELFARE}),
        PAPER,
    ),
)

CONSENT_RULES = (
    # KART-8, KART-13: the representative consents until 18, then the resident; to a new
    # centre (KART-15) no consent is needed (R-14, for every row).
    ConsentRule(
        Purpose.MAPPING_TRANSFER.value,
        Purpose.MAPPING_TRANSFER.label,
        ("KART-8", "KART-13", "R-14"),
    ),
    ConsentRule(
        Purpose.MAPPING_TRANSFER_ASSESSED.value,
        Purpose.MAPPING_TRANSFER_ASSESSED.label,
        ("KART-12", "KART-13"),
    ),
    ConsentRule(
        Purpose.MAPPING_STORAGE.value,
        Purpose.MAPPING_STORAGE.label,
        ("SAV-12", "KART-13"),
        names_recipients=False,
    ),
    # KART-13: child welfare asking in an investigation needs no consent — its own purpose,
    # not every transfer to child welfare.
    ConsentRule(
        Purpose.CHILD_WELFARE_INVESTIGATION.value,
        Purpose.CHILD_WELFARE_INVESTIGATION.label,
        ("KART-13",),
        needs_consent=False,
    ),
)


def register() -> None:
    register_dispatch_rules(*DISPATCH_RULES)
    register_consent_rules(*CONSENT_RULES)
