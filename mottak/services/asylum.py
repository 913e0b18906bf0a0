"""The asylum case as a history: changes of stage and the Sesam notices received.

`resident_asylum_stage_change` is the one writer of `Resident.asylum_stage` (the record form
calls it too): it keeps the current value on the resident, adds a history row, and publishes
ASYLUM_STAGE_CHANGED in the same transaction. `sesam_notice_record` records a decision notice
or a return-conversation notice and publishes its event (mottak/events.py).
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.services import case_event_publish, timeline_event_record

from .. import events
from ..models import AsylumStage, AsylumStageChange, Resident, SesamNotice, User

NOTICE_EVENTS = {
    SesamNotice.Kind.DECISION: events.DECISION_NOTICE_RECEIVED,
    SesamNotice.Kind.RETURN_CONVERSATION: events.RETURN_CONVERSATION_NOTICE_RECEIVED,
}


def _check_dates(*, happened_on: date, decision_date: date | None, born: date) -> None:
    today = timezone.localdate()
    if happened_on > today:
        raise ValidationError(_("The date cannot be in the future."))
    if happened_on < born:
        raise ValidationError(_("The date cannot be before the date of birth."))
    if decision_date is not None:
        if decision_date > today:
            raise ValidationError(_("The date of the decision cannot be in the future."))
        if decision_date > happened_on:
            raise ValidationError(
                _("The date of the decision cannot be later than the date it took effect.")
            )
        if decision_date < born:
            raise ValidationError(_("The date of the decision cannot be before the date of birth."))


def _stage_change_write(
    locked: Resident,
    *,
    to_stage: str,
    effective_on: date,
    decision_date: date | None,
    note: str,
    by: User,
) -> AsylumStageChange:
    """Inside the caller's transaction holding the resident's lock: the history row, the
    current value and the life event."""
    change = AsylumStageChange(
        resident=locked,
        from_stage=locked.asylum_stage,
        to_stage=to_stage,
        effective_on=effective_on,
        decision_date=decision_date,
        note=note,
        recorded_by=by,
    )
    change._history_user = by
    change.save()
    locked.asylum_stage = to_stage
    locked._history_user = by
    locked.save(update_fields=["asylum_stage"])
    case_event_publish(
        kind=events.ASYLUM_STAGE_CHANGED,
        subject=locked,
        payload={
            "from": change.from_stage,
            "to": to_stage,
            "change_id": change.pk,
            "effective_on": effective_on.isoformat(),
            "decision_date": decision_date.isoformat() if decision_date else None,
        },
    )
    timeline_event_record(
        subject=locked,
        kind="asylum_stage_changed",
        actor=by,
        summary=_("Stage of the asylum case: %(from)s → %(to)s")
        % {
            "from": AsylumStage(change.from_stage).label if change.from_stage else "–",
            "to": AsylumStage(to_stage).label,
        },
    )
    return change


def resident_asylum_stage_change(
    *,
    resident: Resident,
    to_stage: str,
    effective_on: date,
    by: User,
    decision_date: date | None = None,
    note: str = "",
) -> AsylumStageChange:
    """Record that the asylum case moved to `to_stage` on `effective_on` (the decision behind
    it dated `decision_date`, when there is one). The same change submitted twice is recorded
    once; a change to the stage the case is at is refused, as is one dated before the last."""
    if to_stage not in AsylumStage.values:
        raise ValidationError(_("Choose the new stage of the asylum case."))
    note = (note or "").strip()
    _check_dates(happened_on=effective_on, decision_date=decision_date, born=resident.date_of_birth)
    with transaction.atomic():
        locked = Resident.objects.select_for_update().get(pk=resident.pk)
        latest = locked.asylum_stage_changes.order_by("-effective_on", "-pk").first()
        if locked.asylum_stage == to_stage:
            if latest and latest.to_stage == to_stage and latest.effective_on == effective_on:
                return latest  # a double submit
            raise ValidationError(_("The asylum case is already at this stage."))
        if latest and effective_on < latest.effective_on:
            raise ValidationError(
                _("The change cannot take effect before the last recorded change (%(date)s).")
                % {"date": date_format(latest.effective_on, "SHORT_DATE_FORMAT")}
            )
        return _stage_change_write(
            locked,
            to_stage=to_stage,
            effective_on=effective_on,
            decision_date=decision_date,
            note=note,
            by=by,
        )


def sesam_notice_record(
    *,
    resident: Resident,
    kind: str,
    received_on: date,
    by: User,
    decision_date: date | None = None,
    note: str = "",
) -> SesamNotice:
    """Record a notice received through Sesam (the decision notice, or the notice about the
    return conversation) and publish it for the routines whose deadlines it starts. The same
    notice entered twice (same kind and day) is recorded once."""
    if kind not in SesamNotice.Kind.values:
        raise ValidationError(_("Choose the kind of notice."))
    _check_dates(happened_on=received_on, decision_date=decision_date, born=resident.date_of_birth)
    try:
        with transaction.atomic():
            locked = Resident.objects.select_for_update().get(pk=resident.pk)
            existing = locked.sesam_notices.filter(kind=kind, received_on=received_on).first()
            if existing is not None:
                return existing
            notice = SesamNotice(
                resident=locked,
                kind=kind,
                received_on=received_on,
                decision_date=decision_date,
                note=(note or "").strip(),
                recorded_by=by,
            )
            notice._history_user = by
            notice.save()
            case_event_publish(
                kind=NOTICE_EVENTS[kind],
                subject=locked,
                payload={
                    "notice_id": notice.pk,
                    "received_on": received_on.isoformat(),
                    "decision_date": decision_date.isoformat() if decision_date else None,
                },
                key=f"{NOTICE_EVENTS[kind]}:{notice.pk}",
            )
            timeline_event_record(
                subject=locked,
                kind=f"sesam_notice_{kind}",
                actor=by,
                summary=_("Received in Sesam: %(kind)s") % {"kind": notice.get_kind_display()},
            )
    except IntegrityError:  # a concurrent double submit won the race
        return SesamNotice.objects.get(resident=resident, kind=kind, received_on=received_on)
    return notice
