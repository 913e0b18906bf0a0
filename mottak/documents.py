"""The resident as the Norwegian forms (templates/forms/) print them: one block for every routine.

A dispatch freezes its content as JSON, so the block holds plain values only; dates are ISO
strings and the forms print them with the `dato` filter (cases/templatetags/form_tags.py).
The partial templates/forms/_person.html prints the block; the routine apps (savnet,
permisjon, ...) build it here and put it under the key "person" of a form's content.
"""

from __future__ import annotations

from datetime import date, datetime

from .models import Centre, Resident

GENDER_NB = {
    Resident.Gender.FEMALE: "Kvinne",
    Resident.Gender.MALE: "Mann",
    Resident.Gender.OTHER: "Annet / ukjent",
}


def iso(value: date | datetime | None) -> str:
    """A date or a date-time as stored in a form's content; nothing gives ""."""
    return value.isoformat() if value else ""


def person_block(resident: Resident, *, centre: Centre | None = None) -> dict:
    """Who a form is about: identity, date of birth, language, centre, representative, lawyer.

    `centre` is the centre the case belongs to (a report's or an application's); without it
    the resident's current centre is printed.
    """
    centre = centre if centre is not None else resident.centre
    return {
        "name": resident.full_name,
        "duf_number": resident.duf_number or "",
        "registration_number": resident.registration_number or "",
        "date_of_birth": iso(resident.date_of_birth),
        "date_of_birth_uncertain": resident.date_of_birth_uncertain,
        "presumed_adult": resident.presumed_adult,
        "registered_as_minor_in_duf": resident.registered_as_minor_in_duf,
        "gender": GENDER_NB.get(resident.gender, ""),
        "nationality": resident.nationality,
        "languages": resident.languages,
        "centre": centre.name if centre else "",
        "representative_name": resident.representative_name,
        "representative_phone": resident.representative_phone,
        "representative_address": resident.representative_address,
        "lawyer_name": resident.lawyer_name,
        "lawyer_phone": resident.lawyer_phone,
        "lawyer_address": resident.lawyer_address,
    }


CENTRE_KIND_NB = {
    Centre.Kind.ARRIVAL_TRANSIT: "Ankomsttransitt",
    Centre.Kind.TRANSIT: "Transittmottak",
    Centre.Kind.ORDINARY_MINORS: "Ordinær avdeling for enslige mindreårige",
    Centre.Kind.ORDINARY_ACCOMPANIED: "Ordinært mottak med mindreårige med følgeperson",
    Centre.Kind.ORDINARY_ADULTS: "Ordinært mottak for voksne",
}
REPRESENTATIVE_STATUS_NB = {
    "not_appointed": "Ikke oppnevnt ennå",
    "temporary": "Midlertidig representant",
    "appointed": "Oppnevnt",
    "changed": "Ny representant oppnevnt",
    "ended": "Vervet er opphørt",
}
