"""What can be started from a resident's page ("New leave application", "Report missing").

mottak knows no routine app: each routine app registers its actions from its
AppConfig.ready(); the resident page offers an action to whoever may use its capability
(mottak.access.may) and may change the resident, and only while it makes sense (the resident
lives at the centre; not already missing).
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise

from cases.registry import register_once


@dataclass(frozen=True)
class ResidentAction:
    label: str | Promise
    url_name: str
    capability: str
    order: int = 100
    # The resident id goes in the URL path, or (if set) as this query parameter.
    query_param: str = ""
    needs_open_stay: bool = True
    # Not offered while the resident's status at a glance is one of these.
    hidden_in_status: frozenset[str] = frozenset()

    def url_for(self, resident_id: int) -> str:
        if self.query_param:
            return f"{reverse(self.url_name)}?{self.query_param}={resident_id}"
        return reverse(self.url_name, args=[resident_id])


@dataclass(frozen=True)
class OfferedAction:
    label: str | Promise
    url: str


_actions: dict[str, ResidentAction] = {}


def resident_action_register(action: ResidentAction) -> None:
    register_once(_actions, action.url_name, action, what="resident action")


def offered(*, may, resident_id: int, has_open_stay: bool, status: str) -> list[OfferedAction]:
    """The actions to offer, in order; `may(capability)` answers for the user."""
    return [
        OfferedAction(action.label, action.url_for(resident_id))
        for action in sorted(_actions.values(), key=lambda a: a.order)
        if may(action.capability)
        and (has_open_stay or not action.needs_open_stay)
        and status not in action.hidden_in_status
    ]
