"""Writes of deadlines (X-5): open, meet, waive, and the sweep that reminds and escalates.

A deadline is never lost: the sweep selects every open row whose next alert time has passed,
so whatever fell due while workers, beat or the broker were down is caught up on the next run.
Each reminder and escalation is a DeadlineAlert row unique per (deadline, stage), written in the
transaction that holds the row lock; two sweeps at once, a retried task or a second beat
therefore never alert twice.

Who is told when follows the deadline's urgency class (cases/urgency.py): an urgent ("straks")
deadline alerts the centre's on-duty people the moment it opens (stage "opened"), tells the
centre leaders when still undone after 2 hours ("escalation-leader") and the regional office
at the limit ("escalation"), R-1.
"""

import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Prefetch, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .. import roles as roles_module
from .. import routines
from .. import urgency as urgency_classes
from ..due import due_handler
from ..history_rows import history_rows_copy
from ..models import Deadline, DeadlineAlert, Notification, TimelineEvent
from ..place_members import active_users_by_id, member_ids_by_place
from ..roles import names as role_names
from ..urgency import LEADER_AND_REGION, Audience, Urgency
from .notifications import EmailEntry, notification_emails_queue

logger = logging.getLogger(__name__)

State = Deadline.State

SWEEP_BATCH_SIZE = 200

# Stages of alerts, each sent once per deadline (reminders are "reminder-1", "reminder-2", …).
STAGE_OPENED = "opened"
STAGE_LEADER = "escalation-leader"
STAGE_ESCALATION = "escalation"

# Role names and membership permissions are registered by the app that owns them
# (cases/roles.py); `cases` imports no other project app.


class NoRecipientError(RuntimeError):
    """No active user could be told: the row is kept and retried, never silently dropped."""


# --- open, meet, waive -------------------------------------------------------------------


def _pending(content_type: ContentType, object_id: int, kind: str) -> models.QuerySet[Deadline]:
    return Deadline.objects.filter(
        content_type=content_type, object_id=object_id, kind=kind, state__in=Deadline.PENDING
    )


def _timeline(deadline: Deadline, *, kind: str, summary: str, actor=None, at=None) -> None:
    """A timeline event on the deadline's subject, without loading the subject itself."""
    if deadline.subject_ct_id is None:
        return
    TimelineEvent.objects.create(
        content_type_id=deadline.subject_ct_id,
        object_id=deadline.subject_id,
        kind=kind,
        rule_id=deadline.rule_id,
        summary=summary[:300],
        actor=actor,
        at=at or timezone.now(),
    )


def _short(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def reminder_points(
    *, opened_at: datetime, due_at: datetime, urgency: str = urgency_classes.DEFAULT
) -> list[datetime]:
    """When to remind, strictly between opening and due, earliest first (pure)."""
    return urgency_classes.get(urgency).reminder_points(opened_at=opened_at, due_at=due_at)


def _next_alert_at(
    cls: Urgency, *, opened_at: datetime, due_at: datetime, reminders_sent: int, after: datetime
) -> datetime:
    """The next point of the plan later than `after`: a reminder not yet handled, the leader
    escalation, else the due time."""
    points = [
        point
        for point in cls.reminder_points(opened_at=opened_at, due_at=due_at)[reminders_sent:]
        if point > after
    ]
    leader = cls.leader_point(opened_at=opened_at, due_at=due_at)
    if leader is not None and leader > after:
        points.append(leader)
    return min(points, default=due_at)


def deadline_open(
    *,
    owner: models.Model,
    kind: str,
    due_at: datetime,
    label: str,
    rule_id: str = "",
    centre: models.Model | None = None,
    region: models.Model | None = None,
    national: str = "",
    responsible=None,
    subject: models.Model | None = None,
    by=None,
    opened_at: datetime | None = None,
    urgency: str = urgency_classes.DEFAULT,
) -> Deadline:
    """Open a deadline, or give back the pending one of this kind for this owner.

    `centre`/`region` say who is responsible (the region defaults to the centre's); a national
    deadline names instead, in `national`, the role slot (cases.roles) that answers for it.
    `responsible`: a named person who is told instead, while active.
    `subject` is whom it is about; by default the owner's `resident`, else the owner.
    `urgency` is a code of cases/urgency.py; a class that alerts at opening tells the
    centre's on-duty people in the same transaction (the e-mails go after the commit).
    Giving back the pending row alerts nobody again.
    """
    cls = urgency_classes.get(urgency)
    if timezone.is_naive(due_at):
        raise ValidationError(_("A deadline needs a time with a time zone."), code="naive")
    if centre is None and region is None and national not in roles_module.NATIONAL_ROLES:
        raise ValidationError(
            _("A deadline needs a responsible centre, regional office or national role."),
            code="no_owner",
        )
    content_type = ContentType.objects.get_for_model(owner)
    existing = _pending(content_type, owner.pk, kind).first()
    if existing is not None:
        return existing
    if subject is None:
        subject = getattr(owner, "resident", None) or owner
    opened_at = opened_at or timezone.now()
    deadline = Deadline(
        content_type=content_type,
        object_id=owner.pk,
        subject_ct=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        centre=centre,
        region_id=region.pk if region is not None else getattr(centre, "region_id", None),
        national_role=national if centre is None and region is None else "",
        responsible=responsible,
        kind=kind,
        rule_id=rule_id,
        label=label[:200],
        due_at=due_at,
        opened_at=opened_at,
        opened_by=by,
        urgency=cls.code,
    )
    handled = due_handler(kind) is not None
    # A kind with an on-due handler (cases/due.py) is looked at once, when it falls due.
    deadline.next_alert_at = (
        due_at
        if handled
        else _next_alert_at(
            cls, opened_at=opened_at, due_at=due_at, reminders_sent=0, after=opened_at
        )
    )
    try:
        with transaction.atomic():
            deadline.save()
            _timeline(
                deadline,
                kind="deadline_opened",
                summary=_("Deadline opened: %(label)s, due %(due)s")
                % {"label": _(deadline.label), "due": _short(due_at)},
                actor=by,
                at=opened_at,
            )
            if cls.alert_at_opening and not handled:
                _alert_at_opening(deadline, cls)
    except IntegrityError:
        # A concurrent open of the same kind won; give back its row.
        return _pending(content_type, owner.pk, kind).get()
    return deadline


def _alert_at_opening(deadline: Deadline, cls: Urgency) -> None:
    """Tell the on-duty people now. Nobody to tell must not lose the deadline: the row is
    kept and the sweep retries the alert at once (see _sweep_one)."""
    emails: list[EmailEntry] = []
    try:
        with transaction.atomic():
            _alert(
                deadline,
                stage=STAGE_OPENED,
                kind=DeadlineAlert.Kind.OPENED,
                recipients=_Recipients().of(deadline, opening_audience(deadline, cls)),
                emails=emails,
                sent=set(),
            )
    except NoRecipientError:
        logger.warning("Deadline %s: nobody to alert at opening; the sweep retries", deadline.pk)
        deadline.next_alert_at = deadline.opened_at
        deadline.save(update_fields=["next_alert_at"])
        return
    notification_emails_queue(emails)


def opening_audience(deadline: Deadline, cls: Urgency) -> Audience:
    """Who is alerted when the deadline opens: what its routine step says, else its class.
    Read from the declarations, not stored, so the sweep's retry tells the same people."""
    content_type = ContentType.objects.get_for_id(deadline.content_type_id)
    routine = routines.for_model(f"{content_type.app_label}.{content_type.model}")
    step = routine.step_for_deadline(deadline.kind) if routine else None
    declared = step.due.alert_at_opening_to if step and step.due else None
    return declared or cls.alert_at_opening_to


def _meet_locked(deadline: Deadline, *, by, at: datetime) -> Deadline:
    deadline.was_missed = deadline.state == State.MISSED or at > deadline.due_at
    deadline.state = State.MET
    deadline.met_at = at
    deadline.met_by = by
    deadline.next_alert_at = None
    deadline.save()
    template = (
        _("Deadline met late: %(label)s") if deadline.was_missed else _("Deadline met: %(label)s")
    )
    _timeline(
        deadline,
        kind="deadline_met",
        summary=template % {"label": _(deadline.label)},
        actor=by,
        at=at,
    )
    return deadline


def _refuse_closed(deadline: Deadline) -> None:
    if deadline.state == State.MET:
        raise ValidationError(
            _("This deadline was already met on %(when)s."),
            code="already_met",
            params={"when": _short(deadline.met_at)},
        )
    if deadline.state == State.WAIVED:
        raise ValidationError(
            _("This deadline was waived on %(when)s."),
            code="already_waived",
            params={"when": _short(deadline.waived_at)},
        )


def deadline_meet(*, deadline: Deadline, by, at: datetime | None = None) -> Deadline:
    """Record that the work was done. A missed deadline is recorded as met late."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = Deadline.objects.select_for_update().get(pk=deadline.pk)
        _refuse_closed(locked)
        return _meet_locked(locked, by=by, at=at)


def deadline_meet_for(
    *, owner: models.Model, kind: str, by, at: datetime | None = None
) -> Deadline | None:
    """Meeting as a side effect of the work (sending the police report meets SAV-2's
    deadline). Does nothing when no deadline of that kind is pending."""
    at = at or timezone.now()
    content_type = ContentType.objects.get_for_model(owner)
    with transaction.atomic():
        locked = _pending(content_type, owner.pk, kind).select_for_update().first()
        if locked is None:
            return None
        return _meet_locked(locked, by=by, at=at)


def deadline_hand_over(*, deadline: Deadline, centre, by) -> Deadline:
    """A resident's open deadline becomes another centre's responsibility (a move between
    centres, MOT-3): the centre that answers for it changes; the time limit does not."""
    with transaction.atomic():
        locked = Deadline.objects.select_for_update().get(pk=deadline.pk)
        _refuse_closed(locked)
        if locked.centre_id == centre.pk:
            return locked
        locked.centre = centre
        locked.save()
        _timeline(
            locked,
            kind="deadline_handed_over",
            summary=_("Deadline handed over to %(centre)s: %(label)s")
            % {"centre": centre.name, "label": _(locked.label)},
            actor=by,
        )
    return locked


def deadline_reassign(*, owner: models.Model, responsible, by) -> int:
    """The named person who answers for the owner's pending deadlines changes (a return case
    reassigned, R-19): the time limits do not; the timeline says so."""
    content_type = ContentType.objects.get_for_model(owner)
    moved = 0
    with transaction.atomic():
        for locked in _pending_of(content_type, owner.pk).select_for_update():
            if locked.responsible_id == responsible.pk:
                continue
            locked.responsible = responsible
            locked.save()
            _timeline(
                locked,
                kind="deadline_reassigned",
                summary=_("Deadline given to another caseworker: %(label)s")
                % {"label": _(locked.label)},
                actor=by,
            )
            moved += 1
    return moved


def _pending_of(content_type: ContentType, object_id: int) -> models.QuerySet[Deadline]:
    return Deadline.objects.filter(
        content_type=content_type, object_id=object_id, state__in=Deadline.PENDING
    )


def deadlines_end_with_case(*, owner: models.Model, by, reason: str) -> int:
    """The case ended without the work (a move refused or withdrawn): its pending deadlines no
    longer apply. Each is recorded as waived with the reason, by whoever ended the case — the
    case's own decision, not a leader's waiver of a duty that still applies."""
    content_type = ContentType.objects.get_for_model(owner)
    now = timezone.now()
    ended = 0
    with transaction.atomic():
        for locked in Deadline.objects.select_for_update().filter(
            content_type=content_type, object_id=owner.pk, state__in=Deadline.PENDING
        ):
            locked.state = State.WAIVED
            locked.waived_at = now
            locked.waived_by = by
            locked.waive_reason = reason
            locked.next_alert_at = None
            locked.save()
            ended += 1
    return ended


def can_waive(user) -> bool:
    return bool(
        user
        and user.is_authenticated
        and (user.is_superuser or getattr(user, "role", None) in role_names().waiver_roles)
    )


def deadline_waive(*, deadline: Deadline, by, reason: str, at: datetime | None = None) -> Deadline:
    """A centre leader or an administrator decides the time limit no longer applies."""
    if not can_waive(by):
        raise PermissionDenied(_("Only a centre leader or an administrator may waive a deadline."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            _("Give the reason for waiving the deadline."), code="reason_required"
        )
    at = at or timezone.now()
    with transaction.atomic():
        locked = Deadline.objects.select_for_update().get(pk=deadline.pk)
        _refuse_closed(locked)
        locked.state = State.WAIVED
        locked.waived_at = at
        locked.waived_by = by
        locked.waive_reason = reason
        locked.next_alert_at = None
        locked.save()
        _timeline(
            locked,
            kind="deadline_waived",
            summary=_("Deadline waived: %(label)s") % {"label": _(locked.label)},
            actor=by,
            at=at,
        )
        return locked


def deadline_lapse(*, deadline: Deadline, reason: str, at: datetime | None = None) -> Deadline:
    """The facts a time limit hung on are gone (the stay it was counted from has ended): the
    routine itself closes it as waived, by nobody, with the reason. Not for a person's
    decision that a limit does not apply — that is `deadline_waive`, a leader's. Does nothing
    to a row that is already met or waived."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = Deadline.objects.select_for_update().get(pk=deadline.pk)
        if locked.state not in Deadline.PENDING:
            return locked
        locked.state = State.WAIVED
        locked.waived_at = at
        locked.waive_reason = reason
        locked.next_alert_at = None
        locked.save()
        _timeline(
            locked,
            kind="deadline_lapsed",
            summary=_("Deadline no longer applies: %(label)s") % {"label": _(locked.label)},
            at=at,
        )
        return locked


# --- the sweep ---------------------------------------------------------------------------


@dataclass
class SweepResult:
    alerts_at_opening: int = 0
    reminders: int = 0
    leader_escalations: int = 0
    escalations: int = 0
    handled: int = 0
    notifications: int = 0
    failures: int = 0
    failed_ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def _admins() -> list:
    from django.contrib.auth import get_user_model

    admin = role_names().admin
    users = get_user_model().objects.filter(Q(role=admin) | Q(is_superuser=True), is_active=True)
    return list(users.order_by("pk"))


def _place_model(name: str) -> type[models.Model]:
    """The model of a deadline's centre or regional office (cases names neither app)."""
    return Deadline._meta.get_field(name).related_model


class _Recipients:
    """Who is told, looked up once per centre/region and stage within one sweep."""

    def __init__(self):
        self._cache: dict = {}
        # (place model, pk, membership codename) → the place's active members, by pk.
        self._place_members: dict[tuple, list] = {}

    def _get(self, key, compute):
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def read_members(self, deadlines: list[Deadline]) -> None:
        """Reads the members of every centre and regional office of these rows not read yet,
        in a fixed number of queries however many places (see cases.place_members)."""
        names = role_names()
        centre, region = _place_model("centre"), _place_model("region")
        self._read_places(
            [(centre, d.centre_id, names.member_of_centre) for d in deadlines if d.centre_id]
            + [(region, d.region_id, names.member_of_region) for d in deadlines if d.region_id]
        )

    def _read_places(self, places: list[tuple]) -> None:
        unread: dict[tuple, set] = {}
        for model, pk, codename in places:
            if (model, pk, codename) not in self._place_members:
                unread.setdefault((model, codename), set()).add(pk)
        member_ids: dict[tuple, set[int]] = {}
        for (model, codename), pks in unread.items():
            found = member_ids_by_place(model, pks, codename)
            member_ids.update(((model, pk, codename), found.get(pk, set())) for pk in pks)
        users = active_users_by_id(set().union(*member_ids.values()))
        for place, ids in member_ids.items():
            self._place_members[place] = [users[pk] for pk in sorted(ids) if pk in users]

    def _members(self, model: type[models.Model], pk, perm: str, roles) -> list:
        """Active members of a centre or region in these roles; each place's members are read
        once per sweep whatever the roles asked (a region is shared by all its centres)."""
        place = (model, pk, perm)
        if place not in self._place_members:
            self._read_places([place])
        wanted = set(roles)
        return [user for user in self._place_members[place] if user.role in wanted]

    def _matching(self, deadline: Deadline, audience: Audience) -> list:
        users = {}
        names = role_names()
        if deadline.centre_id and audience.centre_roles:
            users.update(
                (u.pk, u)
                for u in self._members(
                    _place_model("centre"),
                    deadline.centre_id,
                    names.member_of_centre,
                    names.of(audience.centre_roles),
                )
            )
        region_told = not (audience.region_only_without_centre and deadline.centre_id)
        if deadline.region_id and audience.region_roles and region_told:
            users.update(
                (u.pk, u)
                for u in self._members(
                    _place_model("region"),
                    deadline.region_id,
                    names.member_of_region,
                    names.of(audience.region_roles),
                )
            )
        return list(users.values())

    def of(self, deadline: Deadline, audience: Audience) -> list:
        """The audience's users; when none, the centre leader and regional office, and
        failing those the administrators. A national deadline tells the active users of its
        role at every stage, failing those the administrators."""
        if deadline.responsible_id and deadline.responsible.is_active:
            return [deadline.responsible]
        if deadline.is_national:
            return self._get(("national", deadline.national_role), lambda: _national(deadline))

        def compute():
            users = self._matching(deadline, audience)
            if not users and audience != LEADER_AND_REGION:
                users = self._matching(deadline, LEADER_AND_REGION)
            return users or _admins()

        return self._get((audience, deadline.centre_id, deadline.region_id), compute)


def _national(deadline: Deadline) -> list:
    from django.contrib.auth import get_user_model

    role = role_names().of((deadline.national_role,))
    users = get_user_model().objects.filter(role__in=role, is_active=True).order_by("pk")
    return list(users) or _admins()


def _place(deadline: Deadline) -> str:
    if deadline.is_national:
        return _("the national level")
    return deadline.centre.name if deadline.centre_id else deadline.region.name


def _alert(
    deadline: Deadline,
    *,
    stage: str,
    kind: str,
    recipients: list,
    emails: list[EmailEntry],
    sent: set[tuple[int, str]],
) -> int:
    """Record the alert for this stage once; fan out one notification per recipient.

    `sent` holds the batch's existing (deadline, stage) alerts, read once per batch. The
    unique constraint stays the last guard: a duplicate insert fails this row only, and the
    next sweep sees the alert and moves on.
    """
    if not recipients:
        raise NoRecipientError("no active user to notify")
    if (deadline.pk, stage) in sent:
        return 0  # Already told by an earlier or overlapping sweep.
    alert = DeadlineAlert.objects.create(deadline=deadline, stage=stage, kind=kind)
    Notification.objects.bulk_create(
        [Notification(recipient=u, alert=alert, deadline=deadline, kind=kind) for u in recipients]
    )
    path = deadline_place_path(deadline)
    emails.extend(EmailEntry(u.email, kind, _place(deadline), path) for u in recipients if u.email)
    return len(recipients)


def deadline_place_path(deadline: Deadline) -> str:
    from django.urls import reverse

    if deadline.centre_id:
        return reverse("cases:deadlines_centre", args=[deadline.centre_id])
    if deadline.is_national:
        return reverse("cases:deadlines_national")
    return reverse("cases:deadlines_region", args=[deadline.region_id])


class _AlertPlaces:
    """The place an alert's e-mail names and the deadlines page it links to, worked out once
    per place within a sweep: a reverse() per alert cost more than the rest of its e-mail."""

    def __init__(self):
        self._known: dict[tuple, tuple[str, str]] = {}

    def of(self, deadline: Deadline) -> tuple[str, str]:
        key = (deadline.centre_id, deadline.region_id, deadline.is_national)
        if key not in self._known:
            self._known[key] = (_place(deadline), deadline_place_path(deadline))
        return self._known[key]


@dataclass
class _Sweep:
    """What one sweep carries across its batches: its time, its counts and what it looks up
    once (who is told, the places alerts name)."""

    now: datetime
    result: SweepResult = field(default_factory=SweepResult)
    recipients: _Recipients = field(default_factory=_Recipients)
    places: _AlertPlaces = field(default_factory=_AlertPlaces)
    missed_summaries: dict[str, str] = field(default_factory=dict)  # by label

    def missed_summary(self, label: str) -> str:
        """The timeline's text for a missed deadline, translated once per label: two
        gettext calls per row were half the cost of planning it."""
        if label not in self.missed_summaries:
            self.missed_summaries[label] = _("Deadline missed: %(label)s") % {"label": _(label)}
        return self.missed_summaries[label]


# The sweep plans each due row in memory (who is told, what changes, what the timeline says)
# and then writes the whole batch with one statement per table: alerts, notifications, the
# deadline rows, their history rows and the timeline events. Rows whose kind has an on-due
# handler go one by one, since their handlers work through their apps' services.
@dataclass
class _PlannedAlert:
    stage: str
    kind: str
    recipients: list


@dataclass
class _RowPlan:
    """What the sweep does to one row; nothing is written until the batch is."""

    deadline: Deadline
    alerts: list[_PlannedAlert] = field(default_factory=list)
    events: list[tuple[str, str]] = field(default_factory=list)  # (timeline kind, summary)
    counts: dict[str, int] = field(default_factory=dict)  # SweepResult field → increment

    def count(self, name: str, n: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + n


def _plan_row(deadline: Deadline, *, sweep: _Sweep, sent: set[tuple[int, str]]) -> _RowPlan:
    """Reminders and escalations due on this row, planned; raises NoRecipientError before
    anything is written when nobody could be told."""
    now, recipients = sweep.now, sweep.recipients
    plan = _RowPlan(deadline)
    cls = urgency_classes.get(deadline.urgency)

    def alert(stage: str, kind: str, audience: Audience) -> None:
        users = recipients.of(deadline, audience)
        if not users:
            raise NoRecipientError("no active user to notify")
        if (deadline.pk, stage) in sent:
            return  # Already told by an earlier or overlapping sweep.
        plan.alerts.append(_PlannedAlert(stage, kind, users))
        plan.count("notifications", len(users))

    if now >= deadline.due_at:
        alert(STAGE_ESCALATION, DeadlineAlert.Kind.ESCALATION, cls.escalation_at_limit)
        plan.count("escalations")
        deadline.state = State.MISSED
        deadline.escalated_at = now
        deadline.next_alert_at = None
        plan.events.append(("deadline_missed", sweep.missed_summary(deadline.label)))
    else:
        opened_at, due_at = deadline.opened_at, deadline.due_at
        # An alert at opening that could not go out when the deadline opened.
        if cls.alert_at_opening and (deadline.pk, STAGE_OPENED) not in sent:
            alert(STAGE_OPENED, DeadlineAlert.Kind.OPENED, opening_audience(deadline, cls))
            plan.count("alerts_at_opening")
        points = cls.reminder_points(opened_at=opened_at, due_at=due_at)
        passed = [i for i, point in enumerate(points) if point <= now]
        # After an outage only the latest passed reminder is sent, not every one missed.
        if passed and passed[-1] >= deadline.reminders_sent:
            index = passed[-1]
            alert(f"reminder-{index + 1}", DeadlineAlert.Kind.REMINDER, cls.reminders_to)
            plan.count("reminders")
            deadline.reminders_sent = index + 1
            deadline.reminded_at = now
        leader = cls.leader_point(opened_at=opened_at, due_at=due_at)
        if leader is not None and leader <= now and (deadline.pk, STAGE_LEADER) not in sent:
            alert(STAGE_LEADER, DeadlineAlert.Kind.UNDONE, cls.leader_escalation_to)
            plan.count("leader_escalations")
        deadline.next_alert_at = _next_alert_at(
            cls,
            opened_at=opened_at,
            due_at=due_at,
            reminders_sent=deadline.reminders_sent,
            after=now,
        )
    deadline.last_error = ""
    return plan


def _write_plans(
    plans: list[_RowPlan], *, now: datetime, emails: list[EmailEntry], places: _AlertPlaces
) -> None:
    """The planned rows written with one statement per table (none for an empty table)."""
    # Built from ids, not instances: the related descriptors' checks on thousands of rows
    # cost more than the rest of building them.
    alerts, fan_out = [], []
    for plan in plans:
        for planned in plan.alerts:
            alert = DeadlineAlert(
                deadline_id=plan.deadline.pk, stage=planned.stage, kind=planned.kind
            )
            alerts.append(alert)
            fan_out.append((plan.deadline, alert, planned.recipients))
    DeadlineAlert.objects.bulk_create(alerts)
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=user.pk,
                alert_id=alert.pk,
                deadline_id=alert.deadline_id,
                kind=alert.kind,
            )
            for _deadline, alert, users in fan_out
            for user in users
        ]
    )
    deadlines = [plan.deadline for plan in plans]
    _update_rows(deadlines, now=now)
    history_rows_copy(deadlines, at=now)
    TimelineEvent.objects.bulk_create(
        [
            TimelineEvent(
                content_type_id=plan.deadline.subject_ct_id,
                object_id=plan.deadline.subject_id,
                kind=kind,
                rule_id=plan.deadline.rule_id,
                summary=summary[:300],
                at=now,
            )
            for plan in plans
            if plan.deadline.subject_ct_id is not None
            for kind, summary in plan.events
        ]
    )
    for deadline, alert, users in fan_out:
        place, path = places.of(deadline)
        emails.extend(EmailEntry(u.email, alert.kind, place, path) for u in users if u.email)


def _update_rows(deadlines: list[Deadline], *, now: datetime) -> None:
    """At most two UPDATEs: the rows escalated now all get the same values; the others (a
    reminder or an alert sent, the next look moved) get theirs in one CASE update."""
    escalated = [d.pk for d in deadlines if d.state == State.MISSED and d.escalated_at == now]
    if escalated:
        Deadline.objects.filter(pk__in=escalated).update(
            state=State.MISSED, escalated_at=now, next_alert_at=None, last_error=""
        )
    done = set(escalated)
    others = [d for d in deadlines if d.pk not in done]
    if others:
        _update_moved_rows(others, now=now)


def _update_moved_rows(deadlines: list[Deadline], *, now: datetime) -> None:
    """One UPDATE whose CASEs have a branch per distinct value, not per row and column as
    bulk_update's (which cost 0.75 ms per reminded row to build): only the next look differs
    row by row; the rows reminded now share their time and, per point, their count."""
    reminded = [d for d in deadlines if d.reminded_at == now]
    Deadline.objects.filter(pk__in=[d.pk for d in deadlines]).update(
        next_alert_at=_case_by_value("next_alert_at", {d.pk: d.next_alert_at for d in deadlines}),
        reminders_sent=_case_by_value("reminders_sent", {d.pk: d.reminders_sent for d in reminded}),
        reminded_at=_case_by_value("reminded_at", {d.pk: now for d in reminded}),
        last_error="",
    )


def _case_by_value(name: str, new_values: dict) -> models.Case:
    """The column's new value for the rows in `new_values` (one WHEN per distinct value,
    naming its rows); the other rows keep theirs."""
    rows_by_value: dict = {}
    for pk, value in new_values.items():
        rows_by_value.setdefault(value, []).append(pk)
    column = Deadline._meta.get_field(name)
    return models.Case(
        *[
            models.When(pk__in=pks, then=models.Value(value, output_field=column))
            for value, pks in rows_by_value.items()
        ],
        default=models.F(name),
        output_field=column,
    )


def _count(plans: list[_RowPlan], result: SweepResult) -> None:
    for plan in plans:
        for name, n in plan.counts.items():
            setattr(result, name, getattr(result, name) + n)


def _sweep_batch(
    batch: list[Deadline], *, sweep: _Sweep, emails: list[EmailEntry], sent: set[tuple[int, str]]
) -> None:
    now, result = sweep.now, sweep.result
    sweep.recipients.read_members(batch)
    plans = []
    for deadline in batch:
        handler = due_handler(deadline.kind)
        if handler is not None:
            _isolated(
                deadline,
                result,
                now,
                lambda d=deadline, h=handler: _sweep_handled(d, h, now=now, result=result),
            )
            continue
        try:
            plans.append(_plan_row(deadline, sweep=sweep, sent=sent))
        except Exception as error:  # noqa: BLE001 - one bad row must not stop the others
            _fail(deadline, result, now, error)
    batch_emails: list[EmailEntry] = []
    try:
        with transaction.atomic():
            _write_plans(plans, now=now, emails=batch_emails, places=sweep.places)
    except Exception:  # noqa: BLE001 - e.g. an alert written meanwhile: row by row instead
        logger.warning("The sweep's batch write failed; writing its %s rows one by one", len(plans))
        _sweep_rows_one_by_one(plans, sweep=sweep, emails=emails, sent=sent)
        return
    _count(plans, result)
    emails.extend(batch_emails)


def _sweep_rows_one_by_one(
    plans: list[_RowPlan], *, sweep: _Sweep, emails: list[EmailEntry], sent: set[tuple[int, str]]
) -> None:
    """The slow path after a failed batch write: each row planned afresh and written in its
    own savepoint, so only the row at fault fails."""
    now, result = sweep.now, sweep.result
    for stale in plans:
        deadline = stale.deadline
        deadline.refresh_from_db()

        def one(deadline=deadline):
            plan = _plan_row(deadline, sweep=sweep, sent=sent)
            row_emails: list[EmailEntry] = []
            _write_plans([plan], now=now, emails=row_emails, places=sweep.places)
            _count([plan], result)
            emails.extend(row_emails)

        _isolated(deadline, result, now, one)


def _isolated(deadline: Deadline, result: SweepResult, now: datetime, work) -> None:
    try:
        with transaction.atomic():
            work()
    except Exception as error:  # noqa: BLE001 - one bad row must not stop the others
        _fail(deadline, result, now, error)


def _fail(deadline: Deadline, result: SweepResult, now: datetime, error: Exception) -> None:
    _record_failure(deadline, now=now, error=error)
    result.failures += 1
    result.failed_ids.append(deadline.pk)


def _sweep_handled(deadline: Deadline, handler, *, now: datetime, result: SweepResult) -> None:
    """A kind with an on-due handler: nobody is reminded; at the due time the handler acts
    and the row is closed as met by the system (no person in met_by), not escalated as missed.
    Runs in the row's savepoint: a failing handler leaves nothing behind but the failure mark.
    """
    if now < deadline.due_at:
        deadline.next_alert_at = deadline.due_at
        deadline.save(update_fields=["next_alert_at"])
        return
    handler(deadline, now=now)
    # The handler works through its app's services and may have closed the row itself, or
    # removed it with its owner (a deletion that leaves no trace, R-21).
    try:
        deadline.refresh_from_db()
    except Deadline.DoesNotExist:
        result.handled += 1
        return
    if deadline.state == State.OPEN:
        deadline.state = State.MET
        deadline.met_at = now
        deadline.met_by = None
        deadline.was_missed = False
        deadline.next_alert_at = None
        deadline.last_error = ""
        deadline.save()
        _timeline(
            deadline,
            kind="deadline_handled",
            summary=_("Due time reached, handled by the system: %(label)s")
            % {"label": _(deadline.label)},
            at=now,
        )
    result.handled += 1


def _record_failure(deadline: Deadline, *, now: datetime, error: Exception) -> None:
    """Keep the row open and look again later, backing off up to an hour."""
    deadline.refresh_from_db()
    deadline.failure_count += 1
    deadline.last_error = f"{type(error).__name__}: {error}"[:2000]
    deadline.next_alert_at = now + timedelta(minutes=min(2**deadline.failure_count, 60))
    deadline.save(update_fields=["failure_count", "last_error", "next_alert_at"])
    logger.warning("Deadline %s failed in the sweep (%s)", deadline.pk, type(error).__name__)


def deadlines_sweep(*, now: datetime | None = None, batch_size: int | None = None) -> SweepResult:
    """Remind and escalate every open deadline whose next alert time has passed.

    Works in batches, each its own transaction holding row locks taken with SKIP LOCKED, so
    overlapping sweeps share the work instead of waiting for or repeating each other.
    A row that fails is recorded (failure_count, last_error) and the others go on.
    """
    sweep = _Sweep(now=now or timezone.now())
    batch_size = batch_size or SWEEP_BATCH_SIZE
    while True:
        emails: list[EmailEntry] = []
        with transaction.atomic():
            batch = list(due_batch_locked(sweep.now, batch_size))
            sent = set(
                DeadlineAlert.objects.filter(deadline__in=[d.pk for d in batch]).values_list(
                    "deadline_id", "stage"
                )
            )
            _sweep_batch(batch, sweep=sweep, emails=emails, sent=sent)
            notification_emails_queue(emails)
        if len(batch) < batch_size:
            return sweep.result


def due_for_sweep(now: datetime) -> models.QuerySet[Deadline]:
    """The rows the sweep looks at; served by the partial index deadline_sweep_idx."""
    return Deadline.objects.filter(state=State.OPEN, next_alert_at__lte=now).order_by(
        "next_alert_at"
    )


def due_batch_locked(now: datetime, batch_size: int) -> models.QuerySet[Deadline]:
    """One batch of the sweep, its rows locked and the ones other sweeps hold skipped. The
    centres and offices come by name only, in a query each: joining their wide rows to every
    due row cost more than the two small queries."""
    places = [
        Prefetch(name, queryset=_place_model(name)._base_manager.only("name"))
        for name in ("centre", "region")
    ]
    return (
        due_for_sweep(now)
        .select_related("responsible")
        .prefetch_related(*places)
        .select_for_update(skip_locked=True, of=("self",))[:batch_size]
    )


def deadline_move(*, deadline: Deadline, due_at: datetime, by, reason: str) -> Deadline:
    """A still-pending deadline is counted from a corrected fact (a corrected date of birth):
    it gets the new due time, its alert plan is recomputed from now, and the timeline says
    why. A met or waived deadline is history and stays as it was."""
    if timezone.is_naive(due_at):
        raise ValidationError(_("A deadline needs a time with a time zone."), code="naive")
    now = timezone.now()
    with transaction.atomic():
        locked = Deadline.objects.select_for_update().get(pk=deadline.pk)
        _refuse_closed(locked)
        if locked.due_at == due_at:
            return locked
        old = locked.due_at
        locked.due_at = due_at
        if locked.state == State.MISSED and due_at > now:
            locked.state = State.OPEN
        cls = urgency_classes.get(locked.urgency)
        locked.next_alert_at = (
            due_at
            if due_handler(locked.kind) is not None
            else _next_alert_at(
                cls,
                opened_at=locked.opened_at,
                due_at=due_at,
                reminders_sent=locked.reminders_sent,
                after=now,
            )
        )
        locked.save()
        _timeline(
            locked,
            kind="deadline_moved",
            summary=_("Deadline moved: %(label)s, due %(due)s (was %(old)s): %(reason)s")
            % {
                "label": _(locked.label),
                "due": _short(due_at),
                "old": _short(old),
                "reason": reason,
            },
            actor=by,
            at=now,
        )
        return locked


def deadlines_close_for(*, owner: models.Model, reason: str, at: datetime | None = None) -> int:
    """The case these deadlines belong to has ended without them (a stay ended before its
    arrival steps were done): every pending one is closed as waived with the reason, by
    nobody in particular, so no one is reminded of work they can no longer do."""
    at = at or timezone.now()
    content_type = ContentType.objects.get_for_model(owner)
    closed = 0
    with transaction.atomic():
        for locked in (
            Deadline.objects.select_for_update()
            .filter(content_type=content_type, object_id=owner.pk, state__in=Deadline.PENDING)
            .order_by("pk")
        ):
            locked.state = State.WAIVED
            locked.waived_at = at
            locked.waive_reason = reason
            locked.next_alert_at = None
            locked.save()
            _timeline(
                locked,
                kind="deadline_waived",
                summary=_("Deadline closed: %(label)s (%(reason)s)")
                % {"label": _(locked.label), "reason": reason},
                at=at,
            )
            closed += 1
    return closed
