"""Models of the case engine, one module per part."""

from .audit import ReadLog, TimelineEvent

__all__ = ["ReadLog", "TimelineEvent"]
