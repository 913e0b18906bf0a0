"""The embedded default: SQLite and the filesystem broker, for `make run`."""

from .base import *  # noqa: F403

DEBUG = True
