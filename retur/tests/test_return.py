"""The return routine (RET-1..RET-3, RET-5, R-19, IM §2) at its boundaries."""

import subprocess
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.services import case_event_publish, case_events_drain
from mottak import events as life
from mottak.models import Role
from mottak.tests.factories import make_resident
from retur import rules, selectors, services
from retur.models import ReturnCase, ReturnConversation, UneReversalShare

pytestmark = pytest.mark.django_db

ALL_UDI = [t.code for t in rules.mandatory_topics(rules.AFTER_UDI)]
ALL_UNE = [t.code for t in rules.mandatory_topics(rules.AFTER_UNE)]


@pytest.fixture
def asa(user_factory):
    return user_factory(Role.ASA_CASEWORKER)


@pytest.fixture
def other_asa(user_factory):
    return user_factory(Role.ASA_CASEWORKER)


@pytest.fixture
def case(centre, admin_user, asa):
    resident = make_resident(centre, asylum_stage="rejected_udi")
    opened = services.return_case_open(
        resident=resident, stage="rejected_udi", at=timezone.now() - timedelta(days=2)
    )
    return services.return_case_assign(case=opened, caseworker=asa, by=admin_user)


def held(case, by, kind=rules.AFTER_UDI, topics=None, **extra):
    return services.return_conversation_record(
        case=case,
        kind=kind,
        held_at=timezone.now() - timedelta(hours=1),
        topics=ALL_UDI if topics is None and kind == rules.AFTER_UDI else (topics or ALL_UNE),
        by=by,
        **extra,
    )


# ---- RET-5: a rejection opens a return case --------------------------------------------------


def test_ret_5_a_rejection_opens_one_return_case_through_the_life_event(centre):
    resident = make_resident(centre)
    for _ in range(2):  # the same event twice: one case
        case_event_publish(
            kind=life.ASYLUM_STAGE_CHANGED,
            subject=resident,
            payload={"from": "decision_pending", "to": "rejected_udi"},
        )
    case_events_drain()
    assert ReturnCase.objects.filter(resident=resident, state="open").count() == 1


def test_ret_5_a_stage_that_is_no_rejection_opens_nothing(centre):
    resident = make_resident(centre)
    case_event_publish(
        kind=life.ASYLUM_STAGE_CHANGED,
        subject=resident,
        payload={"from": "registered", "to": "decision_pending"},
    )
    case_events_drain()
    assert not ReturnCase.objects.exists()


# ---- RET-1..RET-3: mandatory topics -------------------------------------------------------------


def test_ret_1_ret_2_not_held_while_one_mandatory_topic_after_udi_is_unchecked(case, asa):
    for left_out in ALL_UDI:
        with pytest.raises(ValidationError, match="mandatory topic"):
            held(case, asa, topics=[c for c in ALL_UDI if c != left_out])
    assert not ReturnConversation.objects.exists()
    conversation = held(case, asa)
    assert conversation.held_at is not None


def test_ret_3_after_une_needs_the_finality_topics_not_the_appeal_topics(case, asa):
    ret_1 = [t.code for t in rules.RET_1_TOPICS]
    with pytest.raises(ValidationError, match="endelig"):
        held(case, asa, kind=rules.AFTER_UNE, topics=ret_1)
    with pytest.raises(ValidationError, match="not recognised"):
        held(case, asa, kind=rules.AFTER_UNE, topics=ALL_UNE + ["assisted_instead_of_appeal"])
    assert held(case, asa, kind=rules.AFTER_UNE, topics=ALL_UNE).held_at is not None


def test_ret_2_the_reversal_share_in_force_is_printed_in_the_record(case, asa):
    UneReversalShare.objects.create(
        share_percent="9.5",
        period="2024",
        source="UNEs årsrapport 2024",
        valid_from=date(2025, 1, 1),
    )
    UneReversalShare.objects.create(
        share_percent="99.0",
        period="framtid",
        source="ikke i kraft",
        valid_from=timezone.localdate() + timedelta(days=1),
    )
    conversation = held(case, asa)
    assert conversation.reversal_share_text == (
        "UNE omgjorde 9.5 % av sakene (2024). Kilde: UNEs årsrapport 2024."
    )
    une = held(case, asa, kind=rules.AFTER_UNE, topics=ALL_UNE)
    assert une.reversal_share_text == ""


def test_ret_1_a_conversation_of_a_kind_is_held_once(case, asa):
    held(case, asa)
    with pytest.raises(ValidationError, match="already"):
        held(case, asa)


def test_ret_1_interpreter_needs_its_language_and_the_time_cannot_be_future(case, asa):
    with pytest.raises(ValidationError, match="language"):
        held(case, asa, interpreter_mode="phone")
    with pytest.raises(ValidationError, match="future"):
        services.return_conversation_record(
            case=case,
            kind=rules.AFTER_UDI,
            held_at=timezone.now() + timedelta(hours=1),
            topics=ALL_UDI,
            by=asa,
        )


def test_ret_1_not_attended_is_recorded_with_a_new_time_in_the_future(case, asa):
    now = timezone.now()
    with pytest.raises(ValidationError, match="new time"):
        services.return_conversation_not_attended(
            case=case,
            kind=rules.AFTER_UDI,
            planned_at=now,
            new_time=now - timedelta(hours=1),
            by=asa,
        )
    missed = services.return_conversation_not_attended(
        case=case,
        kind=rules.AFTER_UDI,
        planned_at=now - timedelta(hours=1),
        new_time=now + timedelta(days=2),
        by=asa,
    )
    assert missed.held_at is None and missed.new_time > now


# ---- RET-5 / IM §2: the way home -------------------------------------------------------------


def test_ret_5_no_return_while_the_care_premise_is_unrecorded_or_unverified(case, asa):
    services.return_case_choose_path(case=case, path="assisted", by=asa)
    with pytest.raises(ValidationError, match="care premise"):
        services.return_case_mark_returned(case=case, at=timezone.now(), by=asa)
    services.return_case_verify_care_premise(
        case=case,
        care_premise="Retur til foreldrene i hjembyen",
        verification="Bekreftet av IOM etter samtale med foreldrene",
        by=asa,
    )
    returned = services.return_case_mark_returned(case=case, at=timezone.now(), by=asa)
    assert returned.state == ReturnCase.State.RETURNED


def test_ret_5_not_feasible_is_followed_up_towards_une(case, asa):
    with pytest.raises(ValidationError, match="why"):
        services.return_case_not_feasible(case=case, note=" ", by=asa)
    result = services.return_case_not_feasible(case=case, note="Ingen omsorgsperson funnet", by=asa)
    assert result.state == ReturnCase.State.NOT_FEASIBLE


def test_r_19_only_the_assigned_asa_caseworker_works_the_case(case, other_asa, staff):
    for user in (other_asa, staff):
        with pytest.raises(PermissionDenied):
            held(case, user)
    assert not ReturnConversation.objects.exists()


def test_r_19_only_an_administrator_assigns_and_only_to_asa(case, asa, staff, admin_user):
    with pytest.raises(PermissionDenied):
        services.return_case_assign(case=case, caseworker=asa, by=asa)
    with pytest.raises(ValidationError, match="ASA"):
        services.return_case_assign(case=case, caseworker=staff, by=admin_user)


# ---- access (R-19) ------------------------------------------------------------------------------


def test_r_19_access_matrix(case, asa, other_asa, staff, caseworker, user_factory, client):
    rma = user_factory(Role.RMA)
    assert list(selectors.return_cases_visible_to(asa)) == [case]
    assert not selectors.return_cases_visible_to(other_asa).exists()
    assert not selectors.return_cases_visible_to(rma).exists()
    assert list(selectors.return_cases_visible_to(staff)) == [case]  # the centre sees its own
    assert list(selectors.return_cases_visible_to(caseworker)) == [case]  # the region too
    url = reverse("retur:detail", args=[case.pk])
    for user, status in ((asa, 200), (other_asa, 404), (rma, 404), (staff, 200)):
        client.force_login(user)
        assert client.get(url).status_code == status, user.role


def test_r_19_another_centre_gets_404(case, neighbour_centre, user_factory, client):
    stranger = user_factory(Role.CENTRE_STAFF, centre=neighbour_centre)
    client.force_login(stranger)
    assert client.get(reverse("retur:detail", args=[case.pk])).status_code == 404


def test_ret_1_the_conversation_form_records_and_the_minutes_print(case, asa, client, tmp_path):
    client.force_login(asa)
    when = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    data = {
        f"after_udi-{k}": v
        for k, v in {"held_at": when, "minor_questions": "Kan jeg klage?"}.items()
    }
    data["after_udi-topics"] = ALL_UDI
    response = client.post(reverse("retur:conversation_udi", args=[case.pk]), data)
    assert response.status_code == 302
    conversation = ReturnConversation.objects.get()
    pdf = client.get(reverse("retur:minutes", args=[conversation.pk]))
    assert pdf.status_code == 200 and pdf["Cache-Control"] == "private, no-store"
    path = tmp_path / "minutes.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-layout", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "Referat fra retursamtale" in text
    assert "Kan jeg klage?" in text
    assert "Gjennomgått" in text and "Ikke gjennomgått" not in text
    assert "RET-" not in text


def test_ret_1_a_form_with_a_topic_unchecked_saves_nothing_and_says_why(case, asa, client):
    client.force_login(asa)
    when = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("retur:conversation_udi", args=[case.pk]),
        {"after_udi-held_at": when, "after_udi-topics": ALL_UDI[:-1]},
        follow=True,
    )
    assert response.status_code == 200
    assert (
        "mandatory topic" in response.content.decode()
        or "obligatoriske" in response.content.decode()
    )
    assert not ReturnConversation.objects.exists()


def test_ret_1_the_sesam_notice_calls_for_the_conversation_on_the_case(centre, staff):
    from mottak.services import sesam_notice_record

    resident = make_resident(centre, asylum_stage="rejected_udi")
    received = timezone.localdate()
    for _ in range(2):
        sesam_notice_record(
            resident=resident, kind="return_conversation", received_on=received, by=staff
        )
    case_events_drain()
    case = ReturnCase.objects.get(resident=resident)
    assert case.conversation_notice_on == received


def test_ret_1_a_notice_for_a_resident_not_in_a_return_stage_opens_nothing(centre, staff):
    from mottak.services import sesam_notice_record

    resident = make_resident(centre, asylum_stage="granted")
    sesam_notice_record(
        resident=resident,
        kind="return_conversation",
        received_on=timezone.localdate(),
        by=staff,
    )
    case_events_drain()
    assert not ReturnCase.objects.exists()
