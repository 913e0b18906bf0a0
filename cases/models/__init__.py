"""Models of the case engine, one module per part."""

from .audit import ReadLog, TimelineEvent
from .checklists import ChecklistStepCompletion
from .consents import Consent
from .deadlines import Deadline, DeadlineAlert
from .dispatches import Dispatch
from .events import CaseEvent
from .legal import LegalReference
from .notifications import Notification
from .retention import DeletionRecord

__all__ = [
    "CaseEvent",
    "ChecklistStepCompletion",
    "Consent",
    "Deadline",
    "DeadlineAlert",
    "DeletionRecord",
    "Dispatch",
    "LegalReference",
    "Notification",
    "ReadLog",
    "TimelineEvent",
]
