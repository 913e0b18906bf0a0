"""Pure rules of the case engine: no database, no I/O.

Dispatches (X-1, X-2, KART-12..14): which recipients a notice of a given purpose may go
to, by which channels, and whether the representative's consent must exist first.

The floor knows the recipient kinds and channels; the purposes and their rules are registered
by the apps that own them (`register_dispatch_rules(...)` from `AppConfig.ready()`).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from django.utils.translation import gettext_lazy as _

from .registry import register_once


class Channel(StrEnum):
    POST = "post"
    BY_HAND = "by_hand"
    PHONE = "phone"
    ENCRYPTED_EMAIL = "encrypted_email"


# Recipient kinds: the directory's kinds (mottak.ExternalRecipient.Kind) plus named people
# and the few instances that are not in the directory.
POLICE = "police"
CHILD_WELFARE = "child_welfare"
CHILD_WELFARE_DUTY = "child_welfare_duty"
COUNTY_GOVERNOR = "county_governor"
SCHOOL = "school"
HEALTH_OFFICE = "health_office"
IMDI = "imdi"
UDI_REGION = "udi_region"
KOR = "kor"
BFE = "bfe"
PU = "pu"
IOM = "iom"
UNE = "une"
REPRESENTATIVE = "representative"
LAWYER = "lawyer"
PERSON = "person"
CORRECTIONAL_SERVICE = "correctional_service"
DUBLIN_CARE_AUTHORITY = "dublin_care_authority"
CENTRE = "centre"

DIRECTORY_KINDS = frozenset(
    {
        POLICE,
        CHILD_WELFARE,
        CHILD_WELFARE_DUTY,
        COUNTY_GOVERNOR,
        SCHOOL,
        HEALTH_OFFICE,
        IMDI,
        UDI_REGION,
        KOR,
        BFE,
        PU,
        IOM,
        UNE,
    }
)
PERSON_KINDS = frozenset({REPRESENTATIVE, LAWYER, PERSON})
RECIPIENT_KINDS = (
    DIRECTORY_KINDS | PERSON_KINDS | {CORRECTIONAL_SERVICE, DUBLIN_CARE_AUTHORITY, CENTRE}
)

PAPER = frozenset({Channel.POST, Channel.BY_HAND})
WRITTEN = PAPER | {Channel.ENCRYPTED_EMAIL}


@dataclass(frozen=True)
class DispatchRule:
    purpose: str
    label: str
    rule_ids: tuple[str, ...]
    recipient_kinds: frozenset[str]
    channels: frozenset[Channel]


class DispatchRuleConflict(ValueError):
    """Two different rules registered for one purpose: a programming error."""


# The rules are registered by the app that owns each purpose, from its AppConfig.ready()
# (mottak: arrival, moving, concern reports; savnet: missing; permisjon: leave; kartlegging:
# mapping). A purpose used by several routines is registered once, by the lowest app using it.
_registry: dict[str, DispatchRule] = {}
RULES: Mapping[str, DispatchRule] = MappingProxyType(_registry)


def register_dispatch_rule(rule: DispatchRule) -> DispatchRule:
    """Add the rule of one purpose; the same rule again is harmless, a different one is an error."""
    unknown = rule.recipient_kinds - RECIPIENT_KINDS
    if unknown:
        raise ValueError(
            f"Purpose {rule.purpose!r} names unknown recipient kinds {sorted(unknown)}."
        )
    if not rule.channels or not rule.channels <= set(Channel):
        raise ValueError(f"Purpose {rule.purpose!r} needs channels from cases.rules.Channel.")
    return register_once(
        _registry, rule.purpose, rule, what="dispatch purpose", error=DispatchRuleConflict
    )


def register_dispatch_rules(*rules: DispatchRule) -> None:
    for rule in rules:
        register_dispatch_rule(rule)


def purposes() -> tuple[str, ...]:
    """Every registered purpose, in registration order."""
    return tuple(_registry)


# The one purpose the floor owns: a plain letter, to anyone, on paper.
register_dispatch_rule(
    DispatchRule(
        "letter",
        _("Letter"),
        (),
        frozenset(RECIPIENT_KINDS),
        PAPER,
    )
)


class Problem(StrEnum):
    UNKNOWN_PURPOSE = "unknown_purpose"
    UNKNOWN_RECIPIENT_KIND = "unknown_recipient_kind"
    RECIPIENT_NOT_ALLOWED = "recipient_not_allowed"
    CHANNEL_NOT_ALLOWED = "channel_not_allowed"


def purpose_label(purpose: str) -> str:
    rule = RULES.get(purpose)
    return rule.label if rule else purpose


def allowed_channels(purpose: str) -> frozenset[Channel]:
    rule = RULES.get(purpose)
    return rule.channels if rule else frozenset()


def dispatch_problems(*, purpose: str, recipient_kind: str, channel: str) -> list[Problem]:
    """What forbids a notice of this purpose to this kind of recipient by this channel."""
    rule = RULES.get(purpose)
    if rule is None:
        return [Problem.UNKNOWN_PURPOSE]
    problems = []
    if recipient_kind not in RECIPIENT_KINDS:
        problems.append(Problem.UNKNOWN_RECIPIENT_KIND)
    elif recipient_kind not in rule.recipient_kinds:
        problems.append(Problem.RECIPIENT_NOT_ALLOWED)
    if channel not in rule.channels:
        problems.append(Problem.CHANNEL_NOT_ALLOWED)
    return problems


def consent_needed(*, purpose: str, recipient_kind: str) -> bool:
    """KART-13, R-14, asked of the one consent table (cases.consent_rules.consent_required).

    Read to protect the child: the exception is child welfare *asking in an investigation*
    (its own purpose), not every transfer to child welfare.
    """
    from .consent_rules import consent_required

    return purpose in RULES and consent_required(recipient_kind=recipient_kind, purpose=purpose)
