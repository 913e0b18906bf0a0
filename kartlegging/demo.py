"""Demo mappings for `make run`, made through the services, all fictional.

Registered with mottak's demo seeder from KartleggingConfig.ready(). Every minor of the demo
centre gets the mapping their arrival opens (the welcome conversations due show on the
child-welfare lead's overview); one minor has a key worker, a welcome conversation, a mapping
conversation with an interpreter, entries in the minor's own words and staff observations,
and a measure of the action plan. A minor who already has entries is left alone, so a second
run creates nothing.
"""

from __future__ import annotations

from datetime import timedelta

from mottak.demo import DemoContext

from . import services
from .models import Entry


def _open_all(context: DemoContext) -> None:
    for resident in context.cast_list:
        stay = resident.stays.filter(ended_at__isnull=True).select_related("centre").first()
        if stay is not None:
            services.mapping_open(resident=resident, stay=stay)


def _worked_on(resident, context: DemoContext) -> None:
    now, lead, staff = context.now, context.users["barnefaglig"], context.users["ansatt"]
    stay = resident.stays.filter(ended_at__isnull=True).first()
    mapping = services.mapping_open(resident=resident, stay=stay)
    services.key_worker_assign(mapping=mapping, key_worker=staff, by=lead)
    held = max(stay.started_at + timedelta(hours=3), now - timedelta(days=20))
    services.conversation_record(
        mapping=mapping,
        kind="welcome",
        held_at=held,
        interpreter_used=True,
        interpreter_language="Tigrinja",
        interpreter_mode="phone",
        by=staff,
    )
    talk = services.conversation_record(
        mapping=mapping,
        kind="mapping",
        held_at=now - timedelta(days=10),
        interpreter_used=True,
        interpreter_language="Tigrinja",
        interpreter_mode="in_person",
        by=staff,
    )
    school = services.entry_add(
        mapping=mapping,
        area="school",
        source=Entry.Source.MINOR,
        text="Gikk på skole i fem år hjemme. Vil lære norsk og bli elektriker.",
        recorded_on=(now - timedelta(days=10)).date(),
        conversation=talk,
        by=staff,
    )
    services.entry_add(
        mapping=mapping,
        area="safety",
        source=Entry.Source.STAFF,
        text="Sover dårlig de første nettene; roligere etter at romkameraten kom.",
        recorded_on=(now - timedelta(days=8)).date(),
        by=staff,
    )
    services.measure_add(
        mapping=mapping,
        area="school",
        need_entry=school,
        goal="Begynne i innføringsklasse",
        actions="Kontakt med skolen; leksehjelp to ettermiddager i uka",
        responsible="Særkontakt",
        by=staff,
    )


def seed(context: DemoContext) -> None:
    _open_all(context)
    # The other seeders move and send residents away, so the cast differs between runs: one
    # worked-on mapping in the whole demo is the check, not the resident the cast gives now.
    if Entry.objects.exists():
        context.result.add("mappings worked on", False)
        return
    resident = context.cast()
    _worked_on(resident, context)
    context.result.add("mappings worked on", True)
