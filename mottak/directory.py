"""The one recipient resolver: the directory of outside instances, with the fallbacks the
routines name when the directory has no entry.

Each function answers the recipient arguments of `cases.services.dispatch_create`: either
`{"recipient": <ExternalRecipient>}` or a named recipient with kind and address. Routines
declare their notices' recipients with these (cases.routines.Notice.recipient), so the same
office always has the same dispatch identity.
"""

from __future__ import annotations

from .models import ExternalRecipient, Region

Kind = ExternalRecipient.Kind

# Where the directory has no entry: the name the routine gives the instance.
FALLBACK_NAMES = {
    Kind.POLICE: "Politiet, {place}",
    Kind.CHILD_WELFARE: "Barneverntjenesten i {place}",
    Kind.CHILD_WELFARE_DUTY: "Barnevernsvakten i {place}",
    Kind.COUNTY_GOVERNOR: "Statsforvalteren i {place}",
    Kind.HEALTH_OFFICE: "Helsestasjonen i {place}",
    Kind.SCHOOL: "Skolen i {place}",
}
# SAV-6: the addresses the routine names for UDI's asylum department.
ASYLUM_UNITS = {
    Kind.KOR: ("UDI Asylavdelingen, Koordineringsenheten (KOR)", "_ASYL_KOR@udi.no"),
    Kind.BFE: ("UDI Asylavdelingen, Barnefaglig enhet (BFE)", "bfe@udi.no"),
}


def named(kind: str, name: str, address: str = "") -> dict:
    return {"recipient_name": name, "recipient_address": address, "recipient_kind": kind}


def directory_entry(kind: str, *, municipality: str = "", name: str = ""):
    entries = ExternalRecipient.objects.filter(kind=kind)
    if municipality:
        entries = entries.filter(municipality__iexact=municipality.strip())
    if name:
        entries = entries.filter(name=name)
    return entries.order_by("name", "pk").first()


def recipient_in_municipality(
    kind: str, municipality: str, *, fallback_name: str = "", fallback_address: str = ""
) -> dict:
    """The instance of `kind` serving `municipality` (police district, child-welfare service,
    county governor, health office, school), else the routine's named fallback."""
    entry = directory_entry(kind, municipality=municipality)
    if entry is not None:
        return {"recipient": entry}
    name = fallback_name.strip() or FALLBACK_NAMES[kind].format(place=municipality.strip())
    return named(kind, name, fallback_address.strip())


def police_district(municipality: str) -> dict:
    return recipient_in_municipality(Kind.POLICE, municipality)


def child_welfare_service(
    municipality: str, *, fallback_name: str = "", fallback_address: str = ""
) -> dict:
    return recipient_in_municipality(
        Kind.CHILD_WELFARE,
        municipality,
        fallback_name=fallback_name,
        fallback_address=fallback_address,
    )


def child_welfare_duty_service(municipality: str) -> dict:
    """The child-welfare duty service (barnevernsvakt) outside office hours (R-12)."""
    return recipient_in_municipality(Kind.CHILD_WELFARE_DUTY, municipality)


def health_office(municipality: str) -> dict:
    return recipient_in_municipality(Kind.HEALTH_OFFICE, municipality)


def school(municipality: str) -> dict:
    return recipient_in_municipality(Kind.SCHOOL, municipality)


def county_governor(county: str) -> dict:
    """Statsforvalteren of the county (R-23: the seed's "Fylkesmannen")."""
    entry = ExternalRecipient.objects.filter(
        kind=Kind.COUNTY_GOVERNOR, county__iexact=county.strip()
    ).first()
    if entry is not None:
        return {"recipient": entry}
    return named(Kind.COUNTY_GOVERNOR, f"Statsforvalteren i {county.strip()}")


def county_governor_of_centre(centre) -> dict:
    """The centre's county governor; without a county on record, the one whose directory
    entry serves the centre's municipality, else named after the municipality for staff to
    correct before sending."""
    if centre.county.strip():
        return county_governor(centre.county)
    return recipient_in_municipality(Kind.COUNTY_GOVERNOR, centre.municipality)


def regional_office(region: Region) -> dict:
    """The UDI regional office: one identity whichever routine writes to it."""
    entry = directory_entry(Kind.UDI_REGION, name=region.name) or directory_entry(
        Kind.UDI_REGION, name=f"UDI {region.name}"
    )
    if entry is not None:
        return {"recipient": entry}
    return named(Kind.UDI_REGION, f"UDI {region.name}", region.address)


def asylum_unit(unit: str) -> dict:
    """KOR or BFE of UDI's asylum department (SAV-6)."""
    entry = directory_entry(unit)
    if entry is not None:
        return {"recipient": entry}
    name, address = ASYLUM_UNITS[unit]
    return named(unit, name, address)
