"""The leave routine's reaction to "stay ended" (P9): a leave not yet begun gets a "snarest"
deadline for the centre to decide whether it still applies; a leave under way is left alone
so its return and missing deadlines keep running."""

from datetime import timedelta

from django.utils import timezone

from cases.models import CaseEvent, Deadline
from cases.services import case_events_drain
from mottak import services as mottak_services
from permisjon import services
from permisjon.handlers import REVIEW_AFTER_STAY_DEADLINE
from permisjon.models import LeaveApplication
from permisjon.routine import RETURN_DUE_DEADLINE
from permisjon.tests.conftest import prepare, ready_to_leave


def _end_stay(resident, staff):
    stay = resident.stays.get(ended_at__isnull=True)
    mottak_services.stay_close(stay=stay, ended_at=timezone.now(), reason="moved", by=staff)


def test_p9_stay_ended_asks_the_centre_to_review_a_granted_leave_once(
    submit, resident, staff, leader
):
    granted = prepare(submit(resident, starts_in_days=5), staff)
    services.leave_application_grant(application=granted, by=leader, reason="Trygt besøk")
    draft = submit(resident, starts_in_days=30)
    _end_stay(resident, staff)
    later = timezone.now() + timedelta(minutes=1)
    result = case_events_drain(now=later)
    assert result.failures == 0
    # Other routines react to the same event with handlers of their own.
    assert "permisjon.review_leave_after_stay" in CaseEvent.objects.get().handled_by
    reviews = Deadline.objects.filter(kind=REVIEW_AFTER_STAY_DEADLINE)
    assert sorted(reviews.values_list("object_id", flat=True)) == sorted([granted.pk, draft.pk])
    review = reviews.get(object_id=granted.pk)
    assert (review.urgency, review.centre_id, review.subject_id) == (
        "snarest",
        granted.centre_id,
        resident.pk,
    )
    event = CaseEvent.objects.get()
    assert review.due_at == event.created_at + timedelta(hours=24)
    # Delivered again (e.g. a retry after a crash): nothing opens twice.
    CaseEvent.objects.update(handled_at=None, handled_by={})
    case_events_drain(now=later)
    assert Deadline.objects.filter(kind=REVIEW_AFTER_STAY_DEADLINE).count() == 2
    # Withdrawing the application waives it with the others.
    services.leave_application_withdraw(application=granted, reason="Flyttet", by=leader)
    review.refresh_from_db()
    assert review.state == Deadline.State.WAIVED


def test_p9_a_leave_under_way_keeps_its_deadlines_when_the_stay_ends(
    submit, resident, staff, leader
):
    application = prepare(submit(resident, starts_in_days=-1, length_days=3), staff)
    services.leave_application_grant(application=application, by=leader, reason="Trygt besøk")
    application = ready_to_leave(application, staff)
    services.leave_application_mark_departed(
        application=application, at=application.departure_at, by=staff
    )
    _end_stay(resident, staff)
    case_events_drain(now=timezone.now() + timedelta(minutes=1))
    assert not Deadline.objects.filter(kind=REVIEW_AFTER_STAY_DEADLINE).exists()
    due = Deadline.objects.get(object_id=application.pk, kind=RETURN_DUE_DEADLINE)
    assert due.state == Deadline.State.OPEN
    application.refresh_from_db()
    assert application.state == LeaveApplication.State.ONGOING
