"""Load test: 50 staff users against the production topology on this machine.

Starts gunicorn with the production settings (bench/load_settings.py: plain-HTTP cookies only),
a Celery worker and beat on PostgreSQL and Redis with the 10,000 residents of
residents_bench.py, then runs Locust (bench/locustfile.py) twice:

1. one user without think time for a minute: the single-user median of each page;
2. N users (default 50) with 1-3 s think time for M minutes (default 5).

It prints p50/p95/p99 per page, failures, throughput and p95 ÷ the single-user median
(goal: 0 errors, p95 within 5x). Server errors are counted from gunicorn's access log too.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/em_bench \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/9 \\
        .venv/bin/python bench/load_test.py [--users 50] [--minutes 5]
"""

import argparse
import csv
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

PASSWORD = "bench-pw-123!"
FRESH_PER_USER = 20  # residents each user may record an absence for (once each)
PAGES = [
    "start page",
    "resident list",
    "DUF search",
    "resident page",
    "missing: form",
    "missing: record absence",
    "missing reports",
    "notice PDF",
    "login",
    "second factor",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(users: int, workdir: Path) -> dict:
    """Seed (once), then users with fresh codes, residents to browse and rendered notices."""
    import django

    django.setup()
    import residents_bench
    from django.core.management import call_command

    if os.environ["DATABASE_URL"].startswith("postgres"):
        residents_bench.ensure_postgres_database(os.environ["DATABASE_URL"])
    call_command("migrate", verbosity=0)
    call_command("setup_schedules", verbosity=0)  # beat's sweeps, as a deployment has them
    residents_bench.seed()
    plans = [_user_plan(index) for index in range(users + 1)]
    return {"password": PASSWORD, "users": plans}


def _user_plan(index: int) -> dict:
    from django.utils import timezone
    from django_otp.plugins.otp_static.models import StaticDevice

    from mottak.models import Centre, Resident, Role, User
    from mottak.services.memberships import centre_membership_grant

    centre = Centre.objects.filter(name__startswith="Benk-mottak").order_by("name")[index % 100]
    user, created = User.objects.get_or_create(
        username=f"bench-load-{index:03d}", defaults={"role": Role.CENTRE_STAFF}
    )
    if created:
        user.set_password(PASSWORD)
        user.save()
        centre_membership_grant(user=user, centre=centre)
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="bench codes", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [secrets.token_hex(4) for _ in range(3)]
    for code in codes:
        device.token_set.create(token=code)
    residents = Resident.objects.filter(centre=centre).order_by("pk")
    # The missing routine is for minors: the fresh ones are under 18 and have no report yet.
    adult_born_by = timezone.localdate().replace(year=timezone.localdate().year - 18)
    free = residents.filter(missing_reports__isnull=True, date_of_birth__gt=adult_born_by)
    fresh = list(free.values_list("pk", flat=True)[:FRESH_PER_USER])
    browse = list(residents.exclude(pk__in=fresh).values_list("pk", "duf_number"))
    return {
        "username": user.username,
        "codes": codes,
        "residents": [pk for pk, _ in browse],
        "duf_numbers": [duf for _, duf in browse],
        "fresh_residents": fresh,
        "dispatches": _rendered_notices(user, browse[:3]),
    }


def _rendered_notices(user, residents) -> list[int]:
    """One arrival notice per resident, rendered here so the PDFs exist before the load."""
    from django.contrib.contenttypes.models import ContentType

    from cases.models import Dispatch
    from cases.services import dispatch_create
    from cases.services.dispatches import dispatch_render
    from cases.tests.dispatch_factories import arrival_notice_kwargs
    from mottak.models import Resident

    ids = []
    about_residents = ContentType.objects.get_for_model(Resident)
    for pk, _ in residents:
        resident = Resident.objects.get(pk=pk)
        existing = Dispatch.objects.filter(
            subject_ct=about_residents, subject_id=pk, purpose="arrival_notice"
        ).first()
        if existing is None:
            existing = dispatch_create(**arrival_notice_kwargs(resident=resident, by=user))
            dispatch_render(dispatch_id=existing.pk)
        ids.append(existing.pk)
    return ids


def start_servers(workdir: Path, port: int, *, web_workers: int | None = None, workers=(("worker", "", 2),)) -> dict:  # fmt: skip
    """gunicorn (its configured worker count unless given), Celery workers as (name, queues or
    "" for all, processes), and one beat, with the production settings."""
    env = {
        **os.environ,
        "PYTHONPATH": f"{BENCH}:{ROOT}",
        "DJANGO_SETTINGS_MODULE": "load_settings",
        "DJANGO_SECRET_KEY": "load-test-" + "k" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_CONN_MAX_AGE": "60",
    }
    if web_workers:
        env["GUNICORN_WORKERS"] = str(web_workers)
    subprocess.run(
        [BIN / "python", "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    commands = {
        "web": [BIN / "gunicorn", "-c", "config/gunicorn.conf.py", "-b", f"127.0.0.1:{port}", "config.wsgi"],
        "beat": [BIN / "celery", "-A", "config", "beat", "-l", "INFO", "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler", "-s", str(workdir / "beat-schedule")],
    }  # fmt: skip
    for name, queues, concurrency in workers:
        commands[name] = [BIN / "celery", "-A", "config", "worker", "-c", str(concurrency), "-l", "INFO", "-n", f"{name}-{port}@%h"]  # fmt: skip
        if queues:
            commands[name] += ["-Q", queues]
    processes = {}
    for name, command in commands.items():
        processes[name] = subprocess.Popen(
            [str(part) for part in command],
            cwd=ROOT,
            env=env,
            stdout=(workdir / f"{name}.log").open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return processes
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer /healthz")


def stop_servers(processes: dict) -> None:
    for process in processes.values():
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes.values():
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def run_locust(plan: dict, workdir: Path, port: int, *, name: str, users: int, seconds: int, wait: bool) -> dict:  # fmt: skip
    plan_file = workdir / f"{name}-plan.json"
    plan_file.write_text(json.dumps(plan))
    env = {**os.environ, "LOAD_PLAN": str(plan_file)}
    if not wait:
        env["LOAD_NO_THINK_TIME"] = "1"
    subprocess.run(
        [BIN / "locust", "-f", BENCH / "locustfile.py", "--headless", "--only-summary",
         "-u", str(users), "-r", str(min(users, 5)), "-t", f"{seconds}s",
         "--host", f"http://127.0.0.1:{port}", "--csv", workdir / name],
        cwd=ROOT, env=env, check=False,
        stdout=(workdir / f"{name}-locust.log").open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    with (workdir / f"{name}_stats.csv").open() as f:
        return {row["Name"]: row for row in csv.DictReader(f)}


def server_errors(workdir: Path) -> int:
    log = (workdir / "web.log").read_text(errors="replace")
    return len(re.findall(r'" 5\d\d ', log))


def report(single: dict, load: dict, users: int, seconds: int, errors_5xx: int) -> None:
    print(f"\n{users} users for {seconds // 60} min, 1-3 s think time; times in ms\n")
    print(f"{'page':26} {'requests':>8} {'fail':>5} {'p50':>6} {'p95':>6} {'p99':>6} {'1-user p50':>10} {'p95/1-user':>10}")  # fmt: skip
    for page in PAGES:
        row = load.get(page)
        if row is None:
            continue
        base = round(float(single[page]["Median Response Time"])) if page in single else None
        p95 = float(row["95%"])
        ratio = f"{p95 / base:.1f}" if base else "-"
        print(
            f"{page:26} {row['Request Count']:>8} {row['Failure Count']:>5} "
            f"{float(row['50%']):>6.0f} {p95:>6.0f} {float(row['99%']):>6.0f} "
            f"{base if base is not None else '-':>10} {ratio:>10}"
        )
    total = load["Aggregated"]
    print(
        f"\ntotal {total['Request Count']} requests, {total['Failure Count']} failures, "
        f"{float(total['Requests/s']):.1f} requests/s; 5xx in gunicorn's log: {errors_5xx}"
    )


def bench_environment(workdir: str) -> Path:
    """Refuses to run without PostgreSQL and Redis; the work folder, and one media folder
    across runs so the seeded notices' PDFs stay where their rows say."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database of its own (see the docstring).")
    if not os.environ.get("CELERY_BROKER_URL", "").startswith("redis"):
        sys.exit("Set CELERY_BROKER_URL to a Redis database (see the docstring).")
    path = Path(workdir)
    path.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DJANGO_MEDIA_ROOT", str(ROOT / "var" / "bench-media"))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--single-seconds", type=int, default=60)
    parser.add_argument("--workdir", default="/tmp/em-load-test")
    args = parser.parse_args()
    workdir = bench_environment(args.workdir)
    plan = prepare(args.users, workdir)
    port = free_port()
    processes = start_servers(workdir, port)
    try:
        seconds = int(args.minutes * 60)
        single_plan = {**plan, "users": plan["users"][-1:]}
        single = run_locust(single_plan, workdir, port, name="single", users=1, seconds=args.single_seconds, wait=False)  # fmt: skip
        load_plan = {**plan, "users": plan["users"][:-1]}
        load = run_locust(load_plan, workdir, port, name="load", users=args.users, seconds=seconds, wait=True)  # fmt: skip
    finally:
        stop_servers(processes)
    report(single, load, args.users, seconds, server_errors(workdir))


if __name__ == "__main__":
    main()
