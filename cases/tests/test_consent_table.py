"""The consent table (KART-13, R-14, R-15): one row per purpose, registered by its owning app."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases import checks, consent_rules, rules
from cases.consent_rules import ConsentRule, GivenBy
from cases.forms import ConsentForm
from cases.models import Consent, Dispatch
from cases.services import consent_is_valid_for, consent_record
from mottak.tests.factories import make_resident

from . import upload_samples
from .dispatch_factories import create_arrival_notice
from .upload_samples import PDF, upload

media_root = upload_samples.media_root

BIRTH = date(2008, 6, 15)
DAY_BEFORE_18 = date(2026, 6, 14)  # 17 years and 364 days
EIGHTEENTH_BIRTHDAY = date(2026, 6, 15)
AT_16 = date(2024, 9, 1)

CONSENT_PURPOSES = (
    "mapping_transfer",
    "mapping_transfer_assessed",
    "mapping_storage",
    "asylum_information",
)


# --- R-14 -----------------------------------------------------------------------------------


def test_r_14_centre_to_centre_needs_no_consent():
    # Every purpose that needs a consent, including the mapping that KART-15 sends to the new
    # centre: the same task for the same controller.
    for purpose in consent_rules.consentable_purposes():
        assert not consent_rules.consent_required(recipient_kind=rules.CENTRE, purpose=purpose)
    assert rules.CENTRE in rules.RULES["mapping_transfer"].recipient_kinds
    assert not rules.consent_needed(purpose="mapping_transfer", recipient_kind=rules.CENTRE)
    # The exemption is the centre's, not every recipient's.
    assert rules.consent_needed(purpose="mapping_transfer", recipient_kind=rules.IMDI)


def test_r_14_mapping_goes_to_the_new_centre_without_a_consent(resident, staff):
    dispatch = create_arrival_notice(
        resident=resident,
        by=staff,
        recipient=None,
        recipient_kind=rules.CENTRE,
        recipient_name="Hamar mottak for enslige mindreårige",
        recipient_address="Postboks 2, 2301 Hamar",
        purpose="mapping_transfer",
        template="letter.html",
        context={"title": "Kartlegging og tiltaksplan"},
    )
    assert (dispatch.purpose, dispatch.recipient_kind) == ("mapping_transfer", "centre")
    assert not Consent.objects.exists()


def test_r_14_a_consent_never_lists_a_centre(resident, staff, media_root):
    # Nothing to consent to: the form does not offer it and the service refuses it.
    form_kinds = dict(ConsentForm().fields["recipient_kinds"].choices)
    assert rules.CENTRE not in form_kinds
    with pytest.raises(ValidationError, match="not known"):
        consent_record(
            subject=resident,
            given_by=GivenBy.REPRESENTATIVE,
            given_by_name="Rita Representant",
            purpose="mapping_transfer",
            recipient_kinds=[rules.CENTRE],
            given_on=timezone.localdate(),
            declaration_file=upload(PDF),
            by=staff,
        )


def test_r_14_every_transfer_that_needs_a_consent_can_be_covered_by_one():
    # Before R-14 was in the table, a mapping to a centre needed a consent no consent could
    # list, and was blocked for good; the system check keeps such a gap from coming back.
    assert checks.consent_gaps() == []
    assert checks.registered_rules_fit() == []


# --- R-15 -----------------------------------------------------------------------------------


def test_r_15_asylum_information_consent_from_resident_or_representative(centre, staff, media_root):
    problem = consent_rules.consent_giver_problem
    # A 16-year-old: the representative and the resident both may consent to SAV-10.
    for giver in (GivenBy.REPRESENTATIVE, GivenBy.RESIDENT):
        assert (
            problem(
                given_by=giver, date_of_birth=BIRTH, given_on=AT_16, purpose="asylum_information"
            )
            is None
        )
    # For other purposes a minor's own consent does not count.
    for purpose in ("mapping_transfer", "mapping_storage"):
        assert (
            problem(given_by=GivenBy.RESIDENT, date_of_birth=BIRTH, given_on=AT_16, purpose=purpose)
            == "minor_cannot_consent"
        )

    # Recorded: the 16-year-old's own consent covers the asylum information to the region.
    resident = make_resident(centre, date_of_birth=timezone.localdate() - timedelta(days=16 * 366))
    consent = consent_record(
        subject=resident,
        given_by=GivenBy.RESIDENT,
        given_by_name="Ali Beboer",
        purpose="asylum_information",
        recipient_kinds=["udi_region"],
        given_on=timezone.localdate(),
        declaration_file=upload(PDF),
        by=staff,
    )
    assert consent.valid_until is None  # the resident's own consent does not run out at 18
    assert consent_is_valid_for(
        subject=resident, recipient_kind="udi_region", purpose="asylum_information"
    )
    # … and the representative's does too.
    other = make_resident(centre, date_of_birth=timezone.localdate() - timedelta(days=16 * 366))
    consent_record(
        subject=other,
        given_by=GivenBy.REPRESENTATIVE,
        given_by_name="Rita Representant",
        purpose="asylum_information",
        recipient_kinds=["udi_region"],
        given_on=timezone.localdate(),
        declaration_file=upload(PDF + b"2"),
        by=staff,
    )
    assert consent_is_valid_for(
        subject=other, recipient_kind="udi_region", purpose="asylum_information"
    )
    # The minor's own consent to the mapping is refused, nothing is stored.
    with pytest.raises(ValidationError, match="the representative must give the consent"):
        consent_record(
            subject=resident,
            given_by=GivenBy.RESIDENT,
            given_by_name="Ali Beboer",
            purpose="mapping_transfer",
            recipient_kinds=["imdi"],
            given_on=timezone.localdate(),
            declaration_file=upload(PDF + b"3"),
            by=staff,
        )
    assert Consent.objects.count() == 2
    assert not Dispatch.objects.exists()


# --- KART-13 --------------------------------------------------------------------------------


@pytest.mark.parametrize("purpose", CONSENT_PURPOSES)
def test_kart_13_who_may_consent_at_17_years_364_days_vs_the_18th_birthday(purpose):
    minor = consent_rules.who_may_consent(
        purpose=purpose, age=consent_rules.age_on(BIRTH, DAY_BEFORE_18)
    )
    adult = consent_rules.who_may_consent(
        purpose=purpose, age=consent_rules.age_on(BIRTH, EIGHTEENTH_BIRTHDAY)
    )
    assert GivenBy.REPRESENTATIVE in minor
    assert (GivenBy.RESIDENT in minor) is (purpose == "asylum_information")
    # From the 18th birthday only the resident, for every purpose.
    assert adult == {GivenBy.RESIDENT}


@pytest.mark.parametrize("purpose", CONSENT_PURPOSES)
def test_kart_13_representative_consent_refused_on_the_18th_birthday(purpose):
    problem = consent_rules.consent_giver_problem
    kwargs = dict(given_by=GivenBy.REPRESENTATIVE, date_of_birth=BIRTH, purpose=purpose)
    assert problem(given_on=DAY_BEFORE_18, **kwargs) is None
    assert problem(given_on=EIGHTEENTH_BIRTHDAY, **kwargs) == "adult_consents_self"
    # … and a representative's consent given the day before runs out on the birthday.
    assert (
        consent_rules.consent_valid_until(given_by=GivenBy.REPRESENTATIVE, date_of_birth=BIRTH)
        == EIGHTEENTH_BIRTHDAY
    )


@pytest.mark.parametrize("recipient_kind", sorted(rules.RECIPIENT_KINDS))
def test_kart_13_child_welfare_investigation_needs_no_consent_and_takes_none(recipient_kind):
    assert not consent_rules.consent_required(
        recipient_kind=recipient_kind, purpose="child_welfare_investigation"
    )
    assert not consent_rules.is_consentable("child_welfare_investigation")
    assert "child_welfare_investigation" not in dict(ConsentForm().fields["purpose"].choices)


# --- the table is registered by the owning apps ---------------------------------------------


def test_the_owning_apps_registered_their_rows():
    table = consent_rules.TABLE
    assert table["asylum_information"].rule_ids[0] == "SAV-10"
    assert table["mapping_transfer"].rule_ids[0].startswith("KART-")
    assert set(consent_rules.consentable_purposes()) == set(CONSENT_PURPOSES)
    assert dict(Consent._meta.get_field("purpose").choices).keys() == set(table)


def test_a_different_row_for_a_registered_purpose_is_refused():
    row = consent_rules.TABLE["mapping_transfer"]
    assert consent_rules.register_consent_rule(row) is row  # the same again is harmless
    with pytest.raises(consent_rules.ConsentRuleConflict):
        consent_rules.register_consent_rule(
            ConsentRule("mapping_transfer", row.label, row.rule_ids, minor_may_consent=True)
        )
    assert consent_rules.TABLE["mapping_transfer"] is row
