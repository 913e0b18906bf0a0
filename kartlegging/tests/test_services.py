"""The mapping routine's services: the clocks (R-7, KART-2, KART-4, KART-8), who may write
(KART-1), the record that follows the minor (KART-4, KART-15), reading (KART-5), the
interpreter (KART-6) and the action plan (KART-7)."""

import uuid
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cases import periods
from cases.models import CaseEvent, Deadline, Notification
from cases.services import case_event_publish, case_events_drain, deadlines_sweep
from kartlegging import rules, services
from kartlegging.models import Conversation, Entry, KeyWorkerAssignment, Mapping, Measure
from kartlegging.routine import MAPPING, REVIEW, START, WELCOME
from kartlegging.tests.conftest import talk
from mottak import events as life
from mottak import services as mottak_services
from mottak.models import Role
from mottak.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db


def deadline(mapping, code, state=None):
    rows = Deadline.objects.filter(
        object_id=mapping.pk, kind=MAPPING.deadline_kind(MAPPING.step(code))
    )
    if state:
        rows = rows.filter(state=state)
    return rows.order_by("-opened_at", "-id").first()


# --- the clocks ------------------------------------------------------------------------------


def test_kart_3_r_7_the_stay_opened_event_opens_the_mapping_and_the_welcome_target(centre, staff):
    arrived = timezone.now() - timedelta(hours=1)
    resident = mottak_services.resident_register_with_arrival(
        data=mottak_services.ResidentData(
            given_names="Amanuel",
            family_name="Tesfay",
            date_of_birth=timezone.localdate() - timedelta(days=15 * 365),
            gender="male",
            nationality="Eritrea",
            duf_number="201012345678",
        ),
        centre=centre,
        arrived_at=arrived,
        by=staff,
    )
    result = case_events_drain(now=timezone.now() + timedelta(minutes=1))
    assert result.failures == 0
    mapping = Mapping.objects.get(resident=resident)
    welcome = deadline(mapping, WELCOME)
    assert welcome.due_at == rules.welcome_target(arrived)
    assert welcome.urgency == "target"
    assert welcome.rule_id == "KART-3"
    # At an ordinary centre the ordinary mapping is due at once, with a week to start it.
    start = deadline(mapping, START)
    assert start.due_at == periods.within_days(arrived, 7)
    # Delivered again: nothing opens twice.
    CaseEvent.objects.update(handled_at=None, handled_by={})
    case_events_drain(now=timezone.now() + timedelta(minutes=2))
    assert Mapping.objects.count() == 1
    mapping_ct = ContentType.objects.get_for_model(Mapping)
    open_rows = Deadline.objects.filter(content_type=mapping_ct, object_id=mapping.pk, state="open")
    assert open_rows.count() == 2  # the arrival's own deadlines are the arrival's


def test_r_7_welcome_held_by_any_staff_meets_the_target(mapping, staff):
    talk(mapping, staff, "welcome")
    mapping.refresh_from_db()
    assert mapping.welcome_held_at is not None
    met = deadline(mapping, WELCOME)
    assert met.state == Deadline.State.MET and not met.was_missed


def test_r_7_a_late_welcome_is_escalated_to_the_child_welfare_lead_only(
    mapping, staff, lead, leader, caseworker
):
    target = deadline(mapping, WELCOME)
    deadlines_sweep(now=target.due_at + timedelta(minutes=1))
    target.refresh_from_db()
    assert target.state == Deadline.State.MISSED  # shown as late
    told = set(
        Notification.objects.filter(alert__deadline=target, alert__stage="escalation").values_list(
            "recipient_id", flat=True
        )
    )
    assert told == {lead.pk}
    # Held afterwards: met late, not lost.
    talk(mapping, staff, "welcome")
    target.refresh_from_db()
    assert target.state == Deadline.State.MET and target.was_missed


def test_r_7_a_welcome_conversation_before_moving_in_is_refused(mapping, staff):
    with pytest.raises(ValidationError):
        talk(mapping, staff, "welcome", held_at=mapping.stay_started_at - timedelta(minutes=1))
    assert not Conversation.objects.exists()


def test_kart_2_in_transit_the_ordinary_mapping_is_counted_from_day_22(neighbour_centre):
    resident = ResidentFactory(centre=neighbour_centre)  # a transit centre
    stay = resident.stays.get()
    mapping = services.mapping_open(resident=resident, stay=stay)
    day_22 = rules.ordinary_mapping_from(moved_in_at=stay.started_at, transit=True)
    assert mapping.ordinary_from == day_22
    assert deadline(mapping, START).due_at == periods.within_days(day_22, 7)


def test_kart_3_kart_4_the_first_mapping_conversation_starts_it_and_opens_the_monthly_review(
    assigned, key_worker
):
    held = timezone.now() - timedelta(hours=2)
    talk(assigned, key_worker, held_at=held)
    assigned.refresh_from_db()
    assert assigned.state == Mapping.State.ONGOING
    assert assigned.started_at == held
    assert deadline(assigned, START).state == Deadline.State.MET
    review = deadline(assigned, REVIEW)
    assert review.due_at == periods.months(held, 1)
    # A review meets it and opens the next, a month after the review.
    reviewed = timezone.now() - timedelta(minutes=1)
    talk(assigned, key_worker, "review", held_at=reviewed)
    review.refresh_from_db()
    assert review.state == Deadline.State.MET
    following = deadline(assigned, REVIEW, state="open")
    assert following.due_at == periods.months(reviewed, 1)


def test_kart_4_the_monthly_review_across_a_month_end():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    oslo = ZoneInfo("Europe/Oslo")
    held = datetime(2027, 1, 31, 14, 0, tzinfo=oslo)
    due = MAPPING.step(REVIEW).due.at(held)
    assert due == datetime(2027, 2, 28, 14, 0, tzinfo=oslo)
    assert MAPPING.step(REVIEW).due.at(due) == datetime(2027, 3, 28, 14, 0, tzinfo=oslo)


def test_kart_4_a_review_before_the_mapping_started_is_refused(assigned, key_worker):
    with pytest.raises(ValidationError):
        talk(assigned, key_worker, "review")
    assert not Conversation.objects.exists()


def test_kart_8_the_decision_notice_asks_for_the_mapping_finished_within_two_weeks(mapping, lead):
    received = timezone.now() - timedelta(days=1)
    with transaction.atomic():  # the way mottak's services publish it
        case_event_publish(
            kind=life.DECISION_NOTICE_RECEIVED,
            subject=mapping.resident,
            payload={"received_at": received.isoformat()},
        )
    case_events_drain(now=timezone.now() + timedelta(minutes=1))
    mapping.refresh_from_db()
    assert mapping.decision_notice_at == received
    finish = Deadline.objects.get(object_id=mapping.pk, kind="kartlegging_finish")
    due = periods.weeks(received, 2)
    assert finish.due_at == due
    # Day 14 at the same wall time is the limit; day 15 is late.
    assert due.astimezone(periods.OSLO).date() - received.astimezone(
        periods.OSLO
    ).date() == timedelta(days=14)
    services.mapping_finish(mapping=mapping, by=lead)
    finish.refresh_from_db()
    assert finish.state == Deadline.State.MET
    mapping.refresh_from_db()
    assert mapping.state == Mapping.State.FINISHED
    # A second delivery of the notice leaves the finished mapping alone.
    CaseEvent.objects.update(handled_at=None, handled_by={})
    case_events_drain(now=timezone.now() + timedelta(minutes=2))
    assert Deadline.objects.filter(object_id=mapping.pk, kind="kartlegging_finish").count() == 1


def test_kart_8_only_the_lead_finishes_the_mapping(mapping, staff):
    with pytest.raises(PermissionDenied):
        services.mapping_finish(mapping=mapping, by=staff)
    mapping.refresh_from_db()
    assert mapping.state == Mapping.State.NOT_STARTED


# --- the record follows the minor ------------------------------------------------------------


def test_kart_4_kart_7_r_7_a_move_continues_the_mapping_and_asks_for_a_new_welcome(
    assigned, key_worker, lead, staff, far_centre
):
    talk(assigned, key_worker)  # the ordinary mapping under way
    measure = services.measure_add(
        mapping=assigned,
        area="school",
        goal="Norskopplæring",
        actions="Leksehjelp to ganger i uka",
        responsible="Særkontakt",
        by=key_worker,
    )
    first_welcome = deadline(assigned, WELCOME)
    resident = assigned.resident
    stay = resident.stays.get(ended_at__isnull=True)
    moved_at = timezone.now() - timedelta(minutes=30)
    mottak_services.stay_close(stay=stay, ended_at=moved_at, reason="moved", by=staff)
    new_stay = mottak_services.stay_open(
        resident=resident, centre=far_centre, arrived_at=moved_at + timedelta(minutes=1), by=staff
    )
    case_events_drain(now=timezone.now() + timedelta(minutes=1))
    mapping = Mapping.objects.get(resident=resident)
    assert mapping.pk == assigned.pk  # one continuous record
    assert mapping.centre == far_centre
    assert mapping.state == Mapping.State.ONGOING  # KART-4: it continues
    assert mapping.welcome_held_at is None
    first_welcome.refresh_from_db()
    assert first_welcome.state == Deadline.State.WAIVED
    welcome = deadline(mapping, WELCOME, state="open")
    assert welcome.due_at == rules.welcome_target(new_stay.started_at)
    assert welcome.centre == far_centre
    # The key worker worked at the old centre; the measure waits for the decision with the minor.
    assert not KeyWorkerAssignment.objects.filter(ended_at__isnull=True).exists()
    measure.refresh_from_db()
    assert measure.awaiting_move_decision


def test_kart_7_the_decision_after_a_move_records_the_minor_view(assigned, key_worker, lead):
    measure = services.measure_add(
        mapping=assigned,
        area="leisure",
        goal="Fotball",
        actions="Påmeldt lag",
        responsible="Særkontakt",
        by=key_worker,
    )
    with pytest.raises(ValidationError):
        services.measure_decide_after_move(measure=measure, decision="end", minor_view="x", by=lead)
    Measure.objects.filter(pk=measure.pk).update(awaiting_move_decision=True)
    with pytest.raises(ValidationError):
        services.measure_decide_after_move(measure=measure, decision="end", minor_view=" ", by=lead)
    decided = services.measure_decide_after_move(
        measure=measure, decision="end", minor_view="Vil heller spille basket", by=lead
    )
    assert decided.status == Measure.Status.ENDED
    assert decided.minor_view == "Vil heller spille basket"
    assert decided.move_decided_by == lead


# --- who works on it (KART-1) -----------------------------------------------------------------


def test_kart_1_the_lead_names_the_key_worker_and_the_history_stays(
    mapping, lead, key_worker, user_factory, centre
):
    other = user_factory(Role.CENTRE_STAFF, centre=centre)
    first = services.key_worker_assign(mapping=mapping, key_worker=key_worker, by=lead)
    again = services.key_worker_assign(mapping=mapping, key_worker=key_worker, by=lead)
    assert again.pk == first.pk
    services.key_worker_assign(mapping=mapping, key_worker=other, by=lead)
    first.refresh_from_db()
    assert first.ended_at is not None
    assert KeyWorkerAssignment.objects.filter(resident=mapping.resident).count() == 2
    assert first.history.count() == 2


def test_kart_1_plain_staff_may_not_name_a_key_worker(mapping, staff, key_worker):
    with pytest.raises(PermissionDenied):
        services.key_worker_assign(mapping=mapping, key_worker=key_worker, by=staff)
    assert not KeyWorkerAssignment.objects.exists()


def test_kart_1_a_key_worker_from_another_centre_is_refused(
    mapping, lead, user_factory, far_centre
):
    stranger = user_factory(Role.CENTRE_STAFF, centre=far_centre)
    with pytest.raises(ValidationError):
        services.key_worker_assign(mapping=mapping, key_worker=stranger, by=lead)
    assert not KeyWorkerAssignment.objects.exists()


def test_kart_1_the_key_worker_and_lead_write_plain_staff_do_not(assigned, key_worker, lead, staff):
    for writer in (key_worker, lead):
        services.entry_add(
            mapping=assigned,
            area="family",
            source="minor",
            text="Har en bror i Sverige.",
            recorded_on=timezone.localdate(),
            by=writer,
        )
    with pytest.raises(PermissionDenied):
        services.entry_add(
            mapping=assigned,
            area="family",
            source="staff",
            text="x",
            recorded_on=timezone.localdate(),
            by=staff,
        )
    with pytest.raises(PermissionDenied):
        talk(assigned, staff)
    assert Entry.objects.count() == 2
    entry = Entry.objects.first()
    assert entry.source == Entry.Source.MINOR and entry.author in (key_worker, lead)


def test_kart_1_health_details_are_refused_with_a_clear_message(assigned, key_worker):
    with pytest.raises(ValidationError) as refused:
        services.entry_add(
            mapping=assigned,
            area="health",
            source="staff",
            text="Astma, bruker inhalator",
            recorded_on=timezone.localdate(),
            by=key_worker,
        )
    assert "Health details are not written in the mapping" in refused.value.messages[0]
    assert not Entry.objects.exists()
    services.mapping_set_health_flag(mapping=assigned, has_needs=True, by=key_worker)
    assigned.refresh_from_db()
    assert assigned.health_needs is True


def test_kart_1_double_submit_writes_one_entry(assigned, key_worker):
    key = uuid.uuid4()
    for _ in range(2):
        services.entry_add(
            mapping=assigned,
            area="safety",
            source="staff",
            text="Sover dårlig.",
            recorded_on=timezone.localdate(),
            by=key_worker,
            submission_key=key,
        )
    assert Entry.objects.count() == 1


# --- KART-5, KART-6 -----------------------------------------------------------------------------


def test_kart_5_only_the_lead_withholds_reading_and_only_with_a_reason(mapping, lead, staff):
    with pytest.raises(ValidationError):
        services.mapping_set_reading(mapping=mapping, withhold=True, reason=" ", by=lead)
    with pytest.raises(PermissionDenied):
        services.mapping_set_reading(mapping=mapping, withhold=True, reason="Grunn", by=staff)
    services.mapping_set_reading(mapping=mapping, withhold=True, reason="Særskilt grunn", by=lead)
    mapping.refresh_from_db()
    assert (mapping.reading_withheld, mapping.reading_withheld_by) == (True, lead)
    services.mapping_set_reading(mapping=mapping, withhold=False, reason="", by=lead)
    mapping.refresh_from_db()
    assert (mapping.reading_withheld, mapping.reading_withheld_reason) == (False, "")


def test_kart_6_the_interpreter_is_recorded_per_conversation(assigned, key_worker):
    talked = talk(assigned, key_worker, interpreter=True)
    assert (talked.interpreter_used, talked.interpreter_language, talked.interpreter_mode) == (
        True,
        "Tigrinja",
        "phone",
    )
    with pytest.raises(ValidationError):
        services.conversation_record(
            mapping=assigned,
            kind="plan",
            held_at=timezone.now(),
            interpreter_used=True,
            interpreter_language="",
            interpreter_mode="in_person",
            by=key_worker,
        )
    assert Conversation.objects.count() == 1


def test_kart_6_a_double_submitted_conversation_is_recorded_once(assigned, key_worker):
    key = uuid.uuid4()
    talk(assigned, key_worker, key=key)
    talk(assigned, key_worker, key=key)
    assert Conversation.objects.count() == 1


def test_kart_11_the_offer_of_own_copies_on_moving_is_recorded(client, mapping, staff):
    from django.urls import reverse

    from kartlegging.models import CopyOffer

    client.force_login(staff)
    url = reverse("kartlegging:copies", args=[mapping.pk])
    assert client.post(url, {"accepted": "yes"}).status_code == 302
    offer = CopyOffer.objects.get()
    assert (offer.accepted, offer.offered_by, offer.centre) == (True, staff, mapping.centre)
    assert client.post(url, {"accepted": ""}).status_code == 302  # bad input: nothing saved
    assert CopyOffer.objects.count() == 1
