"""SAV-8..SAV-11: found or returned, the follow-up conversation, closing."""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.routines import english
from cases.services import consent_is_valid_for, deadline_waive
from cases.services.deadlines import can_waive
from cases.services.routines import (
    done_codes,
    routine_case_lock,
    routine_deadline_meet,
    routine_deadline_open,
    routine_transition,
)
from mottak import directory
from mottak.access import works_at_a_regional_office
from mottak.models import Stay
from mottak.services import stay_close, stay_open

from .. import documents, rules, selectors
from .. import routine as steps
from ..models import (
    FollowUpConversation,
    MissingReport,
)
from ..routine import MISSING
from ..selectors import dispatches_of, pending_deadlines_by_report
from ._base import (
    ASYLUM_PURPOSE,
    CONCERN_COPY_PURPOSE,
    CONCERN_PURPOSE,
    FOUND_PURPOSE,
    NEGLECT_REPORT_VERSION,
    NOTIFIED_PURPOSES,
    WHEREABOUTS_PURPOSE,
    WRITTEN_CHANNELS,
    State,
    _event,
    _notice,
    _refuse,
    _step,
    _step_done,
)
from .notices import _contact

# ---- SAV-8 / SAV-9: found or returned -------------------------------------------------------------


@dataclass
class FoundResult:
    report: MissingReport
    notices: list = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def missing_report_found(
    *,
    report: MissingReport,
    found_at: datetime,
    found_how: str,
    by,
    where_they_were: str = "",
    transport_outside_office_hours: bool = False,
    transport_requested_by: str = "",
    refund_claimed: bool = False,
    concern_grounds: str = "",
) -> FoundResult:
    """SAV-8, SAV-9: record the return and tell in writing every instance that was told.

    The notices' recipients are derived from the dispatches of the report, never typed again.
    A full centre takes the minor in all the same: the result carries a warning.
    `concern_grounds`: what staff observed at the return that gives reason to believe the
    minor needs a new concern report (R-16); it opens that step at once.
    """
    if found_how not in MissingReport.FoundHow.values:
        raise ValidationError(_("Choose how the resident was found or came back."))
    if transport_outside_office_hours and (
        transport_requested_by not in MissingReport.TransportRequestedBy.values
    ):
        raise ValidationError(_("Say whether the police or child welfare asked for the transport."))
    with transaction.atomic():
        locked = routine_case_lock(
            routine=MISSING, case=report, states=MISSING.step(steps.FOUND).states
        )
        _refuse(
            rules.found_problems(
                found_at=found_at,
                noticed_at=locked.noticed_at,
                last_seen_at=locked.last_seen_at,
                reason_to_believe_at=locked.reason_to_believe_at,
                now=timezone.now(),
            )
        )
        was_open = locked.state == State.OPEN
        warnings = rules.return_warnings(
            capacity=locked.centre.capacity, occupied=selectors.occupied_by_others(locked)
        )
        locked.found_at = found_at
        locked.found_how = found_how
        locked.where_they_were = where_they_were.strip()
        locked.transport_outside_office_hours = transport_outside_office_hours
        locked.transport_requested_by = (
            transport_requested_by if transport_outside_office_hours else ""
        )
        locked.refund_claimed = refund_claimed and transport_outside_office_hours
        locked.taken_in_while_full = "centre_full" in warnings
        if not was_open:
            routine_deadline_meet(
                routine=MISSING, case=locked, step_code=steps.INVESTIGATION_WINDOW, by=by
            )
        routine_transition(routine=MISSING, case=locked, to=State.FOUND, by=by)
        notices = []
        if _take_in_on_a_new_stay(locked, found_at=found_at, by=by):
            warnings.append("new_stay")
        if not was_open:
            _step_done(
                locked,
                steps.FOUND_NOTICES,
                by=by,
                note=_(
                    "Nobody outside the centre had been told: the absence was being looked into."
                ),
            )
            _step_done(
                locked,
                steps.PLACEMENT,
                by=by,
                note=_("The place was kept: the absence was still being looked into."),
            )
        else:
            if _close_missing_deadlines(locked, by=by):
                warnings.append("steps_left_open")
            notices = _send_found_notices(locked, by=by)
            _step_done(
                locked,
                steps.FOUND_NOTICES,
                by=by,
                note=ngettext("%(count)s written notice", "%(count)s written notices", len(notices))
                % {"count": len(notices)},
            )
            routine_deadline_open(routine=MISSING, case=locked, step_code=steps.PLACEMENT, by=by)
        # the follow-up conversation is due within 72 hours, also after an absence that
        # was still being looked into (opened after the 24-hour steps are closed).
        routine_deadline_open(
            routine=MISSING, case=locked, step_code=steps.FOLLOW_UP_CONVERSATION, by=by
        )
        _event(locked, "missing_found", by=by, at=found_at, how=locked.get_found_how_display())
        if concern_grounds.strip():
            _record_concern(locked, grounds=concern_grounds, observed_at=found_at, by=by)
    return FoundResult(report=locked, notices=notices, warnings=warnings)


def _take_in_on_a_new_stay(locked: MissingReport, *, found_at: datetime, by) -> bool:
    """R-20, SAV-9: a minor whose stay the regional office ended is taken in at the report's
    centre on a new stay, full or not; a minor who kept the place needs nothing here."""
    if Stay.objects.filter(resident_id=locked.resident_id, ended_at__isnull=True).exists():
        return False
    stay_open(resident=locked.resident, centre=locked.centre, arrived_at=found_at, by=by)
    return True


def _close_missing_deadlines(report: MissingReport, *, by) -> int:
    """The minor is back: steps not done no longer fall due. A leader's return waives them at
    once; otherwise they stay pending for a leader to waive, and the count is returned."""
    pending = pending_deadlines_by_report([report.pk]).get(report.pk, [])
    if not can_waive(by):
        return len(pending)
    for deadline in pending:
        deadline_waive(
            deadline=deadline,
            by=by,
            reason=english(_("The resident was found before this step was done.")),
        )
    return 0


def _send_found_notices(report: MissingReport, *, by) -> list:
    base = documents.base_context(report)
    base["found"] = documents.found_context(report)
    return _tell_everyone_notified(
        report,
        step_code=steps.FOUND_NOTICES,
        purpose=FOUND_PURPOSE,
        base=base,
        whereabouts_for={"police", "child_welfare"},
        by=by,
    )


def _tell_everyone_notified(
    report: MissingReport, *, step_code: str, purpose: str, base: dict, whereabouts_for, by
) -> list:
    """SAV-8: a written notice to every instance told of the disappearance, each answering
    that instance's own notice (their reference, when they were told)."""
    firsts = {}
    for d in dispatches_of(report):
        if d.purpose in NOTIFIED_PURPOSES:
            firsts.setdefault((d.recipient_kind, selectors.identity(d).strip().casefold()), d)
    return [
        _written_to_instance(
            report,
            firsts[(kind, ident.casefold())],
            base,
            kind=kind,
            step_code=step_code,
            purpose=purpose,
            show_whereabouts=kind in whereabouts_for,
            by=by,
        )
        for kind, ident in selectors.notified_instances(report)
    ]


def _written_to_instance(
    report: MissingReport,
    original,
    base: dict,
    *,
    kind: str,
    step_code: str,
    purpose: str,
    show_whereabouts: bool,
    by,
):
    address = original.recipient_address
    if kind == "representative" and not address:
        address = report.resident.representative_address
    if kind == "lawyer" and not address:
        address = report.resident.lawyer_address
    channel = (
        original.channel
        if original.channel in WRITTEN_CHANNELS
        else ("post" if address else "by_hand")
    )
    recipient = (
        {"recipient": original.recipient}
        if original.recipient_id
        else directory.named(kind, original.recipient_name, address)
    )
    context = dict(
        base,
        show_whereabouts=show_whereabouts,
        # "Deres ref." and when this instance was actually told (R-13: when it was sent).
        their_reference=original.sent_reference,
        told_at=documents.iso(original.sent_at or original.created_at),
        told_by_phone=original.channel == "phone",
    )
    return _notice(
        report,
        step_code,
        purpose=purpose,
        channel=channel,
        context=context,
        by=by,
        recipient=recipient,
        legal_basis=original.legal_basis,
        routine_reference=original.routine_reference,
    )


# ---- SAV-8 / R-17: whereabouts known, not back ----------------------------------------------


def missing_report_whereabouts_known(
    *,
    report: MissingReport,
    at: datetime,
    whereabouts: str,
    municipality: str,
    by,
    police_advise_against_telling_representative: str = "",
    channel: str = "post",
) -> list:
    """R-17 (SAV-8): the minor is not back but it is known where they are. Everyone notified is
    told in writing (the representative without the whereabouts when the police advise against
    it, recorded), a concern report goes to child welfare where the minor is, and the case stays
    open. Returns the notices made."""
    if not whereabouts.strip() or not municipality.strip():
        raise ValidationError(_("Say where the minor is and in which municipality."))
    advice = police_advise_against_telling_representative.strip()

    def record(locked: MissingReport) -> list:
        _refuse(rules.step_time_problems(at=at, noticed_at=locked.noticed_at, now=timezone.now()))
        if locked.whereabouts_known_at is not None:
            raise ValidationError(
                _("The whereabouts are already recorded; record the return when the minor is back.")
            )
        locked.whereabouts_known_at = at
        locked.whereabouts = whereabouts.strip()
        locked.whereabouts_municipality = municipality.strip()
        locked.police_advise_against_telling_representative = advice
        locked.save()
        routine_deadline_open(
            routine=MISSING, case=locked, step_code=steps.WHEREABOUTS_KNOWN, start=at, by=by
        )
        base = documents.base_context(locked)
        base["whereabouts"] = documents.whereabouts_context(locked)
        told_where = {"police", "child_welfare"} | ({"representative"} if not advice else set())
        notices = _tell_everyone_notified(
            locked,
            step_code=steps.WHEREABOUTS_KNOWN,
            purpose=WHEREABOUTS_PURPOSE,
            base=base,
            whereabouts_for=told_where,
            by=by,
        )
        notices.append(_whereabouts_concern_report(locked, base, channel=channel, by=by))
        _event(locked, "missing_whereabouts_known", by=by, at=at)
        return notices

    return _step(report, steps.WHEREABOUTS_KNOWN, by=by, work=record).value


def _whereabouts_concern_report(locked: MissingReport, base: dict, *, channel: str, by):
    """R-17: a concern report to child welfare in the municipality where the minor is; a new
    version when that service already had one in this case."""
    earlier = [d for d in dispatches_of(locked) if d.purpose == CONCERN_PURPOSE]
    context = dict(
        base,
        municipality=locked.whereabouts_municipality,
        to_known_address=True,
    )
    return _notice(
        locked,
        steps.WHEREABOUTS_KNOWN,
        purpose=CONCERN_PURPOSE,
        channel=channel,
        context=context,
        by=by,
        version=len(earlier) + 1,
    )


# ---- SAV-11: a concern observed at the return ----------------------------------------------


def _record_concern(locked: MissingReport, *, grounds: str, observed_at: datetime, by) -> None:
    _refuse(
        rules.concern_observation_problems(
            observed_at=observed_at,
            found_at=locked.found_at,
            grounds=grounds,
            now=timezone.now(),
        )
    )
    if locked.concern_observed_at is not None:
        raise ValidationError(_("A concern observed at the return is already recorded."))
    locked.concern_observed_at = observed_at
    locked.concern_grounds = grounds.strip()
    locked.save(update_fields=["concern_observed_at", "concern_grounds"])
    routine_deadline_open(
        routine=MISSING, case=locked, step_code=steps.NEGLECT_REPORTS, start=observed_at, by=by
    )
    _event(locked, "missing_concern_observed", by=by, at=observed_at)


def missing_report_record_concern(
    *, report: MissingReport, grounds: str, observed_at: datetime, by
) -> MissingReport:
    """R-16 (SAV-11): staff saw at the return what gives reason to believe the minor is or has
    been exposed to serious neglect or other circumstances that trigger the duty to report
    (visible injuries, for example): the new concern report is due now, without waiting for
    the follow-up conversation."""
    with transaction.atomic():
        locked = routine_case_lock(
            routine=MISSING, case=report, states=MISSING.step(steps.NEGLECT_REPORTS).states
        )
        _record_concern(locked, grounds=grounds, observed_at=observed_at, by=by)
    return locked


# ---- SAV-10 / SAV-11: the follow-up conversation --------------------------------------------------


@dataclass(frozen=True)
class FollowUpData:
    held_at: datetime
    why_left: str
    where_stayed: str
    what_did: str
    feels_safe: bool
    threatened: bool = False
    pressured: bool = False
    interpreter_used: bool = False
    interpreter_language: str = ""
    trafficking_suspected: bool = False
    domestic_violence_suspected: bool = False
    serious_neglect_suspected: bool = False
    neglect_grounds: str = ""
    asylum_relevant_info: str = ""


def missing_report_record_follow_up(
    *, report: MissingReport, data: FollowUpData, by
) -> FollowUpConversation:
    """SAV-10: the conversation, kept with the report; suspicions open their own steps."""

    def record(locked: MissingReport) -> FollowUpConversation:
        _refuse(
            rules.follow_up_problems(
                held_at=data.held_at,
                found_at=locked.found_at,
                now=timezone.now(),
                interpreter_used=data.interpreter_used,
                interpreter_language=data.interpreter_language,
                serious_neglect_suspected=data.serious_neglect_suspected,
                neglect_grounds=data.neglect_grounds,
            )
        )
        if FollowUpConversation.objects.filter(report=locked).exists():
            raise ValidationError(_("The follow-up conversation is already recorded."))
        conversation = FollowUpConversation.objects.create(
            report=locked,
            held_by=by,
            **{k: (v.strip() if isinstance(v, str) else v) for k, v in data.__dict__.items()},
        )
        outcome = rules.follow_up_outcome(
            trafficking_suspected=data.trafficking_suspected,
            domestic_violence_suspected=data.domestic_violence_suspected,
            serious_neglect_suspected=data.serious_neglect_suspected,
            asylum_relevant_info=data.asylum_relevant_info,
        )
        now = timezone.now()
        for code, flagged in (
            (steps.GENERAL_PROCEDURE, outcome.general_procedure),
            (steps.NEGLECT_REPORTS, outcome.concern_reports),
        ):
            if flagged:
                routine_deadline_open(
                    routine=MISSING, case=locked, step_code=code, start=now, by=by
                )
        _event(locked, "missing_follow_up", by=by, at=data.held_at)
        return conversation

    return _step(
        report,
        steps.FOLLOW_UP_CONVERSATION,
        by=by,
        work=record,
        at=data.held_at,
    ).value


def missing_report_record_general_procedure(*, report: MissingReport, note: str, by) -> None:
    """SAV-10: the procedure of the general requirements (point 6.2) is under way."""
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Say what was done."))

    def check(locked: MissingReport) -> None:
        conversation = FollowUpConversation.objects.filter(report=locked).first()
        if conversation is None or not (
            conversation.trafficking_suspected or conversation.domestic_violence_suspected
        ):
            raise ValidationError(
                _("No suspicion of trafficking or domestic violence is recorded.")
            )
        if steps.GENERAL_PROCEDURE in done_codes(locked, steps.RETURN_CHECKLIST):
            raise ValidationError(_("This step is already recorded."))

    _step(
        report,
        steps.GENERAL_PROCEDURE,
        by=by,
        work=check,
        note=note,
    )


def missing_report_send_neglect_reports(
    *,
    report: MissingReport,
    by,
    channel: str = "post",
    contact_name: str = "",
    contact_phone: str = "",
) -> list:
    """SAV-11 (and SAV-10), R-16: a new concern report to the local child welfare service and
    one to the regional office, when there is reason to believe — from the follow-up
    conversation or from what staff observed at the return — that the minor is or has been
    exposed to serious neglect or other circumstances that trigger the duty to report."""

    def send(locked: MissingReport) -> list:
        conversation = FollowUpConversation.objects.filter(report=locked).first()
        if not rules.duty_to_report_raised(
            suspected_in_conversation=bool(conversation and conversation.serious_neglect_suspected),
            observed_at_return=locked.concern_observed_at is not None,
        ):
            raise ValidationError(
                _(
                    "Nothing recorded gives reason to believe the resident is or has been "
                    "exposed to serious neglect or other circumstances that trigger the duty to "
                    "report."
                )
            )
        if any(d.step_code == steps.NEGLECT_REPORTS for d in dispatches_of(locked)):
            raise ValidationError(_("The concern reports have already been made."))
        context = documents.search_context(
            locked,
            contact=_contact(
                locked,
                by=by,
                contact_name=contact_name,
                contact_phone=contact_phone,
                urgent=False,
            ),
        )
        context.update(
            found=documents.found_context(locked),
            conversation=documents.conversation_context(conversation) if conversation else {},
            observation=documents.observation_context(locked),
        )
        child_welfare = steps.MISSING.step(steps.NEGLECT_REPORTS).notices[0].recipient(locked)
        return [
            _notice(
                locked,
                steps.NEGLECT_REPORTS,
                purpose=CONCERN_PURPOSE,
                # A named fallback goes by hand: its address is not in the directory.
                channel=channel if "recipient" in child_welfare else "by_hand",
                context=dict(context, to_child_welfare=True),
                version=NEGLECT_REPORT_VERSION,
                by=by,
                recipient=child_welfare,
            ),
            _notice(
                locked,
                steps.NEGLECT_REPORTS,
                purpose=CONCERN_COPY_PURPOSE,
                channel=channel,
                context=dict(context, to_child_welfare=False),
                version=NEGLECT_REPORT_VERSION,
                by=by,
            ),
        ]

    return _step(report, steps.NEGLECT_REPORTS, by=by, work=send).value


def missing_report_send_asylum_info(*, report: MissingReport, by, channel: str = "post"):
    """SAV-10: what matters for the asylum case goes to the regional office, only with consent."""

    def send(locked: MissingReport):
        conversation = FollowUpConversation.objects.filter(report=locked).first()
        if conversation is None or not conversation.asylum_relevant_info.strip():
            raise ValidationError(_("No information for the asylum case is recorded."))
        if not consent_is_valid_for(
            subject=locked.resident, recipient_kind="udi_region", purpose=ASYLUM_PURPOSE
        ):
            raise ValidationError(
                _(
                    "There is no valid consent from the resident or the representative to give "
                    "this information to the regional office. Record the consent first."
                )
            )
        context = documents.base_context(locked)
        context["conversation"] = documents.conversation_context(conversation)
        return _notice(locked, steps.ASYLUM_INFO, channel=channel, context=context, by=by)

    return _step(report, steps.ASYLUM_INFO, by=by, work=send).value


# ---- R-20 / SAV-9: the place while missing and after the return ------------------------------


def missing_report_end_stay(*, report: MissingReport, ended_at: datetime, by) -> MissingReport:
    """R-20: the minor keeps the place while missing; the regional office may end the stay with
    the reason "missing". A return after that opens a new stay (missing_report_found)."""
    if not (by.is_admin_role or works_at_a_regional_office(by)):
        raise PermissionDenied

    def end(locked: MissingReport) -> None:
        stay = Stay.objects.filter(resident_id=locked.resident_id, ended_at__isnull=True).first()
        if stay is None:
            raise ValidationError(_("The resident has no open stay to end."))
        if ended_at < locked.reason_to_believe_at:
            raise ValidationError(
                _("The stay cannot end before there was reason to believe the minor had left.")
            )
        stay_close(stay=stay, ended_at=ended_at, reason=Stay.EndReason.MISSING, by=by)
        locked.stay_ended_at = ended_at
        locked.save(update_fields=["stay_ended_at"])
        _event(locked, "missing_stay_ended", by=by, at=ended_at)

    return _step(report, steps.END_STAY, by=by, work=end).case


def missing_report_record_placement(
    *, report: MissingReport, placement: str, clarified_with: str, note: str = "", by
) -> MissingReport:
    """SAV-9: the minor was taken in until the placement was clarified with the regional office;
    what was agreed, and with whom there."""
    if placement not in MissingReport.Placement.values:
        raise ValidationError(_("Choose what was agreed about the placement."))
    if not clarified_with.strip():
        raise ValidationError(
            _("Name who at the regional office the placement was clarified with.")
        )

    def record(locked: MissingReport) -> None:
        locked.placement = placement
        locked.placement_clarified_with = clarified_with.strip()
        locked.placement_clarified_at = timezone.now()
        locked.placement_note = note.strip()
        locked.save(
            update_fields=[
                "placement",
                "placement_clarified_with",
                "placement_clarified_at",
                "placement_note",
            ]
        )
        _event(locked, "missing_placement", by=by, outcome=locked.get_placement_display())

    return _step(report, steps.PLACEMENT, by=by, work=record).case


def missing_report_close(*, report: MissingReport, by) -> MissingReport:
    """The routine is over once the return steps are done; the asylum information may wait for consent."""

    def check(locked: MissingReport) -> None:
        left = [s for s in selectors.open_return_steps(locked) if s.code != steps.ASYLUM_INFO]
        if left:
            raise ValidationError(
                _("Finish these steps first: %(steps)s")
                % {"steps": ", ".join(str(s.label) for s in left)}
            )
        locked.closed_at = timezone.now()
        _event(locked, "missing_closed", by=by)

    return _step(report, steps.CLOSE, by=by, work=check).case
