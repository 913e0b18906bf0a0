"""Retention of the mapping (KART-16, SAV-12, R-21): keeping it after the minor left without
an address only with the representative's consent and never past the 18th birthday, and a
deletion that leaves no trace — the rows, their history rows and the stored files — only a
record of how much was deleted.

The mapping is a record type of the shared retention machinery (cases/retention.py,
"kartlegging.mapping"): its period is the two weeks of the storage-consent deadline (R-21;
`settings.RETENTION["kartlegging.mapping"]` may set another), counted from the end of the stay.
The clocks are deadlines with on-due handlers (cases/due.py), so the minute sweep deletes as
soon as a deadline passes; the nightly retention job selects every mapping whose deadline has
passed and that is still not covered by a valid consent (a consent withdrawn later, a sweep that
failed) and deletes it through the same deleter. Each deletion leaves a cases.DeletionRecord.
"""

from __future__ import annotations

from datetime import datetime, time

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from cases import consent_rules, periods
from cases import retention as machinery
from cases.models import (
    ChecklistStepCompletion,
    Consent,
    Deadline,
    Dispatch,
    TimelineEvent,
)
from cases.services import deadline_open
from mottak.models import Resident

from . import rules
from .models import (
    Conversation,
    CopyOffer,
    Entry,
    KeyWorkerAssignment,
    Mapping,
    Measure,
    RecipientAssessment,
)
from .purposes import Purpose

RECORD_TYPE = "kartlegging.mapping"


class Reason:
    """Why a mapping was deleted (the DeletionRecord's reason)."""

    NO_STORAGE_CONSENT = "no_storage_consent"
    TURNED_18 = "turned_18"


STORAGE_CONSENT_DEADLINE = "kartlegging_storage_consent"
STORAGE_CONSENT_LABEL = gettext_noop(
    "Left without an address: the representative's consent to keep the mapping"
)
DELETE_AT_18_DEADLINE = "kartlegging_delete_at_18"
DELETE_AT_18_LABEL = gettext_noop("Kept mapping deleted on the 18th birthday")
RETENTION_KINDS = (STORAGE_CONSENT_DEADLINE, DELETE_AT_18_DEADLINE)
# The timeline entries the mapping routine wrote about the minor go with the mapping.
TIMELINE_KINDS = ("mapping_", "plan_", "key_worker_")


def storage_consent_ask(*, mapping: Mapping, left_at: datetime) -> Deadline:
    """The stay ended as missing (R-21): two weeks to get the representative's consent."""
    return deadline_open(
        owner=mapping,
        kind=STORAGE_CONSENT_DEADLINE,
        rule_id="SAV-12",
        label=STORAGE_CONSENT_LABEL,
        due_at=machinery.after(left_at, machinery.retention_period(RECORD_TYPE)),
        centre=mapping.centre,
        subject=mapping.resident,
    )


def storage_consented(resident: Resident, *, at: datetime) -> bool:
    """A representative's (or, from 18, the resident's) storage consent valid now."""
    day = timezone.localdate(at)
    return (
        Consent.objects.filter(
            subject_ct=ContentType.objects.get_for_model(Resident),
            subject_id=resident.pk,
            purpose=Purpose.MAPPING_STORAGE.value,
            given_on__lte=day,
            withdrawn_at__isnull=True,
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=day))
        .exists()
    )


def storage_deadline_due(deadline, *, now: datetime) -> None:
    """The two weeks have passed: with the consent the mapping is kept until the 18th
    birthday; without it, it is deleted now."""
    mapping = (
        Mapping.objects.select_related("resident", "centre").filter(pk=deadline.object_id).first()
    )
    if mapping is None:
        return
    if storage_consented(mapping.resident, at=now):
        birthday = consent_rules.adult_from(mapping.resident.date_of_birth)
        deadline_open(
            owner=mapping,
            kind=DELETE_AT_18_DEADLINE,
            rule_id="SAV-12",
            label=DELETE_AT_18_LABEL,
            due_at=datetime.combine(birthday, time(0), tzinfo=periods.OSLO),
            centre=mapping.centre,
            subject=mapping.resident,
        )
        return
    machinery.record_delete(RECORD_TYPE, mapping.pk, now=now)


def delete_at_18_due(deadline, *, now: datetime) -> None:
    machinery.record_delete(RECORD_TYPE, deadline.object_id, now=now)


def _adult(resident: Resident, *, at: datetime) -> bool:
    return timezone.localdate(at) >= consent_rules.adult_from(resident.date_of_birth)


def deletion_reason(mapping: Mapping, *, now: datetime) -> str | None:
    """R-21 once the storage-consent deadline has passed: kept no longer than the 18th birthday
    (SAV-12), and before it only while a valid consent covers it. None: it is kept."""
    if _adult(mapping.resident, at=now):
        kept_to_18 = Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(Mapping),
            object_id=mapping.pk,
            kind=DELETE_AT_18_DEADLINE,
        ).exists()
        return Reason.TURNED_18 if kept_to_18 else Reason.NO_STORAGE_CONSENT
    if not storage_consented(mapping.resident, at=now):
        return Reason.NO_STORAGE_CONSENT
    return None


def mappings_expired(*, now: datetime, period: dict) -> list[int]:
    """The nightly selector: mappings whose storage-consent deadline has passed (not lapsed by
    the minor's return) and that no valid consent keeps any longer. The period is in the
    deadline's due time, set when the stay ended."""
    passed = Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Mapping),
        kind=STORAGE_CONSENT_DEADLINE,
        due_at__lte=now,
    ).exclude(state=Deadline.State.WAIVED)
    ids = passed.values_list("object_id", flat=True)
    candidates = Mapping.objects.select_related("resident").filter(pk__in=ids).order_by("pk")
    return [m.pk for m in candidates if deletion_reason(m, now=now) is not None]


def _mapping_deleter(mapping_id: int, *, now: datetime) -> machinery.Deleted | None:
    mapping = Mapping.objects.select_related("resident").filter(pk=mapping_id).first()
    if mapping is None:
        return None
    reason = deletion_reason(mapping, now=now)
    if reason is None:
        return None
    return mapping_delete(mapping_id=mapping_id, reason=reason, now=now)


def register() -> None:
    machinery.register_record_type(
        machinery.RecordType(
            name=RECORD_TYPE,
            label=_("Individual mappings of minors who left without an address"),
            rule_ids=("KART-16", "SAV-12", "R-21"),
            period={"weeks": rules.STORAGE_CONSENT_WEEKS},
            runs_from=_("the end of the stay, without the representative's storage consent"),
            expired=mappings_expired,
            delete=_mapping_deleter,
        )
    )


def _history_of(model, **filters) -> int:
    count, _ = model.history.model.objects.filter(**filters).delete()
    return count


def mapping_delete(*, mapping_id: int, reason: str, now: datetime) -> machinery.Deleted | None:
    """Delete the minor's mapping and everything of it: its entries, conversations, measures,
    copy offers, key-worker assignments, deadlines, checklist records, transfers and their PDF
    files, the routine's timeline entries, and every history row of them. Gives back the counts
    and the files for the machinery's DeletionRecord (cases/retention.py, which calls it).
    Idempotent: a mapping already gone gives None."""
    with transaction.atomic():
        mapping = Mapping.objects.select_for_update().filter(pk=mapping_id).first()
        if mapping is None:
            return None
        resident_id, centre_id = mapping.resident_id, mapping.centre_id
        mapping_ct = ContentType.objects.get_for_model(Mapping)
        resident_ct = ContentType.objects.get_for_model(Resident)
        owned = {"content_type": mapping_ct, "object_id": mapping_id}
        counts: dict[str, int] = {}
        children = (
            ("entries", Entry),
            ("conversations", Conversation),
            ("measures", Measure),
            ("copy_offers", CopyOffer),
            ("recipient_assessments", RecipientAssessment),
        )
        for name, model in children:
            counts[name] = model.objects.filter(mapping_id=mapping_id).count()
        assignments = KeyWorkerAssignment.objects.filter(resident_id=resident_id)
        counts["key_workers"] = assignments.count()
        dispatches = list(Dispatch.objects.filter(owner_ct=mapping_ct, owner_id=mapping_id))
        dispatch_ids = [d.pk for d in dispatches]
        counts["transfers"] = len(dispatch_ids)
        files = tuple((d.pdf.storage, d.pdf.name) for d in dispatches if d.pdf)
        deadline_ids = list(Deadline.objects.filter(**owned).values_list("pk", flat=True))
        counts["deadlines"] = len(deadline_ids)
        checklist = {"owner_ct": mapping_ct, "owner_id": mapping_id}
        timeline = Q()
        for prefix in TIMELINE_KINDS:
            timeline |= Q(kind__startswith=prefix)
        # The rows first (their deletion writes history rows of its own), then every history
        # row of them.
        assignments.delete()
        Dispatch.objects.filter(pk__in=dispatch_ids).delete()
        Deadline.objects.filter(pk__in=deadline_ids).delete()
        counts["checklist"] = ChecklistStepCompletion.objects.filter(**checklist).delete()[0]
        counts["timeline"] = TimelineEvent.objects.filter(
            timeline, content_type=resident_ct, object_id=resident_id
        ).delete()[0]
        Mapping.objects.filter(pk=mapping_id).delete()  # its entries, conversations … cascade
        counts["mapping"] = 1
        history = 0
        for _name, model in children:
            history += _history_of(model, mapping_id=mapping_id)
        history += _history_of(KeyWorkerAssignment, resident_id=resident_id)
        history += _history_of(Mapping, id=mapping_id)
        history += Dispatch.history.model.objects.filter(id__in=dispatch_ids).delete()[0]
        history += Deadline.history.model.objects.filter(id__in=deadline_ids).delete()[0]
        history += ChecklistStepCompletion.history.model.objects.filter(**checklist).delete()[0]
        counts["history_rows"] = history
    return machinery.Deleted(reason=reason, counts=counts, centre_id=centre_id, files=files)


def retention_lapse(mapping: Mapping, *, reason: str) -> None:
    """The minor came back (a new stay): nothing is deleted, the retention clocks lapse."""
    from cases.services import deadline_lapse

    for deadline in Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Mapping),
        object_id=mapping.pk,
        kind__in=RETENTION_KINDS,
        state__in=Deadline.PENDING,
    ):
        deadline_lapse(deadline=deadline, reason=reason)
