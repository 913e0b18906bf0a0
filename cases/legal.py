"""Legal references printed on outgoing forms (R-22), as dated reference data.

A routine app registers the references its notices cite, each with the wording in force when
the system was set up; an administrator records a new wording from a date in the admin
(cases.LegalReference), and every notice made from that date prints it. A form says
"Hjemmel:" for statutes only and "Jf." for the routines, agreements and circulars it follows.

    register_reference("fvl_13b_5", STATUTE, "forvaltningsloven § 13 b første ledd nr. 5")
    Notice(..., legal_basis=("fvl_13b_5", "em_routines_3_1_3"))
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .registry import register_once

STATUTE = "statute"
ROUTINE = "routine"
KINDS = (
    (STATUTE, gettext_lazy("Statute or regulation (printed after “Hjemmel:”)")),
    (ROUTINE, gettext_lazy("Routine, agreement or circular (printed after “Jf.”)")),
)


@dataclass(frozen=True)
class Reference:
    code: str
    kind: str
    text: str


_registered: dict[str, Reference] = {}


def register_reference(code: str, kind: str, text: str) -> Reference:
    """The wording a code has until an administrator records another (idempotent)."""
    if kind not in dict(KINDS):
        raise ValueError(f"Unknown kind of legal reference {kind!r}.")
    return register_once(_registered, code, Reference(code, kind, text), what="legal reference")


def registered_codes() -> list[str]:
    return sorted(_registered)


def is_code(value) -> bool:
    return isinstance(value, str) and value in _registered


@dataclass(frozen=True)
class Citation:
    """What a form prints: statutes after "Hjemmel:", routines after "Jf."."""

    statutes: str
    routines: str


def cite(codes, *, on: date) -> Citation:
    """The wording of each code in force on `on`: the latest administrator's version from that
    date or before, else the registered wording."""
    from .models import LegalReference

    codes = (codes,) if isinstance(codes, str) else tuple(codes)
    unknown = [c for c in codes if c not in _registered]
    if unknown:
        raise ValidationError(
            _("Unknown legal reference: %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    edited = {}
    for row in LegalReference.objects.filter(code__in=codes, valid_from__lte=on).order_by(
        "valid_from", "pk"
    ):
        edited[row.code] = Reference(row.code, row.kind, row.text)
    texts = {STATUTE: [], ROUTINE: []}
    for code in codes:
        reference = edited.get(code, _registered[code])
        texts[reference.kind].append(reference.text)
    return Citation(statutes="; ".join(texts[STATUTE]), routines="; ".join(texts[ROUTINE]))
