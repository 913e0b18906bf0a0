"""mottak's records, one module per area; every model is importable as `mottak.models.X`."""

from .access_audit import AccessChange
from .arrival import Arrival
from .asylum import AsylumStageChange, SesamNotice
from .core import (
    CENTRE_ROLES,
    FINAL_REJECTION_STAGES,
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
from .folders import (
    DocumentCategory,
    Folder,
    FolderHandOver,
    FolderItem,
    FolderKind,
    KeyWorker,
    StandardContent,
)
from .moves import ConditionStatus, Departure, Move, MoveHandoverItem, PrivateMove
from .places import Municipality
from .presence import CheckKind, Outing, PresenceCheck, PresenceCheckTime, PresenceMark
from .representative import (
    ACTING_STATUSES,
    RepresentativeRecord,
    RepresentativeStatus,
)
from .turning18 import TurningEighteen

__all__ = [
    "AccessChange",
    "ACTING_STATUSES",
    "Arrival",
    "AsylumStageChange",
    "Municipality",
    "RepresentativeRecord",
    "RepresentativeStatus",
    "SesamNotice",
    "TurningEighteen",
    "CENTRE_ROLES",
    "FINAL_REJECTION_STAGES",
    "REGION_ROLES",
    "RETURN_STAGES",
    "Appointment",
    "AsylumStage",
    "CheckKind",
    "DocumentCategory",
    "Centre",
    "ConditionStatus",
    "Departure",
    "CentreGroupObjectPermission",
    "CentreUserObjectPermission",
    "ExternalRecipient",
    "Folder",
    "FolderHandOver",
    "FolderItem",
    "FolderKind",
    "KeyWorker",
    "Outing",
    "PresenceCheck",
    "PresenceCheckTime",
    "PresenceMark",
    "Move",
    "MoveHandoverItem",
    "PrivateMove",
    "Region",
    "RegionGroupObjectPermission",
    "RegionUserObjectPermission",
    "Resident",
    "Role",
    "StandardContent",
    "Stay",
    "User",
]
