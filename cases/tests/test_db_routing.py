"""Reports may read from a replica; nothing else does (docs/scaling.md)."""

import pytest

from cases.db_routing import REPLICA, ReplicaRouter, replica_reads
from mottak.models import Resident


@pytest.fixture
def with_replica(settings):
    settings.DATABASES = {**settings.DATABASES, REPLICA: {"ENGINE": "django.db.backends.sqlite3"}}


def test_without_a_replica_every_read_goes_to_the_primary():
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_read(Resident) == "default"


def test_report_reads_go_to_the_replica_and_nothing_else(with_replica):
    router = ReplicaRouter()
    assert router.db_for_read(Resident) == "default"
    with replica_reads():
        assert router.db_for_read(Resident) == REPLICA
        assert router.db_for_write(Resident) == "default"
    assert router.db_for_read(Resident) == "default"


def test_only_the_primary_is_migrated(with_replica):
    router = ReplicaRouter()
    assert router.allow_migrate("default", "mottak")
    assert not router.allow_migrate(REPLICA, "mottak")


@pytest.mark.django_db
def test_the_return_portfolio_reads_through_the_replica_block(with_replica, monkeypatch):
    """The portfolio selector is the one report marked for the replica; its queries are routed
    there (seen by the router), and access decisions are not part of it."""
    from retur import selectors_portfolio

    asked = []
    original = ReplicaRouter.db_for_read

    def spy(self, model, **hints):
        choice = original(self, model, **hints)
        asked.append(choice)
        return "default"  # the test database has no replica to read from

    monkeypatch.setattr(ReplicaRouter, "db_for_read", spy)
    selectors_portfolio.portfolio()
    assert asked and set(asked) == {REPLICA}
