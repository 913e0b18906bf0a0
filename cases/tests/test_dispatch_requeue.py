"""X-1: a render lost with its worker is asked for again within two minutes, never twice at once.

The mechanism, not a timing: the requeue runs every minute and asks again for a render asked
for more than REQUEUE_AFTER ago whose row no live render holds (the row lock is the lease);
`queued_at` keeps a render waiting its turn from being asked for again on every run; a second
message for a rendered dispatch renders nothing.
"""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from cases.models import Dispatch
from cases.schedules import registered_schedules
from cases.services import dispatch_render, dispatches_requeue_stale
from cases.services.dispatches import AUTOMATIC_ATTEMPTS, REQUEUE_AFTER
from cases.tasks_dispatch import render_dispatch

from .dispatch_factories import create_arrival_notice

ON_POSTGRES = connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _queued(resident, staff, *, asked_ago: timedelta, version: int = 1, **fields) -> Dispatch:
    dispatch = create_arrival_notice(resident=resident, by=staff, queue=False, version=version)
    dispatch.state = fields.pop("state", Dispatch.State.QUEUED)
    dispatch.queued_at = timezone.now() - asked_ago
    for name, value in fields.items():
        setattr(dispatch, name, value)
    dispatch.save()
    return dispatch


def _requeue(capture) -> tuple[int, int]:
    """(rows asked for again, messages that would be sent after the commit)."""
    with capture(execute=False) as callbacks:
        count = dispatches_requeue_stale()
    return count, len(callbacks)


def test_x_1_requeue_runs_every_minute_so_a_lost_render_is_asked_for_within_two_minutes():
    schedule = registered_schedules()["cases.requeue_stale_dispatches"]
    assert schedule.every_minutes == 1
    # Lost at the worst moment: asked for again at the first run after REQUEUE_AFTER.
    assert REQUEUE_AFTER + timedelta(minutes=schedule.every_minutes) < timedelta(minutes=2)
    assert render_dispatch.max_retries == AUTOMATIC_ATTEMPTS - 1


def test_x_1_requeue_asks_again_after_the_lease_and_not_before(
    resident, staff, django_capture_on_commit_callbacks
):
    fresh = _queued(resident, staff, asked_ago=REQUEUE_AFTER - timedelta(seconds=2))
    lost = _queued(resident, staff, asked_ago=REQUEUE_AFTER + timedelta(seconds=2), version=2)
    before = timezone.now()
    assert _requeue(django_capture_on_commit_callbacks) == (1, 1)
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.queued_at >= before  # stamped: the next run leaves it alone
    assert fresh.queued_at < before
    # A render still waiting its turn in the broker is not asked for again on every run.
    assert _requeue(django_capture_on_commit_callbacks) == (0, 0)


def test_x_1_requeue_uses_created_at_for_a_render_never_stamped(
    resident, staff, django_capture_on_commit_callbacks
):
    dispatch = _queued(resident, staff, asked_ago=timedelta(0))
    dispatch.queued_at = None
    dispatch.save()
    assert _requeue(django_capture_on_commit_callbacks) == (0, 0)
    Dispatch.objects.filter(pk=dispatch.pk).update(
        created_at=timezone.now() - REQUEUE_AFTER - timedelta(seconds=1)
    )
    assert _requeue(django_capture_on_commit_callbacks) == (1, 1)


def test_x_1_failed_render_is_asked_for_again_until_the_automatic_attempts_are_used(
    resident, staff, django_capture_on_commit_callbacks
):
    stale = REQUEUE_AFTER + timedelta(seconds=5)
    _queued(
        resident,
        staff,
        asked_ago=stale,
        state=Dispatch.State.RENDER_FAILED,
        attempts=AUTOMATIC_ATTEMPTS - 1,
    )
    _queued(
        resident,
        staff,
        asked_ago=stale,
        state=Dispatch.State.RENDER_FAILED,
        attempts=AUTOMATIC_ATTEMPTS,
        version=2,
    )
    assert _requeue(django_capture_on_commit_callbacks) == (1, 1)


@pytest.mark.parametrize("state", [Dispatch.State.DRAFT, Dispatch.State.RENDERED])
def test_x_1_requeue_leaves_drafts_and_rendered_notices_alone(
    state, resident, staff, django_capture_on_commit_callbacks
):
    _queued(resident, staff, asked_ago=timedelta(hours=2), state=state)
    assert _requeue(django_capture_on_commit_callbacks) == (0, 0)


def test_x_1_a_second_message_for_a_rendered_dispatch_renders_nothing(resident, staff):
    dispatch = _queued(resident, staff, asked_ago=timedelta(hours=1))
    dispatch_render(dispatch_id=dispatch.pk)
    first = Dispatch.objects.get(pk=dispatch.pk)
    render_dispatch.apply(args=[dispatch.pk])  # the requeued message arrives after all
    again = Dispatch.objects.get(pk=dispatch.pk)
    assert (again.render_count, again.sha256, again.pdf.name) == (
        1,
        first.sha256,
        first.pdf.name,
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not ON_POSTGRES, reason="SQLite has no row locks; run with DATABASE_URL")
def test_x_1_a_render_in_progress_holds_its_lease_and_is_not_asked_for_again(resident, staff):
    """A live render holds its row lock; the requeue skips it. Once the render's transaction
    is gone (its worker died: PostgreSQL drops the connection's locks) the row is asked for."""
    dispatch = _queued(resident, staff, asked_ago=timedelta(hours=1))
    locked, release = threading.Event(), threading.Event()

    def live_render():
        try:
            with transaction.atomic():
                Dispatch.objects.select_for_update().get(pk=dispatch.pk)
                locked.set()
                release.wait(30)
                raise RuntimeError("the worker dies; its transaction rolls back")
        except RuntimeError:
            pass
        finally:
            connections.close_all()

    holder = threading.Thread(target=live_render)
    holder.start()
    try:
        assert locked.wait(30)
        assert dispatches_requeue_stale() == 0
    finally:
        release.set()
        holder.join(30)
    before = timezone.now()
    assert dispatches_requeue_stale() == 1
    assert Dispatch.objects.get(pk=dispatch.pk).queued_at >= before


def test_x_1_a_broker_down_at_the_commit_fails_nothing_and_leaves_the_render_to_the_requeue(
    resident, staff, django_capture_on_commit_callbacks, monkeypatch
):
    from kombu.exceptions import OperationalError

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to the broker. Connection refused.")

    monkeypatch.setattr(render_dispatch, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        dispatch = create_arrival_notice(resident=resident, by=staff)
    assert len(callbacks) == 1
    assert Dispatch.objects.get(pk=dispatch.pk).state == Dispatch.State.QUEUED
