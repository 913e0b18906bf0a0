"""A worker killed in the middle of a render: the dispatch ends up rendered exactly once.

Real Celery workers over the real Redis and PostgreSQL. The render is held in a controlled
way: the environment variable CASES_RENDER_TEST_DELAY makes dispatch_render sleep after it
has written the PDF file and before it commits, so the test sees the file appear and kills
the worker inside that window. The killed attempt's transaction rolls back (its row lock
goes with its connection); its file is an orphan that the next attempt removes.

Two ways to die:
- only the pool child is killed: the worker's main process rejects the task with requeue
  (task_acks_late + task_reject_on_worker_lost) and a new child renders it;
- the whole worker is killed (main process and child at once): nothing acknowledges or
  rejects the message; Redis hands it to a new worker after the visibility timeout, which
  this test sets short for its workers.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from cases.models import Dispatch
from cases.services import dispatch_create

pytestmark = [
    pytest.mark.worker,
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql"
        or not str(settings.CELERY_BROKER_URL).startswith("redis"),
        reason="needs PostgreSQL (DATABASE_URL) and a Redis broker (CELERY_BROKER_URL)",
    ),
]

BASE_DIR = Path(settings.BASE_DIR)
QUEUE = settings.CELERY_TASK_ROUTES["cases.render_dispatch"]["queue"]  # where renders go

# Starts a worker whose MEDIA_ROOT and broker visibility timeout come from this test.
WORKER_BOOT = """
import os, django
django.setup()
from django.conf import settings
settings.MEDIA_ROOT = os.environ["RENDER_TEST_MEDIA_ROOT"]
from config.celery import app
app.conf.broker_transport_options = {
    "visibility_timeout": int(os.environ["RENDER_TEST_VISIBILITY_TIMEOUT"]),
    # Sweep for unacknowledged messages every second (the default is about 100 s).
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
app.worker_main([
    "worker", "--pool=prefork", "--concurrency=1", "--loglevel=INFO",
    "--without-gossip", "--without-mingle", "-Q", os.environ["RENDER_TEST_QUEUE"],
    "-n", "render-kill-%d@%%h" % os.getpid(),
])
"""


def _database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def _purge_broker() -> None:
    """This test's Redis database: drop queued and unacknowledged messages of earlier runs."""
    import redis

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    keys = [*client.keys(f"{QUEUE}*"), *client.keys("unacked*")]
    if keys:
        client.delete(*keys)
    client.close()


class Worker:
    def __init__(self, *, log: Path, media_root: Path, delay: float, visibility_timeout: int):
        env = os.environ | {
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": _database_url(),
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "CASES_RENDER_TEST_DELAY": str(delay),
            "RENDER_TEST_MEDIA_ROOT": str(media_root),
            "RENDER_TEST_VISIBILITY_TIMEOUT": str(visibility_timeout),
            "RENDER_TEST_QUEUE": QUEUE,
            "C_FORCE_ROOT": "1",
        }
        self.log = log
        self._log_handle = log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-c", WORKER_BOOT],
            cwd=BASE_DIR,
            env=env,
            stdout=self._log_handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed as one
        )

    def wait_ready(self, timeout: float = 60) -> None:
        _wait_for(lambda: "ready." in self.output(), timeout, "worker never got ready", self)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def pool_children(self) -> list[int]:
        return _children_of(self.process.pid)

    def kill_all(self) -> None:
        """SIGKILL to the main process and its child at once: no one acknowledges anything."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill_all()
        self._log_handle.close()


def _children_of(pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def _wait_for(check, timeout: float, message: str, *workers: Worker):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.05)
    logs = "\n".join(w.output()[-3000:] for w in workers)
    raise AssertionError(f"{message}\n--- worker log ---\n{logs}")


@pytest.fixture
def start_worker(transactional_db, settings, tmp_path):
    started: list[Worker] = []
    media_root = tmp_path / "media"
    settings.MEDIA_ROOT = media_root  # the test reads files where the workers write them
    _purge_broker()

    def start(*, delay: float, visibility_timeout: int = 3600) -> Worker:
        worker = Worker(
            log=tmp_path / f"worker-{len(started) + 1}.log",
            media_root=media_root,
            delay=delay,
            visibility_timeout=visibility_timeout,
        )
        started.append(worker)
        worker.wait_ready()
        return worker

    start.media_root = media_root
    yield start
    for worker in started:
        worker.stop()
    _purge_broker()


def _create_dispatch(resident, staff) -> Dispatch:
    from cases.tests.dispatch_factories import arrival_notice_kwargs

    return dispatch_create(**arrival_notice_kwargs(resident=resident, by=staff))


def _pdf_files(media_root: Path, dispatch: Dispatch) -> list[Path]:
    return sorted((media_root / "dispatches").rglob(f"{dispatch.pk}-*.pdf"))


def _assert_rendered_exactly_once(dispatch: Dispatch, media_root: Path) -> None:
    import hashlib

    dispatch.refresh_from_db()
    assert dispatch.state == Dispatch.State.RENDERED
    assert dispatch.render_count == 1
    assert dispatch.attempts == 1  # the killed attempt rolled back with its transaction
    files = _pdf_files(media_root, dispatch)
    assert [f.name for f in files] == [Path(dispatch.pdf.name).name]
    assert hashlib.sha256(files[0].read_bytes()).hexdigest() == dispatch.sha256
    assert list(dispatch.history.order_by("history_id").values_list("history_type", flat=True)) == [
        "+",
        "~",
    ]


def _state(dispatch: Dispatch) -> str:
    return Dispatch.objects.values_list("state", flat=True).get(pk=dispatch.pk)


def test_x_1_pool_child_killed_mid_render_dispatch_rendered_exactly_once(
    start_worker, resident, staff
):
    worker = start_worker(delay=3)
    dispatch = _create_dispatch(resident, staff)
    media_root = start_worker.media_root

    # Mid-render: the file is written, the transaction not yet committed.
    _wait_for(lambda: _pdf_files(media_root, dispatch), 60, "render never started", worker)
    assert _state(dispatch) == Dispatch.State.QUEUED
    (child,) = worker.pool_children()
    os.kill(child, signal.SIGKILL)

    _wait_for(lambda: _state(dispatch) == Dispatch.State.RENDERED, 90, "never rendered", worker)
    assert worker.process.poll() is None  # the main process lived and requeued the task
    assert child not in worker.pool_children()
    _assert_rendered_exactly_once(dispatch, media_root)
    log = worker.output()
    assert "signal 9 (SIGKILL)" in log
    assert log.count("Task cases.render_dispatch[") == 3  # received, received again, succeeded


def test_x_1_whole_worker_killed_mid_render_new_worker_renders_exactly_once(
    start_worker, resident, staff
):
    first = start_worker(delay=60, visibility_timeout=4)
    dispatch = _create_dispatch(resident, staff)
    media_root = start_worker.media_root

    _wait_for(lambda: _pdf_files(media_root, dispatch), 60, "render never started", first)
    first.kill_all()
    assert _state(dispatch) == Dispatch.State.QUEUED

    # The message was never acknowledged: after the visibility timeout Redis gives it to
    # the new worker, which removes the dead attempt's file and renders once.
    second = start_worker(delay=0, visibility_timeout=4)
    _wait_for(lambda: _state(dispatch) == Dispatch.State.RENDERED, 120, "never rendered", second)
    _assert_rendered_exactly_once(dispatch, media_root)
    assert "succeeded" not in first.output()
    assert "cases.render_dispatch[" in second.output()
