"""X-3: role × scope × action for residents and stays, through the access layer and over HTTP.

Every cell of the table below is one test per record kind and per layer; an unexpected allow
and an unexpected deny both fail. A forbidden record answers exactly like a missing one (404).
"""

from datetime import timedelta

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mottak.access import (
    Action,
    access_resident,
    access_stay,
    residents_visible_to,
    stays_visible_to,
)
from mottak.models import AsylumStage, Role, Stay
from mottak.tests.factories import ResidentFactory

SCOPES = ("own_centre", "same_region", "other_region")
STAGES = ("ordinary", "return")  # "return": the asylum case is in a return stage

# Who may do what. Centre roles work at the own centre; the regional-office caseworker at the
# own centre's region; RMA and the administrator have no membership. ASA is the named
# caseworker of the return cases of the own centre's and the other region's return-stage
# residents, and not of the same region's: it sees the residents of its cases, nothing else.
# L = list, V = view, C = change.
# fmt: off
EXPECTED = {
    #                           own centre        same region       other region
    #                           ordinary return   ordinary return   ordinary return
    Role.CENTRE_STAFF:          ("LVC",  "LVC",   "",      "",      "",      ""),
    Role.CHILD_WELFARE_LEAD:    ("LVC",  "LVC",   "",      "",      "",      ""),
    Role.CENTRE_LEADER:         ("LVC",  "LVC",   "",      "",      "",      ""),
    Role.REGION_CASEWORKER:     ("LV",   "LV",    "LV",    "LV",    "",      ""),
    Role.ASA_CASEWORKER:        ("",     "LV",    "",      "",      "",      "LV"),
    Role.RMA:                   ("",     "",      "",      "",      "",      ""),
    Role.ADMIN:                 ("LVC",  "LVC",   "LVC",   "LVC",   "LVC",   "LVC"),
}
# fmt: on
LETTER = {Action.LIST: "L", Action.VIEW: "V", Action.CHANGE: "C"}


def expected(role: str, scope: str, stage: str, action: Action) -> bool:
    column = SCOPES.index(scope) * len(STAGES) + STAGES.index(stage)
    return LETTER[action] in EXPECTED[role][column]


def test_the_table_covers_every_role():
    assert set(EXPECTED) == set(Role.values)


@pytest.fixture
def world(region, centre, neighbour_centre, far_centre):
    """Two residents (ordinary and return stage) with an open stay in each scope."""
    centres = {"own_centre": centre, "same_region": neighbour_centre, "other_region": far_centre}
    stages = {"ordinary": AsylumStage.DECISION_PENDING, "return": AsylumStage.FINAL_REJECTION}
    return {
        (scope, stage): ResidentFactory(centre=centres[scope], asylum_stage=stages[stage])
        for scope in SCOPES
        for stage in STAGES
    }


ASA_ASSIGNED = (("own_centre", "return"), ("other_region", "return"))


def assign_return_cases(asa, residents, admin) -> None:
    """R-19: the assignment (through the return routine's service) is ASA's only grant."""
    from retur import services as return_services

    for resident in residents:
        case = return_services.return_case_open(
            resident=resident, stage=resident.asylum_stage, at=timezone.now()
        )
        return_services.return_case_assign(case=case, caseworker=asa, by=admin)


@pytest.fixture
def user_for(user_factory, region, centre, admin_user, world):
    def make(role: str):
        if role == Role.ADMIN:
            return admin_user
        if role == Role.REGION_CASEWORKER:
            return user_factory(role, region=region)
        if role in (Role.CENTRE_STAFF, Role.CHILD_WELFARE_LEAD, Role.CENTRE_LEADER):
            return user_factory(role, centre=centre)
        if role == Role.ASA_CASEWORKER:
            asa = user_factory(role)
            assign_return_cases(asa, [world[cell] for cell in ASA_ASSIGNED], admin_user)
            return asa
        return user_factory(role)

    return make


CELLS = [
    pytest.param(role, scope, stage, action, id=f"{role}-{scope}-{stage}-{action}")
    for role in Role.values
    for scope in SCOPES
    for stage in STAGES
    for action in Action
]


def _allowed(check) -> bool:
    try:
        check()
    except Http404:
        return False
    return True


# --- through the access layer ---------------------------------------------------------------------


@pytest.mark.parametrize("role, scope, stage, action", CELLS)
def test_x_3_resident_access_layer(world, user_for, role, scope, stage, action):
    user, resident = user_for(role), world[(scope, stage)]
    if action == Action.LIST:
        allowed = residents_visible_to(user, Action.LIST).filter(pk=resident.pk).exists()
    else:
        allowed = _allowed(
            lambda: access_resident(user=user, resident_id=resident.pk, action=action)
        )
    assert allowed == expected(role, scope, stage, action)


@pytest.mark.parametrize("role, scope, stage, action", CELLS)
def test_x_3_stay_access_layer(world, user_for, role, scope, stage, action):
    user, stay = user_for(role), world[(scope, stage)].stays.get()
    if action == Action.LIST:
        allowed = stays_visible_to(user, Action.LIST).filter(pk=stay.pk).exists()
    else:
        allowed = _allowed(lambda: access_stay(user=user, stay_id=stay.pk, action=action))
    assert allowed == expected(role, scope, stage, action)


def test_R_19_asa_without_an_assignment_sees_no_resident_not_even_in_a_return_stage(
    world, user_factory
):
    """R-19 replaces the earlier rule (ASA saw every resident in a return stage)."""
    asa = user_factory(Role.ASA_CASEWORKER)
    assert not residents_visible_to(asa, Action.LIST).exists()
    assert not stays_visible_to(asa, Action.LIST).exists()
    for resident in world.values():
        assert not _allowed(lambda r=resident: access_resident(user=asa, resident_id=r.pk))


# --- through the HTTP views -----------------------------------------------------------------------


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _arrival_post(centre) -> dict:
    when = timezone.localtime() - timedelta(hours=1)
    return {"centre": centre.pk, "arrived_at": when.strftime("%Y-%m-%dT%H:%M")}


@pytest.mark.parametrize("role, scope, stage, action", CELLS)
def test_x_3_resident_http(world, user_for, centre, role, scope, stage, action):
    user, resident = user_for(role), world[(scope, stage)]
    client = _client(user)
    detail = reverse("mottak:resident_detail", args=[resident.pk])
    if action == Action.LIST:
        response = client.get(reverse("mottak:resident_list"))
        assert response.status_code == 200
        allowed = f'href="{detail}"' in response.content.decode()
    elif action == Action.VIEW:
        status = client.get(detail).status_code
        assert status in (200, 404)
        allowed = status == 200
    else:
        url = reverse("mottak:stay_arrival", args=[resident.pk])
        status = client.get(url).status_code
        assert status in (200, 404)
        allowed = status == 200
        if not allowed:  # a refused write changes nothing
            assert client.post(url, _arrival_post(centre)).status_code == 404
            assert resident.stays.count() == 1
    assert allowed == expected(role, scope, stage, action)


@pytest.mark.parametrize("role, scope, stage, action", CELLS)
def test_x_3_stay_http(world, user_for, role, scope, stage, action):
    user, resident = user_for(role), world[(scope, stage)]
    stay = resident.stays.get()
    client = _client(user)
    if action in (Action.LIST, Action.VIEW):
        # Stays are listed and shown on the resident page.
        response = client.get(reverse("mottak:resident_detail", args=[resident.pk]))
        assert response.status_code in (200, 404)
        allowed = f'id="stay-{stay.pk}"' in response.content.decode()
    else:
        url = reverse("mottak:stay_end", args=[resident.pk, stay.pk])
        status = client.get(url).status_code
        assert status in (200, 404)
        allowed = status == 200
        if not allowed:
            when = (timezone.localtime() - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")
            response = client.post(url, {"ended_at": when, "reason": Stay.EndReason.MOVED})
            assert response.status_code == 404
            stay.refresh_from_db()
            assert stay.ended_at is None
    assert allowed == expected(role, scope, stage, action)


# --- forbidden looks exactly like missing -----------------------------------------------------------

MISSING_ID = 987654321


@pytest.mark.parametrize(
    "url_name, with_stay",
    [
        ("mottak:resident_detail", False),
        ("mottak:resident_history", False),
        ("mottak:stay_arrival", False),
        ("mottak:stay_end", True),
        ("mottak:asylum_stage_change", False),
        ("mottak:sesam_notice_new", False),
        ("mottak:representative_new", False),
        ("mottak:date_of_birth_correct", False),
    ],
)
def test_x_3_forbidden_answers_exactly_like_missing(world, user_for, url_name, with_stay):
    client = _client(user_for(Role.CENTRE_LEADER))
    forbidden = world[("other_region", "ordinary")]
    if with_stay:
        forbidden_url = reverse(url_name, args=[forbidden.pk, forbidden.stays.get().pk])
        missing_url = reverse(url_name, args=[forbidden.pk, MISSING_ID])
        missing_both_url = reverse(url_name, args=[MISSING_ID, MISSING_ID])
    else:
        forbidden_url = reverse(url_name, args=[forbidden.pk])
        missing_url = missing_both_url = reverse(url_name, args=[MISSING_ID])
    responses = [client.get(url) for url in (forbidden_url, missing_url, missing_both_url)]
    assert [r.status_code for r in responses] == [404, 404, 404]
    assert responses[0].content == responses[1].content == responses[2].content
    assert sorted(responses[0].headers.items()) == sorted(responses[1].headers.items())


def test_x_3_list_never_leaks_across_scopes_in_search(world, user_for):
    """A search for a forbidden resident's DUF number finds nothing."""
    client = _client(user_for(Role.CENTRE_STAFF))
    forbidden = world[("same_region", "ordinary")]
    client.post(reverse("mottak:resident_list"), {"q": forbidden.duf_number})
    response = client.get(reverse("mottak:resident_list"))
    assert response.context["page"].paginator.count == 0
    assert reverse("mottak:resident_detail", args=[forbidden.pk]) not in response.content.decode()


# --- no model-wide permissions on personal data -------------------------------------------------

PERSONAL_DATA_PERMS = {
    f"{app}.{verb}_{model}"
    for app, model in [
        ("mottak", "resident"),
        ("mottak", "stay"),
        ("mottak", "appointment"),
        ("mottak", "historicalresident"),
        ("cases", "readlog"),
        ("cases", "timelineevent"),
    ]
    for verb in ("view", "add", "change", "delete")
}


def test_x_3_no_model_wide_permission_on_personal_data(world, user_for, centre, region):
    users = [user_for(role) for role in Role.values]
    for user in users:
        if user.is_superuser:
            continue
        perms = user.get_all_permissions()
        assert not perms & PERSONAL_DATA_PERMS, (user.role, perms)
        # Nor any other model-wide permission of the apps that hold personal data.
        assert not [p for p in perms if p.startswith(("mottak.", "cases."))], (user.role, perms)
        # Memberships are object permissions on one centre or region, nothing else.
        if user.role in (Role.CENTRE_STAFF, Role.CHILD_WELFARE_LEAD, Role.CENTRE_LEADER):
            assert user.get_all_permissions(centre) == {"member_of_centre"}
        if user.role == Role.REGION_CASEWORKER:
            assert user.get_all_permissions(region) == {"member_of_region"}


# --- the arrival and turning-18 cases follow their resident (MOT-1, MOT-4) ---------------------

CASE_CELLS = [cell for cell in CELLS if cell.values[3] != Action.LIST]


@pytest.mark.parametrize("role, scope, stage, action", CASE_CELLS)
def test_x_3_arrival_and_turning_18_cases_http(world, user_for, role, scope, stage, action):
    from mottak import services

    user, resident = user_for(role), world[(scope, stage)]
    arrival = services.arrival_open(stay=resident.stays.get(), by=None)
    turning = services.turning_18_open(resident=resident)
    client = _client(user)
    if action == Action.VIEW:
        statuses = {
            client.get(reverse("mottak:arrival_detail", args=[arrival.pk])).status_code,
            client.get(reverse("mottak:turning_18_detail", args=[turning.pk])).status_code,
        }
        assert len(statuses) == 1 and statuses <= {200, 404}
        allowed = statuses == {200}
    else:
        when = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
        response = client.post(
            reverse("mottak:arrival_sesam", args=[arrival.pk]), {"registered_at": when}
        )
        views = client.post(
            reverse("mottak:turning_18_views", args=[turning.pk]),
            {"views": "Views.", "given_at": when},
        )
        assert response.status_code in (302, 404) and views.status_code == response.status_code
        allowed = response.status_code == 302
        arrival.refresh_from_db()
        turning.refresh_from_db()
        assert (arrival.sesam_registered_at is not None) == allowed
        assert (turning.child_welfare_views != "") == allowed
    assert allowed == expected(role, scope, stage, action)
