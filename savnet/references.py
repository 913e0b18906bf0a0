"""The legal references the missing routine's notices cite (R-22): statutes after "Hjemmel:",
the routine's points after "Jf.". Registered from SavnetConfig.ready(); an administrator
records a new wording from a date in the admin (cases.LegalReference)."""

from cases.legal import ROUTINE, STATUTE, register_reference
from mottak.references import CHILD_WELFARE_DUTY as CHILD_WELFARE_DUTY  # cited by the reports

from . import rules

DISCLOSURE_MUNICIPAL = "fvl_13b_5"
DISCLOSURE_PRIVATE = "udi_operating_agreement"
ROUTINE_REPORTING = "em_routines_3_1_3"
ROUTINE_APPOINTMENTS = "em_routines_3_1_4"
ROUTINE_REGIONAL_OFFICE = "em_routines_3_2"
ROUTINE_RETURN = "em_routines_3_3"

_ROUTINES = "UDIs rutiner for asylmottak med enslige mindreårige"


def register() -> None:
    register_reference(DISCLOSURE_MUNICIPAL, STATUTE, rules.POLICE_BASIS_MUNICIPAL)
    # The operating agreement is a contract, not a statute: cited with "Jf.".
    register_reference(DISCLOSURE_PRIVATE, ROUTINE, rules.POLICE_BASIS_PRIVATE)
    register_reference(
        ROUTINE_REPORTING,
        ROUTINE,
        f"{_ROUTINES}, punkt 3.1.3 (varsling av politi, barnevern, representant og advokat)",
    )
    register_reference(
        ROUTINE_APPOINTMENTS, ROUTINE, f"{_ROUTINES}, punkt 3.1.4 (avlysning av avtaler)"
    )
    register_reference(
        ROUTINE_REGIONAL_OFFICE, ROUTINE, f"{_ROUTINES}, punkt 3.2 (melding til UDI)"
    )
    register_reference(
        ROUTINE_RETURN, ROUTINE, f"{_ROUTINES}, punkt 3.3 (når den savnede kommer til rette)"
    )


def disclosure(operator: str) -> str:
    """SAV-3, SAV-7: municipal centres disclose under the statute, private ones under their
    agreement with UDI."""
    rules.disclosure_basis(operator)  # refuses an unknown operator
    return DISCLOSURE_MUNICIPAL if operator == rules.MUNICIPAL else DISCLOSURE_PRIVATE
