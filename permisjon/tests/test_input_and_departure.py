"""PERM-1 (and PERM-9/10) at input and again at departure: what no application can be, and a
grant that no longer holds when the minor is about to leave."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import Dispatch
from mottak.models import AsylumStage
from permisjon import services
from permisjon.models import LeaveApplication
from permisjon.routine import AGREEMENT_PURPOSE
from permisjon.rules import PLAUSIBLE_AHEAD_DAYS, PLAUSIBLE_MAX_DAYS
from permisjon.tests.conftest import (
    contact,
    interview_held_for,
    leave_data,
    prepare,
    ready_to_leave,
)

pytestmark = pytest.mark.django_db
State = LeaveApplication.State


def _submit(resident, staff, **data):
    interview_held_for(resident)
    return services.leave_application_submit(
        resident=resident, data=leave_data(**data), contact_persons=[contact()], by=staff
    )


def test_perm_1_a_departure_in_the_past_is_refused_at_input(resident, staff):
    with pytest.raises(ValidationError, match="past"):
        _submit(resident, staff, starts_in_days=-1)
    assert not LeaveApplication.objects.exists()


def test_perm_1_a_leave_of_the_plausible_maximum_is_accepted_one_day_more_is_refused(
    resident, staff
):
    departure = (timezone.localtime() + timedelta(days=5)).replace(hour=12, minute=0)
    longest = departure + timedelta(days=PLAUSIBLE_MAX_DAYS)
    assert _submit(resident, staff, departure_at=departure, return_at=longest)
    with pytest.raises(ValidationError, match="not plausible"):
        _submit(
            resident,
            staff,
            departure_at=departure + timedelta(days=200),
            return_at=departure + timedelta(days=200 + PLAUSIBLE_MAX_DAYS + 1),
        )


def test_perm_1_a_departure_more_than_a_year_ahead_is_refused(resident, staff):
    assert _submit(resident, staff, starts_in_days=PLAUSIBLE_AHEAD_DAYS - 1, length_days=2)
    with pytest.raises(ValidationError, match="more than a year ahead"):
        _submit(resident, staff, starts_in_days=PLAUSIBLE_AHEAD_DAYS + 2, length_days=2)


def test_perm_1_the_form_says_it_at_the_fields():
    from permisjon.forms import LeaveApplicationForm

    departure = timezone.localtime() - timedelta(days=1)
    form = LeaveApplicationForm(
        {
            "departure_at": departure.strftime("%Y-%m-%dT%H:%M"),
            "return_at": (departure + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
            "destination_address": "Storgata 1",
            "destination_municipality": "Oslo",
            "abroad": "on",
            "reason": "Visit",
        }
    )
    assert not form.is_valid()
    assert "past" in form.errors["departure_at"][0]
    assert "out of Norway" in form.errors["abroad"][0]


def _granted(resident, staff, leader):
    application = prepare(_submit(resident, staff), staff)
    return services.leave_application_grant(
        application=application, by=leader, reason="Trygt besøk"
    )


def test_perm_1_a_grant_records_the_asylum_stage_it_was_made_on(resident, staff, leader):
    granted = _granted(resident, staff, leader)
    assert granted.asylum_stage_at_decision == resident.asylum_stage


def test_perm_9_10_a_changed_asylum_stage_stops_the_departure_and_sends_it_back(
    resident, staff, leader
):
    granted = _granted(resident, staff, leader)
    resident.asylum_stage = AsylumStage.FINAL_REJECTION
    resident.save()
    with pytest.raises(ValidationError, match="asylum stage has changed"):
        services.leave_application_mark_departed(application=granted, at=timezone.now(), by=staff)
    granted.refresh_from_db()
    assert granted.state == State.PREPARED
    assert granted.departed_at is None
    assert granted.decision_round == 2
    # A final rejection: only the regional office decides now (PERM-10).
    assert granted.decider == LeaveApplication.Decider.REGION


def test_perm_1_an_unchanged_grant_departs(resident, staff, leader):
    granted = _granted(resident, staff, leader)
    granted = ready_to_leave(granted, staff)
    departed = services.leave_application_mark_departed(
        application=granted, at=timezone.now(), by=staff
    )
    assert departed.state == State.ONGOING


def test_perm_1_a_new_decision_makes_a_new_agreement(resident, staff, leader):
    granted = _granted(resident, staff, leader)
    new_stage = (
        AsylumStage.DECISION_PENDING
        if resident.asylum_stage != AsylumStage.DECISION_PENDING
        else AsylumStage.AWAITING_INTERVIEW
    )
    resident.asylum_stage = new_stage
    resident.save()
    with pytest.raises(ValidationError):
        services.leave_application_mark_departed(application=granted, at=timezone.now(), by=staff)
    granted.refresh_from_db()
    assert granted.decider == LeaveApplication.Decider.CENTRE
    regranted = services.leave_application_grant(
        application=granted, by=leader, reason="Trygt besøk"
    )
    assert regranted.asylum_stage_at_decision == new_stage
    agreements = Dispatch.objects.filter(owner_id=regranted.pk, purpose=AGREEMENT_PURPOSE)
    assert sorted(agreements.values_list("version", flat=True)) == [1, 2]


def test_r_22_the_application_form_prints_the_findings_without_rule_ids():
    from permisjon import rules
    from permisjon.documents import assessment_lines

    outcome = rules.Outcome(
        length_days=20,
        decider="region",
        decider_reasons=(rules.Finding("over_14_days", "PERM-1", "Over 14 days"),),
    )
    lines = assessment_lines(outcome, {})
    assert lines and not any("PERM-" in line for line in lines)
