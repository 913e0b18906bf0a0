"""The one recipient resolver: directory entries first, the routine's named fallback otherwise."""

import pytest

from mottak import directory
from mottak.models import ExternalRecipient

pytestmark = pytest.mark.django_db

Kind = ExternalRecipient.Kind


def entry(kind, name, *, municipality="", county=""):
    return ExternalRecipient.objects.create(
        kind=kind,
        name=name,
        municipality=municipality,
        county=county,
        address=f"Postboks 1, {name}",
    )


@pytest.mark.parametrize(
    ("resolve", "kind", "fallback"),
    [
        (directory.police_district, Kind.POLICE, "Politiet, Hamar"),
        (directory.child_welfare_service, Kind.CHILD_WELFARE, "Barneverntjenesten i Hamar"),
        (
            directory.child_welfare_duty_service,
            Kind.CHILD_WELFARE_DUTY,
            "Barnevernsvakten i Hamar",
        ),
        (directory.health_office, Kind.HEALTH_OFFICE, "Helsestasjonen i Hamar"),
        (directory.school, Kind.SCHOOL, "Skolen i Hamar"),
    ],
)
def test_municipality_to_its_instance_else_the_named_fallback(resolve, kind, fallback):
    assert resolve("Hamar") == {
        "recipient_name": fallback,
        "recipient_address": "",
        "recipient_kind": kind,
    }
    elsewhere = entry(kind, f"{kind} Lillehammer", municipality="Lillehammer")
    here = entry(kind, f"{kind} Hamar", municipality="Hamar")
    assert resolve("hamar ") == {"recipient": here}
    assert resolve("Lillehammer") == {"recipient": elsewhere}


def test_r_23_county_to_statsforvalteren(centre):
    assert (
        directory.county_governor("Innlandet")["recipient_name"] == "Statsforvalteren i Innlandet"
    )
    innlandet = entry(Kind.COUNTY_GOVERNOR, "Statsforvalteren i Innlandet", county="Innlandet")
    assert directory.county_governor("innlandet") == {"recipient": innlandet}
    centre.county = "Innlandet"
    assert directory.county_governor_of_centre(centre) == {"recipient": innlandet}


def test_county_governor_of_a_centre_without_county_uses_the_municipality(centre):
    centre.county = ""
    serving = entry(
        Kind.COUNTY_GOVERNOR, "Statsforvalteren i Innlandet", municipality=centre.municipality
    )
    assert directory.county_governor_of_centre(centre) == {"recipient": serving}


def test_the_regional_office_is_the_directory_entry_else_udi_and_the_region(region):
    named = directory.regional_office(region)
    assert named == {
        "recipient_name": f"UDI {region.name}",
        "recipient_address": region.address,
        "recipient_kind": Kind.UDI_REGION,
    }
    office = entry(Kind.UDI_REGION, region.name)
    assert directory.regional_office(region) == {"recipient": office}


def test_kor_and_bfe_from_the_directory_else_the_addresses_the_routine_names():
    assert directory.asylum_unit(Kind.BFE)["recipient_address"] == "bfe@udi.no"
    kor = entry(Kind.KOR, "UDI ASA KOR")
    assert directory.asylum_unit(Kind.KOR) == {"recipient": kor}
