"""Tests: SQLite with eager Celery unless DATABASE_URL and CELERY_BROKER_URL point at real services."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
# live_server wraps the app in a media-file handler that needs a URL prefix (None crashes it,
# "" would swallow every path). Nothing outside the test server serves this prefix.
MEDIA_URL = "/test-media/"
# Eager Celery on the embedded default; a real broker when CI gives one.
CELERY_TASK_ALWAYS_EAGER = not os.environ.get("CELERY_BROKER_URL")
AXES_ENABLED = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# WhiteNoise warns on every request when the collected-static folder is missing.
os.makedirs(BASE_DIR / "var" / "static", exist_ok=True)
