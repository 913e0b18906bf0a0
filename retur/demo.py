"""Demo return cases for `make run`, made through the services, all fictional.

Registered with mottak's demo seeder from ReturConfig.ready(). Every demo resident with a
rejection gets a return case (the demo's stages are set directly, without the life event);
the ASA demo user follows three of them, one with the conversation after UDI's rejection held.
The current quarter's meeting of ASA, RMA and AUA is planned with its deadline (RET-6).
A resident who already has a case is left alone, so a second run creates nothing.
"""

from __future__ import annotations

from datetime import timedelta

from mottak.demo import DemoContext
from mottak.models import RETURN_STAGES, Resident

from . import rules, services
from .models import ReturnCase

FOLLOWED_BY_ASA = 3


def seed(context: DemoContext) -> None:
    from django.utils import timezone

    from . import services_meetings

    # RET-6: the current quarter's meeting and its national deadline, as the beat plans it.
    services_meetings.quarterly_meeting_plan(quarter_of=timezone.localdate(context.now))
    admin, asa = context.users.get("admin"), context.users.get("asa")
    residents = Resident.objects.filter(asylum_stage__in=RETURN_STAGES).order_by("pk")
    for index, resident in enumerate(residents):
        if ReturnCase.objects.filter(resident=resident).exists():
            context.result.add("return cases", False)
            continue
        case = services.return_case_open(
            resident=resident, stage=resident.asylum_stage, at=context.now - timedelta(days=20)
        )
        context.result.add("return cases", True)
        if admin is None or asa is None or index >= FOLLOWED_BY_ASA:
            continue
        case = services.return_case_assign(case=case, caseworker=asa, by=admin)
        if index == 0:
            services.return_conversation_record(
                case=case,
                kind=rules.AFTER_UDI,
                held_at=context.now - timedelta(days=10),
                topics=[t.code for t in rules.mandatory_topics(rules.AFTER_UDI)],
                minor_questions="Hva skjer hvis jeg klager?",
                minor_reactions="Rolig, ønsket tid til å tenke.",
                interpreter_mode="in_person",
                interpreter_language="Dari",
                representative_invited=True,
                representative_present=True,
                by=asa,
            )
