"""X-3, R-19, MOT-2, KART-1, PERM-1: the access matrix over every record family with personal
data, over HTTP (issue 14, item 7).

A cell is (family, row, column, check): a row is a role (plus a member of staff named the key
worker of the own centre's residents); a column a scope and the asylum stage (see
tests/access_world.py: ASA is the named caseworker of the return cases in the own centre and in
the other region, not of the one in the same region); a check one request to a real view. The
tables below say, per family, what each row may do with the record in each column:

    L  the record appears in the family's list page    V  its page answers 200 (else 404)
    D  its file downloads (200, else 404)              H  the resident's history page opens
    E  the admin's per-resident export (GDPR art. 15)  X  the record is in a list export
    C  the write (GET of the form where there is one, and a POST) is done
    c  the write is refused on a page the user may see (200/302 with a message), nothing saved
    r  the write is refused with 403 — the user may see the record, not do this — nothing saved
    -  the column has no such record (a return case only exists in a return stage)

A letter missing means 404 — answered exactly as for a record that does not exist — and, for a
write, nothing saved. The world is built once per class and every write is rolled back, so the
cells do not disturb one another.
"""

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.db import connection, transaction
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from mottak.models import Role
from tests.access_world import COLUMNS, KEY_WORKER, ROWS, World

CS, CWL, CL = Role.CENTRE_STAFF, Role.CHILD_WELFARE_LEAD, Role.CENTRE_LEADER
REG, ASA, RMA, ADM, KW = (
    Role.REGION_CASEWORKER,
    Role.ASA_CASEWORKER,
    Role.RMA,
    Role.ADMIN,
    KEY_WORKER,
)

# fmt: off
# Columns:        own centre           same region          other region
#                 ordinary  return     ordinary  return     ordinary  return
EXPECTED = {
    # The resident: list, page, a write (a new appointment).
    "resident": {
        CS:  ("LVC", "LVC", "", "", "", ""),
        CWL: ("LVC", "LVC", "", "", "", ""),
        CL:  ("LVC", "LVC", "", "", "", ""),
        KW:  ("LVC", "LVC", "", "", "", ""),
        REG: ("LV",  "LV",  "LV", "LV", "", ""),
        ASA: ("",    "LV",  "", "",   "", "LV"),   # assigned, assigned-not, assigned
        RMA: ("",    "",    "", "",   "", ""),     # aggregates only
        ADM: ("LVC", "LVC", "LVC", "LVC", "LVC", "LVC"),
    },
    # The stay: shown on the resident's page; ended through its own form.
    "stay": {
        CS:  ("VC", "VC", "", "", "", ""),
        CWL: ("VC", "VC", "", "", "", ""),
        CL:  ("VC", "VC", "", "", "", ""),
        KW:  ("VC", "VC", "", "", "", ""),
        REG: ("V",  "V",  "V", "V", "", ""),
        ASA: ("",   "V",  "", "",  "", "V"),
        RMA: ("",   "",   "", "",  "", ""),
        ADM: ("VC", "VC", "VC", "VC", "VC", "VC"),
    },
    # The resident's change history: centre leaders and administrators only.
    "history": {
        CS:  ("", "", "", "", "", ""),
        CWL: ("", "", "", "", "", ""),
        CL:  ("H", "H", "", "", "", ""),
        KW:  ("", "", "", "", "", ""),
        REG: ("", "", "", "", "", ""),
        ASA: ("", "", "", "", "", ""),
        RMA: ("", "", "", "", "", ""),
        ADM: ("H", "H", "H", "H", "H", "H"),
    },
    # Exports: the access request's archive (admins) and the resident list as a file.
    "export": {
        CS:  ("X", "X", "", "", "", ""),
        CWL: ("X", "X", "", "", "", ""),
        CL:  ("X", "X", "", "", "", ""),
        KW:  ("X", "X", "", "", "", ""),
        REG: ("X", "X", "X", "X", "", ""),
        ASA: ("",  "X", "", "",  "", "X"),
        RMA: ("",  "",  "", "",  "", ""),
        ADM: ("EX", "EX", "EX", "EX", "EX", "EX"),
    },
    # The missing-person description page and photo (SAV-3): seen with the resident.
    "photo": {
        CS:  ("VDC", "VDC", "", "", "", ""),
        CWL: ("VDC", "VDC", "", "", "", ""),
        CL:  ("VDC", "VDC", "", "", "", ""),
        KW:  ("VDC", "VDC", "", "", "", ""),
        REG: ("VD",  "VD",  "VD", "VD", "", ""),
        ASA: ("",    "VD",  "", "",   "", "VD"),
        RMA: ("",    "",    "", "",   "", ""),
        ADM: ("VDC", "VDC", "VDC", "VDC", "VDC", "VDC"),
    },
    # The personal folder (MOT-2): kept at the centre — no regional office, ASA or RMA.
    "personal_folder": {
        CS:  ("VC", "VC", "", "", "", ""),
        CWL: ("VC", "VC", "", "", "", ""),
        CL:  ("VC", "VC", "", "", "", ""),
        KW:  ("VC", "VC", "", "", "", ""),
        REG: ("", "", "", "", "", ""),
        ASA: ("", "", "", "", "", ""),
        RMA: ("", "", "", "", "", ""),
        ADM: ("VC", "VC", "VC", "VC", "VC", "VC"),
    },
    # The private folder (MOT-2, narrower): the child-welfare lead, the centre leader and the
    # resident's key worker — not every member of staff, and not the administrators.
    "private_folder": {
        CS:  ("", "", "", "", "", ""),
        CWL: ("VC", "VC", "", "", "", ""),
        CL:  ("VC", "VC", "", "", "", ""),
        KW:  ("VC", "VC", "", "", "", ""),
        REG: ("", "", "", "", "", ""),
        ASA: ("", "", "", "", "", ""),
        RMA: ("", "", "", "", "", ""),
        ADM: ("", "", "", "", "", ""),
    },
    # Leave applications: list, page, the application's PDF, a write: withdrawing, which ends
    # the case and waives its deadlines — the centre leader's (and an administrator's) step.
    "leave": {
        CS:  ("LVD",  "LVD",  "", "", "", ""),
        CWL: ("LVD",  "LVD",  "", "", "", ""),
        CL:  ("LVDC", "LVDC", "", "", "", ""),
        KW:  ("LVD",  "LVD",  "", "", "", ""),
        REG: ("LVD",  "LVD",  "LVD", "LVD", "", ""),
        ASA: ("",     "LVD",  "", "",    "", "LVD"),
        RMA: ("",     "",     "", "",    "", ""),
        ADM: ("LVDC", "LVDC", "LVDC", "LVDC", "LVDC", "LVDC"),
    },
    # Uploads to a leave's PERM-4 checklist (the contact person's ID copy): the file follows the
    # leave; undoing a step is a change of the leave.
    "checklist_upload": {
        CS:  ("DC", "DC", "", "", "", ""),
        CWL: ("DC", "DC", "", "", "", ""),
        CL:  ("DC", "DC", "", "", "", ""),
        KW:  ("DC", "DC", "", "", "", ""),
        REG: ("D",  "D",  "D", "D", "", ""),
        ASA: ("",   "D",  "", "",  "", "D"),
        RMA: ("",   "",   "", "",  "", ""),
        ADM: ("DC", "DC", "DC", "DC", "DC", "DC"),
    },
    # The leave decision (PERM-1): the own centre's leader decides a short leave; a minor with a
    # final rejection is decided by the regional office, only once forwarded (these are drafts).
    "leave_decision": {
        CS:  ("", "", "", "", "", ""),
        CWL: ("", "", "", "", "", ""),
        CL:  ("C", "", "", "", "", ""),
        KW:  ("", "", "", "", "", ""),
        REG: ("", "", "", "", "", ""),
        ASA: ("", "", "", "", "", ""),
        RMA: ("", "", "", "", "", ""),
        ADM: ("", "", "", "", "", ""),
    },
    # Missing reports: list (RMA's list is the aggregate overview), page, a write (a call).
    "missing_report": {
        CS:  ("LVC", "LVC", "", "", "", ""),
        CWL: ("LVC", "LVC", "", "", "", ""),
        CL:  ("LVC", "LVC", "", "", "", ""),
        KW:  ("LVC", "LVC", "", "", "", ""),
        REG: ("LV",  "LV",  "LV", "LV", "", ""),
        ASA: ("",    "LV",  "", "",   "", "LV"),
        RMA: ("",    "",    "", "",   "", ""),
        ADM: ("LVC", "LVC", "LVC", "LVC", "LVC", "LVC"),
    },
    # Moves (MOT-3): the list of moves is the regional office's; the page follows the resident;
    # the centre being left does the steps (the representative told).
    "move": {
        CS:  ("VC", "VC", "", "", "", ""),
        CWL: ("VC", "VC", "", "", "", ""),
        CL:  ("VC", "VC", "", "", "", ""),
        KW:  ("VC", "VC", "", "", "", ""),
        REG: ("LV", "LV", "LV", "LV", "", ""),
        ASA: ("",   "V",  "", "",   "", "V"),
        RMA: ("",   "",   "", "",   "", ""),
        ADM: ("LVC", "LVC", "LVC", "LVC", "LVC", "LVC"),
    },
    # The move decision (MOT-3): the regional office of the centre being left (and an
    # administrator); whoever else sees the move is answered as if it were missing.
    "move_decision": {
        CS:  ("", "", "", "", "", ""),
        CWL: ("", "", "", "", "", ""),
        CL:  ("", "", "", "", "", ""),
        KW:  ("", "", "", "", "", ""),
        REG: ("C", "C", "C", "C", "", ""),
        ASA: ("", "", "", "", "", ""),
        RMA: ("", "", "", "", "", ""),
        ADM: ("C", "C", "C", "C", "C", "C"),
    },
    # The individual mapping (KART-1): read at the centre only; written by the child-welfare
    # lead and the minor's key worker (and an administrator). Two pages: the mapping and the
    # page read with the minor (KART-5). Regional offices, ASA and RMA: only as a transfer.
    "mapping": {
        CS:  ("V",  "V",  "", "", "", ""),
        CWL: ("VC", "VC", "", "", "", ""),
        CL:  ("V",  "V",  "", "", "", ""),
        KW:  ("VC", "VC", "", "", "", ""),
        REG: ("", "", "", "", "", ""),
        ASA: ("", "", "", "", "", ""),
        RMA: ("", "", "", "", "", ""),
        ADM: ("VC", "VC", "VC", "VC", "VC", "VC"),
    },
    # The action plan: as the mapping.
    "plan": {
        CS:  ("V",  "V",  "", "", "", ""),
        CWL: ("VC", "VC", "", "", "", ""),
        CL:  ("V",  "V",  "", "", "", ""),
        KW:  ("VC", "VC", "", "", "", ""),
        REG: ("", "", "", "", "", ""),
        ASA: ("", "", "", "", "", ""),
        RMA: ("", "", "", "", "", ""),
        ADM: ("VC", "VC", "VC", "VC", "VC", "VC"),
    },
    # Return cases (RET-4, RET-5, R-19): the list is ASA's, RMA's and the admin's; the centre
    # and the regional office see their residents' cases; only the named ASA caseworker (and an
    # administrator) works the case; RMA sees the open assisted-return track one by one.
    # D: the minutes of a held return conversation.
    "return_case": {
        CS:  ("-", "VD", "-", "",    "-", ""),
        CWL: ("-", "VD", "-", "",    "-", ""),
        CL:  ("-", "VD", "-", "",    "-", ""),
        KW:  ("-", "VD", "-", "",    "-", ""),
        REG: ("-", "VD", "-", "VD",  "-", ""),
        ASA: ("-", "LVDC", "-", "",  "-", "LVDC"),
        RMA: ("-", "",   "-", "",    "-", "LVD"),
        ADM: ("-", "LVDC", "-", "LVDC", "-", "LVDC"),
    },
    # Dispatches: the notice's page, its PDF, recording it as sent.
    "dispatch": {
        CS:  ("VDC", "VDC", "", "", "", ""),
        CWL: ("VDC", "VDC", "", "", "", ""),
        CL:  ("VDC", "VDC", "", "", "", ""),
        KW:  ("VDC", "VDC", "", "", "", ""),
        REG: ("VD",  "VD",  "VD", "VD", "", ""),
        ASA: ("",    "VD",  "", "",   "", "VD"),
        RMA: ("",    "",    "", "",   "", ""),
        ADM: ("VDC", "VDC", "VDC", "VDC", "VDC", "VDC"),
    },
    # The mapping's paper copy (KART-8, to IMDi): its dispatch page and PDF hold the mapping, so
    # they read like the mapping (KART-12) — not like any notice about the resident.
    # L: listed among the notices on the resident's page.
    "mapping_copy": {
        CS:  ("LVD", "LVD", "", "", "", ""),
        CWL: ("LVD", "LVD", "", "", "", ""),
        CL:  ("LVD", "LVD", "", "", "", ""),
        KW:  ("LVD", "LVD", "", "", "", ""),
        REG: ("", "", "", "", "", ""),
        ASA: ("", "", "", "", "", ""),
        RMA: ("", "", "", "", "", ""),
        ADM: ("LVD", "LVD", "LVD", "LVD", "LVD", "LVD"),
    },
    # Consents (KART-13): the subject's consent list, the uploaded declaration, withdrawing.
    "consent": {
        CS:  ("LDC", "LDC", "", "", "", ""),
        CWL: ("LDC", "LDC", "", "", "", ""),
        CL:  ("LDC", "LDC", "", "", "", ""),
        KW:  ("LDC", "LDC", "", "", "", ""),
        REG: ("LD",  "LD",  "LD", "LD", "", ""),
        ASA: ("",    "LD",  "", "",   "", "LD"),
        RMA: ("",    "",    "", "",   "", ""),
        ADM: ("LDC", "LDC", "LDC", "LDC", "LDC", "LDC"),
    },
    # Deadlines about a resident: the centre's deadline page and its export show them to
    # whoever sees the resident; only a centre leader or an administrator waives one — anyone
    # else who sees it gets 403 (r; cases/tests/test_deadlines_pages.py asserts it).
    "deadline": {
        CS:  ("LXr", "LXr", "", "", "", ""),
        CWL: ("LXr", "LXr", "", "", "", ""),
        CL:  ("LXC", "LXC", "", "", "", ""),
        KW:  ("LXr", "LXr", "", "", "", ""),
        REG: ("LXr", "LXr", "LXr", "LXr", "", ""),
        ASA: ("",    "LXr", "", "",    "", "LXr"),
        RMA: ("",    "",    "", "",    "", ""),
        ADM: ("LXC", "LXC", "LXC", "LXC", "LXC", "LXC"),
    },
}
# fmt: on

SECONDS: dict[str, float] = {}  # per family, printed by the count test (-s)

ACTION_OF_LETTER = {
    "L": "list", "V": "view", "D": "download", "C": "change", "H": "history", "E": "export",
    "X": "export",
}  # fmt: skip


def _when(**delta) -> str:
    return timezone.localtime(timezone.now() + timedelta(**delta)).strftime("%Y-%m-%dT%H:%M")


# --- the checks: one request (or a GET and a POST) per cell ------------------------------------


@dataclass(frozen=True)
class Check:
    """letter: the table's letter; run(probe, record) → the observed letter ("" = 404)."""

    letter: str
    name: str
    run: Callable


class Probe:
    """One row's client, with its list pages fetched once."""

    def __init__(self, user):
        self.client = Client(HTTP_ACCEPT_LANGUAGE="en")
        self.client.force_login(user)
        self.user = user
        self.pages: dict = {}
        self.problems: list[str] = []

    def page(self, url: str, method: str = "get") -> tuple[int, str]:
        if (method, url) not in self.pages:
            response = getattr(self.client, method)(url)
            self.pages[(method, url)] = (response.status_code, response.content.decode())
        return self.pages[(method, url)]

    def status(self, url: str, method: str = "get", allowed=(200, 404)) -> int:
        response = getattr(self.client, method)(url)
        if response.status_code not in allowed:
            self.problems.append(f"{method.upper()} {url} answered {response.status_code}")
        return response.status_code


def listed(letter: str, list_url: Callable, marker: Callable, method: str = "get"):
    """The record's marker appears on the list page (a page answering 404 or a redirect lists
    nothing)."""

    def run(probe: Probe, world, column) -> str:
        status, body = probe.page(list_url(world, column), method)
        return letter if status == 200 and marker(world, column) in body else ""

    return run


def opens(letter: str, url: Callable, method: str = "get"):
    def run(probe: Probe, world, column) -> str:
        return letter if probe.status(url(world, column), method) == 200 else ""

    return run


def on_page(letter: str, url: Callable, marker: Callable):
    """The record is shown on another record's page (a stay on the resident's page)."""

    def run(probe: Probe, world, column) -> str:
        status, body = probe.page(url(world, column))
        return letter if status == 200 and marker(world, column) in body else ""

    return run


_COUNTED_APPS = ("mottak", "cases", "permisjon", "savnet", "kartlegging", "retur")
_NOT_COUNTED = {"cases.ReadLog"}  # every page view writes one; a read is not a change


def _fingerprint_sql() -> str:
    tables = sorted(
        model._meta.db_table
        for app in _COUNTED_APPS
        for model in apps.get_app_config(app).get_models()
        if model._meta.label not in _NOT_COUNTED and not model._meta.proxy
    )
    quote = connection.ops.quote_name
    return "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)


def fingerprint(record) -> tuple:
    """Row counts of every table of the apps (history tables included, so an update shows)
    and the record's own values."""
    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql())
        counts = cursor.fetchone()
    own = list(type(record)._base_manager.filter(pk=record.pk).values()) if record else []
    return counts, repr(own)


def writes(get_url: Callable | None, post_url: Callable, data: Callable, watched: Callable):
    """C when the write is done, c when refused on a page the user may see, "" for 404 with
    nothing saved. The POST runs in a savepoint that is rolled back afterwards."""

    def run(probe: Probe, world, column) -> str:
        url = post_url(world, column)
        record = watched(world, column)
        # Every write is rolled back and reads change no counted table, so the state before a
        # POST is the same for every row: taken once per record (a write that leaked past its
        # rollback would show in every later cell of that record).
        key = (type(record).__name__, record.pk)
        if key not in world.baselines:
            world.baselines[key] = fingerprint(record)
        before = world.baselines[key]
        with transaction.atomic():
            got = probe.status(get_url(world, column)) if get_url else None
            response = probe.client.post(url, data(world, column))
            after = fingerprint(record)
            transaction.set_rollback(True)
        saved = before != after
        status = response.status_code
        if status == 404:
            if saved:
                probe.problems.append(f"POST {url} answered 404 and saved something")
            observed = ""
        elif status in (200, 302):
            observed = "C" if saved else "c"
        elif status == 403:
            if saved:
                probe.problems.append(f"POST {url} answered 403 and saved something")
            observed = "r"
        else:
            probe.problems.append(f"POST {url} answered {status}")
            observed = "?"
        if got is not None and (got == 200) != (observed in ("C", "c")):
            probe.problems.append(f"GET {get_url(world, column)} {got} but POST {status}")
        return observed

    return run


def rec(name):
    return lambda world, column: world.records[column].get(name)


def url_of(url_name, name, *, attr="pk"):
    return lambda world, column: reverse(
        url_name, args=[getattr(world.records[column][name], attr)]
    )


def const(url_name, *args):
    return lambda world, column: reverse(url_name, args=args)


def resident_url(url_name):
    return url_of(url_name, "resident")


def href(url_name, name):
    return lambda world, column: f'href="{url_of(url_name, name)(world, column)}"'


def family_name(world, column) -> str:
    return world.records[column]["resident"].family_name


def _consent_list_url(world, column):
    from django.contrib.contenttypes.models import ContentType

    resident = world.records[column]["resident"]
    ct = ContentType.objects.get_for_model(resident)
    return reverse("cases:consent_list", args=[ct.pk, resident.pk])


def _centre_url(url_name, *extra):
    return lambda world, column: reverse(
        url_name, args=[world.records[column]["resident"].centre_id, *extra]
    )


def _entry_post(world, column):
    return {
        "area": "family",
        "source": "minor",
        "text": "Mor bor i Asmara.",
        "recorded_on": timezone.localdate().isoformat(),
        "submission_key": str(uuid.uuid4()),
    }


def _measure_post(world, column):
    return {
        "area": "family",
        "goal": "Kontakt med familien.",
        "actions": "Ukentlige samtaler.",
        "responsible": "Barnefaglig ansvarlig",
        "submission_key": str(uuid.uuid4()),
    }


CHECKS: dict[str, list[Check]] = {
    "resident": [
        Check(
            "L",
            "resident list",
            listed("L", const("mottak:resident_list"), href("mottak:resident_detail", "resident")),
        ),
        Check("V", "resident page", opens("V", resident_url("mottak:resident_detail"))),
        Check(
            "C",
            "new appointment",
            writes(
                resident_url("mottak:appointment_new"),
                resident_url("mottak:appointment_new"),
                lambda w, c: {"kind": "arrival_interview", "starts_at": _when(days=3)},
                rec("resident"),
            ),
        ),
    ],
    "stay": [
        Check(
            "V",
            "stay on the resident page",
            on_page(
                "V",
                resident_url("mottak:resident_detail"),
                lambda w, c: f'id="stay-{w.records[c]["stay"].pk}"',
            ),
        ),
        Check(
            "C",
            "end the stay",
            writes(
                lambda w, c: reverse(
                    "mottak:stay_end", args=[w.records[c]["resident"].pk, w.records[c]["stay"].pk]
                ),
                lambda w, c: reverse(
                    "mottak:stay_end", args=[w.records[c]["resident"].pk, w.records[c]["stay"].pk]
                ),
                lambda w, c: {"ended_at": _when(minutes=-5), "reason": "moved"},
                rec("stay"),
            ),
        ),
    ],
    "history": [
        Check("H", "history page", opens("H", resident_url("mottak:resident_history"))),
    ],
    "export": [
        Check(
            "E",
            "access request archive",
            opens("E", resident_url("mottak:resident_data_export"), method="post"),
        ),
        Check(
            "X",
            "resident list export",
            listed("X", lambda w, c: reverse("mottak:resident_export", args=["csv"]), family_name),
        ),
    ],
    "photo": [
        Check("V", "missing-person description", opens("V", resident_url("savnet:profile"))),
        Check("D", "photo", opens("D", resident_url("savnet:photo"))),
        Check(
            "C",
            "delete the photo",
            writes(None, resident_url("savnet:photo_delete"), lambda w, c: {}, rec("photo")),
        ),
    ],
    "personal_folder": [
        Check("V", "personal folder", opens("V", resident_url("mottak:personal_folder"))),
        Check(
            "C",
            "add to the personal folder",
            writes(
                None,
                resident_url("mottak:personal_folder_item_new"),
                lambda w, c: {"category": "receipt", "description": "Sengetøy"},
                rec("personal_item"),
            ),
        ),
    ],
    "private_folder": [
        Check("V", "private folder", opens("V", resident_url("mottak:private_folder"))),
        Check(
            "C",
            "add to the private folder",
            writes(
                None,
                resident_url("mottak:private_folder_item_new"),
                lambda w, c: {"category": "udi_letter", "description": "Brev fra UDI"},
                rec("private_item"),
            ),
        ),
    ],
    "leave": [
        Check(
            "L",
            "leave list",
            listed("L", const("permisjon:list"), href("permisjon:detail", "leave")),
        ),
        Check("V", "leave page", opens("V", url_of("permisjon:detail", "leave"))),
        Check("D", "application PDF", opens("D", url_of("permisjon:application_pdf", "leave"))),
        Check(
            "C",
            "withdraw",
            writes(
                None,
                url_of("permisjon:withdraw", "leave"),
                lambda w, c: {"reason": "Ombestemt seg."},
                rec("leave"),
            ),
        ),
    ],
    "checklist_upload": [
        Check("D", "ID copy", opens("D", url_of("cases:checklist_attachment", "checklist_upload"))),
        Check(
            "C",
            "undo the step",
            writes(
                None,
                url_of("cases:checklist_step_undo", "checklist_upload"),
                lambda w, c: {"reason": "Feil dokument."},
                rec("checklist_upload"),
            ),
        ),
    ],
    "leave_decision": [
        Check(
            "C",
            "decide",
            writes(
                url_of("permisjon:decide", "leave"),
                url_of("permisjon:decide", "leave"),
                lambda w, c: {"decision": "refuse", "reason": "Ikke forsvarlig nå."},
                rec("leave"),
            ),
        ),
    ],
    "missing_report": [
        Check(
            "L", "missing list", listed("L", const("savnet:list"), href("savnet:detail", "report"))
        ),
        Check("V", "report page", opens("V", url_of("savnet:detail", "report"))),
        Check(
            "C",
            "log a call",
            writes(
                None,
                url_of("savnet:call", "report"),
                lambda w, c: {
                    "submission_key": str(uuid.uuid4()),
                    "party": "representative",
                    "party_name": "Verge",
                    "phone_number": "900 00 000",
                    "called_at": _when(minutes=-10),
                    "reached": "yes",
                    "what_they_knew": "Ingenting.",
                },
                rec("report"),
            ),
        ),
    ],
    "move": [
        Check(
            "L",
            "move list",
            listed("L", const("mottak:move_list"), href("mottak:move_detail", "move")),
        ),
        Check("V", "move page", opens("V", url_of("mottak:move_detail", "move"))),
        Check(
            "C",
            "representative told",
            writes(
                None,
                url_of("mottak:move_representative", "move"),
                lambda w, c: {
                    "representative-how": "phone",
                    "representative-told_at": "",  # now
                    "representative-note": "",
                },
                rec("move"),
            ),
        ),
    ],
    "move_decision": [
        Check(
            "C",
            "refuse the move",
            writes(
                None,
                url_of("mottak:move_refuse", "move"),
                lambda w, c: {"refuse-reason": "Ikke behov for flytting nå."},
                rec("move"),
            ),
        ),
    ],
    "mapping": [
        Check("V", "mapping page", opens("V", url_of("kartlegging:detail", "mapping"))),
        Check("V", "read with the minor", opens("V", url_of("kartlegging:reading", "mapping"))),
        Check(
            "C",
            "write an entry",
            writes(None, url_of("kartlegging:entry", "mapping"), _entry_post, rec("mapping")),
        ),
    ],
    "plan": [
        Check("V", "plan page", opens("V", url_of("kartlegging:plan", "mapping"))),
        Check(
            "C",
            "add a measure",
            writes(
                None, url_of("kartlegging:measure_add", "mapping"), _measure_post, rec("mapping")
            ),
        ),
    ],
    "return_case": [
        Check(
            "L",
            "return list",
            listed("L", const("retur:list"), href("retur:detail", "return_case")),
        ),
        Check("V", "return case page", opens("V", url_of("retur:detail", "return_case"))),
        Check("D", "conversation minutes", opens("D", url_of("retur:minutes", "conversation"))),
        Check(
            "C",
            "record a contact",
            writes(
                None,
                url_of("retur:contact", "return_case"),
                lambda w, c: {
                    "contact-at": _when(minutes=-10),
                    "contact-party": "representative",
                    "contact-topic": "general",
                    "contact-summary": "Snakket om retur.",
                },
                rec("return_case"),
            ),
        ),
    ],
    "dispatch": [
        Check("V", "dispatch page", opens("V", url_of("cases:dispatch_detail", "dispatch"))),
        Check("D", "dispatch PDF", opens("D", url_of("cases:dispatch_pdf", "dispatch"))),
        Check(
            "C",
            "record as sent",
            writes(
                None,
                url_of("cases:dispatch_sent", "dispatch"),
                lambda w, c: {"sent_at": "", "reference": ""},
                rec("dispatch"),
            ),
        ),
    ],
    "mapping_copy": [
        Check(
            "L",
            "on the resident's page",
            listed(
                "L",
                lambda w, c: reverse(
                    "mottak:resident_detail", args=[w.records[c]["mapping_copy"].subject_id]
                ),
                href("cases:dispatch_detail", "mapping_copy"),
            ),
        ),
        Check("V", "copy's page", opens("V", url_of("cases:dispatch_detail", "mapping_copy"))),
        Check("V", "copy's preview", opens("V", url_of("cases:dispatch_preview", "mapping_copy"))),
        Check("D", "copy's PDF", opens("D", url_of("cases:dispatch_pdf", "mapping_copy"))),
    ],
    "consent": [
        Check(
            "L",
            "consent list",
            listed("L", _consent_list_url, href("cases:consent_download", "consent")),
        ),
        Check("D", "declaration", opens("D", url_of("cases:consent_download", "consent"))),
        Check(
            "C",
            "withdraw",
            writes(
                None, url_of("cases:consent_withdraw", "consent"), lambda w, c: {}, rec("consent")
            ),
        ),
    ],
    "deadline": [
        Check(
            "L",
            "centre's deadlines",
            listed(
                "L",
                _centre_url("cases:deadlines_centre"),
                lambda w, c: f'id="deadline-{w.records[c]["deadline"].pk}"',
            ),
        ),
        Check(
            "X",
            "deadline export",
            listed(
                "X",
                _centre_url("cases:deadlines_centre_export", "csv"),
                lambda w, c: f";{w.records[c]['resident'].duf_number};",
            ),
        ),
        Check(
            "C",
            "waive",
            writes(
                None,
                url_of("cases:deadline_waive", "deadline"),
                lambda w, c: {"reason": "Gjelder ikke lenger."},
                rec("deadline"),
            ),
        ),
    ],
}


@dataclass
class Result:
    cells: list  # (family, row, column, letter, check name, expected, observed)
    problems: list[str]

    def mismatches(self) -> list[str]:
        out = [
            f"{family:16} {row:20} {'/'.join(column):22} {letter} {name}: "
            f"expected {'allow' if expected else 'deny'}, got {observed or '404'}"
            for family, row, column, letter, name, expected, observed in self.cells
            if expected != observed
        ]
        return out + self.problems


def expected_of(family: str, row: str, column, letter: str) -> str:
    entry = EXPECTED[family][row][COLUMNS.index(column)]
    if letter == "C":
        return next((outcome for outcome in "Ccr" if outcome in entry), "")
    return letter if letter in entry else ""


def cells_of(family: str):
    for column in COLUMNS:
        for row in ROWS:
            if EXPECTED[family][row][COLUMNS.index(column)] == "-":
                continue
            for check in CHECKS[family]:
                yield row, column, check


class AccessMatrixAll(TestCase):
    _results: dict = {}

    @classmethod
    def setUpClass(cls):
        cls.world = World()
        cls._media = override_settings(MEDIA_ROOT=cls.world.media_root)
        cls._media.enable()
        cls._results = {}
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls._media.disable()
        cls.world.cleanup()

    @classmethod
    def setUpTestData(cls):
        started = time.perf_counter()
        cls.world.build()
        SECONDS["(world build)"] = time.perf_counter() - started

    def _run(self, letters: str) -> Result:
        """Every cell whose check has one of `letters`, once per class (memoised: the world is
        the same in every test and every write is rolled back)."""
        if letters not in self._results:
            probes = {row: Probe(self.world.users[row]) for row in ROWS}
            self.world.baselines = {}
            cells = []
            for family in CHECKS:
                started = time.perf_counter()
                for row, column, check in cells_of(family):
                    if check.letter not in letters:
                        continue
                    observed = check.run(probes[row], self.world, column)
                    expected = expected_of(family, row, column, check.letter)
                    cells.append(
                        (family, row, column, check.letter, check.name, expected, observed)
                    )
                SECONDS[family] = SECONDS.get(family, 0) + time.perf_counter() - started
            problems = [f"{row}: {p}" for row, probe in probes.items() for p in probe.problems]
            type(self)._results[letters] = Result(cells, problems)
        return self._results[letters]

    def _assert_clean(self, result: Result) -> None:
        mismatches = result.mismatches()
        self.assertEqual(mismatches, [], f"{len(mismatches)} mismatches:\n" + "\n".join(mismatches))

    def test_x_3_every_table_covers_every_role_and_column(self):
        self.assertEqual(set(EXPECTED), set(CHECKS))
        for family, table in EXPECTED.items():
            self.assertEqual(set(table), set(ROWS), family)
            self.assertTrue(set(Role.values) <= set(table), family)
            for row, entries in table.items():
                self.assertEqual(len(entries), len(COLUMNS), (family, row))
                used = {check.letter for check in CHECKS[family]} | {"c", "r", "-"}
                self.assertTrue(set("".join(entries)) <= used, (family, row, entries))

    def test_x_3_r_19_matrix_lists_and_exports(self):
        self._assert_clean(self._run("LXE"))

    def test_x_3_r_19_matrix_views_downloads_and_history(self):
        self._assert_clean(self._run("VDH"))

    def test_x_3_r_19_matrix_changes_refused_as_missing_and_nothing_saved(self):
        self._assert_clean(self._run("C"))

    def test_x_3_matrix_counts_at_least_2000_cells(self):
        cells = [cell for letters in ("LXE", "VDH", "C") for cell in self._run(letters).cells]
        by_family: dict = {}
        for family, _row, _column, letter, *_ in cells:
            key = (family, ACTION_OF_LETTER[letter])
            by_family[key] = by_family.get(key, 0) + 1
        print("\ncells checked:", len(cells))
        print("seconds per family:", {f: round(t, 1) for f, t in SECONDS.items()})
        for (family, action), count in sorted(by_family.items()):
            print(f"  {family:16} {action:9} {count}")
        self.assertGreaterEqual(len(cells), 2000)

    # --- forbidden answers exactly like missing ------------------------------------------------

    def test_x_3_r_19_forbidden_answers_exactly_like_missing(self):
        """Per family, a record the user may not see answers byte for byte like one that does
        not exist: status, body and headers."""
        checked, differences = 0, []
        for row, column in (
            (CL, ("other_region", "ordinary")),
            (CL, ("other_region", "return")),
            (REG, ("other_region", "return")),
            (ASA, ("same_region", "return")),  # a return case not assigned to it
            (RMA, ("own_centre", "return")),
        ):
            probe = Probe(self.world.users[row])
            for family, name, url_name, method in FORBIDDEN_LIKE_MISSING:
                record = self.world.records[column].get(name)
                if record is None:
                    continue
                responses = [
                    getattr(probe.client, method)(reverse(url_name, args=[pk]))
                    for pk in (record.pk, MISSING_ID)
                ]
                checked += 1
                forbidden, missing = responses
                if (
                    forbidden.status_code != 404
                    or forbidden.content != missing.content
                    or sorted(forbidden.headers.items()) != sorted(missing.headers.items())
                ):
                    differences.append(
                        f"{row} {'/'.join(column)} {family} {url_name}: "
                        f"{forbidden.status_code} vs {missing.status_code}"
                    )
        self.assertEqual(differences, [], "\n".join(differences))
        self.assertGreaterEqual(checked, 100)


MISSING_ID = 987654321

# (family, record, URL name, method): every page, file and write of the families by the id of
# their record.
FORBIDDEN_LIKE_MISSING = [
    ("resident", "resident", "mottak:resident_detail", "get"),
    ("resident", "resident", "mottak:appointment_new", "get"),
    ("history", "resident", "mottak:resident_history", "get"),
    ("export", "resident", "mottak:resident_data_export", "post"),
    ("photo", "resident", "savnet:profile", "get"),
    ("photo", "resident", "savnet:photo", "get"),
    ("photo", "resident", "savnet:photo_delete", "post"),
    ("personal_folder", "resident", "mottak:personal_folder", "get"),
    ("personal_folder", "resident", "mottak:personal_folder_item_new", "post"),
    ("private_folder", "resident", "mottak:private_folder", "get"),
    ("private_folder", "resident", "mottak:private_folder_item_new", "post"),
    ("leave", "leave", "permisjon:detail", "get"),
    ("leave", "leave", "permisjon:application_pdf", "get"),
    ("leave", "leave", "permisjon:withdraw", "post"),
    ("leave_decision", "leave", "permisjon:decide", "get"),
    ("checklist_upload", "checklist_upload", "cases:checklist_attachment", "get"),
    ("checklist_upload", "checklist_upload", "cases:checklist_step_undo", "post"),
    ("missing_report", "report", "savnet:detail", "get"),
    ("missing_report", "report", "savnet:call", "post"),
    ("move", "move", "mottak:move_detail", "get"),
    ("move", "move", "mottak:move_representative", "post"),
    ("move_decision", "move", "mottak:move_refuse", "post"),
    ("mapping", "mapping", "kartlegging:detail", "get"),
    ("mapping", "mapping", "kartlegging:reading", "get"),
    ("mapping", "mapping", "kartlegging:entry", "post"),
    ("plan", "mapping", "kartlegging:plan", "get"),
    ("plan", "mapping", "kartlegging:measure_add", "post"),
    ("return_case", "return_case", "retur:detail", "get"),
    ("return_case", "return_case", "retur:contact", "post"),
    ("return_case", "conversation", "retur:minutes", "get"),
    ("dispatch", "dispatch", "cases:dispatch_detail", "get"),
    ("dispatch", "dispatch", "cases:dispatch_preview", "get"),
    ("dispatch", "dispatch", "cases:dispatch_pdf", "get"),
    ("dispatch", "dispatch", "cases:dispatch_sent", "post"),
    ("mapping_copy", "mapping_copy", "cases:dispatch_detail", "get"),
    ("mapping_copy", "mapping_copy", "cases:dispatch_pdf", "get"),
    ("consent", "consent", "cases:consent_download", "get"),
    ("consent", "consent", "cases:consent_withdraw", "post"),
    ("deadline", "deadline", "cases:deadline_waive", "post"),
]
