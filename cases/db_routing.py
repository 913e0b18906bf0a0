"""Reports read from a PostgreSQL replica when one is configured (docs/scaling.md).

Only code inside `replica_reads()` reads from the replica, and only what can stand a few
seconds of replication lag: aggregates without personal data. Access decisions and anything
that precedes a write stay on the primary, so a lagging replica never shows a child as present
who was just reported missing, nor lets a revoked membership read on.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
_reading_reports = ContextVar("reading_reports", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads in this block go to the replica when there is one, else to the primary."""
    token = _reading_reports.set(True)
    try:
        yield
    finally:
        _reading_reports.reset(token)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """Writes, migrations and every read outside `replica_reads()` go to the primary."""

    def db_for_read(self, model, **hints):
        if _reading_reports.get() and replica_configured():
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies of it

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
