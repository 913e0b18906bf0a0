"""The legal references mottak's notices cite (R-22): the routine's points after "Jf.".
Registered from MottakConfig.ready(); an administrator records a new wording from a date in
the admin (cases.LegalReference)."""

from cases.legal import ROUTINE, register_reference

ROUTINE_ARRIVAL = "em_routines_1_1"
ROUTINE_TURNING_18 = "em_routines_1_3"

_ROUTINES = "UDIs rutiner for asylmottak med enslige mindreårige"


def register() -> None:
    register_reference(ROUTINE_ARRIVAL, ROUTINE, f"{_ROUTINES}, punkt 1.1 (ankomst)")
    register_reference(
        ROUTINE_TURNING_18,
        ROUTINE,
        f"{_ROUTINES}, punkt 1.3 (når den enslige mindreårige fyller 18 år)",
    )
