"""The notices of the leave routine (PERM-3, PERM-5), registered into the case engine.

Called from PermisjonConfig.ready(); the concern report of PERM-4 is mottak's.
"""

from django.utils.translation import gettext_lazy as _

from cases.rules import (
    CHILD_WELFARE,
    REPRESENTATIVE,
    UDI_REGION,
    WRITTEN,
    DispatchRule,
    register_dispatch_rules,
)

DISPATCH_RULES = (
    DispatchRule(
        "leave_application",
        _("Leave application"),
        ("PERM-3",),
        frozenset({UDI_REGION}),
        WRITTEN,
    ),
    DispatchRule(
        "place_check_request",
        _("Request to look into the place of a leave"),
        ("PERM-4",),
        frozenset({CHILD_WELFARE}),
        WRITTEN,
    ),
    DispatchRule(
        "leave_notice",
        _("Notice of leave"),
        ("PERM-5",),
        frozenset({REPRESENTATIVE}),
        WRITTEN,
    ),
)


def register() -> None:
    register_dispatch_rules(*DISPATCH_RULES)
