"""Pure rules for consents to transfer personal data (KART-12, KART-13, SAV-10, SAV-12).

No database access. The dispatch service asks `consent_required(...)` before a transfer and,
when it answers True, asks `cases.services.consent_is_valid_for(...)`.
"""

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

ADULT_AGE = 18


class GivenBy(models.TextChoices):
    REPRESENTATIVE = "representative", _("The representative")
    RESIDENT = "resident", _("The resident (18 or older)")


class RecipientKind(models.TextChoices):
    """The instances KART-12 allows mapping data to go to."""

    UDI_REGION = "udi_region", _("UDI regional office")
    CHILD_WELFARE = "child_welfare", _("Child-welfare service")
    IMDI = "imdi", _("IMDi regional office")
    IOM = "iom", _("IOM")
    CORRECTIONAL = "correctional_service", _("Correctional service")
    DUBLIN_CARE_AUTHORITY = "dublin_care_authority", _("Care authority of the first asylum country")


class Purpose(models.TextChoices):
    """What a transfer (or the consent to it) is for."""

    MAPPING_TRANSFER = "mapping_transfer", _("Transfer of the individual mapping and action plan")
    ASYLUM_INFORMATION = "asylum_information", _("Information that matters for the asylum case")
    MAPPING_STORAGE = "mapping_storage", _("Keeping mapping data after leaving without an address")
    CHILD_WELFARE_INVESTIGATION = (
        "child_welfare_investigation",
        _("Child welfare asks in an investigation"),
    )


RECIPIENT_KINDS = frozenset(RecipientKind.values)

# Transfers that a rule makes conditional on a consent: KART-8/KART-13 (mapping and plan to
# IMDi, the regional office, IOM …), SAV-10 (asylum-relevant information to the regional
# office), SAV-12 (keeping mapping data of a minor who left without an address).
CONSENT_PURPOSES = frozenset(
    {Purpose.MAPPING_TRANSFER, Purpose.ASYLUM_INFORMATION, Purpose.MAPPING_STORAGE}
)

# The purposes a consent can be recorded for (the exception needs no consent).
CONSENTABLE_PURPOSES = tuple(p for p in Purpose if p in CONSENT_PURPOSES)


def consent_required(*, recipient_kind: str, purpose: str) -> bool:
    """Whether a transfer needs a valid consent first (KART-13).

    Exception: child welfare asking in an investigation needs none. Notices the routines
    send under a duty of their own (arrival and moving notices, missing-person and concern
    reports, SAV-4 "notwithstanding confidentiality") are not consent purposes; a new kind
    of information transfer must be added to CONSENT_PURPOSES.
    """
    if (
        recipient_kind == RecipientKind.CHILD_WELFARE
        and purpose == Purpose.CHILD_WELFARE_INVESTIGATION
    ):
        return False
    return purpose in CONSENT_PURPOSES


def age_on(date_of_birth: date, day: date) -> int:
    """Completed years on `day` (someone born 29 February turns a year older on 1 March)."""
    years = day.year - date_of_birth.year
    if (day.month, day.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def who_must_consent(*, age: int) -> str:
    """KART-13: the representative consents for a minor; from 18 the resident consents."""
    return GivenBy.RESIDENT if age >= ADULT_AGE else GivenBy.REPRESENTATIVE


def adult_from(date_of_birth: date) -> date:
    """The first day the resident is 18 (1 March for someone born 29 February)."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + ADULT_AGE)
    except ValueError:
        return date(date_of_birth.year + ADULT_AGE, 3, 1)


def consent_giver_problem(*, given_by: str, date_of_birth: date, given_on: date) -> str | None:
    """A message id when this person may not give the consent on that day, else None.

    Read to protect the child: only the representative can consent for a minor (the minor's
    own signature confirms taking part, it is not the consent), and from 18 only the resident
    can — a representative's consent for an adult is refused, not accepted alongside.
    """
    if given_by not in GivenBy.values:
        return "unknown_giver"
    if given_on < date_of_birth:
        return "before_birth"
    if given_by != who_must_consent(age=age_on(date_of_birth, given_on)):
        return "minor_cannot_consent" if given_by == GivenBy.RESIDENT else "adult_consents_self"
    return None


def consent_valid_until(*, given_by: str, date_of_birth: date) -> date | None:
    """First day a consent no longer holds: a representative's ends when the resident turns 18."""
    return adult_from(date_of_birth) if given_by == GivenBy.REPRESENTATIVE else None


def unknown_recipient_kinds(kinds) -> list[str]:
    return sorted(k for k in kinds if k not in RECIPIENT_KINDS)
