"""The production topology as files: docker-compose.yml, the container health check and
gunicorn's access log."""

import os
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SECRETS = {
    "DJANGO_SECRET_KEY": "compose-test-" + "k" * 50,
    "DJANGO_ALLOWED_HOSTS": "em-mottak.example.no",
    "POSTGRES_PASSWORD": "compose-test",
    "REDIS_PASSWORD": "compose-test",
    "SITE_URL": "https://em-mottak.example.no",
}
needs_compose = pytest.mark.skipif(
    shutil.which("docker-compose") is None, reason="docker-compose is not installed"
)


def compose(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in SECRETS}
    return subprocess.run(
        ["docker-compose", "-f", "docker-compose.yml", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@needs_compose
def test_compose_has_web_worker_one_beat_database_and_redis():
    result = compose("config", "--services", env=SECRETS)
    assert result.returncode == 0, result.stderr
    assert set(result.stdout.split()) == {"migrate", "web", "worker", "beat", "db", "redis"}


@needs_compose
@pytest.mark.parametrize("missing", sorted(SECRETS))
def test_compose_refuses_to_start_without_each_secret(missing):
    env = {k: v for k, v in SECRETS.items() if k != missing}
    result = compose("config", "-q", env=env)
    assert result.returncode != 0
    assert f"set {missing}" in result.stderr


@pytest.mark.django_db(transaction=True)
def test_container_health_check_passes_against_a_running_server(live_server):
    result = subprocess.run(
        [sys.executable, "config/healthcheck.py"],
        cwd=ROOT,
        env={**os.environ, "HEALTHCHECK_URL": f"{live_server.url}/healthz"},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_container_health_check_fails_when_nothing_answers():
    result = subprocess.run(
        [sys.executable, "config/healthcheck.py"],
        cwd=ROOT,
        env={**os.environ, "HEALTHCHECK_URL": "http://127.0.0.1:9/healthz"},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1


def test_gunicorn_access_log_leaves_out_query_strings():
    conf = runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))
    log_format = conf["access_log_format"]
    assert "%(U)s" in log_format
    assert not {"%(r)s", "%(q)s", "%(u)s"} & {part for part in log_format.split() if "%(" in part}
