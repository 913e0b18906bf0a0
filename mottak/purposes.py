"""The notices mottak owns (MOT-1, MOT-3, MOT-4, MOT-5), registered into the case engine.

A purpose several routines use (the concern report: MOT-5, SAV-4, SAV-11, PERM-4, and its
copy: MOT-5, SAV-7) is registered here once, by the lowest app that uses it, with all its
rule IDs. Called from MottakConfig.ready().
"""

from django.utils.translation import gettext_lazy as _

from cases.rules import (
    CHILD_WELFARE,
    COUNTY_GOVERNOR,
    HEALTH_OFFICE,
    IMDI,
    SCHOOL,
    UDI_REGION,
    WRITTEN,
    Channel,
    DispatchRule,
    register_dispatch_rules,
)

DISPATCH_RULES = (
    DispatchRule(
        "arrival_notice",
        _("Arrival notice"),
        ("MOT-1",),
        frozenset({COUNTY_GOVERNOR, SCHOOL}),
        WRITTEN,
    ),
    DispatchRule(
        "moving_notice",
        _("Moving notice"),
        ("MOT-3",),
        frozenset({COUNTY_GOVERNOR, SCHOOL, HEALTH_OFFICE}),
        WRITTEN,
    ),
    DispatchRule(
        "move_information",
        _("Information for choosing the new centre"),
        ("MOT-3", "MOT-4"),
        frozenset({UDI_REGION}),
        WRITTEN,
    ),
    DispatchRule(
        "concern_report",
        _("Concern report"),
        ("MOT-5", "SAV-4", "SAV-11", "PERM-4"),
        frozenset({CHILD_WELFARE}),
        WRITTEN,
    ),
    DispatchRule(
        "concern_report_copy",
        _("Copy of a concern report"),
        ("MOT-5", "SAV-7"),
        frozenset({UDI_REGION, IMDI}),
        frozenset({Channel.POST, Channel.ENCRYPTED_EMAIL}),
    ),
)


def register() -> None:
    register_dispatch_rules(*DISPATCH_RULES)
