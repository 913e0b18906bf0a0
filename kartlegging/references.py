"""The legal references the mapping routine's transfers cite (R-22): the routine's points
after "Jf." Registered from KartleggingConfig.ready(); an administrator records a new wording
from a date in the admin (cases.LegalReference)."""

from cases.legal import ROUTINE, register_reference

ROUTINE_TRANSFER = "em_routines_4_1_1_j_l"
ROUTINE_DATA = "em_routines_4_1_2"

_ROUTINES = "UDIs rutiner for asylmottak med enslige mindreårige"


def register() -> None:
    register_reference(
        ROUTINE_TRANSFER,
        ROUTINE,
        f"{_ROUTINES}, punkt 4.1.1 j–l (kartlegging og tiltaksplan ved vedtak)",
    )
    register_reference(
        ROUTINE_DATA, ROUTINE, f"{_ROUTINES}, punkt 4.1.2 (behandling av personopplysninger)"
    )
