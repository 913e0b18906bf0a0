"""Urgency classes of deadlines (X-5, R-1, R-11): who is told when, in one table.

A deadline's class decides, besides its due time (which the routine computes):

- whether the centre's on-duty people are alerted the moment it opens ("straks", R-1);
- its reminder plan: a float is a share of the time from opening to due, a timedelta is that
  long before due; only points strictly between opening and due count;
- whether the centre leader is told once it has stood undone for a while (R-1: 2 hours);
- who is told when the limit passes.

"Umiddelbart" (the same day, with urgent alerts as in R-1, R-11) uses the "straks" class with
a same-day due time; "snarest" (within 1 working day) has its own class. The table is pure data
and imports no models, so the model's choices can be read from it.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Roles are named by slot; the owning app registers which role fills each (cases/roles.py).
from .roles import CENTRE_LEADER, CENTRE_ROLES, CHILD_WELFARE_LEAD, REGION_CASEWORKER


@dataclass(frozen=True)
class Audience:
    """Who is told: active users with these roles (slots of cases.roles.RoleNames) holding the
    centre's (member_of_centre) or the regional office's (member_of_region) membership
    permission.

    With `region_only_without_centre` the regional office is told only about deadlines no
    centre is responsible for. When nobody matches, the escalation audience is told, and
    failing that the administrators: an alert is never dropped for want of a recipient.
    """

    centre_roles: tuple[str, ...]
    region_roles: tuple[str, ...]
    region_only_without_centre: bool


# The centre's on-duty people: staff, child-welfare lead and leader.
ON_DUTY = Audience(CENTRE_ROLES, (REGION_CASEWORKER,), region_only_without_centre=True)
CENTRE_LEADERS = Audience((CENTRE_LEADER,), (REGION_CASEWORKER,), region_only_without_centre=True)
# The centre leader and the regional office's caseworkers.
LEADER_AND_REGION = Audience(
    (CENTRE_LEADER,), (REGION_CASEWORKER,), region_only_without_centre=False
)
# The on-duty people and the regional office's caseworkers at once: for a step whose
# opening the regional office must know of without waiting for the limit (a missing minor).
ON_DUTY_AND_REGION = Audience(CENTRE_ROLES, (REGION_CASEWORKER,), region_only_without_centre=False)
# The centre's child-welfare lead only (R-7: a target of the mapping routine).
CHILD_WELFARE_LEADS = Audience((CHILD_WELFARE_LEAD,), (), region_only_without_centre=True)


@dataclass(frozen=True)
class Urgency:
    code: str
    label: Promise
    alert_at_opening: bool = False
    # Halfway, and two hours before due: today's plan for every class.
    reminders: tuple[float | timedelta, ...] = (0.5, timedelta(hours=2))
    # Tell the centre leaders when still undone this long after opening (None: never).
    escalate_to_leader_after: timedelta | None = None
    escalation_at_limit: Audience = LEADER_AND_REGION
    alert_at_opening_to: Audience = ON_DUTY
    reminders_to: Audience = ON_DUTY
    leader_escalation_to: Audience = CENTRE_LEADERS

    def reminder_points(self, *, opened_at: datetime, due_at: datetime) -> list[datetime]:
        """When to remind, strictly between opening and due, earliest first."""
        points = set()
        for offset in self.reminders:
            if isinstance(offset, timedelta):
                point = due_at - offset
            else:
                point = opened_at + (due_at - opened_at) * float(offset)
            if opened_at < point < due_at:
                points.add(point)
        return sorted(points)

    def leader_point(self, *, opened_at: datetime, due_at: datetime) -> datetime | None:
        """When the centre leader is told it is still undone; None when the class does not,
        or when that moment is not before due (the escalation at the limit tells the leader)."""
        if self.escalate_to_leader_after is None:
            return None
        point = opened_at + self.escalate_to_leader_after
        return point if point < due_at else None


_TABLE = (
    # alert at opening, the leader after 2 hours undone, the regional office at the limit.
    Urgency(
        code="straks",
        label=_("At once"),
        alert_at_opening=True,
        escalate_to_leader_after=timedelta(hours=2),
    ),
    # within one working day; its due time is the caller's (no working-day calendar yet).
    Urgency(code="snarest", label=_("As soon as possible (within 1 working day)")),
    Urgency(code="ordinary", label=_("Ordinary")),
    # a target the routine says to aim for ("helst"), not a limit: reminded as usual,
    # shown as late, and when it passes only the child-welfare lead is told.
    Urgency(
        code="target",
        label=_("Target (preferably by)"),
        escalation_at_limit=CHILD_WELFARE_LEADS,
    ),
)

URGENCIES: dict[str, Urgency] = {urgency.code: urgency for urgency in _TABLE}
DEFAULT = "ordinary"
CHOICES = [(urgency.code, urgency.label) for urgency in _TABLE]


def get(code: str) -> Urgency:
    """The class of this code; an unknown code is a ValidationError."""
    try:
        return URGENCIES[code]
    except (KeyError, TypeError):
        raise ValidationError(
            _("Unknown urgency: %(code)s."), code="unknown_urgency", params={"code": code}
        ) from None
