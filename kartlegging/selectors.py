"""Every read the mapping pages need; access always through mottak.access (X-3).

The mapping is read by the staff of the centre the minor lives at; it is written by the
child-welfare lead and the minor's named key worker (KART-1). Nobody outside the centre reads
it here — regional offices, ASA and RMA get it only as a transfer with consent (KART-12,
KART-13): for them it answers like a missing record (404).
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cases.models import Deadline
from mottak.access import Action, residents_visible_to
from mottak.models import CENTRE_ROLES

from . import rules
from .models import Conversation, Entry, KeyWorkerAssignment, Mapping, Measure
from .purposes import Purpose
from .routine import MAPPING, RESEND, REVIEW, START, TRANSFER, WELCOME


def _reads_mappings(user) -> bool:
    return user.is_authenticated and (user.is_admin_role or user.role in CENTRE_ROLES)


def mappings_visible_to(user, action: Action = Action.LIST) -> QuerySet[Mapping]:
    if not _reads_mappings(user):
        return Mapping.objects.none()
    return Mapping.objects.filter(
        resident__in=residents_visible_to(user, action).values("pk")
    ).select_related("resident", "centre")


def access_mapping(*, user, mapping_id, action: Action = Action.VIEW) -> Mapping:
    """The mapping if the user may see (or change) it; else 404, as if it did not exist."""
    try:
        return mappings_visible_to(user, action).get(pk=int(mapping_id))
    except (Mapping.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def mapping_of(resident) -> Mapping | None:
    return Mapping.objects.filter(resident=resident).first()


def current_key_worker(resident) -> KeyWorkerAssignment | None:
    return (
        KeyWorkerAssignment.objects.filter(resident=resident, ended_at__isnull=True)
        .select_related("key_worker")
        .first()
    )


def is_key_worker(user, mapping: Mapping) -> bool:
    return KeyWorkerAssignment.objects.filter(
        resident_id=mapping.resident_id,
        centre_id=mapping.centre_id,
        key_worker_id=user.pk,
        ended_at__isnull=True,
    ).exists()


def user_may_write(user, mapping: Mapping) -> bool:
    """KART-1: the child-welfare lead or the minor's key worker (after the access check)."""
    return rules.may_write(
        role=user.role,
        is_admin=user.is_admin_role,
        is_key_worker=user.role in CENTRE_ROLES and is_key_worker(user, mapping),
    )


def key_worker_candidates(centre):
    """Staff of the centre who may be named key worker (KART-1)."""
    from django.contrib.auth import get_user_model
    from guardian.shortcuts import get_users_with_perms

    users = get_users_with_perms(centre, only_with_perms_in=["member_of_centre"])
    return (
        get_user_model()
        .objects.filter(pk__in=[u.pk for u in users], is_active=True, role__in=CENTRE_ROLES)
        .order_by("first_name", "last_name", "pk")
    )


# --- the mapping page ----------------------------------------------------------------------


@dataclass(frozen=True)
class MappingPage:
    mapping: Mapping
    key_worker: KeyWorkerAssignment | None
    key_worker_history: list[KeyWorkerAssignment]
    conversations: list[Conversation]
    entries_by_area: list[tuple[str, str, list[Entry]]]
    deadlines: dict[str, Deadline]
    in_scaled_transit: bool


def mapping_page(mapping: Mapping, *, now: datetime) -> MappingPage:
    """Everything the mapping page shows: a fixed number of queries."""
    assignments = list(
        KeyWorkerAssignment.objects.filter(resident_id=mapping.resident_id).select_related(
            "key_worker", "centre"
        )
    )
    current = next((a for a in assignments if a.ended_at is None), None)
    entries = list(mapping.entries.select_related("author", "centre", "conversation"))
    from .models import Area

    by_area = [
        (value, label, [e for e in entries if e.area == value]) for value, label in Area.choices
    ]
    return MappingPage(
        mapping=mapping,
        key_worker=current,
        key_worker_history=[a for a in assignments if a.ended_at is not None],
        conversations=list(mapping.conversations.select_related("held_by", "centre")),
        entries_by_area=by_area,
        deadlines=latest_deadlines(mapping),
        in_scaled_transit=rules.in_scaled_transit_mapping(
            moved_in_at=mapping.stay_started_at, transit=mapping.centre.is_transit, now=now
        )
        and mapping.state == Mapping.State.NOT_STARTED,
    )


def latest_deadlines(mapping: Mapping) -> dict[str, Deadline]:
    """The latest deadline of each of the routine's clocks, by step code."""
    kinds = {
        MAPPING.deadline_kind(MAPPING.step(code)): code
        for code in (WELCOME, START, REVIEW, TRANSFER, RESEND)
    }
    found: dict[str, Deadline] = {}
    for deadline in Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Mapping),
        object_id=mapping.pk,
        kind__in=kinds,
    ).order_by("opened_at", "id"):
        found[kinds[deadline.kind]] = deadline
    return found


def measures_of(mapping: Mapping) -> list[Measure]:
    return list(mapping.measures.select_related("need_entry", "centre", "move_decided_by"))


# --- the child-welfare lead's overview ----------------------------------------------------


@dataclass(frozen=True)
class DueRow:
    deadline: Deadline
    mapping: Mapping
    late: bool


@dataclass(frozen=True)
class Overview:
    welcome_due: list[DueRow]
    not_started: list[DueRow]
    reviews_due: list[DueRow]
    transfers_due: list[DueRow]
    resends_due: list[DueRow]
    consents_missing: list[Mapping]


OVERVIEW_STEPS = {
    WELCOME: "welcome",
    START: "start",
    REVIEW: "review",
    TRANSFER: "transfer",
    RESEND: "resend",
}


def overview(user, *, now: datetime) -> Overview:
    """What the child-welfare lead must see: welcome conversations not held, ordinary mappings
    not started, reviews due, paper copies due in their two weeks and the three-monthly
    resends — each from its open deadline — and the mappings waiting for a transfer without a
    valid consent. Three queries whatever the data."""
    kinds = {MAPPING.deadline_kind(MAPPING.step(code)): key for code, key in OVERVIEW_STEPS.items()}
    mappings = {m.pk: m for m in mappings_visible_to(user)}
    rows: dict[str, list[DueRow]] = {key: [] for key in OVERVIEW_STEPS.values()}
    missing: list[Mapping] = []
    if mappings:
        deadlines = Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(Mapping),
            object_id__in=list(mappings),
            kind__in=list(kinds),
            state__in=Deadline.PENDING,
        ).order_by("due_at", "id")
        for deadline in deadlines:
            mapping = mappings[deadline.object_id]
            rows[kinds[deadline.kind]].append(
                DueRow(deadline=deadline, mapping=mapping, late=deadline.due_at <= now)
            )
        missing = _consents_missing([m for m in mappings.values() if m.transfer_track], now=now)
    return Overview(
        welcome_due=rows["welcome"],
        not_started=rows["start"],
        reviews_due=rows["review"],
        transfers_due=rows["transfer"],
        resends_due=rows["resend"],
        consents_missing=missing,
    )


def _consents_missing(waiting: list[Mapping], *, now: datetime) -> list[Mapping]:
    """KART-13: mappings on a transfer track with no valid consent for its recipient (one
    query for all of them)."""
    from cases.models import Consent
    from mottak.models import Resident

    if not waiting:
        return []
    day = timezone.localdate(now)
    consents = Consent.objects.filter(
        subject_ct=ContentType.objects.get_for_model(Resident),
        subject_id__in=[m.resident_id for m in waiting],
        purpose=Purpose.MAPPING_TRANSFER.value,
        given_on__lte=day,
        withdrawn_at__isnull=True,
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gt=day))
    covered = {(c.subject_id, kind) for c in consents for kind in c.recipient_kinds}
    return [
        m
        for m in waiting
        if (m.resident_id, rules.TRACK_RECIPIENT_KIND[m.transfer_track]) not in covered
    ]


def transfers_of(mapping: Mapping) -> list:
    """The paper copies made of the mapping (KART-8..10), newest first."""
    from cases.models import Dispatch

    return list(
        Dispatch.objects.filter(
            owner_ct=ContentType.objects.get_for_model(Mapping), owner_id=mapping.pk
        ).order_by("-created_at", "-id")
    )


def recipients_outside_the_list():
    """KART-12: the directory's recipients that are not among those who need the mapping."""
    from mottak.models import ExternalRecipient

    return ExternalRecipient.objects.filter(kind__in=rules.ASSESSABLE_KINDS).order_by("name")


def assessed_recipients(mapping: Mapping):
    """KART-12: the recipients outside the list the centre leader has assessed for this minor."""
    return recipients_outside_the_list().filter(
        pk__in=mapping.recipient_assessments.values("recipient")
    )


def recipient_assessments_of(mapping: Mapping) -> list:
    return list(mapping.recipient_assessments.select_related("recipient", "assessed_by"))
