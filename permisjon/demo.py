"""Demo leaves for `make run`: one fictional leave in every state, made through the services.

Registered with mottak's demo seeder from PermisjonConfig.ready(). Times are relative to the
run: the late leave was due back three hours ago, the overdue one should have gone to the
regional office days ago. A resident who already has a leave is left alone, so a second run
creates nothing. Whatever a person did earlier is recorded with the time it happened (the
services' `at=`), never by writing the rows directly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from cases.models import Dispatch
from cases.services import dispatch_mark_sent, dispatch_render
from mottak.demo import DemoContext

from . import selectors, services
from .models import FollowUpCall, LeaveApplication
from .routine import PREPARATION_STEPS

Decider = LeaveApplication.Decider
# The Dublin procedure and a final rejection need PU's view first: the scenes keep to the
# common case.
STAGES_NEEDING_PU = {"dublin", "final_rejection", "final_rejection_une"}


def _demo_pdf(title: str) -> bytes:
    """A one-page PDF with a title: uploads are parsed, so a placeholder must be a real PDF."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# Placeholders standing in for the contact person's ID copy and the signed agreement.
ID_COPY = _demo_pdf("Demo: fiktiv kopi av identitetspapir")
SIGNED_AGREEMENT = _demo_pdf("Demo: fiktiv signert avtale")
# The structured answers of the preparation (PERM-4): a leave with nothing against it.
ANSWERS = {
    "d_met": {"meeting": "met"},
    "d_id_copy": {"document_type": "Pass", "document_number": "DEMO123456"},
    "d_references": {
        "reference": {
            "name": "Demo Lærer",
            "role": "Kontaktlærer",
            "contact": "+47 000 98 000",
            "statement": "Kjenner familien; ingen bekymring.",
            "suitable": "yes",
        }
    },
    "e_representative": {"answer": "supports"},
    "f_police": {"answer": "no_objection"},
    "safety": {"answer": "safe"},
}


@dataclass(frozen=True)
class Scene:
    """One leave: when it starts and ends (days from today, hour) and how far it has got."""

    name: str
    departure: tuple[int, int]
    back: tuple[int, int]
    play: Callable[[LeaveApplication, DemoContext], None]
    reason: str
    destination: tuple[str, str] = ("Storgata 10, 0155 Oslo", "Oslo")
    abroad: bool = False


def _on(context: DemoContext, days: int, hour: int) -> datetime:
    day = timezone.localdate(context.now) + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _prepare(application, context, *, steps=None, at=None) -> None:
    """Tick the preparation steps (all required ones by default) as the centre's staff."""
    staff = context.users["ansatt"]
    at = at or context.now - timedelta(days=1)
    for step in PREPARATION_STEPS:
        if (steps is None and not step.required) or (steps is not None and step.code not in steps):
            continue
        attachment = ContentFile(ID_COPY, name="id.pdf") if step.needs_attachment else None
        services.leave_application_prepare_step(
            application=application,
            step_code=step.code,
            by=staff,
            note="Demo: gjort.",
            attachment=attachment,
            at=at,
            answers=ANSWERS.get(step.code),
        )


def _sent(dispatches, *, by, at) -> None:
    """The worker's render, then the notice recorded as sent (R-13: that completes the step)."""
    for dispatch in dispatches:
        dispatch_render(dispatch_id=dispatch.pk)
        dispatch_mark_sent(dispatch=dispatch, by=by, at=at)


def _notices(application) -> list[Dispatch]:
    return list(
        Dispatch.objects.filter(
            owner_ct__app_label="permisjon", owner_id=application.pk, state=Dispatch.State.QUEUED
        ).order_by("pk")
    )


def _granted(application, context, *, at) -> LeaveApplication:
    _prepare(application, context, at=at - timedelta(days=1))
    # "Normally not" warnings (e.g. no asylum interview yet, R-5) are granted with the leader's
    # documented reason, as a grant needs.
    warnings = selectors.leave_outcome(application).warnings
    return services.leave_application_grant(
        application=application,
        by=context.users["leder"],
        reason="Godt forberedt; kontaktpersonen er kjent for mottaket.",
        overrides={w.code: "Demo: vurdert særskilt av mottaksleder." for w in warnings},
        agreement_note="Ringer mottaket hver kveld kl. 20.",
        at=at,
    )


def _ready_to_leave(granted, context, *, at) -> LeaveApplication:
    """PERM-5 before departure: the notices sent, the signed agreement uploaded and the
    representative told orally as well as in writing."""
    staff = context.users["ansatt"]
    if not Dispatch.objects.filter(
        owner_ct__app_label="permisjon", owner_id=granted.pk, purpose="leave_notice"
    ).exists():
        resident = granted.resident
        services.leave_application_notify_representative(
            application=granted,
            by=staff,
            name=resident.representative_name or "Demo Representant",
            address=resident.representative_address or "Postboks 1, 0101 Oslo",
            channel="by_hand",
        )
    _sent(_notices(granted), by=staff, at=at)
    services.leave_application_upload_signed_agreement(
        application=granted,
        attachment=ContentFile(SIGNED_AGREEMENT, name="avtale.pdf"),
        by=staff,
    )
    return services.leave_application_representative_told_orally(
        application=granted, at=at, note="Demo: ringt og informert.", by=staff
    )


def _departed(application, context, *, granted_at) -> LeaveApplication:
    granted = _granted(application, context, at=granted_at)
    ready = _ready_to_leave(granted, context, at=granted_at + timedelta(hours=2))
    return services.leave_application_mark_departed(
        application=ready, at=ready.departure_at, by=context.users["ansatt"]
    )


# --- the scenes ------------------------------------------------------------------------------


def being_prepared(application, context) -> None:
    # Over 14 days: the regional office decides, and the forwarding deadline falls due soon.
    _prepare(application, context, steps={"a_clash", "b_own_wish", "c_contact_details"})


def waiting_for_the_leader(application, context) -> None:
    _prepare(application, context)


def forwarding_overdue(application, context) -> None:
    _prepare(application, context, at=context.now - timedelta(days=9))


def forwarded(application, context) -> None:
    _prepare(application, context, at=context.now - timedelta(days=2))
    application = services.leave_application_forward(
        application=application, by=context.users["ansatt"], channel="post"
    )
    _sent(_notices(application), by=context.users["ansatt"], at=timezone.now())


def granted(application, context) -> None:
    # Its agreement and the representative's letter are made, not yet sent (the worker
    # renders them in the demo).
    _granted(application, context, at=context.now - timedelta(hours=20))


def on_leave(application, context) -> None:
    departed = _departed(application, context, granted_at=context.now - timedelta(days=4))
    services.leave_follow_up_call_log(
        application=departed,
        called_at=context.now - timedelta(hours=18),
        spoke_with="Kontaktpersonen",
        outcome=FollowUpCall.Outcome.WELL,
        note="Alt vel; følger avtalen.",
        by=context.users["ansatt"],
    )


def late(application, context) -> None:
    # Due back three hours ago: the return deadline falls due, and the deadline sweep at the
    # end of the seeding marks the leave late and alerts the on-duty staff (PERM-6, R-2).
    _departed(application, context, granted_at=context.now - timedelta(days=6))


def returned(application, context) -> None:
    departed = _departed(application, context, granted_at=context.now - timedelta(days=14))
    services.leave_application_mark_returned(
        application=departed,
        at=departed.return_at - timedelta(minutes=40),
        by=context.users["ansatt"],
    )


def refused(application, context) -> None:
    # Prepared, then refused by the leader: the contact person could not be met or checked.
    # (A leave abroad is never even registered, PERM-1.)
    _prepare(application, context)
    services.leave_application_refuse(
        application=application,
        by=context.users["leder"],
        reason="Kontaktpersonen kunne ikke treffes, og referansene svarte ikke.",
        at=context.now - timedelta(days=1),
    )


SCENES = (
    Scene("being_prepared", (7, 15), (27, 18), being_prepared, "Sommerferie hos onkel."),
    Scene("waiting_for_the_leader", (10, 15), (15, 18), waiting_for_the_leader, "Besøk hos tante."),
    Scene("forwarding_overdue", (4, 15), (22, 18), forwarding_overdue, "Besøk hos søster."),
    Scene("forwarded", (15, 15), (36, 18), forwarded, "Sommerferie hos fetter."),
    Scene("granted", (3, 15), (9, 18), granted, "Høstferie hos tante."),
    Scene("on_leave", (-2, 16), (3, 18), on_leave, "Besøk hos bror."),
    Scene("late", (-4, 15), (0, 0), late, "Helgebesøk hos onkel."),
    Scene("returned", (-12, 15), (-5, 18), returned, "Påskeferie hos søster."),
    Scene("refused", (14, 9), (18, 18), refused, "Besøk hos en venn."),
)


def _times(scene: Scene, context: DemoContext) -> tuple[datetime, datetime]:
    departure = _on(context, *scene.departure)
    if scene.name == "late":
        return departure, (context.now - timedelta(hours=3)).replace(second=0, microsecond=0)
    return departure, _on(context, *scene.back)


def _application(scene: Scene, resident, context: DemoContext) -> LeaveApplication:
    departure_at, return_at = _times(scene, context)
    address, municipality = scene.destination
    return services.leave_application_submit(
        resident=resident,
        data=services.LeaveApplicationData(
            departure_at=departure_at,
            return_at=return_at,
            destination_address=address,
            destination_municipality=municipality,
            reason=scene.reason,
            abroad=scene.abroad,
        ),
        contact_persons=[
            services.ContactPersonData(
                name=f"Demo Kontaktperson {resident.family_name}",
                address=address,
                date_of_birth=timezone.localdate(context.now) - timedelta(days=40 * 365),
                relation="Slektning",
                phone="+47 000 99 000",
            )
        ],
        by=context.users["ansatt"],
        # Applied for on paper before the leave began: a departure in the past is refused at
        # input (PERM-1), so the application is dated before it.
        now=min(context.now, departure_at - timedelta(days=2)),
    )


def _fits(resident) -> bool:
    return resident.asylum_stage not in STAGES_NEEDING_PU


def seed(context: DemoContext) -> None:
    for scene in SCENES:
        resident = context.cast(_fits)
        if LeaveApplication.objects.filter(resident=resident).exists():
            context.result.add("leave applications", False)
            continue
        application = _application(scene, resident, context)
        scene.play(application, context)
        context.result.add("leave applications", True)
