"""Shared fixtures: regions, centres, one user per role with their memberships, residents."""

import os
from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from mottak.access import centre_membership_grant, region_membership_grant
from mottak.models import Centre, Region, Resident, Role, Stay, User


@pytest.fixture(scope="session", autouse=True)
def empty_task_queue():
    """CI reuses the Redis it finds: tasks queued by an earlier run (on_commit in tests that
    commit, with no worker listening) must not reach a worker started by this run."""
    if not os.environ.get("CELERY_BROKER_URL", "").startswith("redis://"):
        yield
        return
    from config.celery import app

    app.control.purge()
    yield
    app.control.purge()


# The interface speaks Norwegian by default; tests read the English message ids unless they
# ask for the default language on purpose (with their own Client(), see tests/test_i18n.py).
@pytest.fixture(autouse=True)
def english_outside_requests():
    """Messages built outside a request (services, forms, models) in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    """The test client asks for English, so assertions read the English message ids."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def region(db):
    return Region.objects.create(name="Region Øst")


@pytest.fixture
def other_region(db):
    return Region.objects.create(name="Region Vest")


@pytest.fixture
def centre(region):
    return Centre.objects.create(
        name="Fjellheim mottak",
        kind=Centre.Kind.ORDINARY_MINORS,
        operator=Centre.Operator.MUNICIPAL,
        municipality="Lillehammer",
        region=region,
        capacity=30,
        address="Postboks 1, 2601 Lillehammer",
    )


@pytest.fixture
def neighbour_centre(region):
    """Another centre in the same region."""
    return Centre.objects.create(
        name="Solbakken transitt",
        kind=Centre.Kind.TRANSIT,
        operator=Centre.Operator.PRIVATE,
        municipality="Hamar",
        region=region,
        capacity=50,
    )


@pytest.fixture
def far_centre(other_region):
    """A centre in another region."""
    return Centre.objects.create(
        name="Havgløtt mottak",
        kind=Centre.Kind.ORDINARY_MINORS,
        operator=Centre.Operator.PRIVATE,
        municipality="Bergen",
        region=other_region,
        capacity=25,
    )


def make_user(role: str, username: str | None = None, **extra) -> User:
    return User.objects.create_user(
        username=username or f"{role}-{User.objects.count()}",
        password="pw-test-123!",
        role=role,
        **extra,
    )


@pytest.fixture
def user_factory(db):
    """make(role, centre=None, region=None) → user with the membership the role implies."""

    def make(role: str, *, centre: Centre | None = None, region: Region | None = None, **extra):
        user = make_user(role, **extra)
        if centre is not None:
            centre_membership_grant(user=user, centre=centre)
        if region is not None:
            region_membership_grant(user=user, region=region)
        return user

    return make


@pytest.fixture
def staff(user_factory, centre):
    return user_factory(Role.CENTRE_STAFF, centre=centre)


@pytest.fixture
def leader(user_factory, centre):
    return user_factory(Role.CENTRE_LEADER, centre=centre)


@pytest.fixture
def caseworker(user_factory, region):
    return user_factory(Role.REGION_CASEWORKER, region=region)


@pytest.fixture
def admin_user(db):
    return User.objects.create_superuser(username="admin", password="pw-test-123!", role=Role.ADMIN)


_duf_counter = iter(range(10**11, 10**12))


def make_resident(centre: Centre, **extra) -> Resident:
    fields = dict(
        duf_number=str(next(_duf_counter)),
        given_names="Testa",
        family_name="Testesen",
        date_of_birth=date.today() - timedelta(days=16 * 365),
        gender=Resident.Gender.FEMALE,
        nationality="Eritrea",
        centre=centre,
    )
    fields.update(extra)
    resident = Resident.objects.create(**fields)
    Stay.objects.create(
        resident=resident, centre=centre, started_at=timezone.now() - timedelta(days=30)
    )
    return resident


@pytest.fixture
def resident(centre):
    return make_resident(centre)
