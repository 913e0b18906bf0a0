"""Fixtures of the mapping routine: a minor with an open mapping, the child-welfare lead,
the minor's key worker and a plain member of staff at the same centre."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from kartlegging import services
from mottak.models import Role


@pytest.fixture
def lead(user_factory, centre):
    return user_factory(Role.CHILD_WELFARE_LEAD, centre=centre, email="lead@example.org")


@pytest.fixture
def key_worker(user_factory, centre):
    return user_factory(Role.CENTRE_STAFF, centre=centre, email="kw@example.org")


def open_mapping(resident, *, moved_in_hours_ago: int = 1):
    """The minor moved in `moved_in_hours_ago` hours ago (the factory's stay began a month
    ago) and the arrival was processed."""
    stay = resident.stays.get(ended_at__isnull=True)
    stay.started_at = timezone.now() - timedelta(hours=moved_in_hours_ago)
    stay.save()
    return services.mapping_open(resident=resident, stay=stay)


@pytest.fixture
def mapping(resident):
    return open_mapping(resident)


@pytest.fixture
def assigned(mapping, lead, key_worker):
    services.key_worker_assign(mapping=mapping, key_worker=key_worker, by=lead)
    return mapping


def talk(mapping, by, kind="mapping", *, held_at=None, interpreter=False, key=None):
    return services.conversation_record(
        mapping=mapping,
        kind=kind,
        held_at=held_at or timezone.now() - timedelta(minutes=5),
        interpreter_used=interpreter,
        interpreter_language="Tigrinja" if interpreter else "",
        interpreter_mode="phone" if interpreter else "",
        by=by,
        submission_key=key or uuid.uuid4(),
    )
