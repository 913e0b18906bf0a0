"""Gunicorn for the web service; every knob from the environment."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 8)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow for weeks.
max_requests = 1000
max_requests_jitter = 100
# Addresses allowed to set X-Forwarded-Proto/-For: the TLS-terminating proxy in front.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# The path without the query string: a search may carry a name, and names stay out of logs.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'
# Header limits, explicit (gunicorn's defaults). Gunicorn has no body limit: the body is capped
# before it is read by config.request_limits (REQUEST_MAX_BODY_BYTES, 11 MB), and the reverse
# proxy in front should refuse the same (nginx: client_max_body_size 11m).
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
