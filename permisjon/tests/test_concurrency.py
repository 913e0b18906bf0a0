"""Two simultaneous submits of the same leave create one application (row lock on the resident)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from permisjon import services
from permisjon.models import LeaveApplication
from permisjon.tests.conftest import contact, leave_data

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_double_submit_creates_one_application(staff, resident):
    data = leave_data(starts_in_days=10, length_days=5)
    barrier = threading.Barrier(2)
    outcomes = []

    def submit():
        try:
            barrier.wait()
            services.leave_application_submit(
                resident=resident, data=data, contact_persons=[contact()], by=staff
            )
            outcomes.append("created")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["created", "refused"]
    assert LeaveApplication.objects.filter(resident=resident).count() == 1
