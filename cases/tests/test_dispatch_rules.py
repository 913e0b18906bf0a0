"""The dispatch rule table (X-2, KART-12..14, SAV-7), pure."""

import pytest

from cases import rules
from cases.rules import Channel, Problem


def test_kart_14_mapping_transfer_never_by_email_not_even_encrypted():
    assert Channel.ENCRYPTED_EMAIL not in rules.allowed_channels("mapping_transfer")
    assert rules.dispatch_problems(
        purpose="mapping_transfer", recipient_kind="imdi", channel="encrypted_email"
    ) == [Problem.CHANNEL_NOT_ALLOWED]
    assert rules.allowed_channels("mapping_transfer") == {Channel.POST, Channel.BY_HAND}


@pytest.mark.parametrize(
    ("channel", "allowed"),
    [("post", True), ("encrypted_email", True), ("by_hand", False), ("phone", False)],
)
def test_sav_7_copies_to_regional_office_by_post_or_encrypted_email(channel, allowed):
    problems = rules.dispatch_problems(
        purpose="missing_report_copy", recipient_kind="udi_region", channel=channel
    )
    assert (problems == []) is allowed


@pytest.mark.parametrize(
    ("kind", "allowed"),
    [
        ("udi_region", True),
        ("child_welfare", True),
        ("imdi", True),
        ("iom", True),
        ("correctional_service", True),
        ("dublin_care_authority", True),
        ("police", False),
        ("school", False),
        ("representative", False),
        ("une", False),
    ],
)
def test_kart_12_mapping_goes_only_to_instances_that_need_it(kind, allowed):
    problems = rules.dispatch_problems(
        purpose="mapping_transfer", recipient_kind=kind, channel="post"
    )
    assert (Problem.RECIPIENT_NOT_ALLOWED not in problems) is allowed


def test_kart_13_consent_needed_for_mapping_except_child_welfare_investigation():
    assert rules.consent_needed(purpose="mapping_transfer", recipient_kind="imdi")
    assert rules.consent_needed(purpose="mapping_transfer", recipient_kind="udi_region")
    # Only child welfare asking in an investigation is exempt, not every transfer to it.
    assert rules.consent_needed(purpose="mapping_transfer", recipient_kind="child_welfare")
    assert not rules.consent_needed(
        purpose="child_welfare_investigation", recipient_kind="child_welfare"
    )


def test_sav_10_asylum_information_needs_consent():
    assert rules.consent_needed(purpose="asylum_information", recipient_kind="udi_region")


def test_x_2_notices_without_consent_rule_need_none():
    for purpose in ("arrival_notice", "concern_report", "missing_report", "letter"):
        rule = rules.RULES[purpose]
        for kind in rule.recipient_kinds:
            assert not rules.consent_needed(purpose=purpose, recipient_kind=kind)


def test_mot_1_arrival_notice_to_county_governor_and_school_only():
    for kind in ("county_governor", "school"):
        assert (
            rules.dispatch_problems(purpose="arrival_notice", recipient_kind=kind, channel="post")
            == []
        )
    assert rules.dispatch_problems(
        purpose="arrival_notice", recipient_kind="police", channel="post"
    ) == [Problem.RECIPIENT_NOT_ALLOWED]


def test_sav_5_representative_is_told_by_phone():
    assert rules.allowed_channels("missing_notice") == {Channel.PHONE}


def test_unknown_purpose_and_kind_are_problems():
    assert rules.dispatch_problems(purpose="nope", recipient_kind="police", channel="post") == [
        Problem.UNKNOWN_PURPOSE
    ]
    assert rules.dispatch_problems(purpose="letter", recipient_kind="nope", channel="post") == [
        Problem.UNKNOWN_RECIPIENT_KIND
    ]
    assert not rules.consent_needed(purpose="nope", recipient_kind="imdi")


def test_x_2_encrypted_email_only_where_a_rule_allows_it():
    """Every purpose lists its channels; no purpose allows every channel."""
    for rule in rules.RULES.values():
        assert rule.channels
        assert rule.channels != set(Channel)


def test_directory_kinds_match_the_directory():
    from django.apps import apps

    directory = set(apps.get_model("mottak", "ExternalRecipient").Kind.values)
    assert directory == rules.DIRECTORY_KINDS


def test_purposes_are_registered_by_their_owning_apps():
    # The floor owns the generic letter only; the routines' notices come from their apps.
    assert rules.RULES["concern_report"].rule_ids == ("MOT-5", "SAV-4", "SAV-11", "PERM-4")
    assert {"arrival_notice", "missing_report", "leave_notice", "mapping_transfer"} <= set(
        rules.purposes()
    )


def test_a_different_rule_for_a_registered_purpose_is_refused():
    rule = rules.RULES["missing_notice"]
    assert rules.register_dispatch_rule(rule) is rule  # the same again is harmless
    with pytest.raises(rules.DispatchRuleConflict):
        rules.register_dispatch_rule(
            rules.DispatchRule(
                rule.purpose, rule.label, rule.rule_ids, rule.recipient_kinds, rules.PAPER
            )
        )
    with pytest.raises(ValueError, match="unknown recipient kinds"):
        rules.register_dispatch_rule(
            rules.DispatchRule("new_notice", "New", (), frozenset({"nobody"}), rules.PAPER)
        )
    assert rules.RULES["missing_notice"] is rule
    assert "new_notice" not in rules.RULES
