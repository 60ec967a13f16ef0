"""Login throttling that nobody can turn against someone else (issue 16).

Behind the reverse proxy every request came from the proxy's address: fifty failures an
hour by anyone locked everybody out (a correct login answered 429), and twenty failures on
a known account locked it until the end of the day.
"""

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse

from federation import accounts
from federation.security import client_ip

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"
RIGHT = "motdepasse-test"


def login(client, username="equipe-test", password="mauvais", *, via=None, remote=PROXY):
    extra = {"REMOTE_ADDR": remote}
    if via is not None:
        extra["HTTP_X_FORWARDED_FOR"] = via
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


class Clock:
    def __init__(self, monkeypatch):
        self.now = 1_800_000_000.0
        monkeypatch.setattr(accounts.time, "time", lambda: self.now)

    def advance(self, seconds):
        self.now += seconds


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),  # no proxy: the header is the client's word, ignored
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # what the client wrote before is not believed
        (2, "6.6.6.6, 203.0.113.9, 192.0.2.1", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.1"),  # fewer entries than proxies: misconfigured, fall back
        (1, "pas-une-adresse", "10.0.0.1"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_is_read_from_the_trusted_proxies_header(proxies, forwarded, expected):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(TRUSTED_PROXY_COUNT=proxies):
        assert accounts.client_address(request) == expected
        assert client_ip(request) == expected  # the security log records the same address


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_others_failures_do_not_lock_everybody_out(client, staff_user):
    for number in range(60):
        login(client, username=f"compte{number}", via=f"203.0.113.{number}")
    assert login(client, password=RIGHT, via="198.51.100.7").status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_one_address_trying_many_accounts_is_refused_alone(client, staff_user):
    for number in range(50):
        login(client, username=f"compte{number}", via="203.0.113.66")
    assert login(client, username="encore-un", via="203.0.113.66").status_code == 429
    assert login(client, password=RIGHT, via="198.51.100.7").status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_wrong_passwords_make_that_address_wait_longer_and_longer_up_to_15_minutes(client, staff_user, monkeypatch):
    clock = Clock(monkeypatch)
    for _ in range(4):
        assert login(client, via="203.0.113.5").status_code == 200
    waits = []
    for _ in range(6):
        assert login(client, via="203.0.113.5").status_code == 200  # the failure that starts a wait
        refused = login(client, password=RIGHT, via="203.0.113.5")
        assert refused.status_code == 429  # even the right password, while waiting
        waits.append(int(refused["Retry-After"]))
        clock.advance(waits[-1])
    assert waits == [60, 120, 240, 480, 900, 900]
    assert "Réessayez dans 15 minutes" in refused.content.decode()
    # Meanwhile the account's owner, elsewhere, logs in.
    assert login(client, password=RIGHT, via="198.51.100.7").status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_a_successful_login_clears_the_wait(client, staff_user, monkeypatch):
    clock = Clock(monkeypatch)
    for _ in range(5):
        login(client, via="203.0.113.5")
    clock.advance(60)
    assert login(client, password=RIGHT, via="203.0.113.5").status_code == 302
    client.logout()
    assert login(client, via="203.0.113.5").status_code == 200  # counting starts again at 0


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_someone_guessing_a_known_account_cannot_lock_its_owner_out(client, staff_user, monkeypatch):
    Clock(monkeypatch)
    owner = client.__class__()
    assert login(owner, password=RIGHT, via="198.51.100.7").status_code == 302  # the owner's usual browser
    known = owner.cookies[accounts.KNOWN_BROWSER_COOKIE].value
    owner.logout()  # the test client forgets every cookie; a browser keeps this one
    owner.cookies[accounts.KNOWN_BROWSER_COOKIE] = known
    for number in range(40):  # from many addresses, a few tries each
        login(client, via=f"203.0.113.{number // 4}")
    # From a browser it never logged in from, the account waits (15 minutes at most)...
    assert login(client.__class__(), password=RIGHT, via="198.51.100.8").status_code == 429
    # ...but its owner's browser is not held, even from another address.
    assert login(owner, password=RIGHT, via="192.0.2.44").status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_the_account_wide_wait_ends_within_15_minutes(client, staff_user, monkeypatch):
    clock = Clock(monkeypatch)
    for number in range(40):
        login(client, via=f"203.0.113.{number // 4}")
    assert login(client, password=RIGHT, via="198.51.100.8").status_code == 429
    clock.advance(15 * 60)
    monkeypatch.setattr("django_ratelimit.core.time.time", lambda: clock.now)
    assert login(client, password=RIGHT, via="198.51.100.8").status_code == 302
