"""Accessibility in the browser: axe-core on every page every role reaches, and the missing
routine done with the keyboard alone.

axe-core is vendored (tests/e2e/vendor, refreshed by scripts/vendor-axe.sh) and injected into
each page from a context that bypasses the site's Content Security Policy (the site itself
allows no inline or foreign script). The data is the demo's, seeded through the services, so
the pages show live cases: late leaves, a missing report, deadlines, alerts.

The crawl starts at each role's start page (and the Django admin for the administrator),
follows same-origin links to depth 2 and keeps a bounded sample of pages of the same shape
(two resident pages, one admin change page per model …). Every page is printed with its
critical and serious counts; any critical or serious violation fails the test.
"""

import re
from collections import Counter
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError

from cases.models import Dispatch
from cases.services import dispatch_render
from mottak import demo
from mottak.models import Resident
from savnet.models import MissingReport

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
MAX_DEPTH = 2
SAME_SHAPE_PAGES = 2  # pages whose paths differ only in numbers
ADMIN_SAME_SHAPE_PAGES = 1
MAX_PAGES_PER_ROLE = 90
BLOCKING = ("critical", "serious")
# Not pages: signing out, switching language, files and exports, destructive admin pages.
SKIPPED = re.compile(
    r"logout|/i18n/|setlang|set_language|/media/|/test-media/|pdf|download|nedlast|"
    r"eksport|export|\.csv|\.xlsx|/delete/|jsi18n|/password/|vedlegg|/fil/|bilde|photo",
    re.IGNORECASE,
)
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, nodes: v.nodes.length,
    target: v.nodes.length ? v.nodes[0].target.join(" ") : "",
  }));
}"""


def shape(path: str) -> str:
    return re.sub(r"\d+", "<n>", path)


def allowed(path: str, *, admin: bool) -> bool:
    if SKIPPED.search(path):
        return False
    return admin or not path.startswith("/admin/")


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(AXE_RUN)


def same_origin_links(page, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    paths = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" == base and parts.path:
            paths.append(parts.path)  # no query, no fragment: one visit per page
    return paths


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", demo.DEMO_PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{base}/konto/kode/**")
    page.fill("#id_code", demo.DEMO_BACKUP_CODES[0])
    page.press("#id_code", "Enter")
    page.wait_for_url(f"{base}/")


def crawl(page, base: str, *, role: str, admin: bool) -> list[dict]:
    """Visit the role's pages breadth first to depth 2 and run axe on each."""
    queue = [("/", 0)] + ([("/admin/", 1)] if admin else [])
    seen, rows, shapes = set(), [], Counter()
    while queue and len(rows) < MAX_PAGES_PER_ROLE:
        path, depth = queue.pop(0)
        cap = ADMIN_SAME_SHAPE_PAGES if path.startswith("/admin/") else SAME_SHAPE_PAGES
        if path in seen or shapes[shape(path)] >= cap:
            continue
        seen.add(path)
        shapes[shape(path)] += 1
        try:
            response = page.goto(f"{base}{path}")
        except PlaywrightError as error:
            if "Download is starting" not in str(error):
                raise
            continue  # a file behind a link, not a page
        kind = response.headers.get("content-type", "") if response else ""
        if response is None or not response.ok or "text/html" not in kind:
            rows.append(dict(role=role, path=path, status=getattr(response, "status", 0)))
            continue
        violations = axe_violations(page)
        counts = Counter(v["impact"] for v in violations)
        rows.append(
            dict(
                role=role,
                path=path,
                status=response.status,
                critical=counts["critical"],
                serious=counts["serious"],
                other=sum(counts.values()) - counts["critical"] - counts["serious"],
                blocking=[v for v in violations if v["impact"] in BLOCKING],
            )
        )
        if depth < MAX_DEPTH:
            for link in same_origin_links(page, base):
                if link not in seen and allowed(link, admin=admin):
                    queue.append((link, depth + 1))
    return rows


def print_table(rows: list[dict]) -> None:
    print(f"\n{'role':<12} {'critical':>8} {'serious':>8} {'other':>6}  path")
    for row in rows:
        if "critical" not in row:
            print(f"{row['role']:<12} {'HTTP ' + str(row['status']):>24}  {row['path']}")
            continue
        print(
            f"{row['role']:<12} {row['critical']:>8} {row['serious']:>8} {row['other']:>6}  "
            f"{row['path']}"
        )
        for v in row["blocking"]:
            print(f"{'':<12} {v['impact']:>8} {v['id']} ×{v['nodes']} at {v['target']}")
    pages = [r for r in rows if "critical" in r]
    print(
        f"{len(pages)} pages, {sum(r['critical'] for r in pages)} critical, "
        f"{sum(r['serious'] for r in pages)} serious"
    )


def test_axe_finds_no_critical_or_serious_violation_on_any_page_of_any_role(browser, live_server):
    demo.demo_seed()
    base = live_server.url
    rows = []
    for user in demo.DEMO_USERS:
        # One context per role: its own session; axe injected past the CSP.
        context = browser.new_context(bypass_csp=True, locale="nb-NO")
        page = context.new_page()
        page.set_default_timeout(20_000)
        log_in(page, base, user.username)
        rows += crawl(page, base, role=user.username, admin=user.role == "admin")
        context.close()
    print_table(rows)

    roles_seen = {r["role"] for r in rows if "critical" in r}
    assert roles_seen == {u.username for u in demo.DEMO_USERS}
    assert any(r["path"].startswith("/admin/") for r in rows)
    broken = [r for r in rows if "critical" not in r and r["status"] >= 500]
    assert not broken, broken
    blocking = [(r["role"], r["path"], v["id"]) for r in rows for v in r.get("blocking", [])]
    assert not blocking, blocking


# --- the keyboard alone ----------------------------------------------------------------------


def tab_to(page, selector: str, *, limit: int = 250) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => !!document.activeElement?.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


def choose_with_arrows(page, value: str, *, limit: int = 200) -> None:
    """On a focused <select>: arrow down (from the top) until `value` is chosen."""
    page.keyboard.press("Home")
    for _ in range(limit):
        if page.evaluate("() => document.activeElement.value") == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"option {value} cannot be chosen with the arrow keys")


def type_moment(page, moment) -> None:
    """Type a date and time into the focused datetime-local field, segment by segment, as a
    keyboard user does; the value is checked afterwards."""
    local = timezone.localtime(moment)
    page.keyboard.type(local.strftime("%m%d%Y"))
    page.keyboard.press("Tab")  # from the year to the hour segment
    # Headless Chromium's segments are month, day, year, hour (12-hour clock), minute, AM/PM.
    page.keyboard.type(local.strftime("%I%M") + ("A" if local.hour < 12 else "P"))
    value = page.evaluate("() => document.activeElement.value")
    assert value == local.strftime("%Y-%m-%dT%H:%M"), value


def leave_field(page) -> None:
    """From inside a datetime-local field to the next field: Tab past its remaining segments."""
    start = page.evaluate("() => document.activeElement.id")
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") != start:
            return


def test_keyboard_only_from_the_start_page_to_the_police_report_sent(browser, live_server):
    demo.demo_seed()
    base = live_server.url
    centre = demo.Centre.objects.get(name=demo.DEMO_CENTRE)
    child = (
        Resident.objects.filter(centre=centre, missing_reports__isnull=True)
        .order_by("family_name", "given_names", "pk")
        .first()
    )
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(20_000)
    now = timezone.now()

    # Logging in, with the keyboard too.
    page.goto(f"{base}/login/")
    tab_to(page, "#id_username")
    page.keyboard.type("ansatt")
    page.keyboard.press("Tab")
    page.keyboard.type(demo.DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/konto/kode/**")
    # The browser applies autofocus at its next rendering, which can come after
    # the load event: wait for the focus rather than type into nothing.
    page.wait_for_function("() => document.activeElement?.id === 'id_code'")
    page.keyboard.type(demo.DEMO_BACKUP_CODES[0])
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")

    tab_to(page, "a[href='/savnet/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/savnet/")
    tab_to(page, "a[href^='/savnet/ny/']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/savnet/ny/"))

    tab_to(page, "select[name=resident]")
    choose_with_arrows(page, str(child.pk))
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # "Choose"
    page.wait_for_url(re.compile(rf"resident={child.pk}"))

    times = {
        "#id_open-reason_to_believe_at": now - timedelta(hours=1),
        "#id_open-noticed_at": now - timedelta(hours=2),
        "#id_open-last_seen_at": now - timedelta(hours=5),
    }
    for selector, moment in times.items():
        tab_to(page, selector)
        type_moment(page, moment)
    leave_field(page)
    tab_to(page, "#id_open-circumstances")
    page.keyboard.type("Ikke til stede ved frokost.")
    tab_to(page, "#report-missing")
    page.keyboard.press("Enter")
    page.wait_for_selector("#send-police")
    report = MissingReport.objects.get(resident=child, state=MissingReport.State.OPEN)

    tab_to(page, "#id_channel")
    choose_with_arrows(page, "by_hand")
    tab_to(page, "#send-police")
    page.keyboard.press("Enter")
    page.wait_for_selector("tr.dispatch-missing_report")
    police = Dispatch.objects.get(owner_id=report.pk, purpose="missing_report")
    # The worker's part: eager Celery has rendered it already; with a real broker and no worker
    # listening (CI), render it here as the worker would.
    dispatch_render(dispatch_id=police.pk)
    assert Dispatch.objects.get(pk=police.pk).state == Dispatch.State.RENDERED

    tab_to(page, "tr.dispatch-missing_report a")
    page.keyboard.press("Enter")
    page.wait_for_selector("#sent-reference")
    tab_to(page, "#sent-reference")
    page.keyboard.type("Politiets ref. 2026/1")
    tab_to(page, "form[action$='/sendt/'] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    police.refresh_from_db()
    assert police.state == Dispatch.State.SENT
    assert police.sent_reference == "Politiets ref. 2026/1"
    page.goto(f"{base}/savnet/{report.pk}/")
    assert page.locator("#step-police.done").count() == 1
    context.close()
