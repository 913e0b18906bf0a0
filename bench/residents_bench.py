"""Benchmark: the resident list, resident page and start pages against a bare one-query view.

Seeds 10,000 residents in 100 centres (10 regions) into a database of its own, then measures in
one run the median server time of each page over N requests through the full middleware stack
(Django test client, in process: no network), and prints the ratios to the bare view.

    DJANGO_SETTINGS_MODULE=config.settings.dev python bench/residents_bench.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/em_bench python bench/residents_bench.py

Without DATABASE_URL it uses var/bench.sqlite3. Seeding uses bulk_create on purpose: it is a
benchmark fixture, so it bypasses simple-history (the project's code never does).
Compare ratios within one run, not absolute times across runs: the machine may be busy.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
# Persistent connections, as in production: otherwise every request pays a new connection and
# PostgreSQL plans each query on a cold catalogue cache.
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "60")

REGIONS = 10
CENTRES = 100
RESIDENTS = 10_000
GIVEN = ["Amina", "Yonas", "Selam", "Liya", "Dawit", "Hana", "Samir", "Nadia", "Omar", "Sara"]
FAMILY = ["Testberg", "Prøvesen", "Eksempelsen", "Fiktivdal", "Oppdiktet", "Demovik"]


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


def seed() -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from mottak.models import Centre, Region, Resident, Role, Stay, User
    from mottak.services.memberships import centre_membership_grant

    if Resident.objects.count() >= RESIDENTS:
        return
    print(f"seeding {RESIDENTS} residents in {CENTRES} centres …", flush=True)
    now = timezone.now()
    kinds = list(Centre.Kind.values)
    stages = ["registered", "dublin", "awaiting_interview", "decision_pending", "granted"]
    stages += ["rejected_udi", "final_rejection"]
    with transaction.atomic():
        regions = Region.objects.bulk_create(
            [Region(name=f"Benk-region {r:02d}") for r in range(REGIONS)]
        )
        centres = Centre.objects.bulk_create(
            [
                Centre(
                    name=f"Benk-mottak {c:03d}",
                    kind=kinds[c % len(kinds)],
                    operator="municipal" if c % 2 else "private",
                    municipality=f"Kommune {c:03d}",
                    region=regions[c % REGIONS],
                    capacity=120,
                )
                for c in range(CENTRES)
            ]
        )
        residents = [
            Resident(
                duf_number=str(10**11 + i),
                given_names=GIVEN[i % len(GIVEN)],
                family_name=f"{FAMILY[i % len(FAMILY)]}{i:05d}",
                date_of_birth=date(2008, 1, 1) + timedelta(days=i % 1500),
                gender="female" if i % 2 else "male",
                nationality="Eritrea",
                asylum_stage=stages[i % len(stages)],
                centre=centres[i % CENTRES],
            )
            for i in range(RESIDENTS)
        ]
        Resident.objects.bulk_create(residents, batch_size=1000)
        Stay.objects.bulk_create(
            [
                Stay(resident=r, centre=r.centre, started_at=now - timedelta(days=30))
                for r in residents
            ],
            batch_size=1000,
        )
        staff = User.objects.create_user(
            username="bench-staff", password="bench-pw-123!", role=Role.CENTRE_STAFF
        )
        centre_membership_grant(user=staff, centre=centres[0])
        User.objects.create_superuser(
            username="bench-admin", password="bench-pw-123!", role=Role.ADMIN
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")


def ensure_regional_user_and_presence_times() -> None:
    """What the regional pages and the presence register need, added to an older seed too: a
    regional caseworker for the first region (1,000 residents), and the centre's check times."""
    from datetime import time as clock

    from mottak.models import Centre, PresenceCheckTime, Region, Role, User
    from mottak.services.memberships import region_membership_grant

    caseworker, created = User.objects.get_or_create(
        username="bench-region", defaults={"role": Role.REGION_CASEWORKER}
    )
    if created:
        region_membership_grant(user=caseworker, region=Region.objects.get(name="Benk-region 00"))
    centre = Centre.objects.get(name="Benk-mottak 000")
    PresenceCheckTime.objects.get_or_create(
        centre=centre, kind="evening", defaults={"time": clock(22, 0), "active": True}
    )


def bare_view(request, pk: int):
    """The floor: one indexed query, no template."""
    from django.http import JsonResponse

    from mottak.models import Resident

    row = Resident.objects.filter(pk=pk).values("id", "family_name", "centre_id").first()
    return JsonResponse(row or {})


def install_bare_url() -> None:
    """Serve the bare view next to the project's URLs, through the same middleware."""
    from django.conf import settings
    from django.urls import clear_url_caches, include, path

    module = type(sys)("bench_urls")
    module.urlpatterns = [
        path("bench/bare/<int:pk>/", bare_view),
        path("", include(settings.ROOT_URLCONF)),
    ]
    sys.modules["bench_urls"] = module
    settings.ROOT_URLCONF = "bench_urls"
    clear_url_caches()


def log_in(client, user) -> None:
    """A finished login: the password (force_login) and the second factor, as django_otp
    records a verified device in the session; without it every page answers with a redirect
    to the code page."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_static.models import StaticDevice

    client.force_login(user)
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="bench login", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def median_ms(client, url: str, n: int, method: str = "get", data=None) -> float:
    call = getattr(client, method)
    response = call(url, data) if data else call(url)  # warm-up, and a sanity check
    # A page must answer itself: a redirect (to the login or code page) would time nothing.
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(n):
        start = time.perf_counter()
        response = call(url, data) if data else call(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times)


def measure(n: int) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from mottak.models import Resident, User

    settings.DEBUG = False  # DEBUG keeps every query in memory: not what production does
    # The test client's host name, allowed without setup_test_environment(): that would
    # instrument every template render with a signal and a context copy production never pays.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    install_bare_url()
    staff = User.objects.get(username="bench-staff")
    admin = User.objects.get(username="bench-admin")
    region = User.objects.get(username="bench-region")
    resident = Resident.objects.filter(centre__name="Benk-mottak 000").order_by("pk").first()
    region_id = resident.centre.region_id
    today = timezone.localdate().isoformat()
    register = f"/mottak/{resident.centre_id}/tilstede/{today}/evening/"

    staff_client, admin_client, anonymous = Client(), Client(), Client()
    region_client = Client()
    log_in(staff_client, staff)
    log_in(admin_client, admin)
    log_in(region_client, region)

    bare_url = f"/bench/bare/{resident.pk}/"
    results = {
        "bare view, one indexed query (logged in)": median_ms(staff_client, bare_url, n),
        "bare view, one indexed query (no session)": median_ms(anonymous, bare_url, n),
        "resident list, page of 50, centre staff": median_ms(staff_client, "/beboere/", n),
        "resident list, page of 50, admin (all 10,000)": median_ms(admin_client, "/beboere/", n),
        "resident page, centre staff": median_ms(staff_client, f"/beboere/{resident.pk}/", n),
        "start page (I dag), centre staff": median_ms(staff_client, "/", n),
        "start page (I dag), admin": median_ms(admin_client, "/", n),
        "start page (I dag), regional office": median_ms(region_client, "/", n),
        "presence register (evening check), centre staff": median_ms(staff_client, register, n),
        "resident list, regional office (1,000)": median_ms(region_client, "/beboere/", n),
        "deadlines of the region, regional office": median_ms(
            region_client, f"/saker/frister/region/{region_id}/", n
        ),
        "missing reports, regional office": median_ms(region_client, "/savnet/", n),
    }
    admin_client.post("/beboere/", {"q": resident.duf_number[:6]})
    results["resident list, admin, DUF prefix search"] = median_ms(admin_client, "/beboere/", n)

    floor = results["bare view, one indexed query (logged in)"]
    print(
        f"\ndatabase: {connection.vendor} · {Resident.objects.count()} residents · "
        f"median of {n} requests\n"
    )
    print(f"{'request':<50} {'median ms':>10} {'× bare':>8}")
    for name, ms in results.items():
        print(f"{name:<50} {ms:>10.2f} {ms / floor:>8.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--requests", type=int, default=50)
    args = parser.parse_args()

    url = os.environ["DATABASE_URL"]
    if url.startswith("postgres"):
        ensure_postgres_database(url)
    else:
        (ROOT / "var").mkdir(exist_ok=True)

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    seed()
    ensure_regional_user_and_presence_times()
    measure(args.requests)


if __name__ == "__main__":
    main()
