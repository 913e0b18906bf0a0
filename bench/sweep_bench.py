"""Sweep cost with 1,000,000 open deadlines of which 1,000 are due (issue 3, X-5).

Compares, in one run, the sweep (deadlines_sweep: lock, alert, notify, mark missed, history,
timeline) with the bare SQL that selects the same due rows with the same conditions
(FOR UPDATE SKIP LOCKED), prints the ratio, the cost of a sweep with nothing due, and the
plan of the sweep's select — which must use the partial index, so the cost grows with the
due rows and not with all rows.

Run against PostgreSQL only, in a database of its own:

    python bench/sweep_bench.py [--rows 1000000] [--due 1000] [--repeat 3] [--fresh]

Seeding uses COPY straight into the table: it bypasses simple-history (no historical rows
for the seeded deadlines) and points the generic owner at made-up ids. Each timed sweep runs
inside a transaction that is rolled back, so every repetition sees the same due rows.
"""

import argparse
import io
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/em_deadlines_bench"
os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ["CASES_EMAIL_NOTIFICATIONS"] = "0"

CENTRES = 50
URGENCY = "ordinary"  # the default urgency class (cases/urgency.py)
COLUMNS = (
    "content_type_id, object_id, subject_ct_id, subject_id, centre_id, region_id, kind, rule_id,"
    " label, due_at, state, opened_at, was_missed, waive_reason, reminders_sent, next_alert_at,"
    " failure_count, last_error, urgency, national_role"
)
# COPY's csv format reads an empty field as NULL unless told otherwise.
NOT_NULL_TEXT = "FORCE_NOT_NULL (waive_reason, last_error, national_role)"


def ensure_database(url: str, *, fresh: bool) -> None:
    import dj_database_url
    import psycopg2

    cfg = dj_database_url.parse(url)
    admin = psycopg2.connect(
        dbname="postgres", user=cfg["USER"], host=cfg["HOST"], port=cfg["PORT"] or 5432
    )
    admin.autocommit = True
    with admin.cursor() as cur:
        if fresh:
            cur.execute(f'DROP DATABASE IF EXISTS "{cfg["NAME"]}"')
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]])
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{cfg["NAME"]}"')
    admin.close()


def seed(rows: int, due: int) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.utils import timezone

    from cases.models import Deadline
    from mottak.models import Centre, Region, Resident, Role, User
    from mottak.services.memberships import centre_membership_grant, region_membership_grant

    if Deadline.objects.count() == rows:
        print(f"reusing {rows:,} seeded deadlines")
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE cases_notification, cases_deadlinealert, cases_historicaldeadline,"
            " cases_deadline, cases_timelineevent CASCADE"
        )
    region, _ = Region.objects.get_or_create(name="Bench region")
    centres = []
    for i in range(CENTRES):
        centre, _ = Centre.objects.get_or_create(
            name=f"Bench centre {i:02d}",
            defaults=dict(
                kind=Centre.Kind.ORDINARY_MINORS,
                operator=Centre.Operator.MUNICIPAL,
                municipality="Bench",
                region=region,
                capacity=30,
            ),
        )
        centres.append(centre)
        leader, created = User.objects.get_or_create(
            username=f"bench-leader-{i}", defaults={"role": Role.CENTRE_LEADER}
        )
        if created:
            centre_membership_grant(user=leader, centre=centre)
    caseworker, created = User.objects.get_or_create(
        username="bench-caseworker", defaults={"role": Role.REGION_CASEWORKER}
    )
    if created:
        region_membership_grant(user=caseworker, region=region)

    ct = ContentType.objects.get_for_model(Resident).pk
    now = timezone.now()
    opened = now - timedelta(days=1)
    due_every = rows // due
    rng = random.Random(7)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        chunk = io.StringIO()
        for i in range(rows):
            centre = centres[(i + i // due_every) % CENTRES]  # due rows spread over centres
            if i % due_every == 0 and i // due_every < due:
                due_at = now - timedelta(minutes=rng.randint(1, 600))
                next_alert = due_at
            else:
                due_at = now + timedelta(hours=rng.randint(3, 24 * 90))
                next_alert = opened + (due_at - opened) / 2
                if next_alert <= now:
                    next_alert = due_at - timedelta(hours=2)
            chunk.write(
                f"{ct},{i + 1},{ct},{i + 1},{centre.pk},{region.pk},bench_{i % 7},SAV-2,"
                f"Bench deadline,{due_at.isoformat()},open,{opened.isoformat()},f,,0,"
                f"{next_alert.isoformat()},0,,{URGENCY},\n"
            )
            if (i + 1) % 100_000 == 0 or i + 1 == rows:
                chunk.seek(0)
                raw.copy_expert(
                    f"COPY cases_deadline ({COLUMNS}) FROM STDIN WITH (FORMAT csv, {NOT_NULL_TEXT})",
                    chunk,
                )
                chunk = io.StringIO()
    print(f"seeded {rows:,} deadlines ({due:,} due) in {time.perf_counter() - started:.1f} s")


# Every table the sweep writes: each timed sweep is rolled back, which leaves its rows behind
# as dead tuples; without a vacuum a later run reads and indexes into the bloat of earlier ones.
SWEPT_TABLES = (
    "cases_deadline",
    "cases_deadlinealert",
    "cases_notification",
    "cases_historicaldeadline",
    "cases_timelineevent",
)


def vacuum_analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in SWEPT_TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")


def sweep_time(due: int):
    """When the seeded due rows are due: the `due`-th earliest next alert of the open rows.
    The other seeded rows fall due from half an hour after seeding on, so a run that swept at
    its own clock, later, would sweep more rows than were seeded due (reminders among them)."""
    from cases.models import Deadline

    open_rows = Deadline.objects.filter(state=Deadline.State.OPEN).order_by("next_alert_at")
    return open_rows.values_list("next_alert_at", flat=True)[due - 1]


def time_sweep(now) -> tuple[float, object]:
    from django.db import transaction

    from cases.services.deadlines import deadlines_sweep

    with transaction.atomic():
        started = time.perf_counter()
        result = deadlines_sweep(now=now)
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed, result


def time_sweep_with_reminders(now, repeat: int) -> str:
    """The sweep two hours after the due rows' time: the seeded rows whose reminder points
    have passed meanwhile are reminded (a row each: alert, notifications, CASE update)."""
    from cases.services.deadlines import due_for_sweep

    later = now + timedelta(hours=2)
    due = due_for_sweep(later).count()
    runs = [time_sweep(later) for _ in range(repeat)]
    elapsed, result = statistics.median(e for e, _ in runs), runs[0][1]
    return (
        f"sweep two hours later ({result.escalations:,} escalations, {result.reminders:,}"
        f" reminders, median of {repeat}): {elapsed * 1000:.1f} ms ="
        f" {elapsed / due * 1000:.2f} ms per due row"
    )


def time_raw_select(now) -> tuple[float, int]:
    from django.db import connection, transaction

    with transaction.atomic():
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT * FROM cases_deadline WHERE state = 'open' AND next_alert_at <= %s"
                " ORDER BY next_alert_at FOR UPDATE SKIP LOCKED",
                [now],
            )
            count = len(cursor.fetchall())
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed, count


def _recipients_by_centre() -> dict[int, list[int]]:
    """Who the sweep tells at the limit in this seed, read the sweep's own way once per centre
    (the centre's leader and the region's caseworker), so the baseline writes the same rows."""
    from cases.models import Deadline
    from cases.services.deadlines import _Recipients
    from cases.urgency import get as urgency_class

    recipients, found = _Recipients(), {}
    for centre_id in Deadline.objects.order_by().values_list("centre_id", flat=True).distinct():
        probe = Deadline.objects.filter(centre_id=centre_id).select_related("centre", "region")[0]
        audience = urgency_class(probe.urgency).escalation_at_limit
        found[centre_id] = [u.pk for u in recipients.of(probe, audience)]
    return found


def time_hand_written_sweep(now, recipients: dict[int, list[int]]) -> tuple[float, int]:
    """The same writes as the sweep of past-due rows, in hand-written SQL with one statement per
    table: lock, alerts, notifications, mark missed, history rows, timeline events."""
    from django.db import connection, transaction
    from psycopg2.extras import execute_values

    from cases.models import Deadline

    history = Deadline.history.model._meta
    own = [f.column for f in Deadline._meta.concrete_fields]
    extra = {"history_date": "%(now)s", "history_type": "'~'", "history_change_reason": "NULL"}
    extra["history_user_id"] = "NULL"
    history_columns = [c for c in (f.column for f in history.concrete_fields) if c != "history_id"]
    select = [extra.get(c, f"d.{c}") for c in history_columns]
    with transaction.atomic():
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, centre_id FROM cases_deadline WHERE state = 'open'"
                " AND next_alert_at <= %s ORDER BY next_alert_at FOR UPDATE SKIP LOCKED",
                [now],
            )
            rows = cursor.fetchall()
            ids = [row[0] for row in rows]
            centre_of = dict(rows)
            cursor.execute(
                "INSERT INTO cases_deadlinealert (deadline_id, stage, kind, created_at)"
                " SELECT id, 'escalation', 'escalation', %s FROM cases_deadline"
                " WHERE id = ANY(%s) RETURNING id, deadline_id",
                [now, ids],
            )
            alerts = cursor.fetchall()
            execute_values(
                cursor.cursor,
                "INSERT INTO cases_notification (recipient_id, alert_id, deadline_id, kind,"
                " created_at) VALUES %s",
                [
                    (user, alert, deadline, "escalation", now)
                    for alert, deadline in alerts
                    for user in recipients[centre_of[deadline]]
                ],
                page_size=100_000,
            )
            cursor.execute(
                "UPDATE cases_deadline SET state = 'missed', escalated_at = %s,"
                " next_alert_at = NULL, last_error = '' WHERE id = ANY(%s)",
                [now, ids],
            )
            cursor.execute(
                f"INSERT INTO {history.db_table} ({', '.join(history_columns)})"
                f" SELECT {', '.join(select)} FROM cases_deadline d WHERE d.id = ANY(%(ids)s)",
                {"now": now, "ids": ids},
            )
            cursor.execute(
                "INSERT INTO cases_timelineevent (content_type_id, object_id, kind, rule_id,"
                " summary, at) SELECT subject_ct_id, subject_id, 'deadline_missed', rule_id,"
                " 'Deadline missed: ' || label, %s FROM cases_deadline"
                " WHERE id = ANY(%s) AND subject_ct_id IS NOT NULL",
                [now, ids],
            )
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    assert own  # the deadline's own columns exist under the same names in its history table
    return elapsed, len(ids)


def sweep_plan(now) -> str:
    from django.db import transaction

    from cases.services.deadlines import SWEEP_BATCH_SIZE, due_batch_locked

    with transaction.atomic():
        plan = due_batch_locked(now, SWEEP_BATCH_SIZE).explain(analyze=True, buffers=True)
        transaction.set_rollback(True)
    return plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database")
    args = parser.parse_args()

    if not os.environ["DATABASE_URL"].startswith("postgres"):
        sys.exit("This benchmark needs PostgreSQL (DATABASE_URL=postgres://…).")
    ensure_database(os.environ["DATABASE_URL"], fresh=args.fresh)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    seed(args.rows, args.due)
    vacuum_analyze()

    now = sweep_time(args.due)
    # Warm up caches (content types, permissions, the plan cache) once, outside the figures.
    time_sweep(now)
    recipients = _recipients_by_centre()
    time_hand_written_sweep(now, recipients)
    sweeps, raws, hands = [], [], []
    for _ in range(args.repeat):
        elapsed, result = time_sweep(now)
        sweeps.append(elapsed)
        raw_elapsed, count = time_raw_select(now)
        raws.append(raw_elapsed)
        hand_elapsed, hand_count = time_hand_written_sweep(now, recipients)
        hands.append(hand_elapsed)
    empty = min(time_sweep(now - timedelta(days=400))[0] for _ in range(args.repeat))
    with_reminders = time_sweep_with_reminders(now, args.repeat)

    sweep, raw = statistics.median(sweeps), statistics.median(raws)
    print(f"rows: {args.rows:,}, due: {count:,} (escalated per sweep: {result.escalations:,})")
    print(
        f"sweep (median of {args.repeat}): {sweep * 1000:.1f} ms = {sweep / count * 1000:.2f} ms per due row"
    )
    print(f"raw SELECT … FOR UPDATE SKIP LOCKED of the due rows: {raw * 1000:.2f} ms")
    print(f"ratio sweep / raw select: {sweep / raw:.1f}x")
    hand = statistics.median(hands)
    print(
        f"hand-written SQL doing the same writes ({hand_count:,} rows, one statement per"
        f" table): {hand * 1000:.1f} ms; ratio sweep / hand-written: {sweep / hand:.2f}x"
    )
    print(f"sweep with nothing due ({args.rows:,} open rows): {empty * 1000:.2f} ms")
    print(with_reminders)
    print("\nEXPLAIN (ANALYZE, BUFFERS) of the sweep's select:")
    print(sweep_plan(now))


if __name__ == "__main__":
    main()
