"""Pure rules for consents to transfer personal data (KART-12, KART-13, R-14, R-15, SAV-10).

No database access. The consent rules are one table, a row per purpose, registered by the app
that owns the purpose from its `AppConfig.ready()` (`register_consent_rules(...)`). A row says

- whether a transfer for the purpose needs a consent at all (KART-13: child welfare asking in
  an investigation needs none);
- to which recipient kinds it needs none (R-14: centre to centre, the same task for the same
  controller, for every purpose);
- who may consent: the representative until 18, then the resident; where the row allows it
  (R-15, SAV-10) the resident may consent while still a minor, besides the representative.

The dispatch service asks `consent_required(...)` before a transfer and, when it answers True,
asks `cases.services.consent_is_valid_for(...)`.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .registry import register_once

ADULT_AGE = 18

# R-14, for every purpose: centre to centre (MOT-3 f, KART-15) needs no consent, it is the
# same task for the same controller (the recipient kind is cases.rules.CENTRE).
CENTRE = "centre"
WITHOUT_CONSENT_TO = frozenset({CENTRE})


class GivenBy(models.TextChoices):
    REPRESENTATIVE = "representative", _("The representative")
    RESIDENT = "resident", _("The resident (18 or older)")


class RecipientKind(models.TextChoices):
    """The instances a consent may name (KART-12). A centre is not one of them: R-14."""

    UDI_REGION = "udi_region", _("UDI regional office")
    CHILD_WELFARE = "child_welfare", _("Child-welfare service")
    IMDI = "imdi", _("IMDi regional office")
    IOM = "iom", _("IOM")
    CORRECTIONAL = "correctional_service", _("Correctional service")
    DUBLIN_CARE_AUTHORITY = "dublin_care_authority", _("Care authority of the first asylum country")
    # Outside KART-12's list: a transfer to them needs the leader's recorded assessment too.
    SCHOOL = "school", _("School")
    HEALTH_OFFICE = "health_office", _("Municipal health office")
    COUNTY_GOVERNOR = "county_governor", _("County governor")
    POLICE = "police", _("Police district")
    LAWYER = "lawyer", _("Lawyer")


RECIPIENT_KINDS = frozenset(RecipientKind.values)


@dataclass(frozen=True)
class ConsentRule:
    """One row of the consent table: what a transfer for `purpose` needs.

    needs_consent: False for a purpose that is itself the exception (KART-13: child welfare
        asking in an investigation); no consent can be recorded for it.
    minor_may_consent: R-15 — the resident may consent before 18, as may the representative.
    names_recipients: False for a consent that is not to a transfer at all (SAV-12: keeping
        the mapping data after the minor left without an address); it names no recipient.
    no_consent_to: recipient kinds a transfer for this purpose needs no consent for, besides
        a centre (WITHOUT_CONSENT_TO, R-14).
    """

    purpose: str
    label: str | Promise
    rule_ids: tuple[str, ...]
    needs_consent: bool = True
    minor_may_consent: bool = False
    no_consent_to: frozenset[str] = frozenset()
    names_recipients: bool = True

    def needed_for(self, recipient_kind: str) -> bool:
        return self.needs_consent and recipient_kind not in WITHOUT_CONSENT_TO | self.no_consent_to


class ConsentRuleConflict(ValueError):
    """Two different rows registered for one purpose: a programming error."""


_table: dict[str, ConsentRule] = {}
TABLE: Mapping[str, ConsentRule] = MappingProxyType(_table)


def register_consent_rule(rule: ConsentRule) -> ConsentRule:
    """Add a row; the same row again is harmless, a different one for the purpose is an error."""
    return register_once(
        _table, rule.purpose, rule, what="consent purpose", error=ConsentRuleConflict
    )


def register_consent_rules(*rules: ConsentRule) -> None:
    for rule in rules:
        register_consent_rule(rule)


def consent_rule(purpose: str) -> ConsentRule | None:
    return _table.get(purpose)


def consentable_purposes() -> tuple[str, ...]:
    """The purposes a consent can be recorded for (an exception needs none, so takes none)."""
    return tuple(p for p, rule in _table.items() if rule.needs_consent)


def names_recipients(purpose: str) -> bool:
    """Whether a consent for the purpose must name the recipients it covers."""
    rule = _table.get(purpose)
    return rule is None or rule.names_recipients


def is_consentable(purpose: str) -> bool:
    rule = _table.get(purpose)
    return rule is not None and rule.needs_consent


def purpose_choices() -> list[tuple[str, str | Promise]]:
    """Every registered purpose with its label (the model field's choices)."""
    return [(rule.purpose, rule.label) for rule in _table.values()]


def consentable_choices() -> list[tuple[str, str | Promise]]:
    """The purposes a consent can be recorded for, with their labels (the form's choices)."""
    return [(rule.purpose, rule.label) for rule in _table.values() if rule.needs_consent]


def consent_required(*, recipient_kind: str, purpose: str) -> bool:
    """Whether a transfer needs a valid consent first (KART-13, R-14).

    No consent for a purpose that is the exception (child welfare asking in an investigation),
    nor to a recipient kind the row exempts (a centre, R-14). Notices the routines send under
    a duty of their own (arrival and moving notices, missing-person and concern reports, SAV-4
    "notwithstanding confidentiality") have no row; a new kind of information transfer must be
    registered as a row by the app that owns it.
    """
    rule = _table.get(purpose)
    return rule is not None and rule.needed_for(recipient_kind)


def age_on(date_of_birth: date, day: date) -> int:
    """Completed years on `day` (someone born 29 February turns a year older on 1 March)."""
    years = day.year - date_of_birth.year
    if (day.month, day.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def who_must_consent(*, age: int) -> str:
    """KART-13: the representative consents for a minor; from 18 the resident consents."""
    return GivenBy.RESIDENT if age >= ADULT_AGE else GivenBy.REPRESENTATIVE


def who_may_consent(*, purpose: str, age: int) -> frozenset[str]:
    """Who may give a consent for `purpose` at `age`: KART-13, and R-15 where the row allows it.

    From 18 only the resident (the representative's task has ended). Before 18 the
    representative, and the resident too only where the purpose's row says so (SAV-10).
    """
    if age >= ADULT_AGE:
        return frozenset({GivenBy.RESIDENT})
    rule = _table.get(purpose)
    if rule is not None and rule.minor_may_consent:
        return frozenset({GivenBy.REPRESENTATIVE, GivenBy.RESIDENT})
    return frozenset({GivenBy.REPRESENTATIVE})


def adult_from(date_of_birth: date) -> date:
    """The first day the resident is 18 (1 March for someone born 29 February)."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + ADULT_AGE)
    except ValueError:
        return date(date_of_birth.year + ADULT_AGE, 3, 1)


def consent_giver_problem(
    *, given_by: str, date_of_birth: date, given_on: date, purpose: str = ""
) -> str | None:
    """A message id when this person may not give the consent on that day, else None.

    Read to protect the child: only the representative can consent for a minor (the minor's
    own signature confirms taking part, it is not the consent) unless the purpose's row lets
    the minor consent (R-15); from 18 only the resident can — a representative's consent for
    an adult is refused, not accepted alongside.
    """
    if given_by not in GivenBy.values:
        return "unknown_giver"
    if given_on < date_of_birth:
        return "before_birth"
    if given_by not in who_may_consent(purpose=purpose, age=age_on(date_of_birth, given_on)):
        return "minor_cannot_consent" if given_by == GivenBy.RESIDENT else "adult_consents_self"
    return None


def consent_valid_until(*, given_by: str, date_of_birth: date) -> date | None:
    """First day a consent no longer holds: a representative's ends when the resident turns 18.

    The resident's own consent (from 18, or before 18 where R-15 allows it) does not run out.
    """
    return adult_from(date_of_birth) if given_by == GivenBy.REPRESENTATIVE else None


def unknown_recipient_kinds(kinds) -> list[str]:
    return sorted(k for k in kinds if k not in RECIPIENT_KINDS)
