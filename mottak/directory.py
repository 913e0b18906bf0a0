"""The one recipient resolver: the directory of outside instances, with the fallbacks the
routines name when the directory has no entry.

Each function answers the recipient arguments of `cases.services.dispatch_create`: either
`{"recipient": <ExternalRecipient>}` or a named recipient with kind and address. Routines
declare their notices' recipients with these (cases.routines.Notice.recipient), so the same
office always has the same dispatch identity.
"""

from __future__ import annotations

from .models import ExternalRecipient, Municipality, Region

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


# The municipality's field that names the instance of each kind serving it.
SERVED_BY = {
    Kind.POLICE: "police_district",
    Kind.CHILD_WELFARE: "child_welfare",
    Kind.CHILD_WELFARE_DUTY: "child_welfare_duty",
    Kind.SCHOOL: "school",
    Kind.HEALTH_OFFICE: "health_office",
}


def municipality_of(name: str) -> Municipality | None:
    return (
        Municipality.objects.filter(name__iexact=(name or "").strip())
        .select_related(*SERVED_BY.values())
        .first()
    )


def served_by(kind: str, municipality: str) -> ExternalRecipient | None:
    """The instance of `kind` the directory names for the municipality (a police district
    serves many municipalities); else an entry that names the municipality itself."""
    place = municipality_of(municipality) if kind in SERVED_BY else None
    entry = getattr(place, SERVED_BY[kind]) if place is not None else None
    return entry or directory_entry(kind, municipality=municipality)


def county_of(municipality: str) -> str:
    place = municipality_of(municipality)
    return place.county if place is not None else ""


def recipient_in_municipality(
    kind: str, municipality: str, *, fallback_name: str = "", fallback_address: str = ""
) -> dict:
    """The instance of `kind` serving `municipality` (police district, child-welfare service,
    county governor, health office, school), else the routine's named fallback."""
    entry = served_by(kind, municipality)
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
    county = centre.county.strip() or county_of(centre.municipality)
    if county:
        return county_governor(county)
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
