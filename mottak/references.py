"""The legal references mottak's notices cite (R-22), and those more than one routine cites,
registered once by the lowest app that uses them: the duty to report to child welfare is cited
by the missing routine's concern reports (SAV-4, SAV-11), the leave routine's (PERM-4 g) and the
private move's (MOT-5). Registered from MottakConfig.ready(); an administrator records a new
wording from a date in the admin (cases.LegalReference)."""

from cases.legal import ROUTINE, STATUTE, register_reference

CHILD_WELFARE_DUTY = "utlf_17_6"
CHILD_WELFARE_BASIS = (
    "utlendingsforskriften § 17-6 første ledd (opplysningsplikt uten hinder av taushetsplikt)"
)
ROUTINE_ARRIVAL = "em_routines_1_1"
ROUTINE_TURNING_18 = "em_routines_1_3"

_ROUTINES = "UDIs rutiner for asylmottak med enslige mindreårige"


def register() -> None:
    register_reference(CHILD_WELFARE_DUTY, STATUTE, CHILD_WELFARE_BASIS)
    register_reference(ROUTINE_ARRIVAL, ROUTINE, f"{_ROUTINES}, punkt 1.1 (ankomst)")
    register_reference(
        ROUTINE_TURNING_18,
        ROUTINE,
        f"{_ROUTINES}, punkt 1.3 (når den enslige mindreårige fyller 18 år)",
    )
