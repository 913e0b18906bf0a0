"""Scale-out on one machine: 1 web + 1 worker process against 2 web + 4 worker processes.

Each phase starts the production topology (bench/load_settings.py) on PostgreSQL and Redis,
then at once puts a burst of work on it — missing reports with their police notice, arrival
notices and short deadlines (as bench/fault_campaign.py's workload does) — while Locust users
browse the pages (bench/locustfile.py). It measures how long the notices take to render,
the web throughput meanwhile, and counts what must never happen: notices not rendered or
rendered twice, due deadlines not escalated or escalated twice.

- baseline: gunicorn with 1 worker; one Celery worker process on all queues; beat.
- scaled: gunicorn with 2 workers; 2 processes on the render queue and 2 on the clock queue
  (sweep and default), as separate workers the way separate hosts would run them; one beat.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/em_bench \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/10 \\
        .venv/bin/python bench/scaleout_run.py [--rounds 60] [--users 20]
"""

import argparse
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import fault_campaign  # noqa: E402
import load_test  # noqa: E402

PHASES = {
    "baseline": {"web_workers": 1, "workers": (("worker", "", 1),)},
    "scaled": {
        "web_workers": 2,
        "workers": (("render", "render", 2), ("clock", "sweep,celery", 2)),
    },
}


def burst(rounds: int) -> None:
    """The work: each round a report with its police notice, an arrival notice, a deadline."""
    workload = fault_campaign.Workload(pause=0)
    for _ in range(rounds):
        workload.round()


def rendered_all(since) -> bool:
    from cases.models import Dispatch

    dispatches = Dispatch.objects.filter(created_at__gte=since)
    return not dispatches.exclude(state=Dispatch.State.RENDERED).exists()


def wait_until(predicate, timeout: float) -> float | None:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if predicate():
            return time.monotonic() - start
        time.sleep(0.5)
    return None


def run_phase(name: str, args, plan: dict, workdir: Path) -> dict:
    from django.utils import timezone

    phase_dir = workdir / name
    phase_dir.mkdir(parents=True, exist_ok=True)
    port = load_test.free_port()
    processes = load_test.start_servers(phase_dir, port, **PHASES[name])
    web = {}
    browsing = threading.Thread(
        target=lambda: web.update(
            load_test.run_locust(
                plan, phase_dir, port, name="web", users=args.users, seconds=args.seconds,
                wait=True,
            )
        )
    )  # fmt: skip
    try:
        browsing.start()
        time.sleep(10)  # the users are logged in and browsing
        since = timezone.now()
        started = time.monotonic()
        burst(args.rounds)
        created = time.monotonic() - started
        waited = wait_until(lambda: rendered_all(since), timeout=600)
        render_seconds = created + waited if waited is not None else None
        browsing.join()
        # The last deadlines fall due 90 s after the burst; beat sweeps every minute.
        time.sleep(max(0.0, 95 - (time.monotonic() - started)))
        wait_until(lambda: fault_campaign.settled(Path(os.environ["DJANGO_MEDIA_ROOT"]), since), 180)  # fmt: skip
        counts = fault_campaign.count(Path(os.environ["DJANGO_MEDIA_ROOT"]), since)
    finally:
        load_test.stop_servers(processes)
    total = web.get("Aggregated", {})
    return {
        "phase": name,
        "web processes": PHASES[name]["web_workers"],
        "worker processes": sum(n for _, _, n in PHASES[name]["workers"]),
        "burst created (s)": round(created, 1),
        "render time (s)": round(render_seconds, 1) if render_seconds else "not done",
        "notices": counts["notices"],
        "notices/s": round(counts["notices"] / render_seconds, 2) if render_seconds else 0,
        "web requests/s": round(float(total.get("Requests/s", 0)), 1),
        "web p95 (ms)": total.get("95%", "-"),
        "web failures": total.get("Failure Count", "-"),
        "notices missed": counts["notices missed"],
        "notices doubled": counts["notices doubled"],
        "deadlines due": counts["deadlines due"],
        "deadlines not escalated": counts["deadlines not escalated"],
        "escalations doubled": counts["escalations doubled"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=60, help="reports in the burst (3 PDFs each)")
    parser.add_argument("--users", type=int, default=20, help="Locust users browsing meanwhile")
    parser.add_argument("--seconds", type=int, default=120, help="how long they browse")
    parser.add_argument("--workdir", default="/tmp/em-scaleout")
    args = parser.parse_args()
    workdir = load_test.bench_environment(args.workdir)
    plan = load_test.prepare(args.users * 2, workdir)
    fault_campaign.seed()
    rows = []
    for name in PHASES:
        users = plan["users"][: args.users] if name == "baseline" else plan["users"][args.users :]
        rows.append(run_phase(name, args, {**plan, "users": users}, workdir))
    for key in rows[0]:
        print(f"{key:26}" + "".join(f"{str(row[key]):>14}" for row in rows))
    baseline, scaled = rows
    if baseline["notices/s"] and scaled["notices/s"]:
        print(f"\nrendering: {scaled['notices/s'] / baseline['notices/s']:.2f}x the baseline")
    if baseline["web requests/s"]:
        print(f"web: {scaled['web requests/s'] / baseline['web requests/s']:.2f}x the baseline")


if __name__ == "__main__":
    main()
