"""The role names and membership permissions the case engine alerts by (X-5, R-1).

`cases` imports no other project app, so the app that owns users and roles registers their
names here from its `AppConfig.ready()` (mottak does). The defaults are the names the
project uses, so the engine's own tests run without it.

Audiences (cases/urgency.py) name roles by *slot* — a field of RoleNames, such as
"centre_leader" — and the registered names say which role value fills each slot.
"""

from dataclasses import dataclass, fields

# Slots: the fields of RoleNames that are roles.
CENTRE_STAFF = "centre_staff"
CHILD_WELFARE_LEAD = "child_welfare_lead"
CENTRE_LEADER = "centre_leader"
REGION_CASEWORKER = "region_caseworker"
ADMIN = "admin"
# Nationwide roles: they answer for national deadlines (RET-6), not for a centre's.
RMA = "rma"
ASA_CASEWORKER = "asa_caseworker"
NATIONAL_ROLES = (RMA, ASA_CASEWORKER)
CENTRE_ROLES = (CENTRE_STAFF, CHILD_WELFARE_LEAD, CENTRE_LEADER)


@dataclass(frozen=True)
class RoleNames:
    centre_staff: str = "centre_staff"
    child_welfare_lead: str = "child_welfare_lead"
    centre_leader: str = "centre_leader"
    region_caseworker: str = "region_caseworker"
    admin: str = "admin"
    rma: str = "rma"
    asa_caseworker: str = "asa_caseworker"
    # Codenames of the object permissions that make a user a member of a centre / an office.
    member_of_centre: str = "member_of_centre"
    member_of_region: str = "member_of_region"

    def __post_init__(self):
        for f in fields(self):
            if not getattr(self, f.name):
                raise ValueError(f"RoleNames.{f.name} is empty.")

    def of(self, slots) -> tuple[str, ...]:
        """The role values filling these slots."""
        return tuple(getattr(self, slot) for slot in slots)

    @property
    def centre_roles(self) -> tuple[str, ...]:
        return self.of(CENTRE_ROLES)

    @property
    def waiver_roles(self) -> frozenset[str]:
        """Who may waive a deadline: a centre leader or an administrator."""
        return frozenset({self.centre_leader, self.admin})


_current = RoleNames()


def register(names: RoleNames) -> RoleNames:
    global _current
    _current = names
    return names


def names() -> RoleNames:
    return _current


def slot_of(role: str) -> str:
    """The slot a role value fills ("" when none): how a user's role reads a Watch's roles."""
    current = names()
    for f in fields(current):
        if getattr(current, f.name) == role and f.name not in _MEMBERSHIP_FIELDS:
            return f.name
    return ""


_MEMBERSHIP_FIELDS = frozenset({"member_of_centre", "member_of_region"})
