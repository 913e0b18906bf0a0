"""Bad input (issue item 10): Hypothesis drives the registration and arrival forms over HTTP.

Whatever is posted: never a 500, and either the whole change is written or nothing at all.
"""

from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import TimelineEvent
from mottak.models import AsylumStage, Resident, Stay
from mottak.services import stay_close
from mottak.tests.factories import ResidentFactory

pytestmark = pytest.mark.slow

# How many examples: from the Hypothesis profile (conftest.py: about 20 by default, 200 in CI).
SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# That both outcomes (saved, refused) turn up more than 10 times checks the strategies, and
# needs the full count of the `ci` profile: in a few examples a rare outcome may not turn up.
FULL_RUN = SETTINGS.max_examples >= 200

# Any text a browser could send (lone surrogates cannot be encoded, so they never arrive).
any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=130)
name = st.text(
    alphabet=st.characters(whitelist_categories=("L",), blacklist_categories=("Cs",)),
    min_size=1,
    max_size=40,
)
duf_number = st.from_regex(r"\A ?[0-9]{4} ?[0-9]{4} ?[0-9]{4} ?\Z")
birth_date = st.dates(min_value=date(1995, 1, 1), max_value=date.today())
any_date = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
any_datetime = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31))
flag = st.sampled_from(["on", "", "true", "false", "0"])


def _iso_date(d: date) -> str:
    return d.isoformat()


def _iso_minute(dt: datetime) -> str:
    return dt.isoformat(timespec="minutes")


def junk_for(field: str):
    """Values that are wrong, odd or at the edges, per field."""
    common = [any_text, st.just("")]
    extra = {
        "duf_number": [st.from_regex(r"\A\d{1,15}\Z"), st.from_regex(r"\A[0-9]{11,13}\Z")],
        "date_of_birth": [any_date.map(_iso_date), st.just("2009-02-30")],
        "arrived_at": [
            any_datetime.map(_iso_minute),
            st.just("2025-03-30T02:30"),  # does not exist in Oslo (DST)
        ],
        "centre": [st.sampled_from(["far", "999999", "-1", "abc"])],
        "gender": [st.sampled_from(["robot", "FEMALE"])],
        "asylum_stage": [st.sampled_from(["bogus", "REGISTERED"])],
    }.get(field, [])
    return st.one_of(*common, *extra)


REGISTRATION_FIELDS = [
    "duf_number",
    "registration_number",
    "given_names",
    "family_name",
    "date_of_birth",
    "date_of_birth_uncertain",
    "presumed_adult",
    "gender",
    "nationality",
    "languages",
    "asylum_stage",
    "representative_name",
    "child_welfare_case",
    "special_needs",
    "centre",
    "arrived_at",
]


@st.composite
def registration_posts(draw):
    """A plausible registration, with any number of its fields replaced by junk."""
    born = draw(birth_date)
    arrival_span = max((timezone.localdate() - born).days - 1, 0)
    arrived = datetime.combine(born, datetime.min.time()) + timedelta(
        days=draw(st.integers(0, arrival_span)), hours=12
    )
    post = {
        "duf_number": draw(duf_number),
        "registration_number": draw(st.sampled_from(["", "REG-1"])),
        "given_names": draw(name),
        "family_name": draw(name),
        "date_of_birth": born.isoformat(),
        "date_of_birth_uncertain": draw(flag),
        "presumed_adult": draw(flag),
        "gender": draw(st.sampled_from(Resident.Gender.values)),
        "nationality": draw(name),
        "languages": draw(any_text.map(lambda s: s[:200])),
        "asylum_stage": draw(st.sampled_from(AsylumStage.values)),
        "representative_name": "",
        "child_welfare_case": draw(flag),
        "special_needs": draw(any_text),
        "centre": "own",
        "arrived_at": _iso_minute(arrived),
    }
    broken = draw(st.lists(st.sampled_from(REGISTRATION_FIELDS), max_size=3, unique=True))
    for field in broken:
        post[field] = draw(junk_for(field))
    return post


def _centre_value(choice: str, own, far) -> str:
    return {"own": str(own.pk), "far": str(far.pk)}.get(choice, choice)


def _snapshot() -> tuple[int, int, int, int]:
    return (
        Resident.objects.count(),
        Stay.objects.count(),
        # The arrival itself; the arrival routine's deadlines add entries of their own.
        TimelineEvent.objects.filter(kind="arrival").count(),
        Resident.history.count(),
    )


def test_registration_form_never_500_never_half_written(client, staff, centre, far_centre):
    client.force_login(staff)
    outcomes = Counter()
    url = reverse("mottak:resident_register")

    @SETTINGS
    @given(post=registration_posts())
    def run(post):
        post = {**post, "centre": _centre_value(post["centre"], centre, far_centre)}
        before = _snapshot()
        response = client.post(url, post)
        after = _snapshot()
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 302:
            outcomes["saved"] += 1
            assert after == tuple(n + 1 for n in before)
        else:
            outcomes["refused"] += 1
            assert b"Nothing has been saved" in response.content
            assert after == before

    run()
    assert sum(outcomes.values()) >= SETTINGS.max_examples
    if FULL_RUN:  # both paths were really exercised
        assert outcomes["saved"] > 10 and outcomes["refused"] > 10, outcomes


@st.composite
def arrival_posts(draw):
    post = {
        "centre": "own",
        # Around the end of the previous stay (10 days ago): before it, after it, in the future.
        "arrived_at_offset_hours": draw(st.integers(-24 * 30, 24 * 30)),
    }
    broken = draw(st.lists(st.sampled_from(["centre", "arrived_at"]), max_size=2, unique=True))
    for field in broken:
        post[field] = draw(junk_for(field))
    return post


def test_arrival_form_never_500_never_half_written(client, staff, centre, far_centre):
    client.force_login(staff)
    outcomes = Counter()
    left_at = timezone.now() - timedelta(days=10)

    @SETTINGS
    @given(post=arrival_posts())
    def run(post):
        # A resident of the staff's centre whose last stay has ended.
        resident = ResidentFactory(centre=centre)
        stay_close(stay=resident.stays.get(), ended_at=left_at, reason="moved", by=staff)
        offset = post.pop("arrived_at_offset_hours")
        post.setdefault(
            "arrived_at", _iso_minute(timezone.localtime(left_at + timedelta(hours=offset)))
        )
        post["centre"] = _centre_value(post["centre"], centre, far_centre)
        arrivals = TimelineEvent.objects.filter(kind="arrival")
        before = (resident.stays.count(), arrivals.count())
        response = client.post(reverse("mottak:stay_arrival", args=[resident.pk]), post)
        after = (resident.stays.count(), arrivals.count())
        assert response.status_code in (200, 302), response.status_code
        resident.refresh_from_db()
        if response.status_code == 302:
            outcomes["saved"] += 1
            assert after == (before[0] + 1, before[1] + 1)
            assert resident.stays.filter(ended_at__isnull=True, centre=centre).count() == 1
        else:
            outcomes["refused"] += 1
            assert b"Nothing has been saved" in response.content
            assert after == before
            assert not resident.stays.filter(ended_at__isnull=True).exists()

    run()
    if FULL_RUN:  # both paths were really exercised
        assert outcomes["saved"] > 10 and outcomes["refused"] > 10, outcomes
