"""Celery tasks of the dispatches: ids in, one service call."""

from celery import shared_task

from .services.dispatches import (
    AUTOMATIC_ATTEMPTS,
    DispatchRenderError,
    dispatch_render,
    dispatches_requeue_stale,
)


@shared_task(
    name="cases.render_dispatch",
    acks_late=True,
    autoretry_for=(DispatchRenderError,),
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=AUTOMATIC_ATTEMPTS - 1,
)
def render_dispatch(dispatch_id: int) -> None:
    dispatch_render(dispatch_id=dispatch_id)


@shared_task(name="cases.requeue_stale_dispatches", acks_late=True, expires=50)
def requeue_stale_dispatches() -> int:
    return dispatches_requeue_stale()
