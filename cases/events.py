"""Handlers of life events (cases.models.CaseEvent), by kind (P9).

The app where something happens publishes a row in the transaction of the change
(`cases.services.events.case_event_publish`); apps that must react register a handler from
their `AppConfig.ready()`, in one visible place per app (`<app>/handlers.py`):

    register_event_handler(STAY_ENDED, "permisjon.review_leave", _review_leave)

The drain (`case_events_drain`, beat every minute) calls `func(event)` once per (event,
handler name), in a savepoint of its own, and records the success on the row; a handler that
fails is retried later with back-off, without re-running the handlers that succeeded and
without holding up other events. Delivery is at least once: handlers are idempotent.
"""

from collections.abc import Callable

from .registry import register_once

EventHandler = Callable[..., object]

_handlers: dict[str, dict[str, EventHandler]] = {}


def register_event_handler(kind: str, name: str, func: EventHandler) -> EventHandler:
    """Register `func` under `name` for events of `kind` (idempotent for the same function).
    The name is what the event row records, so keep it stable."""
    return register_once(_handlers.setdefault(kind, {}), name, func, what=f"{kind} handler")


def handlers_for(kind: str) -> list[tuple[str, EventHandler]]:
    """The handlers of a kind, in the order they were registered."""
    return list(_handlers.get(kind, {}).items())
