"""What the return routine's documents print (RET-1..RET-3): the minutes of a conversation, in
Norwegian, from the record alone."""

from django.utils import timezone
from django.utils.translation import gettext as _

from cases import legal
from cases.services import form_printout_pdf
from mottak.documents import iso, person_block

from . import references, rules
from .models import ReturnConversation

Kind = ReturnConversation.Kind
INTERPRETER_NB = {"in_person": "fremmøtt", "phone": "på telefon"}


def minutes_context(conversation: ReturnConversation) -> dict:
    covered = set(conversation.topics)
    return {
        "person": person_block(conversation.case.resident, centre=conversation.case.centre),
        "kind": "Etter UDIs avslag" if conversation.kind == Kind.AFTER_UDI else "Etter UNEs avslag",
        "held_at": iso(conversation.held_at),
        "topics": [
            {"text": t.text_nb, "covered": t.code in covered}
            for t in rules.mandatory_topics(conversation.kind)
        ],
        "minor_questions": conversation.minor_questions,
        "minor_reactions": conversation.minor_reactions,
        "interpreter": (
            f"{conversation.interpreter_language} ({INTERPRETER_NB[conversation.interpreter_mode]})"
            if conversation.interpreter_mode
            else "Ingen tolk"
        ),
        "representative": (
            "Til stede"
            if conversation.representative_present
            else (
                "Invitert, ikke til stede"
                if conversation.representative_invited
                else "Ikke invitert"
            )
        ),
        "reversal_share": conversation.reversal_share_text,
    }


def conversation_minutes_pdf(conversation: ReturnConversation, *, by) -> bytes:
    """The minutes for the case file: a printout, not a notice (nothing is sent)."""
    case = conversation.case
    return form_printout_pdf(
        subject=case.resident,
        template="retur_conversation_minutes.html",
        context=minutes_context(conversation),
        by=by,
        recipient={
            "recipient_name": case.centre.name,
            "recipient_kind": "centre",
            "recipient_address": _("The case file"),
        },
        routine_reference=legal.cite(references.ROUTINE_RETURN, on=timezone.localdate()).routines,
    )
