"""Models of the case engine, one module per part."""

from .audit import ReadLog, TimelineEvent
from .checklists import ChecklistStepCompletion
from .consents import Consent

__all__ = ["ChecklistStepCompletion", "Consent", "ReadLog", "TimelineEvent"]
