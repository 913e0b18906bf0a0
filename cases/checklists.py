"""A declarative way for a routine to name its steps (PERM-4, MOT-3, SAV-3..7 …).

An app declares its checklist once, at import time (e.g. in its apps.py `ready()`):

    PERM_4 = register(ChecklistDefinition(
        name="perm_4_preparation",
        label=_("Preparing a leave"),
        steps=(
            Step("programme_clash", _("Checked clashes with programme and school"), "PERM-4"),
            Step("contact_person_met", _("Met the contact person"), "PERM-4", required=False),
        ),
    ))

Completions are rows (cases.models.ChecklistStepCompletion), written by
cases.services.checklist_step_complete. A routine's steps, with their deadlines, notices and
allowed states, are declared on the routine kernel (cases.routines), which registers their
checklists here.
"""

import re
from dataclasses import dataclass, field

from django.utils.functional import Promise

from .registry import register_once

CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,63}$")


@dataclass(frozen=True)
class Step:
    code: str
    label: str | Promise
    rule_id: str = ""
    required: bool = True
    # True when a person may tick the step on the checklist page. By default only the
    # routine's own work records a step (sending the police report completes "police" and
    # meets its deadline), so a step and its deadline cannot drift apart.
    manual: bool = False


@dataclass(frozen=True)
class ChecklistDefinition:
    name: str
    label: str | Promise
    steps: tuple[Step, ...]
    _by_code: dict = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self):
        if not CODE_PATTERN.match(self.name):
            raise ValueError(f"Checklist name {self.name!r} is not a lower-case code.")
        if not self.steps:
            raise ValueError(f"Checklist {self.name!r} has no steps.")
        by_code = {}
        for step in self.steps:
            if not CODE_PATTERN.match(step.code):
                raise ValueError(f"Step code {step.code!r} is not a lower-case code.")
            if step.code in by_code:
                raise ValueError(f"Step code {step.code!r} appears twice in {self.name!r}.")
            by_code[step.code] = step
        object.__setattr__(self, "steps", tuple(self.steps))
        object.__setattr__(self, "_by_code", by_code)

    def step(self, code: str) -> Step | None:
        return self._by_code.get(code)

    @property
    def required_steps(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.required)


class UnknownChecklist(LookupError):
    pass


_registry: dict[str, ChecklistDefinition] = {}


def register(definition: ChecklistDefinition) -> ChecklistDefinition:
    """Add a definition; registering the same definition again is harmless, a different one with
    the same name is a programming error."""
    return register_once(_registry, definition.name, definition, what="checklist")


def unregister(name: str) -> None:
    _registry.pop(name, None)


def get(name: str) -> ChecklistDefinition:
    try:
        return _registry[name]
    except KeyError:
        raise UnknownChecklist(name) from None


def all_definitions() -> list[ChecklistDefinition]:
    return sorted(_registry.values(), key=lambda d: d.name)
