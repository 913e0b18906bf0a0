"""KART-15 (R-14): on a move to another centre the mapping follows the minor as one record, and
a paper copy of the mapping and the plan goes to the new centre as a dispatch — from the centre
left, by hand, without a consent, holding everything."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import Consent, Dispatch
from cases.services import case_events_drain
from cases.tests.upload_samples import minimal_pdf
from kartlegging import services
from kartlegging.models import Mapping
from kartlegging.routine import HANDOVER
from kartlegging.tests.conftest import talk
from kartlegging.tests.test_transfers import pdf_text
from mottak import services as mottak_services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def move(mapping, staff, to_centre, by):
    stay = mapping.resident.stays.get(ended_at__isnull=True)
    moved_at = timezone.now() - timedelta(minutes=30)
    mottak_services.stay_close(stay=stay, ended_at=moved_at, reason="moved", by=staff)
    mottak_services.stay_open(
        resident=mapping.resident,
        centre=to_centre,
        arrived_at=moved_at + timedelta(minutes=1),
        by=by,
    )
    case_events_drain(now=timezone.now() + timedelta(minutes=1))


def test_kart_15_r_14_a_move_sends_the_new_centre_a_paper_copy_without_consent(
    assigned, key_worker, staff, centre, far_centre, user_factory, tmp_path
):
    talk(assigned, key_worker)
    for area, text in (("family", "Har en bror i Sverige."), ("safety", "Føler seg trygg.")):
        services.entry_add(
            mapping=assigned,
            area=area,
            source="minor",
            text=text,
            recorded_on=timezone.localdate(),
            by=key_worker,
        )
    receiver = user_factory("centre_staff", centre=far_centre)
    assert not Consent.objects.exists()
    move(assigned, staff, far_centre, receiver)
    mapping = Mapping.objects.get(resident=assigned.resident)
    assert (mapping.pk, mapping.centre) == (assigned.pk, far_centre)  # the record follows
    dispatch = Dispatch.objects.get(step_code=HANDOVER)
    assert dispatch.purpose == "mapping_transfer"
    assert (dispatch.recipient_kind, dispatch.recipient_name) == ("centre", far_centre.name)
    assert dispatch.channel == "by_hand"
    assert dispatch.letterhead["name"] == centre.name  # from the centre left
    text = " ".join(pdf_text(dispatch, tmp_path).split())
    assert "Har en bror i Sverige." in text and "Føler seg trygg." in text
    assert f"Overføres fra {centre.name}" in text
    assert "Ikke påkrevd for denne mottakeren" in text  # no consent between centres
    # The event delivered again makes no second copy.
    case_events_drain(now=timezone.now() + timedelta(minutes=5))
    assert Dispatch.objects.filter(step_code=HANDOVER).count() == 1


def test_kart_15_a_return_to_the_same_centre_sends_no_copy(mapping, staff, centre):
    move(mapping, staff, centre, staff)
    assert not Dispatch.objects.filter(step_code=HANDOVER).exists()


def test_kart_15_kart_10_the_copy_to_the_new_centre_does_not_count_as_a_version_to_imdi(
    assigned, staff, far_centre, user_factory
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cases.services import consent_record
    from mottak.models import ExternalRecipient

    ExternalRecipient.objects.create(kind="imdi", name="IMDi Vest", address="Postboks 9")
    new_lead = user_factory("child_welfare_lead", centre=far_centre)
    move(assigned, staff, far_centre, new_lead)
    mapping = Mapping.objects.get(pk=assigned.pk)
    services.mapping_finish(mapping=mapping, by=new_lead)
    consent_record(
        subject=mapping.resident,
        given_by="representative",
        given_by_name="Rita Representant",
        purpose="mapping_transfer",
        recipient_kinds=["imdi"],
        given_on=timezone.localdate(),
        declaration_file=SimpleUploadedFile(
            "s.pdf", minimal_pdf("x"), content_type="application/pdf"
        ),
        by=new_lead,
    )
    services.mapping_record_sesam_notice(
        mapping=mapping, track="settlement", received_at=timezone.now(), by=new_lead
    )
    to_imdi = services.mapping_transfer_send(mapping=mapping, channel="post", by=new_lead)
    assert Dispatch.objects.filter(step_code=HANDOVER).count() == 1
    assert to_imdi.version == 1
