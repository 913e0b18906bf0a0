"""The production topology without Docker: gunicorn, a Celery worker and Celery beat as
processes with the production settings against the real PostgreSQL and Redis.

Runs only when DATABASE_URL and CELERY_BROKER_URL point at PostgreSQL and Redis (as in CI).
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

pytestmark = [
    pytest.mark.worker,
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres")
        or not os.environ.get("CELERY_BROKER_URL", "").startswith("redis"),
        reason="needs DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis)",
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_database_url() -> str:
    """The test database pytest-django created, for the processes started here."""
    d = connection.settings_dict
    auth = quote(d["USER"]) + (f":{quote(d['PASSWORD'])}" if d["PASSWORD"] else "")
    return f"postgres://{auth}@{d['HOST']}:{d['PORT']}/{d['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


def wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def healthz(port: int) -> bytes | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
            return r.read() if r.status == 200 else None
    except OSError:
        return None


@pytest.mark.django_db(transaction=True)
def test_gunicorn_worker_and_beat_run_together_on_postgres_and_redis(tmp_path):
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    queue = f"topology-{uuid.uuid4().hex[:8]}"  # our own queue: other runs share this Redis
    every_second = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(
        name=queue, task="celery.accumulate", interval=every_second, queue=queue, expire_seconds=30
    )
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "topology-test-" + "s" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": test_database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    commands = {
        "web": [BIN / "gunicorn", "-c", "config/gunicorn.conf.py", "-b", f"127.0.0.1:{port}", "-w", "1", "config.wsgi"],
        "worker": [BIN / "celery", "-A", "config", "worker", "-Q", queue, "-c", "1", "-n", f"{queue}@%h", "-l", "INFO"],
        "beat": [BIN / "celery", "-A", "config", "beat", "-l", "INFO", "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler", "-s", str(tmp_path / "beat-schedule"), "--pidfile", str(tmp_path / "beat.pid")],
    }  # fmt: skip
    logs = {name: tmp_path / f"{name}.log" for name in commands}
    processes = {}
    try:
        for name, command in commands.items():
            processes[name] = subprocess.Popen(
                [str(part) for part in command],
                cwd=ROOT,
                env=env,
                stdout=logs[name].open("w"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for(lambda: healthz(port) == b"ok", 60, "gunicorn to answer /healthz")
        # beat puts a built-in task on our queue every second; the worker runs it.
        wait_for(
            lambda: (
                "Task celery.accumulate" in logs["worker"].read_text()
                and "succeeded" in logs["worker"].read_text()
            ),
            90,
            "the worker to run a task sent by beat",
        )
        assert all(p.poll() is None for p in processes.values())
    except AssertionError:
        for name, log in logs.items():
            print(f"--- {name} ---\n{log.read_text()[-3000:]}")
        raise
    finally:
        for process in processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        broker = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])
        broker.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
