"""The contact persons' ID copies (PERM-4 d) on the shared retention machinery (KART-16,
cases/retention.py): deleted a set time after the leave ends — by default 30 days,
`settings.RETENTION["permisjon.id_copy"]` may set another.

The protective reading of "after the leave ends": the clock runs from the minor's actual return
(`returned_at`), or, for a leave that never took place, from the moment it was refused or
withdrawn. It never runs while the leave is still open — also not while the minor is not back
("not back on time"): then the contact person's identity is what the police and the centre may
need to find the minor (PERM-6, R-2).

Deleted: the uploaded copy (the file, and its name in the checklist record and every history row
of it) and the document's kind and number on the contact persons (and their history rows). The
step stays recorded as done. A notice already sent keeps the copy it printed (X-1: the sent PDF
is kept unchanged; cases.Dispatch.enclosed_files).
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from cases import retention as machinery
from cases.models import ChecklistStepCompletion

from .models import ContactPerson, LeaveApplication
from .routine import ATTACHMENT_STEP_CODES, PREPARATION_NAME

RECORD_TYPE = "permisjon.id_copy"
DEFAULT_DAYS = 30
ENDED = (
    LeaveApplication.State.RETURNED,
    LeaveApplication.State.REFUSED,
    LeaveApplication.State.WITHDRAWN,
)


def _completions(application_ids):
    return ChecklistStepCompletion.objects.filter(
        owner_ct=ContentType.objects.get_for_model(LeaveApplication),
        owner_id__in=application_ids,
        checklist=PREPARATION_NAME,
        step_code__in=ATTACHMENT_STEP_CODES,
    )


def leaves_ended(*, before: datetime):
    """Leaves that ended before `before`: back (the actual return), or refused or withdrawn
    (the first history row in that state)."""
    reached = (
        LeaveApplication.history.model.objects.filter(id=OuterRef("pk"), state=OuterRef("state"))
        .order_by("history_date")
        .values("history_date")[:1]
    )
    return (
        LeaveApplication.objects.filter(state__in=ENDED)
        .annotate(ended_at=Coalesce("returned_at", Subquery(reached)))
        .filter(ended_at__lt=before)
    )


def id_copies_expired(*, now: datetime, period: dict) -> list[int]:
    """The selector: ended leaves past the period that still hold an ID copy or number
    anywhere, history rows included."""
    owner_ct = ContentType.objects.get_for_model(LeaveApplication)
    completion = ChecklistStepCompletion.history.model.objects.filter(
        owner_ct=owner_ct,
        owner_id=OuterRef("pk"),
        checklist=PREPARATION_NAME,
        step_code__in=ATTACHMENT_STEP_CODES,
    ).exclude(attachment="")
    numbered = Q(id_document_number="") & Q(id_document_type="")
    contact = ContactPerson.history.model.objects.filter(application_id=OuterRef("pk")).exclude(
        numbered
    )
    return list(
        leaves_ended(before=machinery.before(now, period))
        .filter(Exists(completion) | Exists(contact))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def id_copy_delete(application_id: int, *, now: datetime) -> machinery.Deleted | None:
    """The deleter: the copies' files, their names in the checklist rows and history, and the
    document kind and number on the contact persons and their history."""
    application = (
        LeaveApplication.objects.select_for_update()
        .filter(pk=application_id, state__in=ENDED)
        .first()
    )
    if application is None:
        return None
    files: set[str] = set()
    history_rows = 0
    completions = 0
    for row in _completions([application_id]).select_for_update():
        history = ChecklistStepCompletion.history.model.objects.filter(id=row.pk).exclude(
            attachment=""
        )
        files |= set(history.values_list("attachment", flat=True))
        if row.attachment:
            files.add(row.attachment.name)
            row.attachment = ""
            row.attachment_mime = ""
            row.save()
            completions += 1
        # The history model is the audit itself: erasing a file name there is the deletion.
        history_rows += (
            ChecklistStepCompletion.history.model.objects.filter(id=row.pk)
            .exclude(attachment="")
            .update(attachment="", attachment_mime="")
        )
    numbered = ~(Q(id_document_number="") & Q(id_document_type=""))
    contacts = 0
    for contact in ContactPerson.objects.filter(numbered, application_id=application_id):
        contact.id_document_number = ""
        contact.id_document_type = ""
        contact.save()
        contacts += 1
    history_rows += ContactPerson.history.model.objects.filter(
        numbered, application_id=application_id
    ).update(id_document_number="", id_document_type="")
    if not (files or completions or contacts or history_rows):
        return None
    return machinery.Deleted(
        reason="leave_ended",
        counts={"id_copies": completions, "id_numbers": contacts, "history_rows": history_rows},
        centre_id=application.centre_id,
        files=tuple(sorted(files)),
    )


def register() -> None:
    machinery.register_record_type(
        machinery.RecordType(
            name=RECORD_TYPE,
            label=_("Contact persons' ID copies"),
            rule_ids=("PERM-4", "KART-16"),
            period={"days": DEFAULT_DAYS},
            runs_from=_("the end of the leave (the return, or when it was refused or withdrawn)"),
            expired=id_copies_expired,
            delete=id_copy_delete,
        )
    )
