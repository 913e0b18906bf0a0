"""Plain, JSON-friendly contexts of the leave routine's Norwegian forms (templates/forms/permisjon_*)."""

from __future__ import annotations

from datetime import date, datetime

from . import rules
from .models import LeaveApplication

TEMPLATE_APPLICATION = "permisjon_soknad.html"
TEMPLATE_AGREEMENT = "permisjon_avtale.html"
TEMPLATE_REPRESENTATIVE = "permisjon_melding_representant.html"

PU_VIEW_NB = {
    LeaveApplication.PUView.NO_CLASH: "Permisjonen kommer ikke i konflikt med planer om uttransportering.",
    LeaveApplication.PUView.CLASHES: "Permisjonen kommer i konflikt med planer om uttransportering.",
}
DECIDER_NB = {
    LeaveApplication.Decider.CENTRE: "asylmottaket",
    LeaveApplication.Decider.REGION: "UDIs regionkontor",
}


def _moment(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(rules.OSLO).strftime("%d.%m.%Y kl. %H:%M")


def _day(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def base_context(application: LeaveApplication) -> dict:
    resident, centre = application.resident, application.centre
    return {
        "number": str(application),
        "resident_name": resident.full_name,
        "resident_identifier": resident.identifier,
        "resident_born": _day(resident.date_of_birth),
        "centre_name": centre.name,
        "centre_address": centre.address,
        "centre_phone": centre.phone,
        "departure": _moment(application.departure_at),
        "return": _moment(application.return_at),
        "length_days": rules.perm_1_length_days(
            rules.local_date(application.departure_at), rules.local_date(application.return_at)
        ),
        "destination_address": application.destination_address,
        "destination_municipality": application.destination_municipality,
        "abroad": application.abroad,
        "contact_persons": [
            {
                "name": c.name,
                "address": c.address,
                "date_of_birth": _day(c.date_of_birth),
                "relation": c.relation,
                "phone": c.phone,
            }
            for c in application.contact_persons.all()
        ],
    }


def application_context(
    application: LeaveApplication,
    *,
    preparation: list[dict],
    attachments: list[str],
    broken_agreements: int,
) -> dict:
    """The application form as forwarded to the regional office (PERM-2, PERM-3, PERM-8..10)."""
    return base_context(application) | {
        "reason": application.reason,
        "filled_in_by_staff": application.filled_in_by_staff,
        "preparation": preparation,
        "attachments": attachments,
        "pu_view": PU_VIEW_NB.get(application.pu_view, ""),
        "pu_view_note": application.pu_view_note,
        "broken_agreements": broken_agreements,
        "centre_recommends_refusal": application.centre_recommends_refusal,
        "centre_recommendation_note": application.centre_recommendation_note,
        "forwarded_late": application.forwarded_late,
    }


def decision_context(application: LeaveApplication) -> dict:
    """The agreement and the representative's notice (PERM-5)."""
    return base_context(application) | {
        "decided_by_text": DECIDER_NB[application.decider],
        "decided_at": _moment(application.decided_at),
        "agreement_note": application.agreement_note,
    }
