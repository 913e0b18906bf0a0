"""Demo missing reports for `make run`, made through the services, all fictional.

Registered with mottak's demo seeder from SavnetConfig.ready(). One minor reported missing five
hours ago with some steps of the 24 hours done (the police report sent, the representative
reached, the asylum interview cancelled, Sesam), one made and not sent (child welfare) and some
left (the lawyer not reached, the copies to the regional office); and one absence being looked
into. A resident who already has a report is left alone, so a second run creates nothing.
"""

from __future__ import annotations

from datetime import timedelta

from cases.services import dispatch_mark_sent, dispatch_render
from mottak.demo import DemoContext

from . import services
from .models import MissingReport, PhoneCall


def _sent(dispatch, *, by, at, reference: str = "") -> None:
    """The worker's render, then the notice recorded as sent (R-13: that completes the step)."""
    dispatch_render(dispatch_id=dispatch.pk)
    dispatch_mark_sent(dispatch=dispatch, by=by, at=at, reference=reference)


def reported_missing(resident, context: DemoContext) -> None:
    now, staff = context.now, context.users["ansatt"]
    report = services.missing_report_open(
        resident=resident,
        reason_to_believe_at=now - timedelta(hours=5),
        noticed_at=now - timedelta(hours=6),
        last_seen_at=now - timedelta(hours=9),
        circumstances="Kom ikke til middag; telefonen er avslått. Sekken er borte.",
        description="Grå hettegenser, svarte bukser, hvite joggesko.",
        by=staff,
    )
    police = services.missing_report_send_to_police(report=report, by=staff, channel="by_hand")
    _sent(police, by=staff, at=now - timedelta(hours=4), reference="Demo-ref. 1234")
    # Made, waiting to be sent (the worker renders it in the demo).
    # the duty service is phoned first; the written report follows by post.
    services.missing_report_send_to_child_welfare(
        report=report,
        by=staff,
        channel="post",
        phoned_at=now - timedelta(hours=4, minutes=40),
        phoned_to="Vakthavende i barnevernsvakten",
    )
    services.missing_report_log_call(
        report=report,
        party=PhoneCall.Party.REPRESENTATIVE,
        called_at=now - timedelta(hours=4, minutes=30),
        reached=True,
        what_they_knew="Visste ikke hvor han kunne være.",
        by=staff,
    )
    services.missing_report_log_call(
        report=report,
        party=PhoneCall.Party.LAWYER,
        called_at=now - timedelta(hours=4),
        reached=False,
        by=staff,
    )
    for cancellation in services.missing_report_cancel_appointments(
        report=report, by=staff, channel="encrypted_email"
    ):
        _sent(cancellation, by=staff, at=now - timedelta(hours=3, minutes=30))
    services.missing_report_record_sesam(
        report=report, registered_at=now - timedelta(hours=3), by=staff
    )


def being_looked_into(resident, context: DemoContext) -> None:
    services.missing_report_start_investigation(
        resident=resident,
        noticed_at=context.now - timedelta(hours=2),
        last_seen_at=context.now - timedelta(hours=4),
        circumstances="Ikke kommet hjem fra skolen; venner spørres.",
        by=context.users["ansatt"],
    )


def _has_appointment_to_cancel(resident) -> bool:
    # SAV-6 has work to show: an asylum interview to cancel, and a lawyer to call.
    return resident.appointments.exists() and bool(resident.lawyer_name)


SCENES = ((reported_missing, _has_appointment_to_cancel), (being_looked_into, lambda r: True))


def seed(context: DemoContext) -> None:
    for play, fits in SCENES:
        resident = context.cast(fits)
        if MissingReport.objects.filter(resident=resident).exists():
            context.result.add("missing reports", False)
            continue
        play(resident, context)
        context.result.add("missing reports", True)
