"""Fault campaign (X-1, X-5): notices and deadline escalations under injected faults.

While a workload opens missing-person reports, creates notices (each rendered to PDF by the
worker) and opens short deadlines (escalated by beat's sweep), the campaign injects faults:

- `child`:        a worker's pool child killed (SIGKILL) — mid-task when it is busy;
- `worker`:       the whole worker killed (SIGKILL to its process group), started again;
- `redis`:        the broker restarted (no persistence: queued messages are lost);
- `postgres`:     the database restarted (`pg_ctl restart -m fast` or `-m immediate`);
- `second_beat`:  a second beat started for 70–130 s (two schedulers firing the same ticks);
- `broker_cut`:   the broker stopped for 20–150 s, then started again (empty).

A supervisor starts again any worker or beat that has died, as a process manager would. After
the last fault the workload stops, the system is left to settle, and the campaign counts:

| notices missed      | a notice not rendered                                       |
| notices doubled     | a notice rendered more than once (render_count, files, history) |
| not escalated       | a deadline past due and still open, or without its escalation |
| escalations doubled | more than one escalation alert, "missed" timeline entry or     |
|                     | escalation notification per recipient                          |

Then it measures recovery after a whole worker dies mid-render: a worker started with
CASES_RENDER_TEST_DELAY holds a render after writing its file; the whole worker is killed
there and a normal one started; the time until the notice is rendered is printed.

It runs its own PostgreSQL cluster and Redis server (under --workdir, default
/tmp/fault-campaign; ports --pg-port 5440 and --redis-port 6390), so restarting them touches
nothing else; they are stopped at the end.

    .venv/bin/python bench/fault_campaign.py --faults 200
    .venv/bin/python bench/fault_campaign.py --faults 20 --gap 3     # a short smoke run

Timing is printed, never asserted; the machine may be busy with other work.
"""

import argparse
import glob
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
import traceback
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FAULT_WEIGHTS = {
    "child": 30,
    "worker": 22,
    "redis": 14,
    "postgres": 12,
    "second_beat": 10,
    "broker_cut": 12,
}
DEADLINE_KIND = "fault_campaign"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def _pg_bin(name: str) -> list[str]:
    """The server binary, run as the postgres user when the campaign runs as root."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise SystemExit(f"{name} not found (PostgreSQL server binaries)")
    return (["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []) + [found[-1]]


def _kill_group(process: subprocess.Popen | None, sig=signal.SIGTERM, timeout: float = 30) -> None:
    """Stop a process this campaign started, with its children (its own session), by its id."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


# --- the services this campaign owns --------------------------------------------------------


class Postgres:
    def __init__(self, workdir: Path, port: int):
        self.data = workdir / "pg" / "data"
        self.port = port
        self.logfile = workdir / "pg" / "server.log"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/em_data"

    def _ctl(self, *args: str) -> None:
        subprocess.run(
            [*_pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.logfile), "-w", *args],
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def start(self) -> None:
        if not (self.data / "PG_VERSION").exists():
            self.data.parent.mkdir(parents=True, exist_ok=True)
            if os.geteuid() == 0:
                shutil.chown(self.data.parent, "postgres", "postgres")
            subprocess.run(
                [*_pg_bin("initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust"],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        options = f"-p {self.port} -k {self.data.parent} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._ctl("-o", options, "start")
        subprocess.run(
            [*_pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"]
            + ["em_data"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def restart(self, mode: str) -> None:
        self._ctl("-m", mode, "restart")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._ctl("-m", "fast", "stop")


class Redis:
    def __init__(self, port: int):
        self.port = port
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/14"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--daemonize", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for _ in range(100):
            if self.up():
                return
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def up(self) -> bool:
        import socket

        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        _kill_group(self.process)
        self.process = None


class Celery:
    """A worker (prefork, one child) or a beat, as a process of its own session."""

    def __init__(self, role: str, env: dict, logfile: Path, extra_env: dict | None = None):
        self.role = role
        self.env = {**env, **(extra_env or {})}
        self.logfile = logfile
        self.process: subprocess.Popen | None = None

    def start(self) -> "Celery":
        if self.role == "worker":
            args = ["worker", "--pool=prefork", "--concurrency=1", "-l", "info"]
            args += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
            args += ["-n", f"fault-{time.monotonic_ns()}@%h"]
        else:
            args = ["beat", "-l", "info", "--scheduler"]
            args += ["django_celery_beat.schedulers:DatabaseScheduler"]
            args += ["--pidfile", ""]
        with open(self.logfile, "ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "config", *args],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def children(self) -> list[int]:
        import psutil

        if not self.alive():
            return []
        try:
            return [c.pid for c in psutil.Process(self.process.pid).children()]
        except psutil.Error:
            return []

    def kill(self) -> None:
        _kill_group(self.process, signal.SIGKILL)

    def stop(self) -> None:
        _kill_group(self.process, signal.SIGTERM, timeout=20)


# --- the workload ---------------------------------------------------------------------------


class Workload(threading.Thread):
    """Opens a report, two notices and a short deadline per round, retrying through faults."""

    def __init__(self, pause: float):
        super().__init__(daemon=True)
        self.pause = pause
        self.stopping = threading.Event()
        self.rounds = 0
        self.errors = Counter()

    def run(self) -> None:
        from django.db import close_old_connections, connection

        while not self.stopping.is_set():
            try:
                self.round()
                self.rounds += 1
            except Exception as error:  # noqa: BLE001 - a fault: note its kind, go on
                if not self.errors[type(error).__name__]:
                    log(f"workload: first {type(error).__name__}:\n{traceback.format_exc()}")
                self.errors[type(error).__name__] += 1
                connection.close()
                time.sleep(1)
            close_old_connections()
            self.stopping.wait(self.pause)

    def round(self) -> None:
        from django.utils import timezone

        from cases.services import deadline_open, dispatch_create
        from cases.tests.dispatch_factories import arrival_notice_kwargs
        from mottak.models import Centre, Resident, User
        from mottak.tests.factories import ResidentFactory
        from savnet import services as savnet

        centre = Centre.objects.get(name=CENTRE)
        staff = User.objects.get(username="feil-staff")
        resident = ResidentFactory(
            centre=centre,
            duf_number=str(8 * 10**11 + Resident.objects.count() + random.randrange(10**6)),
            family_name="Feilkampanje",
            representative_name="Rita Representant",
            representative_address="Vergeveien 1, 2600 Lillehammer",
            lawyer_name="Anders Advokat",
            lawyer_address="Advokatgata 2, 0150 Oslo",
        )
        now = timezone.now()
        report = savnet.missing_report_open(
            resident=resident,
            by=staff,
            reason_to_believe_at=now - timedelta(hours=1),
            noticed_at=now - timedelta(hours=2),
            last_seen_at=now - timedelta(hours=3),
            circumstances="Ikke til frokost.",
        )
        savnet.missing_report_send_to_police(report=report, by=staff, contact_phone="61 00 00 99")
        dispatch_create(**arrival_notice_kwargs(resident=resident, by=staff))
        deadline_open(
            owner=resident,
            kind=DEADLINE_KIND,
            due_at=timezone.now() + timedelta(seconds=random.randint(20, 90)),
            label="Feilkampanje: frist",
            centre=centre,
        )


CENTRE = "Feilkampanje mottak"


def seed() -> None:
    from django.db import transaction

    from mottak.models import Centre, ExternalRecipient
    from mottak.tests.factories import (
        CentreFactory,
        CentreLeaderFactory,
        CentreStaffFactory,
        RegionCaseworkerFactory,
        RegionFactory,
    )

    if Centre.objects.filter(name=CENTRE).exists():
        return
    with transaction.atomic():
        region = RegionFactory(name="Feilkampanje region")
        centre = CentreFactory(
            name=CENTRE,
            kind=Centre.Kind.ORDINARY_MINORS,
            operator=Centre.Operator.MUNICIPAL,
            municipality="Lillehammer",
            region=region,
            address="Postboks 1, 2601 Lillehammer",
        )
        kinds = ExternalRecipient.Kind
        for kind, name, municipality in (
            (kinds.POLICE, "Innlandet politidistrikt", "Lillehammer"),
            (kinds.CHILD_WELFARE, "Barneverntjenesten i Lillehammer", "Lillehammer"),
            (kinds.UDI_REGION, region.name, ""),
        ):
            ExternalRecipient.objects.create(
                kind=kind, name=name, municipality=municipality, address=f"Postboks 1, {name}"
            )
        CentreStaffFactory(centre=centre, username="feil-staff")
        CentreLeaderFactory(centre=centre, username="feil-leder")
        RegionCaseworkerFactory(region=region, username="feil-region")


# --- counting -------------------------------------------------------------------------------


def count(media_root: Path, since) -> dict:
    from django.db.models import Count

    from cases.models import Deadline, DeadlineAlert, Dispatch, Notification, TimelineEvent

    dispatches = Dispatch.objects.filter(created_at__gte=since)
    missed = dispatches.exclude(state=Dispatch.State.RENDERED)
    files = Counter(
        int(p.name.split("-", 1)[0]) for p in (media_root / "dispatches").rglob("*.pdf")
    )
    doubled = set(dispatches.filter(render_count__gt=1).values_list("pk", flat=True))
    doubled |= {pk for pk, n in files.items() if n > 1}
    rendered_twice = (
        Dispatch.history.filter(created_at__gte=since, state=Dispatch.State.RENDERED)
        .values("id")
        .annotate(n=Count("history_id"))
    )
    # A rendered notice's history has one row "queued → rendered"; later rows that keep the
    # state rendered are fine only if the sha256 never changed.
    for row in rendered_twice:
        shas = set(
            Dispatch.history.filter(id=row["id"], state=Dispatch.State.RENDERED).values_list(
                "sha256", flat=True
            )
        )
        if len(shas) > 1:
            doubled.add(row["id"])

    deadlines = Deadline.objects.filter(kind=DEADLINE_KIND, opened_at__gte=since)
    due = deadlines.filter(due_at__lt=time_now())
    escalated = set(
        DeadlineAlert.objects.filter(deadline__in=due, stage="escalation").values_list(
            "deadline_id", flat=True
        )
    )
    not_escalated = {pk for pk, state in due.values_list("pk", "state") if state == "open"}
    not_escalated |= set(due.values_list("pk", flat=True)) - escalated
    double_escalations = set(
        DeadlineAlert.objects.filter(deadline__in=deadlines, stage="escalation")
        .values("deadline_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("deadline_id", flat=True)
    )
    double_escalations |= set(
        Notification.objects.filter(deadline__in=deadlines, kind="escalation")
        .values("deadline_id", "recipient_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("deadline_id", flat=True)
    )
    resident_ids = set(deadlines.values_list("subject_id", flat=True))
    missed_events = (
        TimelineEvent.objects.filter(
            kind="deadline_missed",
            object_id__in=resident_ids,
            summary__contains="Feilkampanje: frist",
        )
        .values("object_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    double_escalations |= {row["object_id"] for row in missed_events}
    return {
        "notices": dispatches.count(),
        "notices missed": len(missed),
        "notices doubled": len(doubled),
        "deadlines due": due.count(),
        "deadlines not escalated": len(not_escalated),
        "escalations doubled": len(double_escalations),
        "missed ids": sorted(missed.values_list("pk", flat=True))[:20],
        "missed states": dict(Counter(missed.values_list("state", flat=True))),
    }


def time_now():
    from django.utils import timezone

    return timezone.now()


def settled(media_root: Path, since) -> bool:
    result = count(media_root, since)
    return result["notices missed"] == 0 and result["deadlines not escalated"] == 0


# --- the campaign ---------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--faults", type=int, default=200)
    parser.add_argument("--gap", type=float, default=5.0, help="mean seconds between faults")
    parser.add_argument("--pause", type=float, default=2.0, help="seconds between rounds")
    parser.add_argument("--settle", type=int, default=420, help="seconds to wait at the end")
    parser.add_argument("--recovery-probes", type=int, default=3)
    parser.add_argument("--workdir", default="/tmp/fault-campaign")
    parser.add_argument("--pg-port", type=int, default=5440)
    parser.add_argument("--redis-port", type=int, default=6390)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    random.seed(args.seed)

    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    media_root = workdir / "media"
    media_root.mkdir(exist_ok=True)
    postgres, redis = Postgres(workdir, args.pg_port), Redis(args.redis_port)
    log(f"starting PostgreSQL on :{args.pg_port} and Redis on :{args.redis_port}")
    postgres.start()
    redis.start()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": postgres.url,
        "CELERY_BROKER_URL": redis.url,
        "DJANGO_MEDIA_ROOT": str(media_root),
        "CASES_EMAIL_NOTIFICATIONS": "0",
        "C_FORCE_ROOT": "1",
        "PYTHONUNBUFFERED": "1",
    }
    os.environ.update({k: v for k, v in env.items() if k != "PYTHONUNBUFFERED"})
    processes: list[Celery] = []
    try:
        run(args, env, postgres, redis, media_root, workdir, processes)
    finally:
        for process in processes:
            process.stop()
        redis.stop()
        postgres.stop()
        log("stopped everything this campaign started")


def run(args, env, postgres, redis, media_root, workdir, processes) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import close_old_connections, connection

    call_command("migrate", verbosity=0)
    call_command("setup_schedules", verbosity=0)
    seed()
    since = time_now()

    worker = Celery("worker", env, workdir / "worker.log").start()
    beat = Celery("beat", env, workdir / "beat.log").start()
    processes += [worker, beat]
    second_beats: list[tuple[Celery, float]] = []
    cut_until = 0.0
    injected = Counter()
    restarts = Counter()

    def supervise() -> None:
        nonlocal worker, beat
        if not worker.alive():
            processes.remove(worker)
            worker = Celery("worker", env, workdir / "worker.log").start()
            processes.append(worker)
            restarts["worker"] += 1
        if not beat.alive():
            processes.remove(beat)
            beat = Celery("beat", env, workdir / "beat.log").start()
            processes.append(beat)
            restarts["beat"] += 1
        for extra, until in list(second_beats):
            if time.monotonic() > until:
                extra.stop()
                second_beats.remove((extra, until))
                processes.remove(extra)

    workload = Workload(args.pause)
    log("worker and beat started; waiting for the worker before the workload starts")
    time.sleep(20)
    workload.start()
    started = time.monotonic()
    kinds = list(FAULT_WEIGHTS)
    weights = [FAULT_WEIGHTS[k] for k in kinds]
    while sum(injected.values()) < args.faults:
        time.sleep(random.uniform(0.4, 1.6) * args.gap)
        supervise()
        if cut_until and time.monotonic() > cut_until:
            redis.start()
            cut_until = 0.0
            log("broker back")
        kind = random.choices(kinds, weights)[0]
        if kind in ("redis", "broker_cut") and cut_until:
            kind = "child"
        if kind == "second_beat" and second_beats:
            kind = "child"
        try:
            if kind == "child":
                children = worker.children()
                if not children:
                    continue
                os.kill(random.choice(children), signal.SIGKILL)
            elif kind == "worker":
                worker.kill()
                supervise()
            elif kind == "redis":
                redis.stop()
                redis.start()
            elif kind == "postgres":
                postgres.restart(random.choice(["fast", "immediate"]))
            elif kind == "second_beat":
                extra = Celery("beat", env, workdir / "beat2.log").start()
                processes.append(extra)
                second_beats.append((extra, time.monotonic() + random.uniform(70, 130)))
            elif kind == "broker_cut":
                seconds = random.choice([20, 45, 60, 90, 150])
                redis.stop()
                cut_until = time.monotonic() + seconds
                log(f"broker cut for {seconds} s")
        except Exception:  # noqa: BLE001 - an injection that failed is not counted
            log(f"injecting {kind} failed:\n{traceback.format_exc()}")
            continue
        injected[kind] += 1
        total = sum(injected.values())
        if total % 10 == 0:
            log(f"{total} faults injected {dict(injected)}; {workload.rounds} rounds")

    if cut_until:
        time.sleep(max(0.0, cut_until - time.monotonic()))
        redis.start()
    workload.stopping.set()
    workload.join(60)
    campaign_seconds = time.monotonic() - started
    log(f"faults done after {campaign_seconds:.0f} s; settling (at most {args.settle} s)")
    settle_start = time.monotonic()
    while time.monotonic() - settle_start < args.settle:
        supervise()
        close_old_connections()
        try:
            if settled(media_root, since):
                break
        except Exception:  # noqa: BLE001 - the database may still be coming back
            connection.close()
        time.sleep(10)
    settle_seconds = time.monotonic() - settle_start
    for extra, _until in list(second_beats):
        extra.stop()
    result = count(media_root, since)

    recoveries = recovery_probes(args, env, workdir, media_root, worker, processes)

    print()
    print("Fault campaign")
    print(f"  campaign: {campaign_seconds:.0f} s, settled after {settle_seconds:.0f} s more")
    print(f"  workload rounds: {workload.rounds}; round errors: {dict(workload.errors)}")
    print(f"  faults injected: {sum(injected.values())}  {dict(injected)}")
    print(f"  restarted by the supervisor: {dict(restarts)}")
    print()
    width = max(len(k) for k in result)
    print(f"  | {'what':<{width}} | count |")
    print(f"  |{'-' * (width + 2)}|-------|")
    for key in (
        "notices",
        "notices missed",
        "notices doubled",
        "deadlines due",
        "deadlines not escalated",
        "escalations doubled",
    ):
        print(f"  | {key:<{width}} | {result[key]:>5} |")
    if result["notices missed"]:
        print(f"  missed: {result['missed ids']} {result['missed states']}")
    print()
    print("Recovery after the whole worker is killed mid-render (kill → rendered):")
    for seconds, render_count in recoveries:
        print(f"  {seconds:6.1f} s   render_count={render_count}")


def recovery_probes(args, env, workdir, media_root, worker, processes) -> list:
    """A worker holds a render (CASES_RENDER_TEST_DELAY) after writing its file; the whole
    worker is killed there; a normal worker is started; time until the notice is rendered."""
    from django.db import close_old_connections

    from cases.models import Dispatch
    from cases.services import dispatch_create
    from cases.tests.dispatch_factories import arrival_notice_kwargs
    from mottak.models import Resident, User

    results = []
    worker.stop()
    processes.remove(worker)
    for n in range(args.recovery_probes):
        close_old_connections()
        slow = Celery("worker", env, workdir / "probe.log", {"CASES_RENDER_TEST_DELAY": "600"})
        slow.start()
        processes.append(slow)
        time.sleep(15)
        resident = Resident.objects.filter(family_name="Feilkampanje").order_by("pk")[n]
        staff = User.objects.get(username="feil-staff")
        # A version of its own: a notice with the same key (an earlier run in the same
        # database) would be given back already rendered.
        dispatch = dispatch_create(
            **arrival_notice_kwargs(
                resident=resident, by=staff, version=1000 + int(time.time()) % 10**6 + n
            )
        )
        if dispatch.state != Dispatch.State.QUEUED:
            log(f"probe {n}: the notice is not waiting to be rendered; skipped")
            slow.stop()
            processes.remove(slow)
            continue
        pattern = f"*/.{dispatch.pk}-*.tmp"
        for _ in range(600):
            if list((media_root / "dispatches").glob(pattern)) or list(
                (media_root / "dispatches").glob(f"*/{dispatch.pk}-*.pdf")
            ):
                break
            time.sleep(0.2)
        else:
            log(f"probe {n}: the render never started")
            slow.kill()
            processes.remove(slow)
            continue
        slow.kill()
        processes.remove(slow)
        killed = time.monotonic()
        fresh = Celery("worker", env, workdir / "probe.log").start()
        processes.append(fresh)
        while time.monotonic() - killed < 900:
            row = Dispatch.objects.get(pk=dispatch.pk)
            if row.state == Dispatch.State.RENDERED:
                results.append((time.monotonic() - killed, row.render_count))
                break
            time.sleep(1)
        else:
            results.append((float("inf"), 0))
        fresh.stop()
        processes.remove(fresh)
        log(f"probe {n}: {results[-1][0]:.1f} s")
    return results


if __name__ == "__main__":
    main()
