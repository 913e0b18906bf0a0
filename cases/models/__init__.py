"""Models of the case engine, one module per part."""

from .audit import ReadLog, TimelineEvent
from .dispatches import Dispatch

__all__ = ["Dispatch", "ReadLog", "TimelineEvent"]
