"""Test data for the core records: regions, centres, residents with their stay, users per role.

The defaults a test may read (the resident's name, age and nationality, the password, the
username pattern) are fixed values, the same the shared fixtures have always used; Faker
(Norwegian locale) only fills in what no test asserts on, such as a new centre's municipality.

    resident = ResidentFactory(centre=centre, family_name="Haile")  # with an open stay
    leader = CentreLeaderFactory(centre=centre)                     # member of that centre
    caseworker = RegionCaseworkerFactory(region=region)             # member of that region
"""

from datetime import date, timedelta

import factory
from django.utils import timezone

from mottak.models import Appointment, Centre, Region, Resident, Role, Stay, User
from mottak.services.memberships import centre_membership_grant, region_membership_grant

LOCALE = "no_NO"
PASSWORD = "pw-test-123!"


def _faker(provider: str, **kwargs) -> factory.Faker:
    return factory.Faker(provider, locale=LOCALE, **kwargs)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"Region {n}")


class CentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Centre

    municipality = _faker("city")
    name = factory.Sequence(lambda n: f"Mottak {n}")
    kind = Centre.Kind.ORDINARY_MINORS
    operator = Centre.Operator.MUNICIPAL
    region = factory.SubFactory(RegionFactory)
    capacity = 30
    address = ""


class ResidentFactory(factory.django.DjangoModelFactory):
    """A 16-year-old resident of `centre`, with a stay there that began 30 days ago
    (`stay=None` for none)."""

    class Meta:
        model = Resident
        skip_postgeneration_save = True

    duf_number = factory.Sequence(lambda n: str(10**11 + n))
    given_names = "Testa"
    family_name = "Testesen"
    date_of_birth = factory.LazyFunction(lambda: date.today() - timedelta(days=16 * 365))
    gender = Resident.Gender.FEMALE
    nationality = "Eritrea"
    centre = factory.SubFactory(CentreFactory)

    stay = factory.RelatedFactory(
        "mottak.tests.factories.StayFactory", factory_related_name="resident"
    )


class StayFactory(factory.django.DjangoModelFactory):
    """An open stay that began 30 days ago."""

    class Meta:
        model = Stay

    resident = factory.SubFactory(ResidentFactory, stay=None)
    centre = factory.SelfAttribute("resident.centre")
    started_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    resident = factory.SubFactory(ResidentFactory)
    kind = Appointment.Kind.ARRIVAL_INTERVIEW
    starts_at = factory.LazyFunction(timezone.now)


class UserFactory(factory.django.DjangoModelFactory):
    """A user with the role's membership: `centre=` and/or `region=` grant it (as object
    permissions, the way the access services do)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    role = Role.CENTRE_STAFF
    username = factory.LazyAttribute(lambda user: f"{user.role}-{User.objects.count()}")
    password = PASSWORD

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class._default_manager.create_user(*args, **kwargs)

    @factory.post_generation
    def centre(user, create, extracted, **kwargs):
        if extracted is not None:
            centre_membership_grant(user=user, centre=extracted)

    @factory.post_generation
    def region(user, create, extracted, **kwargs):
        if extracted is not None:
            region_membership_grant(user=user, region=extracted)


class CentreStaffFactory(UserFactory):
    role = Role.CENTRE_STAFF


class ChildWelfareLeadFactory(UserFactory):
    role = Role.CHILD_WELFARE_LEAD


class CentreLeaderFactory(UserFactory):
    role = Role.CENTRE_LEADER


class RegionCaseworkerFactory(UserFactory):
    role = Role.REGION_CASEWORKER


class AdminFactory(UserFactory):
    """A superuser with the administrator role."""

    role = Role.ADMIN
    username = "admin"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class._default_manager.create_superuser(*args, **kwargs)


def make_resident(centre: Centre, **extra) -> Resident:
    """Shorthand for ResidentFactory(centre=centre, **extra)."""
    return ResidentFactory(centre=centre, **extra)
