"""Rendering and the clocks run on queues of their own, so each can be given workers of its own
(docs/scaling.md); a worker started without --queues still consumes every queue."""

from django.conf import settings

from config.celery import app


def queue_of(task_name: str) -> str:
    return app.amqp.router.route({}, task_name, (), {})["queue"].name


def project_tasks() -> set[str]:
    app.loader.import_default_modules()
    return {name for name in app.tasks if not name.startswith("celery.")}


def test_notices_are_rendered_on_the_render_queue():
    assert queue_of("cases.render_dispatch") == "render"


def test_the_clocks_run_on_the_sweep_queue():
    for name in ("cases.sweep_deadlines", "cases.drain_case_events"):
        assert queue_of(name) == "sweep"


def test_the_stale_render_requeue_is_not_behind_the_renders_it_rescues():
    assert queue_of("cases.requeue_stale_dispatches") == "sweep"


def test_every_project_task_has_a_declared_queue():
    routed = set(settings.RENDER_TASKS) | set(settings.CLOCK_TASKS)
    assert project_tasks() == routed


def test_a_worker_without_queue_options_consumes_all_three():
    assert set(app.amqp.queues) == {"celery", "render", "sweep"}
