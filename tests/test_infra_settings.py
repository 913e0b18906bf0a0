"""Production settings: refuse to start without secrets, pass `check --deploy`, keep the
login hardening (lockout, 30-minute idle timeout) of the base settings."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.test import RequestFactory, override_settings

from config.client_ip import client_ip

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "x" * 20 + "-not-a-real-secret-only-for-checking-settings-0123456789",
    "DJANGO_ALLOWED_HOSTS": "em-mottak.example.no",
    "DATABASE_URL": "postgres://em:secret@db.invalid:5432/em",
    "CELERY_BROKER_URL": "redis://redis.invalid:6379/0",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # The test settings relax async safety for the browser tests; production must not inherit that.
    dropped = {*PRODUCTION_ENV, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_settings(*names: str) -> dict:
    code = "from django.conf import settings; import json; print(json.dumps({n: getattr(settings, n) for n in %r}, default=str))"
    result = run_manage("shell", "-c", code % (names,), env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_pass_check_deploy():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_keeps_login_hardening_and_secure_cookies():
    values = production_settings(
        "AXES_FAILURE_LIMIT",
        "AXES_COOLOFF_TIME",
        "SESSION_COOKIE_AGE",
        "SESSION_SAVE_EVERY_REQUEST",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "DEBUG",
        "CELERY_BROKER_URL",
        "MIDDLEWARE",
        "AUTHENTICATION_BACKENDS",
    )
    assert values["AXES_FAILURE_LIMIT"] == 5 and values["AXES_COOLOFF_TIME"]
    # The idle timeout is renewed by a middleware at most once a minute, not by a save on
    # every request (mottak/tests/test_views.py tests the renewal itself).
    assert values["SESSION_COOKIE_AGE"] == 30 * 60 and not values["SESSION_SAVE_EVERY_REQUEST"]
    assert "config.session_renewal.IdleSessionRenewalMiddleware" in values["MIDDLEWARE"]
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_SSL_REDIRECT"] and values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["DEBUG"] is False
    assert values["CELERY_BROKER_URL"].startswith("redis://")
    assert "axes.middleware.AxesMiddleware" in values["MIDDLEWARE"]
    assert values["AUTHENTICATION_BACKENDS"][0].startswith("axes.")


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_lockout_address_is_the_one_the_trusted_proxy_saw():
    request = RequestFactory().get(
        "/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9", REMOTE_ADDR="10.0.0.2"
    )
    assert client_ip(request) == "203.0.113.9"


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_lockout_address_ignores_forwarded_for_without_trusted_proxies():
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="6.6.6.6", REMOTE_ADDR="10.0.0.2")
    assert client_ip(request) == "10.0.0.2"
