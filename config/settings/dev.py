"""The embedded default: SQLite and the filesystem broker, for `make run`."""

from .base import *  # noqa: F403
from .base import DATABASES

DEBUG = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server, the worker and the embedded beat write to the same file: let readers
    # go on while one writes (WAL), take the write lock up front and wait for it.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
