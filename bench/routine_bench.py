"""Benchmark: the routine kernel (cases.services.routines) against the same rows written by hand.

Measures in one run, against a bare baseline, and prints medians, ratios and query counts:

1. `routine_step_do` for a step with no notice (savnet's `sesam` on an open report, no work of
   its own), the full service `missing_report_record_sesam` and a leave preparation step
   (`leave_application_prepare_step`, with the routine's after-step hook), against the bare
   step: select_for_update of the case, insert the ChecklistStepCompletion, update the
   Deadline to met, insert a TimelineEvent, in one transaction;
2. `missing_report_open` (7 deadlines, 3 "straks" with alerts at opening) against the same
   rows inserted by hand (bulk inserts);
3. `routine_page` for the missing checklist of a report with every step done, against the
   three bare queries it stands for (it must stay 3 queries);
4. tracemalloc: memory held after 1, 10, 50, 100, 200 consecutive `routine_step_do` calls
   (each on its own report) and the peak, so growth per call shows.

    DJANGO_SETTINGS_MODULE=config.settings.dev python bench/routine_bench.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/em_bench_routine python bench/routine_bench.py

Without DATABASE_URL it uses var/routine_bench.sqlite3. Seeding goes through the project's
services (missing_report_open, the notices, leave_application_submit); rendered PDFs go to
var/routine_bench_media and nothing is queued on the broker. Every timed write runs in a
transaction that is rolled back, so every repetition sees the same rows and a second run
reuses the seeded data. Compare ratios within one run, not absolute times: the machine may be
busy.
"""

import argparse
import gc
import os
import statistics
import sys
import time
import tracemalloc
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'routine_bench.sqlite3'}")
os.environ.setdefault("DJANGO_MEDIA_ROOT", str(ROOT / "var" / "routine_bench_media"))
os.environ["CASES_EMAIL_NOTIFICATIONS"] = "0"  # alerts are recorded; no e-mail is queued

CENTRE = "Benk-rutine mottak"
MUNICIPALITY = "Lillehammer"
POOL = "Benk-steg"  # residents whose open report's steps are timed (rolled back)
DONE = "Benk-ferdig"  # the report with every step of the missing checklist done
PROBE = "Benk-åpning"  # a resident with no report: opened (rolled back) in the timing
LEAVE = "Benk-permisjon"  # a resident with a draft leave application


def ensure_postgres_database(url: str) -> None:
    """Create the bench database on PostgreSQL if it does not exist yet."""
    import dj_database_url
    import psycopg2

    cfg = dj_database_url.parse(url)
    conn = psycopg2.connect(
        dbname="postgres",
        user=cfg["USER"],
        password=cfg["PASSWORD"] or None,
        host=cfg["HOST"],
        port=cfg["PORT"] or 5432,
    )
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]])
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{cfg["NAME"]}"')
    conn.close()


@contextmanager
def rolled_back():
    from django.db import transaction

    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def report_times(hours_ago: float = 2) -> dict:
    from django.utils import timezone

    now = timezone.now()
    return dict(
        reason_to_believe_at=now - timedelta(hours=hours_ago),
        noticed_at=now - timedelta(hours=hours_ago + 1),
        last_seen_at=now - timedelta(hours=hours_ago + 3),
        circumstances="Ikke til frokost; bag og telefon borte.",
    )


# --- seeding ------------------------------------------------------------------------------


def _resident(centre, family_name: str):
    from mottak.models import Resident
    from mottak.tests.factories import ResidentFactory

    return ResidentFactory(
        centre=centre,
        duf_number=str(9 * 10**11 + Resident.objects.count()),
        family_name=family_name,
        representative_name="Rita Representant",
        representative_phone="40000001",
        representative_address="Vergeveien 1, 2600 Lillehammer",
        lawyer_name="Anders Advokat",
        lawyer_phone="40000002",
        lawyer_address="Advokatgata 2, 0150 Oslo",
    )


def _seed_base():
    """Region, centre, directory, users, the finished report, the probe and the leave."""
    from django.utils import timezone

    from cases.services import dispatch_mark_sent, dispatch_render
    from mottak.models import Centre, ExternalRecipient
    from mottak.tests.factories import (
        CentreFactory,
        CentreLeaderFactory,
        CentreStaffFactory,
        RegionCaseworkerFactory,
        RegionFactory,
    )
    from permisjon import services as leave
    from savnet import services as savnet

    region = RegionFactory(name="Benk-rutine region")
    centre = CentreFactory(
        name=CENTRE,
        kind=Centre.Kind.ORDINARY_MINORS,
        operator=Centre.Operator.MUNICIPAL,
        municipality=MUNICIPALITY,
        region=region,
        address="Postboks 1, 2601 Lillehammer",
    )
    kinds = ExternalRecipient.Kind
    for kind, name, municipality in (
        (kinds.POLICE, "Innlandet politidistrikt", MUNICIPALITY),
        (kinds.CHILD_WELFARE, "Barneverntjenesten i Lillehammer", MUNICIPALITY),
        (kinds.KOR, "UDI ASA KOR", ""),
        (kinds.BFE, "UDI ASA BFE", ""),
        (kinds.UDI_REGION, region.name, ""),
    ):
        ExternalRecipient.objects.create(
            kind=kind, name=name, municipality=municipality, address=f"Postboks 1, {name}"
        )
    staff = CentreStaffFactory(centre=centre, username="benk-rutine-staff")
    CentreLeaderFactory(centre=centre, username="benk-rutine-leader")
    RegionCaseworkerFactory(region=region, username="benk-rutine-caseworker")

    # The finished report: every step of the missing checklist done through the services,
    # the written notices rendered and recorded as sent.
    report = savnet.missing_report_open(
        resident=_resident(centre, DONE), by=staff, **report_times()
    )
    called = timezone.now() - timedelta(minutes=30)
    written = [
        savnet.missing_report_send_to_police(report=report, by=staff, contact_phone="61 00 00 99"),
        savnet.missing_report_send_to_child_welfare(report=report, by=staff, phoned_at=called),
    ]
    for party in ("representative", "lawyer"):
        savnet.missing_report_log_call(
            report=report, party=party, called_at=called, reached=True, by=staff
        )
    savnet.missing_report_record_sesam(report=report, registered_at=called, by=staff)
    written.append(savnet.missing_report_send_regional_copies(report=report, by=staff))
    for dispatch in written:
        dispatch_render(dispatch_id=dispatch.pk)
        dispatch.refresh_from_db()
        dispatch_mark_sent(dispatch=dispatch, by=staff)

    _resident(centre, PROBE)
    departure = (timezone.localtime() + timedelta(days=10)).replace(
        hour=12, minute=0, second=0, microsecond=0
    )
    leave.leave_application_submit(
        resident=_resident(centre, LEAVE),
        data=leave.LeaveApplicationData(
            departure_at=departure,
            return_at=departure + timedelta(days=7, hours=6),
            destination_address="Storgata 1, 0155 Oslo",
            destination_municipality="Oslo",
            reason="Besøke tante",
        ),
        contact_persons=[
            leave.ContactPersonData(
                name="Kari Kontakt",
                address="Storgata 1, 0155 Oslo",
                date_of_birth=date(1980, 5, 17),
                relation="Tante",
                phone="+47 900 00 000",
            )
        ],
        by=staff,
    )


def seed(reports: int) -> None:
    from django.db import connection, transaction

    from mottak.models import Centre, User
    from savnet import services as savnet
    from savnet.models import MissingReport

    # Nothing goes to the broker: the bench renders what it needs itself.
    with mock.patch("cases.services.dispatches._queue_render"):
        if not Centre.objects.filter(name=CENTRE).exists():
            print("seeding centre, users, directory, a finished report, a leave …", flush=True)
            with transaction.atomic():
                _seed_base()
        centre = Centre.objects.get(name=CENTRE)
        staff = User.objects.get(username="benk-rutine-staff")
        have = MissingReport.objects.filter(resident__family_name=POOL, state="open").count()
        if have < reports:
            print(f"seeding {reports - have} open missing reports …", flush=True)
            with transaction.atomic():
                for _ in range(reports - have):
                    savnet.missing_report_open(
                        resident=_resident(centre, POOL), by=staff, **report_times()
                    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")


# --- the subjects -------------------------------------------------------------------------


class Fixture:
    """The seeded rows each subject works on, loaded once."""

    def __init__(self, reports: int):
        from django.contrib.contenttypes.models import ContentType

        from mottak.models import Resident, User
        from permisjon.models import LeaveApplication
        from savnet.models import MissingReport

        self.staff = User.objects.get(username="benk-rutine-staff")
        self.recipients = list(
            User.objects.filter(username__in=["benk-rutine-staff", "benk-rutine-leader"])
        )
        pool = MissingReport.objects.filter(resident__family_name=POOL, state="open")
        self.pool = list(pool.select_related("resident", "centre").order_by("pk")[:reports])
        self.report = self.pool[0]
        self.done = MissingReport.objects.get(resident__family_name=DONE)
        self.probe = Resident.objects.select_related("centre").get(family_name=PROBE)
        self.leave = LeaveApplication.objects.get(resident__family_name=LEAVE)
        self.report_ct = ContentType.objects.get_for_model(MissingReport)
        self.resident_ct = ContentType.objects.get_for_model(Resident)


def kernel_step(fx: Fixture, report=None):
    from cases.services.routines import routine_step_do
    from savnet.routine import MISSING, SESAM

    result = routine_step_do(
        routine=MISSING, case=report or fx.report, step_code=SESAM, by=fx.staff
    )
    assert result.recorded
    return result


def service_sesam(fx: Fixture):
    from django.utils import timezone

    from savnet.services import missing_report_record_sesam

    return missing_report_record_sesam(report=fx.report, registered_at=timezone.now(), by=fx.staff)


def leave_step(fx: Fixture):
    from permisjon.services import leave_application_prepare_step

    return leave_application_prepare_step(
        application=fx.leave, step_code="a_clash", by=fx.staff, note="Ok"
    )


def bare_step(fx: Fixture):
    """The rows of the sesam step by hand: lock, completion, deadline met, timeline event."""
    from django.db import transaction
    from django.utils import timezone

    from cases.models import ChecklistStepCompletion, Deadline, TimelineEvent
    from savnet.models import MissingReport

    now = timezone.now()
    with transaction.atomic():
        locked = MissingReport.objects.select_for_update(of=("self",)).get(pk=fx.report.pk)
        assert locked.state == MissingReport.State.OPEN
        ChecklistStepCompletion.objects.bulk_create(
            [
                ChecklistStepCompletion(
                    owner_ct=fx.report_ct,
                    owner_id=locked.pk,
                    checklist="savnet_missing",
                    step_code="sesam",
                    done_by=fx.staff,
                    done_at=now,
                )
            ]
        )
        met = Deadline.objects.filter(
            content_type=fx.report_ct,
            object_id=locked.pk,
            kind="savnet_sesam",
            state__in=Deadline.PENDING,
        ).update(state=Deadline.State.MET, met_at=now, met_by=fx.staff, next_alert_at=None)
        assert met == 1
        TimelineEvent.objects.bulk_create(
            [
                TimelineEvent(
                    content_type=fx.resident_ct,
                    object_id=locked.resident_id,
                    kind="checklist_step_done",
                    summary="Missing minor: within 24 hours: Registered in Sesam",
                    actor=fx.staff,
                    rule_id="SAV-7",
                    at=now,
                )
            ]
        )


def kernel_open(fx: Fixture):
    from savnet.services import missing_report_open

    return missing_report_open(resident=fx.probe, by=fx.staff, **report_times())


def bare_open(fx: Fixture):
    """The rows of an opening by hand: lock the resident, the report, 7 deadlines (the one
    with nothing to do already met), the 3 alerts at opening and their notifications, the
    completion, the timeline events; bulk inserts, no history rows."""
    from django.db import transaction
    from django.utils import timezone

    from cases.models import (
        ChecklistStepCompletion,
        Deadline,
        DeadlineAlert,
        Notification,
        TimelineEvent,
    )
    from mottak.models import Resident
    from savnet import rules
    from savnet.models import MissingReport
    from savnet.routine import APPOINTMENTS, MISSING, MISSING_STEPS

    now = timezone.now()
    times = report_times()
    with transaction.atomic():
        resident = Resident.objects.select_for_update(of=("self",)).get(pk=fx.probe.pk)
        (report,) = MissingReport.objects.bulk_create(
            [
                MissingReport(
                    resident=resident,
                    centre_id=resident.centre_id,
                    state=MissingReport.State.OPEN,
                    limit_at=rules.limit_at(times["reason_to_believe_at"]),
                    opened_at=now,
                    created_by=fx.staff,
                    **times,
                )
            ]
        )
        deadlines = []
        for step in MISSING_STEPS:
            done = step.code == APPOINTMENTS
            deadlines.append(
                Deadline(
                    content_type=fx.report_ct,
                    object_id=report.pk,
                    subject_ct=fx.resident_ct,
                    subject_id=resident.pk,
                    centre_id=fx.probe.centre_id,
                    region_id=fx.probe.centre.region_id,
                    kind=MISSING.deadline_kind(step),
                    urgency=step.due.urgency,
                    rule_id=step.rule_id,
                    label=str(step.label),
                    due_at=step.due.at(times["reason_to_believe_at"]),
                    opened_at=now,
                    opened_by=fx.staff,
                    state=Deadline.State.MET if done else Deadline.State.OPEN,
                    met_at=now if done else None,
                    met_by=fx.staff if done else None,
                    next_alert_at=None if done else now + timedelta(hours=1),
                )
            )
        Deadline.objects.bulk_create(deadlines)
        alerts = DeadlineAlert.objects.bulk_create(
            [
                DeadlineAlert(deadline=d, stage="opened", kind=DeadlineAlert.Kind.OPENED)
                for d in deadlines
                if d.urgency == "straks"
            ]
        )
        Notification.objects.bulk_create(
            [
                Notification(recipient=u, alert=a, deadline=a.deadline, kind=a.kind)
                for a in alerts
                for u in fx.recipients
            ]
        )
        ChecklistStepCompletion.objects.bulk_create(
            [
                ChecklistStepCompletion(
                    owner_ct=fx.report_ct,
                    owner_id=report.pk,
                    checklist="savnet_missing",
                    step_code=APPOINTMENTS,
                    done_by=fx.staff,
                    done_at=now,
                )
            ]
        )
        TimelineEvent.objects.bulk_create(
            [
                TimelineEvent(
                    content_type=fx.resident_ct,
                    object_id=resident.pk,
                    kind=kind,
                    summary=kind,
                    actor=fx.staff,
                    rule_id="SAV-2",
                    at=now,
                )
                for kind in ["deadline_opened"] * 7
                + ["checklist_step_done", "deadline_met", "missing_reported"]
            ]
        )


def kernel_page(fx: Fixture):
    from cases.selectors import routine_page
    from savnet.routine import MISSING, MISSING_CHECKLIST

    rows = routine_page(routine=MISSING, case=fx.done, checklist=MISSING_CHECKLIST)
    assert all(row.done and not row.awaiting_sending for row in rows), "finished report not done"
    return rows


def bare_page(fx: Fixture):
    """The three queries routine_page stands for, evaluated, with nothing built from them."""
    from cases.models import ChecklistStepCompletion, Deadline, Dispatch

    ct, pk = fx.report_ct, fx.done.pk
    completions = ChecklistStepCompletion.objects.filter(
        owner_ct=ct, owner_id=pk, checklist="savnet_missing", undone_at__isnull=True
    ).select_related("done_by")
    deadlines = Deadline.objects.filter(content_type=ct, object_id=pk).order_by("opened_at", "id")
    dispatches = Dispatch.objects.filter(owner_ct=ct, owner_id=pk).exclude(step_code="")
    return list(completions), list(deadlines), list(dispatches)


# --- measuring ----------------------------------------------------------------------------


def is_savepoint(sql: str) -> bool:
    head = sql.lstrip().upper()
    return head.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT"))


def queries(fn, fx: Fixture, *, writes: bool) -> tuple[int, int, list[str]]:
    """(statements, savepoint statements, the SQL) of one call, rolled back when it writes."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()  # a full query log (9,000 entries) would make the capture empty
    if writes:
        with rolled_back(), CaptureQueriesContext(connection) as ctx:
            fn(fx)
    else:
        with CaptureQueriesContext(connection) as ctx:
            fn(fx)
    sqls = [q["sql"] for q in ctx.captured_queries]
    savepoints = sum(is_savepoint(s) for s in sqls)
    return len(sqls) - savepoints, savepoints, sqls


def interleaved_ms(subjects: dict, fx: Fixture, n: int, *, writes: bool) -> dict[str, float]:
    """Median ms of each subject, the subjects taking turns so a busy moment hits them all."""
    times: dict[str, list[float]] = {name: [] for name in subjects}
    for fn in subjects.values():  # warm-up: caches, prepared plans
        with rolled_back():
            fn(fx)
    for _ in range(n):
        for name, fn in subjects.items():
            if writes:
                with rolled_back():
                    start = time.perf_counter()
                    fn(fx)
                    times[name].append((time.perf_counter() - start) * 1000)
            else:
                start = time.perf_counter()
                fn(fx)
                times[name].append((time.perf_counter() - start) * 1000)
    return {name: statistics.median(ts) for name, ts in times.items()}


def table(title: str, subjects: dict, fx: Fixture, n: int, *, writes: bool, show_sql: bool):
    medians = interleaved_ms(subjects, fx, n, writes=writes)
    floor = medians[next(iter(subjects))]
    print(f"\n{title} — median of {n}, {'each rolled back' if writes else 'read only'}")
    print(f"{'':<58} {'median ms':>9} {'× bare':>7} {'queries':>8} {'+ savepts':>9}")
    for name, fn in subjects.items():
        count, savepoints, sqls = queries(fn, fx, writes=writes)
        print(
            f"{name:<58} {medians[name]:>9.2f} {medians[name] / floor:>7.2f} "
            f"{count:>8} {savepoints:>9}"
        )
        if show_sql:
            for sql in sqls:
                print(f"      {sql[:150]}")
    return medians


def memory(fx: Fixture, calls: int) -> None:
    """tracemalloc over `calls` consecutive routine_step_do calls, each on its own report
    and in its own rolled-back transaction (so no on_commit work piles up)."""
    with rolled_back():
        kernel_step(fx, fx.pool[-1])  # warm-up outside the trace
    gc.collect()
    tracemalloc.start()
    base, _ = tracemalloc.get_traced_memory()
    held = {}
    marks = {1, 10, 50, 100, 150, 200, calls}
    for i, report in enumerate(fx.pool[:calls], 1):
        with rolled_back():
            kernel_step(fx, report)
        if i in marks:
            gc.collect()
            held[i] = tracemalloc.get_traced_memory()[0] - base
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"\nmemory (tracemalloc) over {calls} consecutive routine_step_do calls")
    print("  held after call " + ", ".join(f"{i}: {kib / 1024:.1f} KiB" for i, kib in held.items()))
    first = min(i for i in held if i >= 10)
    if calls > first:
        per_call = (held[calls] - held[first]) / (calls - first)
        print(f"  growth from call {first} to {calls}: {per_call:.0f} bytes per call")
    print(f"  peak above the start: {(peak - base) / 1024:.1f} KiB")


def measure(n: int, reports: int, show_sql: bool) -> None:
    from django.db import connection

    fx = Fixture(reports)
    if len(fx.pool) < reports:
        sys.exit(f"only {len(fx.pool)} open reports seeded; run with --reports {len(fx.pool)}")
    print(f"\ndatabase: {connection.vendor} · {len(fx.pool)} open reports in the pool")

    table(
        "1. one step with no notice",
        {
            "bare: lock, completion, deadline met, event (by hand)": bare_step,
            "routine_step_do(savnet sesam), no work": kernel_step,
            "missing_report_record_sesam (service: + own work)": service_sesam,
            "leave_application_prepare_step (+ after-step hook)": leave_step,
        },
        fx,
        n,
        writes=True,
        show_sql=show_sql,
    )
    table(
        "2. opening a missing report (7 deadlines, 3 straks alerted)",
        {
            "bare: the same rows by hand (bulk inserts)": bare_open,
            "missing_report_open": kernel_open,
        },
        fx,
        max(n // 2, 5),
        writes=True,
        show_sql=show_sql,
    )
    table(
        "3. routine_page, missing checklist, every step done",
        {
            "bare: the three queries": bare_page,
            "routine_page": kernel_page,
        },
        fx,
        n,
        writes=False,
        show_sql=show_sql,
    )
    memory(fx, reports)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--repeat", type=int, default=50, help="timed calls per subject")
    parser.add_argument(
        "--reports", type=int, default=200, help="open reports (memory: one call each)"
    )
    parser.add_argument("--sql", action="store_true", help="print every statement counted")
    args = parser.parse_args()

    url = os.environ["DATABASE_URL"]
    if url.startswith("postgres"):
        ensure_postgres_database(url)
    else:
        (ROOT / "var").mkdir(exist_ok=True)

    import django
    from django.core.management import call_command
    from django.utils import translation

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # DEBUG keeps every query in memory: not what production does
    translation.activate("en")
    call_command("migrate", verbosity=0)
    seed(args.reports)
    measure(args.repeat, args.reports, args.sql)


if __name__ == "__main__":
    main()
