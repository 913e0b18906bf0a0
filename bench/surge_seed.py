"""Surge: 6,000 open cases with 100,000 open deadlines on top of residents_bench.py's data.

The planning figures of a surge like 2015's (docs/scaling.md). It opens an arrival case on
6,000 of the 10,000 seeded residents' stays and gives those cases about 17 open deadlines each,
of different kinds (one open deadline per case and kind), falling due over the next 90 days (none due now: the sweep's due rows are sweep_bench.py's
subject), then ANALYZE. Rerun residents_bench.py and load_test.py afterwards: their ratios
should hold, since each page's cost follows the page, not the table sizes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/em_bench .venv/bin/python bench/surge_seed.py

Like the other seeds it writes straight into the tables (bulk_create and COPY), bypassing
simple-history: a benchmark fixture, never the project's own way.
"""

import io
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

CASES = 6_000
DEADLINES = 100_000


def seed_cases() -> list:
    from django.db import transaction

    from mottak.models import Arrival, Stay

    existing = list(Arrival.objects.filter(state=Arrival.State.OPEN)[:CASES])
    if len(existing) >= CASES:
        print(f"reusing {len(existing):,} open arrival cases")
        return existing
    stays = (
        Stay.objects.filter(ended_at__isnull=True, arrival__isnull=True)
        .select_related("centre")
        .order_by("pk")[: CASES - len(existing)]
    )
    with transaction.atomic():
        created = Arrival.objects.bulk_create(
            [
                Arrival(
                    stay=stay,
                    resident_id=stay.resident_id,
                    centre=stay.centre,
                    centre_kind=stay.centre.kind,
                    arrived_at=stay.started_at,
                )
                for stay in stays
            ],
            batch_size=1000,
        )
    return existing + created


def seed_deadlines(cases: list) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.utils import timezone
    from sweep_bench import COLUMNS, NOT_NULL_TEXT, URGENCY

    from cases.models import Deadline
    from mottak.models import Arrival, Resident

    arrival_ct = ContentType.objects.get_for_model(Arrival).pk
    resident_ct = ContentType.objects.get_for_model(Resident).pk
    already = Deadline.objects.filter(content_type_id=arrival_ct, state="open").count()
    if already >= DEADLINES:
        print(f"reusing {already:,} open deadlines")
        return
    regions = dict(
        Arrival.objects.filter(pk__in=[c.pk for c in cases]).values_list("pk", "centre__region_id")
    )
    now = timezone.now()
    rng = random.Random(2015)
    chunk = io.StringIO()
    for i in range(DEADLINES - already):
        case = cases[i % len(cases)]
        due_at = now + timedelta(hours=rng.randint(3, 24 * 90))
        next_alert = max(now + timedelta(hours=1), due_at - timedelta(days=2))
        chunk.write(
            f"{arrival_ct},{case.pk},{resident_ct},{case.resident_id},{case.centre_id},"
            f"{regions[case.pk]},surge_step_{i // len(cases):02d},MOT-1,Ankomst: frist,"
            f"{due_at.isoformat()},open,{case.arrived_at.isoformat()},f,,0,"
            f"{next_alert.isoformat()},0,,{URGENCY},\n"
        )
    chunk.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY cases_deadline ({COLUMNS}) FROM STDIN WITH (FORMAT csv, {NOT_NULL_TEXT})",
            chunk,
        )
        cursor.execute("ANALYZE")


def main() -> None:
    import django

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to residents_bench.py's PostgreSQL database.")
    django.setup()
    import residents_bench

    residents_bench.seed()
    started = time.perf_counter()
    cases = seed_cases()
    seed_deadlines(cases)
    from cases.models import Deadline
    from mottak.models import Arrival

    print(
        f"open arrival cases: {Arrival.objects.filter(state='open').count():,}; "
        f"open deadlines: {Deadline.objects.filter(state='open').count():,} "
        f"({time.perf_counter() - started:.1f} s)"
    )


if __name__ == "__main__":
    main()
