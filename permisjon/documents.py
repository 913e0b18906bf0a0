"""Plain, JSON-friendly contents of the leave routine's Norwegian forms (templates/forms/permisjon_*).

Dates and times are ISO strings, like every form's content; the forms print them with the
`dato` filter. The minor is the shared person block of every form (mottak/documents.py).
"""

from __future__ import annotations

from mottak.documents import iso, person_block

from . import rules
from .models import LeaveApplication

TEMPLATE_APPLICATION = "permisjon_soknad.html"
TEMPLATE_AGREEMENT = "permisjon_avtale.html"
TEMPLATE_REPRESENTATIVE = "permisjon_melding_representant.html"

PU_VIEW_NB = {
    LeaveApplication.PUView.NO_CLASH: (
        "Permisjonen kommer ikke i konflikt med planer om uttransportering."
    ),
    LeaveApplication.PUView.CLASHES: "Permisjonen kommer i konflikt med planer om uttransportering.",
}
DECIDER_NB = {
    LeaveApplication.Decider.CENTRE: "Asylmottaket",
    LeaveApplication.Decider.REGION: "UDIs regionkontor",
}


def base_context(application: LeaveApplication) -> dict:
    return {
        "person": person_block(application.resident, centre=application.centre),
        "number": str(application),
        "centre_name": application.centre.name,
        "departure_at": iso(application.departure_at),
        "return_at": iso(application.return_at),
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
                "date_of_birth": iso(c.date_of_birth),
                "relation": c.relation,
                "phone": c.phone,
                "designated": c.designated,
            }
            for c in application.contact_persons.order_by("-designated", "id")
        ],
    }


MEETING_NB = {
    LeaveApplication.Meeting.MET: "Kontaktpersonen er møtt på asylmottaket.",
    LeaveApplication.Meeting.NOT_POSSIBLE: "Det var ikke mulig å møte kontaktpersonen.",
}
REPRESENTATIVE_NB = {
    LeaveApplication.RepresentativeAnswer.SUPPORTS: "Støtter permisjonen",
    LeaveApplication.RepresentativeAnswer.OBJECTS: "Har innvendinger mot permisjonen",
    LeaveApplication.RepresentativeAnswer.NOT_REACHED: "Ikke nådd",
}
POLICE_NB = {
    LeaveApplication.PoliceAnswer.NO_OBJECTION: "Ingen innvendinger",
    LeaveApplication.PoliceAnswer.OBJECTS: "Har innvendinger",
    LeaveApplication.PoliceAnswer.CONTACTS_REGION: (
        "Vil ikke uttale seg til asylmottaket og kontakter UDIs regionkontor"
    ),
}
SAFETY_NB = {
    LeaveApplication.Safety.SAFE: "Asylmottaket anser permisjonsstedet som trygt.",
    LeaveApplication.Safety.UNSURE: (
        "Asylmottaket er usikker på om permisjonsstedet er trygt; barneverntjenesten er kontaktet."
    ),
}
SUITABLE_NB = {"yes": "Egnet", "no": "Ikke egnet", "no_view": "Ingen vurdering"}


def preparation_answers(application: LeaveApplication) -> dict:
    """PERM-4 d–g as answers, for the decider and the regional office."""
    return {
        "meeting": MEETING_NB.get(application.met_contact_person, ""),
        "meeting_not_possible_reason": application.meeting_not_possible_reason,
        "representative_answer": REPRESENTATIVE_NB.get(application.representative_answer, ""),
        "representative_objects": application.representative_answer == "objects",
        "representative_answer_note": application.representative_answer_note,
        "police_answer": POLICE_NB.get(application.police_answer, ""),
        "police_objects": application.police_answer == "objects",
        "police_answer_note": application.police_answer_note,
        "safety": SAFETY_NB.get(application.safety_conclusion, ""),
        "safety_note": application.safety_note,
        "references": [
            {
                "name": r.name,
                "role": r.role,
                "contact": r.contact,
                "statement": r.statement,
                "suitable": SUITABLE_NB.get(r.suitable, ""),
            }
            for r in application.references.order_by("id")
        ],
        "id_documents": [
            {"name": c.name, "type": c.id_document_type, "number": c.id_document_number}
            for c in application.contact_persons.filter(designated=True)
            if c.id_document_number
        ],
    }


def application_context(
    application: LeaveApplication,
    *,
    preparation: list[dict],
    assessment: list[str],
    attachments: list[str],
    broken_agreements: int,
) -> dict:
    """The application as forwarded to the regional office (PERM-2, PERM-3, PERM-8..10)."""
    return (
        base_context(application)
        | preparation_answers(application)
        | {
            "reason": application.reason,
            "minor_statement": application.minor_statement,
            "filled_in_by_staff": application.filled_in_by_staff,
            "decider_text": DECIDER_NB[application.decider],
            "preparation": preparation,
            "assessment": assessment,
            "attachments": attachments,
            "pu_view": PU_VIEW_NB.get(application.pu_view, ""),
            "pu_view_note": application.pu_view_note,
            "broken_agreements": broken_agreements,
            "centre_recommends_refusal": application.centre_recommends_refusal,
            "centre_recommendation_note": application.centre_recommendation_note,
            "forwarded_late": application.forwarded_late,
        }
    )


def place_check_context(application: LeaveApplication, *, concern: str) -> dict:
    """PERM-4 g: what child welfare needs to look into the place of a leave, or to act on a
    concern report: the minor, the period, the address and the people there, what the centre
    found out and what makes it unsure."""
    return (
        base_context(application)
        | preparation_answers(application)
        | {
            "reason": application.reason,
            "minor_statement": application.minor_statement,
            "concern": concern,
            "decider_text": DECIDER_NB[application.decider],
        }
    )


def decision_context(application: LeaveApplication) -> dict:
    """The representative's notice (PERM-5 b)."""
    return base_context(application) | {
        "decided_by_text": DECIDER_NB[application.decider],
        "decided_at": iso(application.decided_at),
        "decision_reason": application.decision_reason,
        "agreement_note": application.agreement_note,
    }


# What a private person does not need to know of the minor (data minimisation).
NOT_FOR_THE_CONTACT_PERSON = ("duf_number", "registration_number", "nationality")


def agreement_context(application: LeaveApplication) -> dict:
    """The agreement handed to the minor and the contact person (PERM-5 a): without the DUF
    number, which a private person does not need."""
    context = decision_context(application)
    context["person"] = {
        k: v for k, v in context["person"].items() if k not in NOT_FOR_THE_CONTACT_PERSON
    }
    context.pop("decision_reason")
    return context


# The forms are Norwegian documents: the preparation steps and the rules' findings in Bokmål.
STEP_LABELS_NB = {
    "a_clash": "a) Vurdert om fraværet kommer i konflikt med mottaksprogram, driftsoppgaver eller skole",
    "b_own_wish": "b) Forvisset oss om at den mindreårige selv ønsker permisjonen",
    "c_contact_details": "c) Kontaktopplysninger og personalia til kontaktpersonen innhentet",
    "d_met": "d) Kontaktpersonen invitert til asylmottaket",
    "d_id_copy": "d) Kopi av kontaktpersonens identitetspapirer tatt",
    "d_references": "d) Referanser innhentet",
    "e_representative": "e) Representantens støtte eller innvendinger innhentet",
    "f_police": "f) Lokalt politi spurt om innvendinger",
    "safety": "Asylmottakets konklusjon om permisjonsstedet er trygt",
    "g_child_welfare": "g) Barneverntjenesten bedt om å undersøke forholdene / bekymringsmelding sendt",
}
FINDING_NB = {
    "over_14_days": "Permisjon over 14 dager avgjøres av UDIs regionkontor.",
    "from_transit": "Permisjon fra transittmottak avgjøres av UDIs regionkontor.",
    "unknown_centre_kind": "Bare ordinære asylmottak kan selv innvilge permisjon.",
    "dublin": "Permisjon under dublinprosedyre innvilges bare av UDIs regionkontor.",
    "final_rejection": "Permisjon etter endelig avslag innvilges bare av UDIs regionkontor.",
    "centre_may_decide": "Ordinære asylmottak kan selv innvilge permisjon i inntil 14 dager.",
    "abroad": "Asylsøkere kan ikke få permisjon for reise ut av landet.",
    "no_contact_person": "Det er ikke oppgitt kontaktperson.",
    "contact_person_under_25": "Kontaktpersonen har ikke fylt 25 år første dag i permisjonen.",
    "transit_under_3_months": (
        "Enslige mindreårige skal normalt ikke gis permisjon under opphold i transittmottak; "
        "botiden i transitt overskrider ikke 3 måneder."
    ),
    "transit_before_interview": (
        "Det skal normalt ikke gis permisjon før asylintervju eller aldersundersøkelse."
    ),
    "dublin_under_3_weeks": (
        "Den mindreårige har ikke bodd på asylmottaket i mer enn 3 uker (dublinprosedyre)."
    ),
    "dublin_normally_not": (
        "Enslige mindreårige under dublinprosedyre skal normalt ikke innvilges permisjon."
    ),
    "representative_objects": "Representanten har innvendinger mot permisjonen.",
    "police_objects": "Lokalt politi har innvendinger mot permisjonen.",
    "dublin_pu_clash": "PU opplyser at permisjonen kommer i konflikt med planene for overføring.",
    "pu_view_missing": "PUs vurdering er ikke innhentet.",
    "final_rejection_pu_clash": (
        "PU opplyser at permisjonen kommer i konflikt med planer om uttransportering."
    ),
    "earlier_broken_agreements": "Den mindreårige har brutt tidligere permisjonsavtaler.",
}


def assessment_lines(outcome: rules.Outcome, overrides: dict[str, str]) -> list[str]:
    """The rules' findings in Norwegian, with the centre's remarks on "normally not" warnings."""
    lines = []
    for finding in outcome.reasons:
        line = FINDING_NB.get(finding.code, finding.code)
        remark = (overrides or {}).get(finding.code)
        # no internal rule ids on an external form.
        lines.append(f"{line}{' Begrunnelse: ' + remark if remark else ''}")
    return lines
