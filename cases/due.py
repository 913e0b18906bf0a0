"""On-due handlers of deadlines, by kind (X-5, P8).

Some time limits ask the system, not a person, to act when they fall due: a leave whose
agreed return has passed becomes "not back on time" (PERM-6). The app that owns such a kind
registers a handler from its `AppConfig.ready()`:

    register_due_handler("leave_return_due", _leave_return_due)

and the deadline sweep (cases.services.deadlines) calls it once the row's due time has passed,
inside the savepoint that holds the row's lock, as `handler(deadline, now=now)`. The sweep then
closes the row as met by the system (state "met", no person in `met_by`, timeline kind
"deadline_handled") instead of escalating it as missed: the handler is the work the deadline
asked for. A handler must be idempotent (the sweep may call it again after a failure or a
crash after its commit) and must act through the owning app's services; it gets the deadline
row, whose `object_id` names the case. An exception fails only this row: it is recorded
(failure_count, last_error), the row stays open and is tried again with back-off.

No person is reminded or alerted about a handled kind: its reminders and escalations are the
handler's business (e.g. the late-return deadline it opens).
"""

from collections.abc import Callable

from .registry import register_once

DueHandler = Callable[..., object]

_handlers: dict[str, DueHandler] = {}


def register_due_handler(kind: str, func: DueHandler) -> DueHandler:
    """Register `func` for deadlines of `kind` (idempotent for the same function)."""
    return register_once(_handlers, kind, func, what="on-due handler")


def due_handler(kind: str) -> DueHandler | None:
    return _handlers.get(kind)


def handled_kinds() -> frozenset[str]:
    return frozenset(_handlers)
