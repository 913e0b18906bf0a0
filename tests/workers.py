"""Start and stop real background processes for integration tests: a throwaway Redis server
and a Celery worker with embedded beat. Every process is started in its own session and
stopped by its own id, so a test never touches services it did not start.

Usage (see tests/test_worker_redis.py):

    with RedisServer() as redis, CeleryWorker(broker_url=redis.url, log_path=...) as worker:
        ...
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port that nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, *, timeout: float, interval: float = 0.5, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise TimeoutError(f"{what} not reached within {timeout:.0f} s")


def _stop(process: subprocess.Popen | None, *, timeout: float = 20) -> None:
    """Stop a process we started (and its children, which share its session) by its id."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def database_url() -> str:
    """The URL of the database the tests run on (inside a test: the test database)."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise RuntimeError("A separate worker process needs a shared database server.")
    auth = db.get("USER") or ""
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    host = f"{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
    return f"postgres://{auth + '@' if auth else ''}{host}/{db['NAME']}"


class RedisServer:
    """A throwaway redis-server on its own port, without persistence; stop() and start()
    again on the same port simulate an outage of the broker."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> "RedisServer":
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--daemonize", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_until(self.ping, timeout=15, interval=0.1, what="redis-server answering PING")
        return self

    def stop(self) -> None:
        _stop(self.process)
        self.process = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


class CeleryWorker:
    """`celery -A config worker -B` with the database scheduler and one process."""

    def __init__(
        self,
        *,
        broker_url: str,
        log_path: Path,
        database: str | None = None,
        beat: bool = True,
        settings_module: str = "config.settings.test",
        extra_env: dict | None = None,
    ):
        self.broker_url = broker_url
        self.database = database or database_url()
        self.log_path = Path(log_path)
        self.beat = beat
        self.settings_module = settings_module
        self.extra_env = extra_env or {}
        self.process: subprocess.Popen | None = None
        self._log = None

    def start(self, *, ready_timeout: float = 90) -> "CeleryWorker":
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": self.settings_module,
            "DATABASE_URL": self.database,
            "CELERY_BROKER_URL": self.broker_url,
            # The test machines run as root; the worker refuses that unless told.
            "C_FORCE_ROOT": "1",
            "PYTHONUNBUFFERED": "1",
            **self.extra_env,
        }
        command = [sys.executable, "-m", "celery", "-A", "config", "worker"]
        command += ["--concurrency", "1", "-l", "info", "-n", f"test-{os.getpid()}@%h"]
        command += ["--without-gossip", "--without-mingle"]
        if self.beat:
            command += ["-B", "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler"]
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until(
            lambda: self.process.poll() is not None or b" ready." in self.log_path.read_bytes(),
            timeout=ready_timeout,
            what="celery worker ready",
        )
        if self.process.poll() is not None:
            raise RuntimeError(f"celery worker exited early:\n{self.log()}")
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        _stop(self.process, timeout=30)
        self.process = None
        if self._log:
            self._log.close()
            self._log = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
