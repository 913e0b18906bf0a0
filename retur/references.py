"""The legal references the return routine's documents cite (R-22), registered from
ReturConfig.ready(); an administrator records a new wording from a date."""

from cases.legal import ROUTINE, register_reference

ROUTINE_RETURN = "em_routines_5"


def register() -> None:
    register_reference(
        ROUTINE_RETURN,
        ROUTINE,
        "UDIs rutiner for asylmottak med enslige mindreårige, punkt 5 (returarbeid)",
    )
