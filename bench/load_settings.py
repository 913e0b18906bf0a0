"""The production settings as `bench/load_test.py` runs them: plain HTTP on loopback.

In production a TLS proxy sits in front, so the cookies are Secure and carry the __Host-
prefix; a load generator talking plain HTTP to gunicorn could not send them back. Only those
cookie and redirect settings differ here; everything else (cached templates, DEBUG off,
WhiteNoise's manifest, the middleware stack) is production's.
"""

from config.settings.production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
SESSION_COOKIE_NAME = "sessionid"
CSRF_COOKIE_NAME = "csrftoken"
