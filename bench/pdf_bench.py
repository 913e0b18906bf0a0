"""PDF rendering: the dispatch service against a bare WeasyPrint call, and throughput.

    DATABASE_URL=postgres://…/<db> python bench/pdf_bench.py [--renders 100] [--pairs 20]

Needs a migrated database (PostgreSQL for the two-process part: SQLite serialises writers).
Creates its own centre, resident and dispatches (a fresh resident each run) and writes the
PDFs to a temporary MEDIA_ROOT. The render task's messages go to an in-memory broker that
nothing consumes: the bench calls the service itself.

1. Ratio, in one run, interleaved so both see the same machine load: dispatch_render (row
   lock, template, WeasyPrint, sha256, atomic file write, commit) against a bare WeasyPrint
   call on the same HTML with the shared font configuration and stylesheet; and, for the
   record, WeasyPrint with a fresh font configuration and stylesheet each time.
2. Throughput of N renders through dispatch_render with one worker process and with two
   (multiprocessing Pool(1) and Pool(2), forked like Celery's prefork pool; each process is
   warmed up before the clock starts, as a long-lived worker child would be).
"""

import argparse
import json
import logging
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date
from multiprocessing import get_context
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ["CELERY_BROKER_URL"] = "memory://"
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
os.environ.pop("CASES_RENDER_TEST_DELAY", None)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, connections  # noqa: E402

from cases import rendering  # noqa: E402
from cases.models import Dispatch  # noqa: E402
from cases.services import dispatch_create, dispatch_render  # noqa: E402
from cases.services.dispatches import dispatch_html  # noqa: E402
from mottak.models import Centre, ExternalRecipient, Region, Resident, Role, User  # noqa: E402

LEGAL_BASIS = "Utlendingsforskriften § 17-6 og UDIs rutiner for EM-mottak punkt 1.1"
logging.getLogger("weasyprint").setLevel(logging.WARNING)


def sample_context(form: str) -> dict:
    path = rendering.forms_dir() / "samples" / f"{form.removesuffix('.html')}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def setup_data(count: int) -> list[int]:
    region, _ = Region.objects.get_or_create(name="Benkmerking region")
    centre, _ = Centre.objects.get_or_create(
        name="Benkmerking mottak",
        defaults=dict(
            kind=Centre.Kind.ORDINARY_MINORS,
            operator=Centre.Operator.MUNICIPAL,
            municipality="Lillehammer",
            address="Postboks 1, 2601 Lillehammer",
            region=region,
            capacity=30,
        ),
    )
    user, _ = User.objects.get_or_create(
        username="benkmerking", defaults={"role": Role.CENTRE_STAFF}
    )
    resident = Resident.objects.create(
        registration_number=f"bench-{uuid.uuid4().hex[:12]}",
        given_names="Åsmund Ærlig",
        family_name="Søgård",
        date_of_birth=date(2010, 3, 14),
        gender=Resident.Gender.MALE,
        nationality="Eritrea",
        centre=centre,
    )
    recipient, _ = ExternalRecipient.objects.get_or_create(
        kind="county_governor",
        name="Statsforvalteren i Innlandet",
        defaults={"address": "Postboks 987, 2626 Lillehammer"},
    )
    context = sample_context("arrival_notice.html")
    ids = []
    for version in range(1, count + 1):
        dispatch = dispatch_create(
            owner=resident,
            subject=resident,
            recipient=recipient,
            channel="post",
            legal_basis=LEGAL_BASIS,
            template="arrival_notice.html",
            purpose="arrival_notice",
            context=context,
            by=user,
            version=version,
        )
        ids.append(dispatch.pk)
    return ids


def timed(fn, *args, **kwargs) -> float:
    start = time.perf_counter()
    fn(*args, **kwargs)
    return time.perf_counter() - start


def ratio_phase(ids: list[int], html: str) -> dict:
    rendering.html_to_pdf(html)  # warm: fonts and stylesheet parsed once
    rendering.html_to_pdf_unshared(html)
    service, bare, unshared = [], [], []
    for dispatch_id in ids:
        bare.append(timed(rendering.html_to_pdf, html))
        service.append(timed(dispatch_render, dispatch_id=dispatch_id))
        unshared.append(timed(rendering.html_to_pdf_unshared, html))
    return {
        "service": statistics.median(service),
        "bare": statistics.median(bare),
        "unshared": statistics.median(unshared),
    }


def _worker_init(media_root: str, html: str) -> None:
    settings.MEDIA_ROOT = media_root
    connections.close_all()  # never share the parent's connection
    rendering._shared_fonts_and_css.cache_clear()
    rendering.html_to_pdf(html)


def _render_one(dispatch_id: int) -> str:
    return dispatch_render(dispatch_id=dispatch_id).state


def throughput_phase(ids: list[int], processes: int, html: str) -> float:
    connections.close_all()
    with get_context("fork").Pool(
        processes, initializer=_worker_init, initargs=(settings.MEDIA_ROOT, html)
    ) as pool:
        pool.map(len, [[0]] * processes)  # every process up and warmed
        start = time.perf_counter()
        states = pool.map(_render_one, ids, chunksize=1)
        elapsed = time.perf_counter() - start
    assert set(states) == {Dispatch.State.RENDERED}, set(states)
    return len(ids) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--renders", type=int, default=100)
    parser.add_argument("--pairs", type=int, default=20)
    args = parser.parse_args()
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="pdf-bench-")
    settings.DEBUG = False

    print(f"database: {connection.vendor}; cores: {os.cpu_count()}; load: {os.getloadavg()}")
    ids = setup_data(args.pairs + 2 * args.renders)
    pair_ids = ids[: args.pairs]
    one_ids = ids[args.pairs : args.pairs + args.renders]
    two_ids = ids[args.pairs + args.renders :]
    html = dispatch_html(Dispatch.objects.get(pk=pair_ids[0]))

    medians = ratio_phase(pair_ids, html)
    print(f"\n1. one 2-page form, median of {args.pairs} interleaved runs")
    print(f"   bare WeasyPrint (shared fonts + CSS)  {medians['bare'] * 1000:7.1f} ms")
    print(f"   dispatch_render (DB, file, sha256)    {medians['service'] * 1000:7.1f} ms")
    print(f"   WeasyPrint, fonts + CSS each time     {medians['unshared'] * 1000:7.1f} ms")
    print(f"   service / bare                        {medians['service'] / medians['bare']:7.2f}")
    print(f"   shared / fresh fonts + CSS            {medians['bare'] / medians['unshared']:7.2f}")

    if connection.vendor != "postgresql":
        print("\n2. throughput: skipped (needs PostgreSQL for concurrent writers)")
        return
    one = throughput_phase(one_ids, 1, html)
    two = throughput_phase(two_ids, 2, html)
    print(f"\n2. throughput, {args.renders} renders through dispatch_render (multiprocessing)")
    print(f"   1 process   {one:6.2f} renders/s")
    print(f"   2 processes {two:6.2f} renders/s   (x{two / one:.2f})")
    print(f"\nload at the end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
