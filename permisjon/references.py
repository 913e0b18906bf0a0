"""The legal references the leave routine's notices cite (R-22): the routine's points, printed
after "Jf.". Registered from PermisjonConfig.ready(); an administrator records a new wording
from a date in the admin (cases.LegalReference)."""

from cases.legal import ROUTINE, register_reference

APPLICATION = "em_routines_2_1"
AGREEMENT = "em_routines_2_2_a"
REPRESENTATIVE = "em_routines_2_2_b"
PREPARATION = "em_routines_2_1_2"

_ROUTINES = "UDIs rutiner for asylmottak med enslige mindreårige"


def register() -> None:
    register_reference(APPLICATION, ROUTINE, f"{_ROUTINES}, punkt 2.1 (søknad om permisjon)")
    register_reference(AGREEMENT, ROUTINE, f"{_ROUTINES}, punkt 2.2 a (avtale om permisjon)")
    register_reference(
        REPRESENTATIVE, ROUTINE, f"{_ROUTINES}, punkt 2.2 b (melding til representant)"
    )
    register_reference(
        PREPARATION, ROUTINE, f"{_ROUTINES}, punkt 2.1.2 g (asylmottakets forarbeid)"
    )
