"""What the transfer form prints (KART-8..14, R-22): the minor, the mapping and the plan
redacted for the recipient, the consent it rests on, and what was left out.

The context is frozen into the dispatch when it is made (cases.services.dispatches), so the
version sent is never changed afterwards and the record of what was left out stays with it.
The form speaks Norwegian whatever the user's language.
"""

from django.utils import timezone, translation

from cases.consent_rules import GivenBy
from cases.services import consents_valid_for
from mottak.documents import person_block

from . import rules
from .models import Area, Conversation, Entry, Mapping, Measure, TransferTrack


def _nb(label) -> str:
    with translation.override("nb"):
        return str(label)


def _day(moment) -> str:
    return timezone.localdate(moment).isoformat() if moment else ""


def _interpreter(conversation) -> str:
    if not conversation.interpreter_used:
        return "Nei"
    mode = _nb(Conversation.InterpreterMode(conversation.interpreter_mode).label).lower()
    return f"Ja, {conversation.interpreter_language}, {mode}"


def transfer_context(
    mapping: Mapping,
    *,
    recipient_kind: str,
    version: int,
    nothing_new: bool,
    purpose: str,
    areas: tuple[str, ...] | None = None,
    assessment: dict | None = None,
) -> dict:
    """`areas`: the areas a recipient outside the KART-12 list needs, as the leader's
    `assessment` names them; else the recipient kind's (rules.AREAS_FOR_RECIPIENT)."""
    if areas is None:
        kept, left_out = rules.redaction(recipient_kind)
    else:
        kept = tuple(a for a in rules.ALL_AREAS if a in areas)
        left_out = tuple(a for a in rules.ALL_AREAS if a not in areas)
    consent = next(
        iter(
            consents_valid_for(
                subject=mapping.resident, recipient_kind=recipient_kind, purpose=purpose
            )
        ),
        None,
    )
    entries = mapping.entries.filter(area__in=kept).select_related("centre")
    measures = mapping.measures.filter(area__in=kept)
    key_worker = mapping.resident.key_worker_assignments.filter(ended_at__isnull=True).first()
    return {
        # UDI's mapping form (seed §4, attachments 4–7): when the work was done and by whom,
        # every conversation with its interpreter (KART-6), and the version (v1, v2 …).
        "form": {
            "version_label": f"v{version}",
            "moved_in": _day(mapping.stay_started_at),
            "welcome_held": _day(mapping.welcome_held_at),
            "started": _day(mapping.started_at),
            "finished": _day(mapping.finished_at),
            "key_worker": key_worker.key_worker.get_full_name() if key_worker else "",
            "purpose": rules.RECIPIENT_PURPOSE_NB.get(recipient_kind, ""),
            "conversations": [
                {
                    "date": _day(c.held_at),
                    "kind": _nb(Conversation.Kind(c.kind).label),
                    "interpreter": _interpreter(c),
                }
                for c in mapping.conversations.order_by("held_at", "id")
            ]
            if not nothing_new
            else [],
        },
        "person": person_block(mapping.resident, centre=mapping.centre),
        # KART-12: the leader's assessment of a recipient outside the list (function, why).
        "assessment": assessment,
        "version": version,
        "nothing_new": nothing_new,
        "track": _nb(TransferTrack(mapping.transfer_track).label) if mapping.transfer_track else "",
        "health_needs": mapping.health_needs,
        "areas": [
            {
                "label": _nb(Area(area).label),
                "entries": [
                    {
                        "date": e.recorded_on.isoformat(),
                        "source": _nb(Entry.Source(e.source).label),
                        "text": e.text,
                    }
                    for e in entries
                    if e.area == area
                ],
            }
            for area in kept
        ]
        if not nothing_new
        else [],
        "measures": [
            {
                "area": _nb(Area(m.area).label),
                "goal": m.goal,
                "actions": m.actions,
                "responsible": m.responsible,
                "status": _nb(Measure.Status(m.status).label),
                # KART-7/8: the recommendation at a move or at the end, with the minor's view.
                "recommendation": _nb(Measure.MoveDecision(m.move_decision).label)
                if m.move_decision
                else "",
                "minor_view": m.minor_view,
            }
            for m in measures
        ]
        if not nothing_new
        else [],
        # KART-14: the record of what this recipient does not get.
        "left_out": [_nb(Area(area).label) for area in left_out],
        # KART-13: the representative's (from 18 the resident's) declaration goes with it.
        "consent": {
            "given_by_name": consent.given_by_name,
            "given_by": _nb(GivenBy(consent.given_by).label),
            "given_on": consent.given_on.isoformat(),
        }
        if consent is not None
        else None,
    }
