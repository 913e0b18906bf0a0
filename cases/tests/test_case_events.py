"""Life events (P9): published in the writer's transaction, drained with SKIP LOCKED, each
handler run once per event (at-least-once delivery, a success never re-run), a failing handler
recorded and retried with back-off while other handlers and events go on."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from cases import events
from cases.models import CaseEvent, TimelineEvent
from cases.services import case_event_publish, case_events_drain
from cases.tasks import drain_case_events
from mottak.tests.factories import make_resident

KIND = "test.something_happened"
OTHER = "test.something_else"
NOW = timezone.now().replace(microsecond=0) + timedelta(hours=1)  # after any publish


class Calls(list):
    state: dict


@pytest.fixture
def ran():
    """Two handlers of KIND ("ok" and "flaky") and one of OTHER; `ran` lists their calls."""
    calls = Calls()
    state = {"flaky_fails": True}

    def ok(event):
        calls.append(("ok", event.pk))

    def flaky(event):
        calls.append(("flaky", event.pk))
        TimelineEvent.objects.create(
            content_type_id=event.subject_ct_id,
            object_id=event.subject_id,
            kind="flaky_wrote",
            summary="x",
            at=NOW,
        )
        if state["flaky_fails"]:
            raise RuntimeError("not now")

    def other(event):
        calls.append(("other", event.pk))

    events.register_event_handler(KIND, "test.ok", ok)
    events.register_event_handler(KIND, "test.flaky", flaky)
    events.register_event_handler(OTHER, "test.other", other)
    calls.state = state
    yield calls
    events._handlers.pop(KIND)
    events._handlers.pop(OTHER)


def publish(subject, kind=KIND, **kw):
    with transaction.atomic():
        return case_event_publish(kind=kind, subject=subject, payload={"stay_id": 1}, **kw)


def test_p9_an_event_is_published_in_the_transaction_of_the_change(resident):
    with pytest.raises(RuntimeError), transaction.atomic():
        resident.school = "Changed"
        resident.save()
        case_event_publish(kind=KIND, subject=resident, payload={"stay_id": 1})
        raise RuntimeError("the change fails")
    assert not CaseEvent.objects.exists()
    event = publish(resident)
    assert (event.kind, event.subject_id, event.payload) == (KIND, resident.pk, {"stay_id": 1})


@pytest.mark.django_db(transaction=True)
def test_p9_publishing_outside_a_transaction_is_refused(centre):
    resident = make_resident(centre)
    with pytest.raises(RuntimeError):
        case_event_publish(kind=KIND, subject=resident)


def test_p9_the_payload_holds_ids_and_codes_only(resident):
    with pytest.raises(ValueError), transaction.atomic():
        case_event_publish(kind=KIND, subject=resident, payload={"names": ["Ali"]})


def test_p9_the_same_fact_with_a_key_is_published_once(resident):
    first = publish(resident, key="test:1")
    assert publish(resident, key="test:1") == first
    assert CaseEvent.objects.count() == 1


def test_p9_draining_twice_runs_each_handler_once(ran, resident):
    ran.state["flaky_fails"] = False
    event = publish(resident)
    result = case_events_drain(now=NOW)
    assert (result.events, result.handled, result.failures) == (1, 2, 0)
    assert case_events_drain(now=NOW + timedelta(minutes=1)).events == 0
    assert sorted(ran) == [("flaky", event.pk), ("ok", event.pk)]
    event.refresh_from_db()
    assert event.handled_at == NOW
    assert set(event.handled_by) == {"test.ok", "test.flaky"}


def test_p9_a_failing_handler_is_recorded_and_retried_later_while_the_rest_go_on(ran, resident):
    event = publish(resident)
    other = publish(make_resident(resident.centre), kind=OTHER)
    result = case_events_drain(now=NOW)
    assert result.failed_ids == [event.pk]
    event.refresh_from_db()
    assert event.handled_at is None
    assert event.attempts == 1
    assert "test.flaky: RuntimeError: not now" in event.last_error
    assert event.next_attempt_at == NOW + timedelta(minutes=2)
    assert list(event.handled_by) == ["test.ok"]
    # The failing handler's own writes were rolled back with its savepoint.
    assert not TimelineEvent.objects.filter(kind="flaky_wrote").exists()
    other.refresh_from_db()
    assert other.handled_at == NOW
    # Not before the back-off.
    assert case_events_drain(now=NOW + timedelta(minutes=1)).events == 0
    ran.state["flaky_fails"] = False
    result = case_events_drain(now=NOW + timedelta(minutes=2))
    assert (result.events, result.handled, result.failures) == (1, 1, 0)
    event.refresh_from_db()
    assert event.handled_at is not None and event.last_error == ""
    # "ok" ran once although the event was delivered twice.
    assert ran.count(("ok", event.pk)) == 1
    assert ran.count(("flaky", event.pk)) == 2
    assert TimelineEvent.objects.filter(kind="flaky_wrote").count() == 1


def test_p9_an_event_nobody_handles_is_closed(resident):
    event = publish(resident, kind="test.nobody_listens")
    assert case_events_drain(now=NOW).events == 1
    event.refresh_from_db()
    assert event.handled_at == NOW


def test_p9_the_drain_task_runs_the_service(ran, resident):
    ran.state["flaky_fails"] = False
    publish(resident)
    assert drain_case_events()["handled"] == 2


def test_p9_register_refuses_a_second_function_under_one_name():
    def one(event):
        pass

    events.register_event_handler("test.twice", "test.h", one)
    try:
        assert events.register_event_handler("test.twice", "test.h", one) is one
        with pytest.raises(ValueError):
            events.register_event_handler("test.twice", "test.h", lambda event: None)
    finally:
        events._handlers.pop("test.twice")
