"""Pure rules of the case engine: no database, no I/O.

Dispatches (X-1, X-2, KART-12..14): which recipients a notice of a given purpose may go
to, by which channels, and whether the representative's consent must exist first.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from .consent_rules import consent_required


class Channel(StrEnum):
    POST = "post"
    BY_HAND = "by_hand"
    PHONE = "phone"
    ENCRYPTED_EMAIL = "encrypted_email"


# Recipient kinds: the directory's kinds (mottak.ExternalRecipient.Kind) plus named people
# and the few instances that are not in the directory.
POLICE = "police"
CHILD_WELFARE = "child_welfare"
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


_RULES = (
    DispatchRule(
        "letter",
        _("Letter"),
        (),
        frozenset(RECIPIENT_KINDS),
        PAPER,
    ),
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
    DispatchRule(
        "missing_report",
        _("Missing-person report"),
        ("SAV-3",),
        frozenset({POLICE}),
        WRITTEN,
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
        "asylum_information",
        _("Information that matters for the asylum case"),
        ("SAV-10",),
        frozenset({UDI_REGION}),
        frozenset({Channel.POST, Channel.ENCRYPTED_EMAIL}),
    ),
    DispatchRule(
        "leave_application",
        _("Leave application"),
        ("PERM-3",),
        frozenset({UDI_REGION}),
        WRITTEN,
    ),
    DispatchRule(
        "leave_notice",
        _("Notice of leave"),
        ("PERM-5",),
        frozenset({REPRESENTATIVE}),
        WRITTEN,
    ),
    DispatchRule(
        "mapping_transfer",
        _("Individual mapping and action plan"),
        ("KART-8", "KART-9", "KART-10", "KART-12", "KART-13", "KART-14", "KART-15"),
        # KART-12: only instances that need it.
        frozenset(
            {
                UDI_REGION,
                CHILD_WELFARE,
                IMDI,
                IOM,
                CORRECTIONAL_SERVICE,
                DUBLIN_CARE_AUTHORITY,
                CENTRE,
            }
        ),
        # KART-14: never by e-mail, not even encrypted.
        PAPER,
    ),
    DispatchRule(
        "child_welfare_investigation",
        _("Information to child welfare in its investigation"),
        ("KART-12", "KART-13", "KART-14"),
        frozenset({CHILD_WELFARE}),
        PAPER,
    ),
)

RULES: dict[str, DispatchRule] = {r.purpose: r for r in _RULES}
PURPOSES = tuple(RULES)


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
    """KART-13, asked of the one consent rule (cases.consent_rules.consent_required).

    Read to protect the child: the exception is child welfare *asking in an investigation*
    (its own purpose), not every transfer to child welfare.
    """
    return purpose in RULES and consent_required(recipient_kind=recipient_kind, purpose=purpose)
