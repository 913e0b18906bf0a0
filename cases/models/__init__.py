"""Models of the case engine, one module per part."""

from .audit import ReadLog, TimelineEvent
from .deadlines import Deadline, DeadlineAlert
from .notifications import Notification

__all__ = ["Deadline", "DeadlineAlert", "Notification", "ReadLog", "TimelineEvent"]
