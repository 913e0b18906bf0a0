"""Consents (KART-13, X-2): who may consent, what a consent covers, recording and withdrawal."""

from datetime import date, datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases import consent_rules
from cases.consent_rules import GivenBy, RecipientKind
from cases.models import Consent, TimelineEvent
from cases.services import consent_is_valid_for, consent_record, consent_withdraw
from kartlegging.purposes import Purpose
from mottak.models import User
from mottak.tests.factories import ResidentFactory
from savnet.purposes import ASYLUM_INFORMATION

from . import upload_samples
from .upload_samples import PDF, files_under, upload

media_root = upload_samples.media_root

BIRTH = date(2006, 6, 15)
DAY_BEFORE_18 = date(2024, 6, 14)  # 17 years and 364 days
EIGHTEENTH_BIRTHDAY = date(2024, 6, 15)


def record(subject, by, **overrides):
    fields = dict(
        subject=subject,
        given_by=GivenBy.REPRESENTATIVE,
        given_by_name="Rita Representant",
        purpose=Purpose.MAPPING_TRANSFER,
        recipient_kinds=[RecipientKind.IMDI, RecipientKind.UDI_REGION],
        given_on=timezone.localdate() - timedelta(days=3),
        declaration_file=upload(PDF + str(overrides.pop("variant", "")).encode()),
        by=by,
    )
    fields.update(overrides)
    return consent_record(**fields)


@pytest.fixture
def born_2006(centre):
    return ResidentFactory(centre=centre, date_of_birth=BIRTH)


# --- Rules ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("recipient_kind", "purpose", "required"),
    [
        (RecipientKind.IMDI, Purpose.MAPPING_TRANSFER, True),
        (RecipientKind.UDI_REGION, Purpose.MAPPING_TRANSFER, True),
        (RecipientKind.IOM, Purpose.MAPPING_TRANSFER, True),
        (RecipientKind.CHILD_WELFARE, Purpose.MAPPING_TRANSFER, True),
        (RecipientKind.UDI_REGION, ASYLUM_INFORMATION, True),
        (RecipientKind.CHILD_WELFARE, Purpose.CHILD_WELFARE_INVESTIGATION, False),
        # The exception is child welfare's alone.
        (RecipientKind.IMDI, Purpose.CHILD_WELFARE_INVESTIGATION, False),
        # Notices under a duty of their own (SAV-4 concern report) are not consent purposes.
        (RecipientKind.CHILD_WELFARE, "concern_report", False),
    ],
)
def test_kart_13_consent_required_except_child_welfare_investigation(
    recipient_kind, purpose, required
):
    assert (
        consent_rules.consent_required(recipient_kind=recipient_kind, purpose=purpose) is required
    )


def test_kart_13_who_must_consent_at_17_years_364_days_vs_18_years():
    assert consent_rules.age_on(BIRTH, DAY_BEFORE_18) == 17
    assert consent_rules.age_on(BIRTH, EIGHTEENTH_BIRTHDAY) == 18
    assert consent_rules.who_must_consent(age=17) == GivenBy.REPRESENTATIVE
    assert consent_rules.who_must_consent(age=18) == GivenBy.RESIDENT


def test_kart_13_giver_problem_at_the_18_year_boundary():
    problem = consent_rules.consent_giver_problem
    assert problem(given_by="representative", date_of_birth=BIRTH, given_on=DAY_BEFORE_18) is None
    assert problem(given_by="resident", date_of_birth=BIRTH, given_on=DAY_BEFORE_18) == (
        "minor_cannot_consent"
    )
    assert problem(given_by="resident", date_of_birth=BIRTH, given_on=EIGHTEENTH_BIRTHDAY) is None
    assert problem(
        given_by="representative", date_of_birth=BIRTH, given_on=EIGHTEENTH_BIRTHDAY
    ) == ("adult_consents_self")


def test_kart_13_born_on_29_february_is_adult_on_1_march():
    assert consent_rules.adult_from(date(2008, 2, 29)) == date(2026, 3, 1)
    assert consent_rules.adult_from(date(2004, 2, 29)) == date(2022, 3, 1)


# --- Recording --------------------------------------------------------------------------


def test_kart_13_representative_consents_at_17_years_364_days(born_2006, staff, media_root):
    consent = record(born_2006, staff, given_on=DAY_BEFORE_18)
    assert consent.given_by == GivenBy.REPRESENTATIVE
    # A representative's consent ends when the resident turns 18.
    assert consent.valid_until == EIGHTEENTH_BIRTHDAY
    assert consent.declaration.name.startswith("consents/")
    assert len(files_under(media_root)) == 1


def test_kart_13_representative_refused_at_18_years(born_2006, staff, media_root):
    with pytest.raises(ValidationError) as error:
        record(born_2006, staff, given_on=EIGHTEENTH_BIRTHDAY)
    assert "only the resident can give the consent" in " ".join(error.value.messages)
    assert not Consent.objects.exists()
    assert files_under(media_root) == []


def test_kart_13_resident_refused_at_17_years_364_days(born_2006, staff, media_root):
    with pytest.raises(ValidationError) as error:
        record(born_2006, staff, given_by=GivenBy.RESIDENT, given_on=DAY_BEFORE_18)
    assert "the representative must give the consent" in " ".join(error.value.messages)
    assert not Consent.objects.exists()


def test_kart_13_resident_consents_at_18_years(born_2006, staff, media_root):
    consent = record(born_2006, staff, given_by=GivenBy.RESIDENT, given_on=EIGHTEENTH_BIRTHDAY)
    assert consent.valid_until is None
    assert consent_is_valid_for(
        subject=born_2006, recipient_kind="imdi", at=EIGHTEENTH_BIRTHDAY + timedelta(days=400)
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"given_by_name": "  "}, "name of the person who signed"),
        ({"purpose": "anything"}, "what the consent is for"),
        ({"purpose": Purpose.CHILD_WELFARE_INVESTIGATION}, "what the consent is for"),
        ({"recipient_kinds": []}, "at least one recipient"),
        ({"recipient_kinds": ["imdi", "tax_office"]}, "not known"),
        ({"given_on": date.today() + timedelta(days=2)}, "in the future"),
        ({"given_by": "lawyer"}, "who gave the consent"),
    ],
)
def test_bad_consent_input_is_refused_and_nothing_is_saved(
    resident, staff, media_root, overrides, message
):
    with pytest.raises(ValidationError) as error:
        record(resident, staff, **overrides)
    assert message in " ".join(error.value.messages)
    assert not Consent.objects.exists()
    assert not TimelineEvent.objects.exists()
    assert files_under(media_root) == []


def test_wrong_file_type_is_refused_and_nothing_is_saved(resident, staff, media_root):
    with pytest.raises(ValidationError):
        record(resident, staff, declaration_file=upload(b"just text", name="signed.pdf"))
    assert not Consent.objects.exists()
    assert files_under(media_root) == []


def test_the_same_declaration_twice_gives_one_consent_and_one_file(resident, staff, media_root):
    record(resident, staff)
    with pytest.raises(ValidationError) as error:
        record(resident, staff)
    assert "already been recorded" in error.value.messages[0]
    assert Consent.objects.count() == 1
    assert len(files_under(media_root)) == 1


def test_a_failure_after_the_file_is_written_leaves_no_file(resident, media_root):
    unsaved_user = User(username="not-saved")
    with pytest.raises(ValueError):
        record(resident, unsaved_user)
    assert not Consent.objects.exists()
    assert files_under(media_root) == []


def test_recording_writes_history_and_a_timeline_event_on_the_resident(resident, staff, media_root):
    consent = record(resident, staff)
    assert consent.history.count() == 1
    event = TimelineEvent.objects.get(kind="consent_recorded")
    assert (event.object_id, event.rule_id, event.actor) == (resident.pk, "KART-13", staff)
    assert "Rita" not in event.summary  # the timeline names roles, not the signer


def test_consent_on_a_case_writes_its_event_on_the_resident(resident, staff, media_root):
    stay = resident.stays.get()
    record(stay, staff)
    event = TimelineEvent.objects.get(kind="consent_recorded")
    assert event.content_type == ContentType.objects.get_for_model(resident)
    assert event.object_id == resident.pk


# --- Validity ---------------------------------------------------------------------------


def test_kart_13_valid_consent_covers_its_recipient_kinds(resident, staff, media_root):
    record(resident, staff)
    assert consent_is_valid_for(subject=resident, recipient_kind="imdi")
    assert consent_is_valid_for(subject=resident, recipient_kind="udi_region")
    assert consent_is_valid_for(
        subject=resident, recipient_kind="imdi", purpose=Purpose.MAPPING_TRANSFER
    )


def test_kart_13_consent_not_covering_the_kind_is_not_valid(resident, staff, media_root):
    record(resident, staff)
    assert not consent_is_valid_for(subject=resident, recipient_kind="iom")
    assert not consent_is_valid_for(subject=resident, recipient_kind="child_welfare")


def test_kart_13_consent_for_another_purpose_is_not_valid(resident, staff, media_root):
    record(resident, staff)
    assert not consent_is_valid_for(
        subject=resident, recipient_kind="imdi", purpose=ASYLUM_INFORMATION
    )


def test_kart_13_consent_given_after_the_date_is_not_valid(resident, staff, media_root):
    given_on = timezone.localdate() - timedelta(days=10)
    record(resident, staff, given_on=given_on)
    assert not consent_is_valid_for(
        subject=resident, recipient_kind="imdi", at=given_on - timedelta(days=1)
    )
    assert consent_is_valid_for(subject=resident, recipient_kind="imdi", at=given_on)
    day_before = timezone.make_aware(datetime.combine(given_on, datetime.min.time())) - timedelta(
        seconds=1
    )
    assert not consent_is_valid_for(subject=resident, recipient_kind="imdi", at=day_before)


def test_kart_13_withdrawn_consent_is_not_valid(resident, staff, media_root):
    consent = record(resident, staff, given_on=timezone.localdate() - timedelta(days=10))
    withdrawn_at = timezone.now() - timedelta(days=2)
    consent_withdraw(consent=consent, by=staff, at=withdrawn_at)
    assert not consent_is_valid_for(subject=resident, recipient_kind="imdi")
    assert not consent_is_valid_for(subject=resident, recipient_kind="imdi", at=withdrawn_at)
    # Before the withdrawal it covered transfers; on the day of the withdrawal it does not.
    assert consent_is_valid_for(
        subject=resident, recipient_kind="imdi", at=withdrawn_at - timedelta(seconds=1)
    )
    assert not consent_is_valid_for(
        subject=resident, recipient_kind="imdi", at=timezone.localtime(withdrawn_at).date()
    )


def test_kart_13_representative_consent_runs_out_at_18(born_2006, staff, media_root):
    record(born_2006, staff, given_on=date(2024, 1, 10))
    assert consent_is_valid_for(subject=born_2006, recipient_kind="imdi", at=DAY_BEFORE_18)
    assert not consent_is_valid_for(
        subject=born_2006, recipient_kind="imdi", at=EIGHTEENTH_BIRTHDAY
    )


def test_kart_13_another_residents_consent_does_not_count(resident, centre, staff, media_root):
    record(resident, staff)
    other = ResidentFactory(centre=centre)
    assert not consent_is_valid_for(subject=other, recipient_kind="imdi")


def test_kart_13_child_welfare_investigation_needs_no_consent(resident):
    # With no consent at all, the exception lets the transfer go; the dispatch asks in this order.
    needs = consent_rules.consent_required(
        recipient_kind="child_welfare", purpose=Purpose.CHILD_WELFARE_INVESTIGATION
    )
    allowed = not needs or consent_is_valid_for(subject=resident, recipient_kind="child_welfare")
    assert allowed
    assert not consent_is_valid_for(subject=resident, recipient_kind="child_welfare")


# --- Withdrawal -------------------------------------------------------------------------


def test_withdrawing_twice_is_refused_and_changes_nothing(resident, staff, leader, media_root):
    consent = consent_withdraw(consent=record(resident, staff), by=staff)
    first = consent.withdrawn_at
    with pytest.raises(ValidationError) as error:
        consent_withdraw(consent=consent, by=leader)
    assert "already been withdrawn" in error.value.messages[0]
    consent.refresh_from_db()
    assert (consent.withdrawn_at, consent.withdrawn_by) == (first, staff)
    assert consent.history.count() == 2
    assert TimelineEvent.objects.filter(kind="consent_withdrawn").count() == 1


@pytest.mark.parametrize(
    "at",
    [
        lambda: timezone.now() + timedelta(hours=1),
        lambda: timezone.now() - timedelta(days=30),
    ],
    ids=["future", "before-given"],
)
def test_withdrawal_at_an_impossible_time_is_refused(resident, staff, media_root, at):
    consent = record(resident, staff)
    with pytest.raises(ValidationError):
        consent_withdraw(consent=consent, by=staff, at=at())
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_anonymous_cannot_be_the_recorder(resident, media_root):
    with pytest.raises((ValueError, TypeError)):
        record(resident, AnonymousUser())
    assert not Consent.objects.exists()
    assert files_under(media_root) == []
