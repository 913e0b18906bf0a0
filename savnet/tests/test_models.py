"""What the database itself guarantees, whatever the code above it does."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from savnet.models import FollowUpConversation, MissingReport


def make_report(resident, user, **extra) -> MissingReport:
    now = timezone.now()
    fields = dict(
        resident=resident,
        centre=resident.centre,
        noticed_at=now - timedelta(hours=2),
        created_by=user,
    )
    fields.update(extra)
    return MissingReport.objects.create(**fields)


@pytest.mark.django_db
def test_sav_2_one_active_report_per_resident(resident, staff):
    make_report(resident, staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_report(
            resident, staff, state=MissingReport.State.OPEN, reason_to_believe_at=timezone.now()
        )


@pytest.mark.django_db
def test_sav_2_a_closed_or_found_report_does_not_block_a_new_one(resident, staff):
    make_report(resident, staff, state=MissingReport.State.CLOSED)
    make_report(
        resident,
        staff,
        state=MissingReport.State.FOUND,
        reason_to_believe_at=timezone.now() - timedelta(hours=1),
    )
    make_report(resident, staff)
    assert MissingReport.objects.filter(resident=resident).count() == 3


@pytest.mark.django_db
def test_sav_2_open_report_needs_the_moment_of_reason_to_believe(resident, staff):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_report(resident, staff, state=MissingReport.State.OPEN)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field, delta",
    [
        ("last_seen_at", timedelta(minutes=1)),
        ("reason_to_believe_at", -timedelta(minutes=1)),
        ("found_at", -timedelta(minutes=1)),
    ],
)
def test_sav_2_database_refuses_times_out_of_order(resident, staff, field, delta):
    noticed = timezone.now() - timedelta(hours=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_report(resident, staff, noticed_at=noticed, **{field: noticed + delta})


@pytest.mark.django_db
def test_sav_10_interpreter_used_needs_a_language_in_the_database(resident, staff):
    report = make_report(resident, staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUpConversation.objects.create(
            report=report,
            held_at=timezone.now(),
            held_by=staff,
            why_left="x",
            where_stayed="x",
            what_did="x",
            feels_safe=True,
            interpreter_used=True,
        )


@pytest.mark.django_db
def test_sav_2_report_history_is_kept(resident, staff):
    report = make_report(resident, staff)
    report.circumstances = "Not at breakfast"
    report.save()
    assert report.history.count() == 2
    assert str(report).startswith(resident.identifier)
