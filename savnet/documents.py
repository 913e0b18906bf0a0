"""What the Norwegian forms of the routine print: plain strings, ready to be stored with a dispatch.

The forms are official Norwegian documents, so their labels are Norwegian here rather than
translated interface text. Dates and times are ISO strings; the forms print them in Europe/Oslo.
"""

import base64

# iso is the one date helper of the forms; the services store their own dates with it too.
from mottak.documents import iso, person_block
from mottak.models import AsylumStage

from . import rules, selectors

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
TAKEN_NB = {"yes": "Ja", "no": "Nei", "unknown": "Ukjent"}
ASYLUM_STAGE_NB = {
    AsylumStage.REGISTERED: "Registrert",
    AsylumStage.DUBLIN: "Dublinprosedyre",
    AsylumStage.AWAITING_INTERVIEW: "Venter på asylintervju eller aldersundersøkelse",
    AsylumStage.DECISION_PENDING: "Venter på vedtak",
    AsylumStage.GRANTED_AWAITING_SETTLEMENT: "Innvilget, venter på bosetting",
    AsylumStage.GRANTED_LIMITED: "Innvilget, begrenset (uten bosetting)",
    AsylumStage.REJECTED_UDI: "Avslag fra UDI (klagefrist løper)",
    AsylumStage.APPEALED: "Klage sendt, til behandling i UNE",
    AsylumStage.FINAL_REJECTION: "Endelig avslag (ikke påklaget)",
    AsylumStage.FINAL_REJECTION_UNE: "Endelig avslag fra UNE",
}
CHANNEL_TOLD_NB = {"phone": "per telefon", "by_hand": "ved personlig frammøte", "post": "per post"}
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
        "late_return": report.source == "late_return",
        "last_seen_where": report.last_seen_where,
        "last_seen_by": report.last_seen_by,
        "id_taken": TAKEN_NB.get(report.id_taken, "Ukjent"),
        "money_taken": TAKEN_NB.get(report.money_taken, "Ukjent"),
        "network": report.network,
        "possible_destinations": report.possible_destinations,
        "threats": report.threats,
        "trafficking_indicators": report.trafficking_indicators,
        "leave_contact": report.leave_contact,
        # A leave case: the address of the leave, passed in by the leave routine.
        "leave_address": report.leave_address
        or (report.known_address if report.source == "late_return" else ""),
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


def observation_context(report) -> dict:
    """R-16: what staff observed at the return, when that raised the concern report."""
    if report.concern_observed_at is None:
        return {}
    return {"at": iso(report.concern_observed_at), "grounds": report.concern_grounds}


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


# ---- SAV-3, SAV-4: what the police and child welfare need --------------------------------


def photo_data_uri(photo) -> str:
    """The photo inside the form's content: the PDF is rendered later from the frozen content and
    must show the photo as it was when the report was made (the stored file is a small JPEG or
    PNG without metadata, services.profiles)."""
    if photo is None or not photo.image:
        return ""
    try:
        with photo.image.open("rb") as handle:
            data = handle.read()
    except (FileNotFoundError, ValueError):
        return ""
    mime = "image/png" if data[:8] == b"\x89PNG\r\n\x1a\n" else "image/jpeg"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def minor_context(report) -> dict:
    """The minor as the search needs them: the profile, the asylum stage, the interpreter language,
    earlier disappearances counted from the records, the child-welfare case and care needs."""
    resident = report.resident
    profile = selectors.search_profile_of(resident)
    photo = selectors.photo_of(resident)
    return {
        "photo": photo_data_uri(photo),
        "photo_taken_on": iso(photo.taken_on) if photo and photo.taken_on else "",
        "phone": profile.phone if profile else "",
        "social_media": profile.social_media if profile else "",
        "height_cm": profile.height_cm if profile and profile.height_cm else "",
        "build": profile.build if profile else "",
        "hair": profile.hair if profile else "",
        "distinguishing_marks": profile.distinguishing_marks if profile else "",
        "needs_medication": bool(profile and profile.needs_medication),
        "asylum_stage": ASYLUM_STAGE_NB.get(resident.asylum_stage, ""),
        "interpreter_language": resident.interpreter_language,
        "earlier_disappearances": selectors.earlier_disappearances(report),
        "child_welfare_case": resident.child_welfare_case,
        "child_welfare_service": resident.child_welfare_service,
        "care_needs": resident.special_needs,
    }


def contact_context(*, name: str, phone: str) -> dict:
    """R-22: whom the recipient reaches at the centre, day and night."""
    return {"name": name.strip(), "phone": phone.strip()}


def police_told_context(report) -> dict:
    """SAV-4: the sentence about the police derives from what was done, not a fixed text."""
    told = selectors.police_told(report)
    if told is None:
        return {"told": False, "at": "", "how": ""}
    at, channel = told
    return {"told": True, "at": iso(at), "how": CHANNEL_TOLD_NB.get(channel, "")}


def representative_told_context(report) -> dict:
    call = selectors.representative_told(report)
    return {"told": call is not None, "at": iso(call.called_at) if call else ""}


def search_context(report, *, contact: dict) -> dict:
    """Everything the police report and the concern report print (SAV-3, SAV-4)."""
    context = base_context(report)
    context.update(
        minor=minor_context(report),
        contact=contact,
        police_told=police_told_context(report),
        representative_told=representative_told_context(report),
    )
    return context
