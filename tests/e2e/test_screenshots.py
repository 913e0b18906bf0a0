"""The README's pictures: the start page, a resident and a missing case, as the demo shows them
to a centre leader in Norwegian. Taken on every run (the pages must render); written into
docs/screenshots/ only when SCREENSHOTS_DIR names a folder (`make screenshots`)."""

import os
from pathlib import Path

import pytest

from mottak import demo
from savnet.models import MissingReport

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIEWPORT = {"width": 1280, "height": 860}


def _shoot(page, folder: Path, name: str) -> Path:
    path = folder / f"{name}.jpg"
    page.screenshot(path=str(path), type="jpeg", quality=70)
    return path


def test_readme_screenshots_of_the_start_page_a_resident_and_a_missing_case(
    browser, live_server, tmp_path
):
    demo.demo_seed()
    folder = Path(os.environ.get("SCREENSHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    report = MissingReport.objects.filter(state=MissingReport.State.OPEN).first()
    context = browser.new_context(locale="nb-NO", viewport=VIEWPORT)
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "leder")
    page.fill("#id_password", demo.DEMO_PASSWORD)
    page.press("#id_password", "Enter")
    page.fill("#id_code", demo.DEMO_BACKUP_CODES[0])
    page.press("#id_code", "Enter")
    page.wait_for_url(f"{live_server.url}/")
    shots = [_shoot(page, folder, "start")]
    page.goto(f"{live_server.url}/beboere/{report.resident_id}/")
    shots.append(_shoot(page, folder, "resident"))
    page.goto(f"{live_server.url}/savnet/{report.pk}/")
    shots.append(_shoot(page, folder, "missing-case"))
    context.close()
    for shot in shots:
        assert 10_000 < shot.stat().st_size < 400_000, shot
