"""Legal references more than one routine cites (R-22), registered once by the lowest app that
uses them: the duty to report to child welfare is cited by the missing routine's concern
reports (SAV-4, SAV-11), the leave routine's (PERM-4 g) and the private move's (MOT-5).
Registered from MottakConfig.ready(); an administrator records a new wording from a date."""

from cases.legal import STATUTE, register_reference

CHILD_WELFARE_DUTY = "utlf_17_6"
CHILD_WELFARE_BASIS = (
    "utlendingsforskriften § 17-6 første ledd (opplysningsplikt uten hinder av taushetsplikt)"
)


def register() -> None:
    register_reference(CHILD_WELFARE_DUTY, STATUTE, CHILD_WELFARE_BASIS)
