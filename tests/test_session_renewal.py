"""The 30-minute idle timeout (config/session_renewal.py): renewed by use, at most once a minute."""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config.session_renewal import RENEWED_AT


def _stored_expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def _age_the_renewal(client, seconds: int) -> None:
    """As if the session had last been renewed `seconds` ago (its stored expiry with it)."""
    session = client.session
    session[RENEWED_AT] = session[RENEWED_AT] - seconds
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + timedelta(seconds=30 * 60 - seconds)
    )


def test_idle_timeout_is_renewed_by_use_once_a_minute_at_most(client, staff):
    """The 30 idle minutes start again with use; a request within a minute of the last
    renewal writes nothing, so the timeout is never later than 30 minutes after the last
    request and at most a minute earlier."""
    client.force_login(staff)
    client.get("/")
    _age_the_renewal(client, 10 * 60)
    stale = _stored_expiry(client)
    client.get("/")
    renewed = _stored_expiry(client)
    assert (renewed - stale).total_seconds() >= 10 * 60 - 5
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    assert not [
        q for q in queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]
    ]
    assert _stored_expiry(client) == renewed
