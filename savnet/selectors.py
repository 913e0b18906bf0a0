"""Every read the pages of the routine need; access always through mottak.access (X-3)."""

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from cases.models import Deadline, Dispatch
from mottak.access import Action, centres_visible_to, residents_visible_to
from mottak.models import Appointment, Role, Stay

from . import routine as steps
from . import rules
from .models import (
    AppointmentCancellation,
    FollowUpConversation,
    MissingReport,
    PoliceAgreement,
    ResidentPhoto,
    SearchProfile,
)

OSLO = ZoneInfo("Europe/Oslo")


def reports_visible_to(user, action: Action = Action.LIST) -> QuerySet[MissingReport]:
    return MissingReport.objects.filter(
        resident__in=residents_visible_to(user, action).values("pk")
    ).select_related("resident", "centre")


def access_report(*, user, report_id, action: Action = Action.VIEW) -> MissingReport:
    """The report if the user may see (or change) its resident; else 404, as if it did not exist."""
    try:
        return (
            reports_visible_to(user, action).select_related("centre__region").get(pk=int(report_id))
        )
    except (MissingReport.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# ---- what the forms print (SAV-3, SAV-4) -------------------------------------------------------


def police_agreement(*, centre, police) -> PoliceAgreement | None:
    """R-12: the centre's recorded agreement with this police district (a directory entry);
    a police district not in the directory has none."""
    if police is None:
        return None
    return PoliceAgreement.objects.filter(centre=centre, police=police).first()


def police_agreement_of(report: MissingReport) -> PoliceAgreement | None:
    """R-12: the report's centre's agreement with the police district its report goes to."""
    from .routine import MISSING, POLICE

    recipient = MISSING.step(POLICE).notices[0].recipient(report)
    return police_agreement(centre=report.centre, police=recipient.get("recipient"))


def earlier_disappearances(report: MissingReport) -> int:
    """SAV-3: how many times the resident was reported missing before this report (an absence
    explained while looked into does not count)."""
    return (
        MissingReport.objects.filter(resident_id=report.resident_id, opened_at__isnull=False)
        .exclude(pk=report.pk)
        .filter(noticed_at__lt=report.noticed_at)
        .count()
    )


def search_profile_of(resident) -> SearchProfile | None:
    return SearchProfile.objects.filter(resident=resident).first()


def photo_of(resident) -> ResidentPhoto | None:
    return ResidentPhoto.objects.filter(resident=resident).first()


def police_told(report: MissingReport, dispatches: list[Dispatch] | None = None):
    """When and how the police were actually told: the phone call under an agreement, or the
    report handed over / sent (R-13). None while they have not been told."""
    if report.police_phoned_at:
        return report.police_phoned_at, "phone"
    for d in dispatches if dispatches is not None else dispatches_of(report):
        if d.purpose == "missing_report" and d.sent_at:
            return d.sent_at, d.channel
    return None


def representative_told(report: MissingReport):
    """SAV-5: the call that reached the representative, if one did."""
    return report.calls.filter(party="representative", reached=True).order_by("called_at").first()


def _owner_filter(report_ids) -> dict:
    return {
        "content_type": ContentType.objects.get_for_model(MissingReport),
        "object_id__in": list(report_ids),
    }


def dispatches_of(report: MissingReport) -> list[Dispatch]:
    return list(
        Dispatch.objects.filter(
            owner_ct=ContentType.objects.get_for_model(MissingReport), owner_id=report.pk
        )
        .select_related("recipient")
        .order_by("created_at", "pk")
    )


def deadlines_of(report: MissingReport) -> list[Deadline]:
    return list(Deadline.objects.filter(**_owner_filter([report.pk])).order_by("due_at", "pk"))


def pending_deadlines_by_report(report_ids) -> dict[int, list[Deadline]]:
    """Open (or missed and not yet met) deadlines of many reports in one query."""
    grouped = defaultdict(list)
    for deadline in Deadline.objects.filter(
        **_owner_filter(report_ids), state__in=Deadline.PENDING
    ).order_by("due_at", "pk"):
        grouped[deadline.object_id].append(deadline)
    return grouped


@dataclass(frozen=True)
class ReportRow:
    report: MissingReport
    hours_since_opened: float | None
    hours_left: float | None
    open_steps: list[Deadline]


def report_rows(user, *, active_only: bool = False, now: datetime | None = None) -> list[ReportRow]:
    """The list page: for a regional office every open report of its region, for a centre its own."""
    now = now or timezone.now()
    reports = reports_visible_to(user)
    if active_only or user.role == Role.REGION_CASEWORKER:
        reports = reports.filter(state__in=MissingReport.ACTIVE_STATES)
    reports = list(reports.order_by("limit_at", "-noticed_at", "pk")[:500])
    pending = pending_deadlines_by_report(r.pk for r in reports)
    rows = []
    for report in reports:
        started = report.reason_to_believe_at
        rows.append(
            ReportRow(
                report=report,
                hours_since_opened=rules.hours_between(started, now) if started else None,
                hours_left=rules.hours_left(limit=report.limit_at, now=now)
                if report.limit_at and report.state == MissingReport.State.OPEN
                else None,
                open_steps=pending.get(report.pk, []),
            )
        )
    return rows


# ---- the overview ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CentreMonth:
    centre: str
    month: str  # YYYY-MM in Oslo time
    count: int


@dataclass(frozen=True)
class Overview:
    rows: list[CentreMonth]
    months: list[str]
    by_month: list[tuple[str, int]]
    median_hours_to_police: float | None
    reports_with_police: int
    max_count: int


def overview(user) -> Overview:
    """Counts per centre and month of reports, and the median hours from reason to believe to
    the police report (SAV-2) — aggregates only, so RMA may see it too."""
    centres = centres_visible_to(user)
    reports = list(
        MissingReport.objects.filter(centre__in=centres, reason_to_believe_at__isnull=False)
        .values_list("pk", "centre__name", "reason_to_believe_at")
        .order_by()
    )
    counts: dict[tuple[str, str], int] = defaultdict(int)
    per_month: dict[str, int] = defaultdict(int)
    started = {}
    for pk, centre_name, reason_at in reports:
        month = reason_at.astimezone(OSLO).strftime("%Y-%m")
        counts[(centre_name, month)] += 1
        per_month[month] += 1
        started[pk] = reason_at
    first_police = {}
    if started:
        for owner_id, created_at in (
            Dispatch.objects.filter(
                owner_ct=ContentType.objects.get_for_model(MissingReport),
                owner_id__in=list(started),
                purpose="missing_report",
            )
            .order_by("created_at")
            .values_list("owner_id", "created_at")
        ):
            first_police.setdefault(owner_id, created_at)
    hours = [rules.hours_between(started[pk], at) for pk, at in first_police.items()]
    months = sorted(per_month)
    return Overview(
        rows=[CentreMonth(c, m, n) for (c, m), n in sorted(counts.items())],
        months=months,
        by_month=[(m, per_month[m]) for m in months],
        median_hours_to_police=round(statistics.median(hours), 1) if hours else None,
        reports_with_police=len(hours),
        max_count=max(per_month.values(), default=0),
    )


def overview_export(user) -> tuple[list[list], list]:
    """The overview's counts as rows (centre, month, reports) and the centres they cover (for
    the read log); counts only, no names."""
    data = overview(user)
    rows = [[row.centre, row.month, row.count] for row in data.rows]
    return rows, list(centres_visible_to(user).order_by("pk"))


def missing_step_specs():
    return steps.MISSING_STEPS


# SAV-8: whoever got one of these was told the minor was missing and is told of the return.
NOTIFIED_PURPOSES = (
    "missing_report",
    "concern_report",
    "missing_report_copy",
    "missing_notice",
    "appointment_cancellation",
)


def _appointments(report: MissingReport):
    already = AppointmentCancellation.objects.filter(report=report).values("appointment_id")
    return Appointment.objects.filter(resident_id=report.resident_id).exclude(pk__in=already)


def appointments_to_cancel(report: MissingReport, *, now: datetime | None = None):
    """SAV-6: appointments with UDI's asylum department not yet cancelled, with their unit."""
    return rules.appointments_to_cancel(_appointments(report), now=now or timezone.now())


def identity(dispatch) -> str:
    return str(dispatch.recipient_id) if dispatch.recipient_id else dispatch.recipient_name


def notified_instances(report: MissingReport) -> list[tuple[str, str]]:
    """SAV-8: the (kind, identity) of every instance told of the disappearance, from the dispatches."""
    return rules.instances_to_tell(
        (d.recipient_kind, identity(d))
        for d in dispatches_of(report)
        if d.purpose in NOTIFIED_PURPOSES
    )


def occupied_by_others(report: MissingReport) -> int:
    """Places taken at the centre by others: a minor whose stay is still open keeps their own."""
    return (
        Stay.objects.filter(centre=report.centre, ended_at__isnull=True)
        .exclude(resident_id=report.resident_id)
        .count()
    )


def open_return_steps(report: MissingReport) -> list:
    """Return steps still to do: the required ones and the ones a suspicion or information opened."""
    from cases.services.routines import done_codes

    done = done_codes(report, steps.RETURN_CHECKLIST)
    wanted = {steps.FOUND_NOTICES, steps.PLACEMENT, steps.FOLLOW_UP_CONVERSATION}
    conversation = FollowUpConversation.objects.filter(report=report).first()
    if conversation is not None:
        if conversation.trafficking_suspected or conversation.domestic_violence_suspected:
            wanted.add(steps.GENERAL_PROCEDURE)
        if conversation.serious_neglect_suspected:
            wanted.add(steps.NEGLECT_REPORTS)
        if conversation.asylum_relevant_info.strip():
            wanted.add(steps.ASYLUM_INFO)
    return [s for s in steps.RETURN_STEPS if s.code in wanted and s.code not in done]
