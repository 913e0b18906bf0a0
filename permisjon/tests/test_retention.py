"""KART-16 on the shared retention machinery (cases/retention.py): the contact persons' ID copies
(PERM-4 d) are deleted a set time after the leave ends — the file, its name in the checklist
record and its history, the document's kind and number — and never while the leave is open."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases import retention
from cases.models import ChecklistStepCompletion, DeletionRecord
from permisjon import services
from permisjon.models import ContactPerson, LeaveApplication
from permisjon.retention import DEFAULT_DAYS, RECORD_TYPE
from permisjon.tests.conftest import contact, prepare, ready_to_leave

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def traces(application) -> dict:
    copies = ChecklistStepCompletion.objects.filter(owner_id=application.pk, step_code="d_id_copy")
    history = ChecklistStepCompletion.history.model.objects.filter(
        owner_id=application.pk, step_code="d_id_copy"
    )
    people = ContactPerson.history.model.objects.filter(application_id=application.pk)
    return {
        "copy": copies.exclude(attachment="").count(),
        "copy_history": history.exclude(attachment="").count(),
        "number": ContactPerson.objects.filter(application=application)
        .exclude(id_document_number="")
        .count(),
        "number_history": people.exclude(id_document_number="").count(),
    }


def test_kart_16_id_copy_of_a_withdrawn_leave_goes_30_days_after_the_withdrawal(
    submit, resident, staff, leader, media
):
    application = prepare(submit(resident, contacts=[contact(designated=True)]), staff)
    name = ChecklistStepCompletion.objects.get(step_code="d_id_copy").attachment.name
    assert (media / name).exists()
    services.leave_application_withdraw(application=application, reason="Avlyst", by=leader)
    withdrawn = timezone.now()
    assert all(traces(application).values()), traces(application)
    # One day before the 30 days have passed: kept.
    day_29 = withdrawn + timedelta(days=DEFAULT_DAYS - 1)
    assert retention.retention_run(now=day_29, only=[RECORD_TYPE]).deleted[RECORD_TYPE] == 0
    assert (media / name).exists()
    day_31 = withdrawn + timedelta(days=DEFAULT_DAYS + 1)
    assert retention.retention_run(now=day_31, only=[RECORD_TYPE]).deleted[RECORD_TYPE] == 1
    assert traces(application) == {name: 0 for name in traces(application)}
    assert not (media / name).exists()
    # The step stays done; the contact person stays; only the ID is gone.
    completion = ChecklistStepCompletion.objects.get(step_code="d_id_copy")
    assert completion.undone_at is None and not completion.attachment
    assert ContactPerson.objects.get(application=application).name == "Kari Kontakt"
    record = DeletionRecord.objects.get(record_type=RECORD_TYPE)
    assert record.reason == "leave_ended" and record.counts["files"] == 1
    assert "NO1234567" not in str(record.counts)
    # Nothing is left to select: the next night deletes nothing more.
    assert retention.retention_run(now=day_31, only=[RECORD_TYPE]).deleted[RECORD_TYPE] == 0


def test_kart_16_id_copy_runs_from_the_actual_return_and_never_while_on_leave(
    submit, resident, staff, leader, media, settings
):
    application = prepare(
        submit(resident, starts_in_days=-3, length_days=7, contacts=[contact(designated=True)]),
        staff,
    )
    application = services.leave_application_grant(
        application=application, by=leader, reason="Trygt besøk"
    )
    application = ready_to_leave(application, staff)
    services.leave_application_mark_departed(
        application=application, at=application.departure_at, by=staff
    )
    long_after = timezone.now() + timedelta(days=400)
    assert retention.retention_run(now=long_after, only=[RECORD_TYPE]).deleted[RECORD_TYPE] == 0
    back_at = timezone.now()
    services.leave_application_mark_returned(application=application, at=back_at, by=staff)
    assert LeaveApplication.objects.get(pk=application.pk).state == "returned"
    name = ChecklistStepCompletion.objects.get(step_code="d_id_copy").attachment.name
    settings.RETENTION = {RECORD_TYPE: {"days": 10}}  # the period is configuration
    day_9 = back_at + timedelta(days=9)
    assert retention.retention_run(now=day_9, only=[RECORD_TYPE]).deleted[RECORD_TYPE] == 0
    day_11 = back_at + timedelta(days=11)
    assert retention.retention_run(now=day_11, only=[RECORD_TYPE]).deleted[RECORD_TYPE] == 1
    assert not any(traces(application).values())
    assert not (media / name).exists()
