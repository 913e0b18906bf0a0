"""Models of the case engine, one module per part."""

from .audit import ReadLog, TimelineEvent
from .checklists import ChecklistStepCompletion
from .consents import Consent
from .dispatches import Dispatch

__all__ = ["ChecklistStepCompletion", "Consent", "Dispatch", "ReadLog", "TimelineEvent"]
