"""mottak's records, one module per area; every model is importable as `mottak.models.X`."""

from .core import (
    CENTRE_ROLES,
    REGION_ROLES,
    RETURN_STAGES,
    Appointment,
    AsylumStage,
    Centre,
    CentreGroupObjectPermission,
    CentreUserObjectPermission,
    ExternalRecipient,
    Region,
    RegionGroupObjectPermission,
    RegionUserObjectPermission,
    Resident,
    Role,
    Stay,
    User,
)

__all__ = [
    "CENTRE_ROLES",
    "REGION_ROLES",
    "RETURN_STAGES",
    "Appointment",
    "AsylumStage",
    "Centre",
    "CentreGroupObjectPermission",
    "CentreUserObjectPermission",
    "ExternalRecipient",
    "Region",
    "RegionGroupObjectPermission",
    "RegionUserObjectPermission",
    "Resident",
    "Role",
    "Stay",
    "User",
]
