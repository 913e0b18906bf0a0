"""Thin tasks: a service call."""

from celery import shared_task

from . import services


@shared_task(name="mottak.publish_turned_18", ignore_result=True, time_limit=600)
def publish_turned_18() -> int:
    """Daily: residents six weeks from 18 get the turning-18 task (R-9); residents who have
    turned 18 get one TURNED_18 life event (idempotent)."""
    services.residents_turning_18_open()
    return services.residents_turned_18_publish()
