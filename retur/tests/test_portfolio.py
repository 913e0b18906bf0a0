"""RET-4: RMA's portfolio counted against a seeded population, the information gap, and the
hand-over from the assisted-return track to ASA (R-19)."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.periods import OSLO
from mottak.models import Role, Stay
from mottak.services import stay_close
from mottak.tests.factories import make_resident
from retur import selectors, services
from retur.models import ReturnCase
from retur.selectors_portfolio import portfolio

pytestmark = pytest.mark.django_db


@pytest.fixture
def asa(user_factory):
    return user_factory(Role.ASA_CASEWORKER)


@pytest.fixture
def rma(user_factory):
    return user_factory(Role.RMA)


def _case(resident, asa, admin_user, *, path=None):
    case = services.return_case_open(
        resident=resident, stage=resident.asylum_stage, at=timezone.now() - timedelta(days=90)
    )
    case = services.return_case_assign(case=case, caseworker=asa, by=admin_user)
    if path:
        case = services.return_case_choose_path(case=case, path=path, by=asa)
    return case


def _returned(case, asa, at):
    services.return_case_verify_care_premise(
        case=case, care_premise="Til foreldrene", verification="Bekreftet av IOM", by=asa
    )
    return services.return_case_mark_returned(case=case, at=at, by=asa)


def _end_stay(resident, reason, staff):
    stay = Stay.objects.get(resident=resident, ended_at__isnull=True)
    stay_close(stay=stay, ended_at=timezone.now() - timedelta(days=1), reason=reason, by=staff)


def test_ret_4_portfolio_counts_a_seeded_population(centre, staff, asa, admin_user):
    final = "final_rejection"
    in_reception = make_resident(centre, asylum_stage=final, nationality="Afghanistan")
    privately = make_resident(centre, asylum_stage=final, nationality="Eritrea")
    _end_stay(privately, Stay.EndReason.PRIVATE, staff)
    missing = make_resident(centre, asylum_stage=final, nationality="Somalia")
    _end_stay(missing, Stay.EndReason.MISSING, staff)
    make_resident(centre, asylum_stage="rejected_udi")  # not final: not in the portfolio
    make_resident(centre, asylum_stage="granted")

    informed = _case(in_reception, asa, admin_user, path="assisted")
    services.return_case_record_information(
        case=informed, given_at=timezone.now(), to_minor=True, to_carers=False, by=asa
    )
    # Returned, each path once, in two months; the cases' residents are final rejections too.
    paths = ["assisted", "forced", "dublin", "assisted"]
    months = [datetime(2026, 10, 15, 12, tzinfo=OSLO)] * 2 + [
        datetime(2026, 11, 3, 9, tzinfo=OSLO)
    ] * 2
    for path, at in zip(paths, months, strict=True):
        resident = make_resident(centre, asylum_stage=final, nationality="Irak")
        _returned(_case(resident, asa, admin_user, path=path), asa, at)

    data = portfolio(now=datetime(2026, 12, 1, 12, tzinfo=OSLO))
    assert data.final_total == 7  # in reception, private, missing, and the four returned
    assert data.in_reception == 5
    assert data.outside_reception == {"Moved privately": 1, "Missing": 1}
    assert data.missing_after_final == 1
    assert data.information_gap == 6  # only one minor was told about assisted return
    assert data.returned_total == 4
    assert dict(data.returned_by_month)["2026-10"]["assisted"] == 1
    assert dict(data.returned_by_month)["2026-10"]["forced"] == 1
    assert dict(data.returned_by_month)["2026-11"] == {
        "assisted": 1,
        "forced": 0,
        "escorted": 0,
        "dublin": 1,
    }
    assert all(region == centre.region.name for _m, region, _n, _p, _c in data.returned_rows)


def test_ret_4_portfolio_costs_the_same_queries_for_any_population(
    centre, django_assert_num_queries
):
    for _ in range(3):
        make_resident(centre, asylum_stage="final_rejection")
    with django_assert_num_queries(3):
        portfolio()
    for _ in range(10):
        make_resident(centre, asylum_stage="final_rejection")
    with django_assert_num_queries(3):
        portfolio()


def test_ret_4_r_19_the_portfolio_page_is_rma_s_and_shows_no_names(
    client, centre, rma, asa, staff, admin_user
):
    resident = make_resident(centre, asylum_stage="final_rejection", given_names="Unikt")
    _returned(_case(resident, asa, admin_user, path="forced"), asa, timezone.now())
    client.force_login(rma)
    page = client.get(reverse("retur:portfolio"))
    assert page.status_code == 200
    assert "Unikt" not in page.content.decode()
    assert '<svg class="chart"' in page.content.decode()  # the month's bar is drawn
    csv = client.get(reverse("retur:portfolio_export", args=["csv"]))
    assert csv.status_code == 200 and "Unikt" not in csv.content.decode()
    for user in (asa, staff):
        client.force_login(user)
        assert client.get(reverse("retur:portfolio")).status_code == 404


def test_ret_4_r_19_rma_sees_cases_one_by_one_only_on_the_assisted_track(
    centre, rma, asa, admin_user
):
    assisted = _case(
        make_resident(centre, asylum_stage="final_rejection"), asa, admin_user, path="assisted"
    )
    _case(make_resident(centre, asylum_stage="final_rejection"), asa, admin_user, path="forced")
    assert list(selectors.return_cases_visible_to(rma)) == [assisted]


def test_ret_4_withdrawn_assisted_return_is_handed_over_to_asa(
    client, centre, rma, asa, admin_user
):
    case = _case(
        make_resident(centre, asylum_stage="final_rejection"), asa, admin_user, path="assisted"
    )
    with pytest.raises(PermissionDenied):
        services.return_case_hand_over(case=case, reason="withdrawn", information="x", by=asa)
    with pytest.raises(ValidationError, match="needs to know"):
        services.return_case_hand_over(case=case, reason="withdrawn", information=" ", by=rma)
    handover = services.return_case_hand_over(
        case=case, reason="withdrawn", information="IOM-søknaden trukket 1.12.", by=rma
    )
    case.refresh_from_db()
    assert case.path == ReturnCase.Path.FORCED
    assert not selectors.return_cases_visible_to(rma).filter(pk=case.pk).exists()
    client.force_login(asa)
    page = client.get(reverse("retur:detail", args=[case.pk]))
    assert "IOM-søknaden trukket 1.12." in page.content.decode()
    assert handover.by == rma


def test_ret_4_only_the_assisted_track_is_handed_over(centre, rma, asa, admin_user):
    case = _case(
        make_resident(centre, asylum_stage="final_rejection"), asa, admin_user, path="forced"
    )
    with pytest.raises(ValidationError, match="assisted-return track"):
        services.return_case_hand_over(case=case, reason="excluded", information="x", by=rma)


def test_ret_4_information_needs_someone_informed(centre, asa, admin_user):
    case = _case(make_resident(centre, asylum_stage="final_rejection"), asa, admin_user)
    with pytest.raises(ValidationError, match="informed"):
        services.return_case_record_information(
            case=case, given_at=timezone.now(), to_minor=False, to_carers=False, by=asa
        )
