"""Container health check of the web service: GET /healthz on the local server.

Runs without Django (`python config/healthcheck.py`). It sends an allowed host name and
X-Forwarded-Proto, so neither ALLOWED_HOSTS nor the HTTPS redirect gets in the way.
Exit status 0 when healthy.
"""

import os
import sys
import urllib.error
import urllib.request


def probe_host() -> str:
    first = os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",")[0].strip()
    host = first.lstrip(".")  # ".example.no" allows example.no itself
    return host if host and host != "*" else "localhost"


def main() -> int:
    url = os.environ.get("HEALTHCHECK_URL", "http://127.0.0.1:8000/healthz")
    request = urllib.request.Request(
        url, headers={"Host": probe_host(), "X-Forwarded-Proto": "https"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            healthy = response.status == 200 and response.read().strip() == b"ok"
    except (urllib.error.URLError, OSError) as error:
        print(f"unhealthy: {error}", file=sys.stderr)
        return 1
    print("ok" if healthy else "unhealthy")
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
