"""Across apps: a notice recorded in mottak (the decision notice, the notice about the return
conversation) starts the mapping's two-week paper copy (KART-8, KART-9) through the life event."""

from datetime import date, datetime, time, timedelta

import pytest

from cases.periods import OSLO
from cases.services import case_events_drain
from kartlegging import services as mapping_services
from kartlegging.models import Mapping
from mottak.services import sesam_notice_record
from mottak.tests.factories import make_resident

pytestmark = pytest.mark.django_db


def _mapped(centre, stage: str, by):
    resident = make_resident(centre, asylum_stage=stage)
    mapping_services.mapping_open(resident=resident, stay=resident.stays.get(), by=by)
    return resident


def test_kart_8_a_decision_notice_for_a_grant_starts_the_imdi_copy_from_that_day(centre, staff):
    resident = _mapped(centre, "granted", staff)
    received = date.today() - timedelta(days=1)
    sesam_notice_record(resident=resident, kind="decision", received_on=received, by=staff)
    case_events_drain()
    mapping = Mapping.objects.get(resident=resident)
    assert mapping.transfer_track == "settlement"
    assert mapping.transfer_clock_from == datetime.combine(received, time(0), tzinfo=OSLO)


def test_kart_8_a_decision_notice_for_a_rejection_starts_no_imdi_copy(centre, staff):
    resident = _mapped(centre, "rejected_udi", staff)
    sesam_notice_record(resident=resident, kind="decision", received_on=date.today(), by=staff)
    case_events_drain()
    mapping = Mapping.objects.get(resident=resident)
    assert mapping.transfer_track == ""
    assert mapping.decision_notice_at is not None  # the mapping is to be finished (KART-8)


def test_kart_9_the_return_conversation_notice_starts_the_regional_office_copy(centre, staff):
    resident = _mapped(centre, "rejected_udi", staff)
    received = date.today()
    for _ in range(2):  # recorded twice: one clock
        sesam_notice_record(
            resident=resident, kind="return_conversation", received_on=received, by=staff
        )
    case_events_drain()
    mapping = Mapping.objects.get(resident=resident)
    assert mapping.transfer_track == "return"
    assert mapping.transfer_clock_from == datetime.combine(received, time(0), tzinfo=OSLO)
