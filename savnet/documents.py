"""What the Norwegian forms of the routine print: plain strings, ready to be stored with a dispatch.

The forms are official Norwegian documents, so their labels are Norwegian here rather than
translated interface text. Dates and times are ISO strings; the forms print them in Europe/Oslo.
"""

# iso is the one date helper of the forms; the services store their own dates with it too.
from mottak.documents import iso, person_block

from . import rules

OPERATOR_NB = {rules.MUNICIPAL: "kommunalt mottak", rules.PRIVATE: "privat mottak"}
SOURCE_NB = {
    "absence": "Ikke til stede ved daglige gjøremål",
    "late_return": "Ikke kommet tilbake fra permisjon til avtalt tid",
}
FOUND_HOW_NB = {
    "came_back": "Kom tilbake på egen hånd",
    "police": "Brakt tilbake av politiet",
    "child_welfare": "Brakt tilbake av barneverntjenesten",
    "other": "Annet",
}
APPOINTMENT_NB = {
    rules.ARRIVAL_INTERVIEW: "Ankomstsamtale",
    rules.AGE_ASSESSMENT: "Aldersundersøkelse",
    rules.ASYLUM_INTERVIEW: "Asylintervju",
}
PARTY_NB = {"representative": "Representant/verge", "lawyer": "Advokat"}
RECIPIENT_KIND_NB = {
    "police": "politiet",
    "child_welfare": "barneverntjenesten",
    "udi_region": "UDIs regionkontor",
    "kor": "UDI Asylavdelingen, KOR",
    "bfe": "UDI Asylavdelingen, BFE",
    "representative": "representanten",
    "lawyer": "advokaten",
}


def centre_context(centre) -> dict:
    return {
        "name": centre.name,
        "address": centre.address,
        "phone": centre.phone,
        "municipality": centre.municipality,
        "operator": OPERATOR_NB.get(centre.operator, ""),
    }


def report_context(report) -> dict:
    return {
        "noticed_at": iso(report.noticed_at),
        "last_seen_at": iso(report.last_seen_at),
        "reason_to_believe_at": iso(report.reason_to_believe_at),
        "source": SOURCE_NB.get(report.source, ""),
        "circumstances": report.circumstances,
        "description": report.description,
        "known_address": report.known_address,
        "known_address_municipality": report.known_address_municipality,
    }


def whereabouts_context(report) -> dict:
    return {
        "known_at": iso(report.whereabouts_known_at),
        "where": report.whereabouts,
        "municipality": report.whereabouts_municipality,
    }


def found_context(report) -> dict:
    return {
        "found_at": iso(report.found_at),
        "how": FOUND_HOW_NB.get(report.found_how, ""),
        "where_they_were": report.where_they_were,
    }


def conversation_context(conversation) -> dict:
    return {
        "held_at": iso(conversation.held_at),
        "neglect_grounds": conversation.neglect_grounds,
        "trafficking_suspected": conversation.trafficking_suspected,
        "domestic_violence_suspected": conversation.domestic_violence_suspected,
        "asylum_relevant_info": conversation.asylum_relevant_info,
    }


def base_context(report) -> dict:
    """What every form of the routine prints about the minor, the centre and the report.

    The minor is the shared person block of every form (mottak/documents.py).

    The dispatch engine adds the letterhead, recipient, date, channel and legal basis.
    """
    return {
        "person": person_block(report.resident, centre=report.centre),
        "centre": centre_context(report.centre),
        "report": report_context(report),
    }


def appointment_rows(plans: list[rules.CancellationPlan]) -> list[dict]:
    return [
        {
            "kind": APPOINTMENT_NB.get(plan.appointment.kind, plan.appointment.kind),
            "starts_at": iso(plan.appointment.starts_at),
            "high_priority": plan.high_priority,
        }
        for plan in plans
    ]


def call_context(call) -> dict:
    return {
        "party": PARTY_NB.get(call.party, ""),
        "party_name": call.party_name,
        "phone_number": call.phone_number,
        "called_at": iso(call.called_at),
        "what_they_knew": call.what_they_knew,
    }
