"""Celery tasks of the case engine; the parts' modules are imported so the worker finds them."""

from .tasks_dispatch import render_dispatch, requeue_stale_dispatches  # noqa: F401
