"""MOT-3: two submits of the same move at the same moment on PostgreSQL make one move."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import translation

from mottak.models import Move
from mottak.services import move_request
from mottak.tests.factories import ResidentFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises writers; the race needs PostgreSQL (DATABASE_URL=postgres://…)",
    ),
]


def test_mot_3_two_concurrent_requests_for_one_resident_make_one_move(centre, staff):
    resident = ResidentFactory(centre=centre)
    barrier = threading.Barrier(2)
    made, refused, errors = [], [], []

    def submit():
        try:
            barrier.wait()
            with translation.override("en"):
                made.append(move_request(resident=resident, by=staff, reasons="School."))
        except ValidationError as refusal:
            refused.append(refusal)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert len(made) == 1 and len(refused) == 1
    assert "already under way" in refused[0].messages[0]
    assert Move.objects.filter(resident=resident).count() == 1
