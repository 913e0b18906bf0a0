"""Fixtures of the leave routine: applications registered through the service."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from permisjon import services


def leave_data(*, starts_in_days=10, length_days=7, **extra) -> services.LeaveApplicationData:
    departure = (timezone.localtime() + timedelta(days=starts_in_days)).replace(
        hour=12, minute=0, second=0, microsecond=0
    )
    fields = dict(
        departure_at=departure,
        return_at=departure + timedelta(days=length_days, hours=6),
        destination_address="Storgata 1, 0155 Oslo",
        destination_municipality="Oslo",
        reason="Besøke tante",
    )
    fields.update(extra)
    return services.LeaveApplicationData(**fields)


def contact(**extra) -> services.ContactPersonData:
    fields = dict(
        name="Kari Kontakt",
        address="Storgata 1, 0155 Oslo",
        date_of_birth=date(1980, 5, 17),
        relation="Tante",
        phone="+47 900 00 000",
    )
    fields.update(extra)
    return services.ContactPersonData(**fields)


@pytest.fixture
def submit(staff):
    """submit(resident, **leave_data kwargs, contacts=[...]) → a new application."""

    def make(resident, *, contacts=None, by=None, **kwargs):
        return services.leave_application_submit(
            resident=resident,
            data=leave_data(**kwargs),
            contact_persons=contacts if contacts is not None else [contact()],
            by=by or staff,
        )

    return make
