"""Login lockout that a header cannot dodge and that a stranger cannot turn against a named
user: failures count per (user name, client address); many user names from one address lock
that address; X-Forwarded-For counts only behind the configured number of proxies."""

import re

import pytest
from django.conf import settings
from django.test import override_settings

from mottak.tests.factories import PASSWORD
from tests.test_infra_settings import ROOT, production_settings

LOGIN = "/login/"


def attempt(client, username, password="wrong", **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def test_code_default_trusts_no_proxy():
    """Without DJANGO_TRUSTED_PROXY_COUNT the production settings ignore X-Forwarded-For."""
    values = production_settings("TRUSTED_PROXY_COUNT", "AXES_CLIENT_IP_CALLABLE")
    assert values == {
        "TRUSTED_PROXY_COUNT": 0,
        "AXES_CLIENT_IP_CALLABLE": "config.client_ip.client_ip",
    }


def test_compose_trusts_no_proxy_by_default_and_publishes_web_on_loopback_only():
    compose = (ROOT / "docker-compose.yml").read_text()
    assert "DJANGO_TRUSTED_PROXY_COUNT: ${DJANGO_TRUSTED_PROXY_COUNT:-0}" in compose
    web = compose[compose.index("\n  web:") : compose.index("\n  worker:")]
    ports = re.findall(r'^\s+- "([^"]+)"$', web[web.index("ports:") :], flags=re.M)
    assert ports and all(p.startswith("127.0.0.1:") for p in ports), ports


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_forged_forwarded_for_does_not_reset_the_lockout_without_a_trusted_proxy(client, staff):
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, staff.username, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    response = attempt(client, staff.username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.77")
    assert response.status_code == 429


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_forged_forwarded_for_cannot_rotate_past_the_trusted_proxy(client, staff):
    """The proxy appends the address it saw; what the client put in front is ignored."""
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(
            client,
            staff.username,
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, 192.0.2.50",
            REMOTE_ADDR="10.0.0.2",
        )
    response = attempt(
        client,
        staff.username,
        PASSWORD,
        HTTP_X_FORWARDED_FOR="198.51.100.77, 192.0.2.50",
        REMOTE_ADDR="10.0.0.2",
    )
    assert response.status_code == 429


@pytest.mark.parametrize("proxies", [0, 1])
def test_attacker_from_another_address_cannot_lock_a_named_user_out(client, leader, proxies):
    def at(address):
        if proxies:
            return {"HTTP_X_FORWARDED_FOR": f"6.6.6.6, {address}", "REMOTE_ADDR": "10.0.0.2"}
        return {"REMOTE_ADDR": address}

    with override_settings(TRUSTED_PROXY_COUNT=proxies):
        for _ in range(settings.AXES_FAILURE_LIMIT * 3):
            attempt(client, leader.username, **at("203.0.113.66"))
        assert attempt(client, leader.username, PASSWORD, **at("203.0.113.66")).status_code == 429
        response = attempt(client, leader.username, PASSWORD, **at("192.0.2.10"))
    assert response.status_code == 302


def test_many_user_names_from_one_address_lock_that_address_only(client, staff, user_factory):
    spray = "203.0.113.99"
    limit = settings.AXES_USERNAMES_PER_ADDRESS_LIMIT
    for n in range(limit - 1):
        assert attempt(client, f"guess-{n}", REMOTE_ADDR=spray).status_code == 200
    # Below the limit a real user at that address still gets in.
    assert attempt(client, staff.username, PASSWORD, REMOTE_ADDR=spray).status_code == 302
    client.post("/logout/")
    assert attempt(client, f"guess-{limit}", REMOTE_ADDR=spray).status_code == 429
    # Now every login from that address waits out the cool-off, even with the right password...
    assert attempt(client, staff.username, PASSWORD, REMOTE_ADDR=spray).status_code == 429
    # ...while the same user from their own address is not affected.
    assert attempt(client, staff.username, PASSWORD, REMOTE_ADDR="192.0.2.10").status_code == 302
