"""Locust users for `bench/load_test.py`: centre staff working through a day.

Each simulated user logs in as its own staff user (password and a backup code: the second
factor is part of every login) and then mixes the start page, the resident list, a DUF-prefix
search, resident pages, the first steps of a missing report and a notice's PDF, with one to
three seconds between actions. The plan (users, codes, resident and notice ids) is the JSON
file named by LOAD_PLAN, written by load_test.py.
"""

import itertools
import json
import os
import random
import re
from datetime import datetime, timedelta

from locust import HttpUser, between, constant, task

PLAN = json.loads(open(os.environ["LOAD_PLAN"]).read())
_next_user = itertools.count()
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _csrf(response) -> str:
    match = CSRF.search(response.text)
    if not match:
        raise RuntimeError(f"no CSRF token on {response.url} ({response.status_code})")
    return match.group(1)


class CentreStaff(HttpUser):
    # One to three seconds between actions; none for the single-user baseline run.
    wait_time = constant(0) if os.environ.get("LOAD_NO_THINK_TIME") else between(1, 3)

    def on_start(self) -> None:
        self.plan = PLAN["users"][next(_next_user) % len(PLAN["users"])]
        self.fresh = list(self.plan["fresh_residents"])
        random.shuffle(self.fresh)
        self.log_in()

    def log_in(self) -> None:
        form = self.client.get("/login/", name="login")
        response = self.client.post(
            "/login/",
            {
                "username": self.plan["username"],
                "password": PLAN["password"],
                "csrfmiddlewaretoken": _csrf(form),
            },
            name="login",
        )
        code = self.plan["codes"].pop(0)
        with self.client.post(
            "/konto/kode/",
            {"code": code, "csrfmiddlewaretoken": _csrf(response)},
            name="second factor",
            catch_response=True,
        ) as done:
            if not done.url.rstrip("/").endswith(self.host.rstrip("/")):
                done.failure(f"login did not reach the start page: {done.url}")

    def get(self, path: str, name: str, must_contain: str = "") -> None:
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif "/login/" in response.url or "/konto/kode/" in response.url:
                response.failure("logged out")
            elif must_contain and must_contain not in response.text:
                response.failure(f"missing {must_contain!r}")

    @task(3)
    def start_page(self) -> None:
        self.get("/", "start page")

    @task(3)
    def resident_list(self) -> None:
        self.get("/beboere/", "resident list")

    @task(2)
    def duf_search(self) -> None:
        form = self.client.get("/beboere/", name="resident list")
        prefix = str(random.choice(self.plan["duf_numbers"]))[:9]
        with self.client.post(
            "/beboere/",
            {"q": prefix, "csrfmiddlewaretoken": _csrf(form)},
            name="DUF search",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or prefix not in response.text:
                response.failure(f"status {response.status_code}, prefix not shown")

    @task(4)
    def resident_page(self) -> None:
        resident = random.choice(self.plan["residents"])
        self.get(f"/beboere/{resident}/", "resident page")

    @task(1)
    def missing_report_steps(self) -> None:
        if not self.fresh:
            self.get("/savnet/", "missing reports")
            return
        resident = self.fresh.pop()
        form = self.client.get(f"/savnet/ny/?resident={resident}", name="missing: form")
        noticed = (datetime.now() - timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M")
        with self.client.post(
            f"/savnet/ny/?resident={resident}",
            {
                "resident": resident,
                "action": "investigate",
                "inv-noticed_at": noticed,
                "inv-source": "absence",
                "inv-circumstances": "Ikke til stede ved middag.",
                "csrfmiddlewaretoken": _csrf(form),
            },
            name="missing: record absence",
            catch_response=True,
        ) as response:
            if not re.search(r"/savnet/\d+/$", response.url):
                response.failure(f"no report page after the form: {response.url}")
        self.get("/savnet/", "missing reports")

    @task(1)
    def notice_pdf(self) -> None:
        dispatch = random.choice(self.plan["dispatches"])
        with self.client.get(
            f"/saker/utsendelser/{dispatch}/pdf/", name="notice PDF", catch_response=True
        ) as response:
            if response.status_code != 200 or not response.content.startswith(b"%PDF"):
                response.failure(f"status {response.status_code}, not a PDF")
