"""Retention (KART-16, SAV-12, R-21): after a stay ends as missing, two weeks to get the
representative's consent to keep the mapping; without it everything of the mapping is deleted
— rows, history rows and files — and only a record of counts remains; with it, on the 18th
birthday. A minor who comes back keeps the mapping."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases import periods
from cases.models import (
    ChecklistStepCompletion,
    Deadline,
    DeletionRecord,
    Dispatch,
    TimelineEvent,
)
from cases.services import (
    case_events_drain,
    consent_record,
    deadlines_sweep,
    dispatch_mark_sent,
    dispatch_render,
)
from cases.tests.upload_samples import minimal_pdf
from kartlegging import retention, services
from kartlegging.models import Mapping
from kartlegging.tests.conftest import talk
from mottak import services as mottak_services
from mottak.models import ExternalRecipient

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def worked_on(assigned, key_worker, lead, staff, region):
    ExternalRecipient.objects.create(kind="imdi", name="IMDi Øst", address="Postboks 1, 2300 Hamar")
    talk(assigned, key_worker)
    talk(assigned, staff, "welcome")
    entry = services.entry_add(
        mapping=assigned,
        area="family",
        source="minor",
        text="Har en bror i Sverige.",
        recorded_on=timezone.localdate(),
        by=key_worker,
    )
    services.measure_add(
        mapping=assigned,
        area="family",
        need_entry=entry,
        goal="Kontakt med broren",
        actions="Røde Kors sporingstjeneste",
        responsible="Særkontakt",
        by=key_worker,
    )
    services.mapping_offer_copies(mapping=assigned, accepted=True, by=staff)
    services.mapping_finish(mapping=assigned, by=lead)
    consent(assigned.resident, lead, purpose="mapping_transfer", kinds=["imdi"])
    services.mapping_record_sesam_notice(
        mapping=assigned, track="settlement", received_at=timezone.now(), by=lead
    )
    dispatch = services.mapping_transfer_send(mapping=assigned, channel="post", by=lead)
    dispatch_render(dispatch_id=dispatch.pk)
    dispatch.refresh_from_db()
    dispatch_mark_sent(dispatch=dispatch, by=lead)
    return assigned


def consent(resident, by, *, purpose="mapping_storage", kinds=()):
    return consent_record(
        subject=resident,
        given_by="representative",
        given_by_name="Rita Representant",
        purpose=purpose,
        recipient_kinds=list(kinds),
        given_on=timezone.localdate(),
        declaration_file=SimpleUploadedFile(
            "samtykke.pdf",
            minimal_pdf(purpose),
            content_type="application/pdf",
        ),
        by=by,
    )


def end_as_missing(mapping, staff):
    stay = mapping.resident.stays.get(ended_at__isnull=True)
    left = timezone.now() - timedelta(minutes=5)
    mottak_services.stay_close(stay=stay, ended_at=left, reason="missing", by=staff)
    case_events_drain(now=timezone.now() + timedelta(minutes=1))
    return left


def rows_of_mapping(mapping_id: int, resident_id: int) -> dict[str, int]:
    """Every row in every kartlegging table (history included) and every case row owned by
    the mapping."""
    found = {}
    for model in apps.get_app_config("kartlegging").get_models():
        found[model.__name__] = model.objects.count()
    found["Dispatch"] = Dispatch.objects.filter(
        owner_id=mapping_id, owner_ct__model="mapping"
    ).count()
    found["HistoricalDispatch"] = Dispatch.history.model.objects.filter(
        owner_id=mapping_id, owner_ct__model="mapping"
    ).count()
    found["Deadline"] = Deadline.objects.filter(
        object_id=mapping_id, content_type__model="mapping"
    ).count()
    found["HistoricalDeadline"] = Deadline.history.model.objects.filter(
        object_id=mapping_id, content_type__model="mapping"
    ).count()
    found["Checklist"] = ChecklistStepCompletion.objects.filter(
        owner_id=mapping_id, owner_ct__model="mapping"
    ).count()
    found["HistoricalChecklist"] = ChecklistStepCompletion.history.model.objects.filter(
        owner_id=mapping_id, owner_ct__model="mapping"
    ).count()
    found["Timeline"] = sum(
        TimelineEvent.objects.filter(object_id=resident_id, kind__startswith=prefix).count()
        for prefix in retention.TIMELINE_KINDS
    )
    return found


def test_sav_12_r_21_kart_16_without_consent_nothing_of_the_mapping_remains(
    worked_on, staff, leader, caseworker, media
):
    mapping_id, resident_id = worked_on.pk, worked_on.resident_id
    before = rows_of_mapping(mapping_id, resident_id)
    assert all(before[name] for name in ("Mapping", "HistoricalEntry", "Dispatch", "Timeline"))
    pdfs = list(Path(media).rglob("*.pdf"))
    transfer_files = [p for p in pdfs if p.parent.name.isdigit()]
    assert transfer_files
    left = end_as_missing(worked_on, staff)
    ask = Deadline.objects.get(kind=retention.STORAGE_CONSENT_DEADLINE)
    assert ask.due_at == periods.weeks(left, 2)
    deadlines_sweep(now=ask.due_at - timedelta(minutes=1))
    assert Mapping.objects.filter(pk=mapping_id).exists()  # day 14: still kept
    deadlines_sweep(now=ask.due_at + timedelta(minutes=1))
    after = rows_of_mapping(mapping_id, resident_id)
    assert after == {name: 0 for name in after}, after
    assert not [p for p in transfer_files if p.exists()]
    record = DeletionRecord.objects.get()
    assert record.reason == "no_storage_consent"
    assert record.counts["entries"] == 1 and record.counts["files"] == 1
    assert record.counts["history_rows"] > 10
    # The record says how much, never what or whose.
    assert "Sverige" not in str(record.counts)
    assert not {f.name for f in DeletionRecord._meta.get_fields()} & {"resident", "mapping"}


def test_sav_12_r_21_with_the_representative_consent_kept_until_the_18th_birthday(
    worked_on, staff, lead, leader, caseworker
):
    resident = worked_on.resident
    today = timezone.localdate()
    resident.date_of_birth = date(today.year - 17, today.month, 1) - timedelta(days=1)
    resident.save()
    consent(resident, lead)
    end_as_missing(worked_on, staff)
    ask = Deadline.objects.get(kind=retention.STORAGE_CONSENT_DEADLINE)
    deadlines_sweep(now=ask.due_at + timedelta(minutes=1))
    assert Mapping.objects.filter(pk=worked_on.pk).exists()
    at_18 = Deadline.objects.get(kind=retention.DELETE_AT_18_DEADLINE)
    birthday = date(
        resident.date_of_birth.year + 18, resident.date_of_birth.month, resident.date_of_birth.day
    )
    assert at_18.due_at.astimezone(periods.OSLO).date() == birthday
    deadlines_sweep(now=at_18.due_at - timedelta(minutes=1))
    assert Mapping.objects.filter(pk=worked_on.pk).exists()
    deadlines_sweep(now=at_18.due_at + timedelta(minutes=1))
    assert not Mapping.objects.filter(pk=worked_on.pk).exists()
    assert DeletionRecord.objects.get().reason == "turned_18"


def test_r_21_a_minor_who_comes_back_keeps_the_mapping(mapping, staff, centre, leader, caseworker):
    end_as_missing(mapping, staff)
    mottak_services.stay_open(
        resident=mapping.resident, centre=centre, arrived_at=timezone.now(), by=staff
    )
    case_events_drain(now=timezone.now() + timedelta(minutes=2))
    ask = Deadline.objects.get(kind=retention.STORAGE_CONSENT_DEADLINE)
    assert ask.state == Deadline.State.WAIVED
    deadlines_sweep(now=ask.due_at + timedelta(minutes=1))
    assert Mapping.objects.filter(pk=mapping.pk).exists()
    assert not DeletionRecord.objects.exists()


def test_r_21_a_stay_ended_by_a_move_asks_for_nothing(mapping, staff):
    stay = mapping.resident.stays.get(ended_at__isnull=True)
    mottak_services.stay_close(stay=stay, ended_at=timezone.now(), reason="moved", by=staff)
    case_events_drain(now=timezone.now() + timedelta(minutes=1))
    assert not Deadline.objects.filter(kind=retention.STORAGE_CONSENT_DEADLINE).exists()


def test_kart_16_r_21_the_nightly_job_deletes_a_day_after_the_deadline_not_a_day_before(
    mapping, staff, leader, caseworker
):
    """Without the minute sweep: the retention job alone finds the mapping whose consent
    deadline has passed."""
    from cases.retention import retention_run

    end_as_missing(mapping, staff)
    ask = Deadline.objects.get(kind=retention.STORAGE_CONSENT_DEADLINE)
    run = retention_run(now=ask.due_at - timedelta(days=1), only=[retention.RECORD_TYPE])
    assert run.deleted[retention.RECORD_TYPE] == 0
    assert Mapping.objects.filter(pk=mapping.pk).exists()
    run = retention_run(now=ask.due_at + timedelta(days=1), only=[retention.RECORD_TYPE])
    assert run.deleted[retention.RECORD_TYPE] == 1
    assert not Mapping.objects.filter(pk=mapping.pk).exists()
    record = DeletionRecord.objects.get(record_type=retention.RECORD_TYPE)
    assert record.reason == "no_storage_consent"


def test_sav_12_r_21_a_consent_withdrawn_after_the_deadline_deletes_on_the_next_night(
    mapping, staff, lead, leader, caseworker
):
    from cases.retention import retention_run
    from cases.services import consent_withdraw

    given = consent(mapping.resident, lead)
    end_as_missing(mapping, staff)
    ask = Deadline.objects.get(kind=retention.STORAGE_CONSENT_DEADLINE)
    deadlines_sweep(now=ask.due_at + timedelta(minutes=1))
    after = ask.due_at + timedelta(days=1)
    assert (
        retention_run(now=after, only=[retention.RECORD_TYPE]).deleted[retention.RECORD_TYPE] == 0
    )
    consent_withdraw(consent=given, by=lead)
    later = after + timedelta(days=1)
    assert (
        retention_run(now=later, only=[retention.RECORD_TYPE]).deleted[retention.RECORD_TYPE] == 1
    )
    assert not Mapping.objects.filter(pk=mapping.pk).exists()
