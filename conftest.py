"""Shared fixtures: regions, centres, one user per role with their memberships, residents.

They are built with the factories of mottak/tests/factories.py; a test that needs more of the
same imports the factory (ResidentFactory(centre=centre), ...) rather than this module."""

import os

import pytest
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from mottak.models import Centre, Region
from mottak.tests.factories import (
    AdminFactory,
    CentreFactory,
    CentreLeaderFactory,
    CentreStaffFactory,
    RegionCaseworkerFactory,
    RegionFactory,
    ResidentFactory,
    UserFactory,
)

# Hypothesis: `dev` (the default) tries about 20 examples per property so a local run stays
# quick; `ci` tries the full count the properties were written for. HYPOTHESIS_PROFILE chooses
# (.ci/run sets ci). A test that names max_examples in its own @settings keeps that count.
hypothesis_settings.register_profile("ci", max_examples=200)
hypothesis_settings.register_profile("dev", max_examples=20)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


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


@pytest.fixture(autouse=True)
def force_login_passes_second_factor(monkeypatch):
    """`force_login` in tests stands for a finished login: password and second factor. It
    attaches a confirmed device to the session as a code would (django_otp.login), and the
    idle-timeout stamp the login's own save sets (config/session_renewal.py). Tests of the
    second factor itself log in with a password and a real code (mottak/tests/test_mfa.py)."""
    import time

    from django.test.client import ClientMixin
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_static.models import StaticDevice

    from config.session_renewal import RENEWED_AT

    original = ClientMixin.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        device, _ = StaticDevice.objects.get_or_create(
            user=user, name="test login", defaults={"confirmed": True}
        )
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session[RENEWED_AT] = int(time.time())
        session.save()

    monkeypatch.setattr(ClientMixin, "force_login", force_login)


@pytest.fixture
def client(client):
    """The test client asks for English, so assertions read the English message ids."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def region(db):
    return RegionFactory(name="Region Øst")


@pytest.fixture
def other_region(db):
    return RegionFactory(name="Region Vest")


@pytest.fixture
def centre(region):
    return CentreFactory(
        name="Fjellheim mottak",
        kind=Centre.Kind.ORDINARY_MINORS,
        operator=Centre.Operator.MUNICIPAL,
        municipality="Lillehammer",
        region=region,
        capacity=30,
        address="Postboks 1, 2601 Lillehammer",
        duty_phone="61 00 00 99",
    )


@pytest.fixture
def neighbour_centre(region):
    """Another centre in the same region."""
    return CentreFactory(
        name="Solbakken transitt",
        kind=Centre.Kind.TRANSIT,
        operator=Centre.Operator.PRIVATE,
        municipality="Hamar",
        region=region,
        capacity=50,
        address="",
    )


@pytest.fixture
def far_centre(other_region):
    """A centre in another region."""
    return CentreFactory(
        name="Havgløtt mottak",
        kind=Centre.Kind.ORDINARY_MINORS,
        operator=Centre.Operator.PRIVATE,
        municipality="Bergen",
        region=other_region,
        capacity=25,
        address="",
    )


@pytest.fixture
def user_factory(db):
    """make(role, centre=None, region=None) → user with the membership the role implies."""

    def make(role: str, *, centre: Centre | None = None, region: Region | None = None, **extra):
        return UserFactory(role=role, centre=centre, region=region, **extra)

    return make


@pytest.fixture
def staff(db, centre):
    return CentreStaffFactory(centre=centre)


@pytest.fixture
def leader(db, centre):
    return CentreLeaderFactory(centre=centre)


@pytest.fixture
def caseworker(db, region):
    return RegionCaseworkerFactory(region=region)


@pytest.fixture
def admin_user(db):
    return AdminFactory()


@pytest.fixture
def resident(centre):
    return ResidentFactory(centre=centre)
