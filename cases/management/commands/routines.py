"""`manage.py routines`: every declared routine as a lawyer or a new developer can read it."""

from django.core.management.base import BaseCommand
from django.utils import translation

from cases import routines
from cases.routines import Notice, Routine, Step


def _channels(notice: Notice) -> str:
    return ", ".join(sorted(notice.channels))


def _basis(notice: Notice) -> str:
    if callable(notice.legal_basis):
        doc = (notice.legal_basis.__doc__ or "").strip().splitlines()
        return f"depends on the case ({doc[0] if doc else notice.legal_basis.__name__})"
    codes = (notice.legal_basis,) if isinstance(notice.legal_basis, str) else notice.legal_basis
    return ", ".join(codes)


def notice_lines(notice: Notice) -> list[str]:
    return [
        f"      notice {notice.purpose} on form {notice.template}",
        f"        to: {notice.recipient_label or 'given when sent'}",
        f"        channels: {_channels(notice)}",
        f"        consent: {notice.consent or 'none needed'}",
        f"        legal basis: {_basis(notice)}",
        f"        signed by: {notice.signer}",
    ]


def step_lines(routine: Routine, step: Step) -> list[str]:
    flags = []
    if step.checklist:
        flags.append("required" if step.required else "when called for")
    if step.manual:
        flags.append("ticked by hand")
    if step.needs_attachment:
        flags.append("needs a document")
    lines = [
        f"    {step.code}: {step.label} [{', '.join(step.rule_ids)}]"
        + (f" ({', '.join(flags)})" if flags else ""),
        f"      allowed in: {', '.join(sorted(step.states))}"
        + (f"; moves the case to {step.to}" if step.to else ""),
    ]
    if step.checklist:
        lines.append(f"      recorded on checklist {step.checklist}")
    if step.due is not None:
        repeat = "; opens the next one when met" if step.due.repeat else ""
        lines.append(
            f"      deadline {routine.deadline_kind(step)}: {step.due.describe()}, "
            f"urgency {step.due.urgency}{repeat}"
        )
    for notice in step.notices:
        lines.extend(notice_lines(notice))
    return lines


def routine_lines(routine: Routine) -> list[str]:
    lines = [f"Routine {routine.name}: {routine.label} (case: {routine.model})", "  states:"]
    for value, label in routine.states:
        targets = sorted(routine.transitions.get(value, ()))
        lines.append(f"    {value} ({label}) -> {', '.join(targets) or 'final'}")
    lines.append("  steps:")
    for step in routine.steps:
        lines.extend(step_lines(routine, step))
    if routine.permissions:
        lines.append(f"  decided by declared rules: {', '.join(sorted(routine.permissions))}")
    return lines


class Command(BaseCommand):
    help = "Print every routine: states, transitions, steps, deadlines and notices."

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", help="Only these routines.")

    def handle(self, *args, names=(), **options):
        with translation.override("en"):
            chosen = [r for r in routines.all_routines() if not names or r.name in names]
            for routine in chosen:
                self.stdout.write("\n".join(routine_lines(routine)) + "\n\n")
