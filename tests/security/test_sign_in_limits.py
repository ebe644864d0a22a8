"""Sign-in limits: a stranger cannot lock an official out, an office behind one address is not
locked out by one colleague, and the proxy's header is believed only when configured."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory

from monev.web.auth import client_address

PASSWORD = "monev-demo"
STRANGER = "203.0.113.9"
OFFICE = "10.20.30.40"
HOME = "192.0.2.15"


@pytest.fixture(autouse=True)
def fast_passwords(users, settings):
    """A fast hasher for these many sign-ins (the limits, not the hashing, are under test); the
    demo users' passwords are set again with it inside the test's transaction."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for user in users.values():
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])


def _sign_in(client: Client, username: str, password: str, address: str, **extra: str) -> int:
    return client.post(
        "/masuk/", {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    ).status_code


def test_a_stranger_cannot_lock_the_verifier_out(users, settings):
    stranger = Client()
    for _ in range(settings.MONEV_LOGIN_ATTEMPTS):
        assert _sign_in(stranger, "verifikator", "tebakan", STRANGER) == 200
    # The stranger is stopped, even with the right password from their address...
    response = stranger.post(
        "/masuk/", {"username": "verifikator", "password": PASSWORD}, REMOTE_ADDR=STRANGER
    )
    assert response.status_code == 429
    assert "Terlalu banyak percobaan masuk" in response.content.decode()
    # ...but the verifier's own correct password from their own address is never refused,
    assert _sign_in(Client(), "verifikator", PASSWORD, OFFICE) == 302
    # and another user at the stranger's address is not refused either.
    assert _sign_in(Client(), "pimpinan", PASSWORD, STRANGER) == 302


def test_changing_the_case_of_the_user_name_does_not_buy_more_guesses(users, settings):
    stranger = Client()
    for i in range(settings.MONEV_LOGIN_ATTEMPTS):
        name = "Verifikator" if i % 2 else "verifikator"
        assert _sign_in(stranger, name, "tebakan", STRANGER) == 200
    assert _sign_in(stranger, "VERIFIKATOR", "tebakan", STRANGER) == 429


def test_one_colleague_behind_the_office_nat_does_not_lock_out_the_others(users, settings):
    for _ in range(settings.MONEV_LOGIN_ATTEMPTS):
        assert _sign_in(Client(), "operator", "salah-ketik", OFFICE) == 200
    assert _sign_in(Client(), "operator", PASSWORD, OFFICE) == 429
    for username in ("operator2", "admin", "verifikator", "pimpinan"):
        assert _sign_in(Client(), username, PASSWORD, OFFICE) == 302, username
    # The operator signs in from home, where nobody failed for them.
    assert _sign_in(Client(), "operator", PASSWORD, HOME) == 302


def test_a_busy_address_gets_one_try_per_user_name_and_clean_pairs_still_sign_in(users, settings):
    settings.MONEV_LOGIN_ATTEMPTS_PER_ADDRESS = 6
    sprayed = [f"pegawai{i}" for i in range(settings.MONEV_LOGIN_ATTEMPTS_PER_ADDRESS)]
    for name in sprayed:
        assert _sign_in(Client(), name, "Rahasia123", OFFICE) == 200
    # Over the address limit: a user name that already failed here is refused at once,
    assert _sign_in(Client(), sprayed[0], "Rahasia123", OFFICE) == 429
    # a new wrong guess is answered like a lock-out (and counted),
    assert _sign_in(Client(), "pegawai-baru", "Rahasia123", OFFICE) == 429
    assert _sign_in(Client(), "pegawai-baru", PASSWORD, OFFICE) == 429
    # and a correct password for a user name that never failed here still signs in.
    assert _sign_in(Client(), "admin", PASSWORD, OFFICE) == 302


def test_a_successful_sign_in_clears_only_its_own_pair(users, settings):
    limit = settings.MONEV_LOGIN_ATTEMPTS
    for _ in range(limit - 1):
        _sign_in(Client(), "operator", "salah", OFFICE)
        _sign_in(Client(), "operator", "salah", STRANGER)
    assert _sign_in(Client(), "operator", PASSWORD, OFFICE) == 302
    # The stranger's failures for the operator are not forgiven by the operator's success.
    _sign_in(Client(), "operator", "salah", STRANGER)
    assert _sign_in(Client(), "operator", PASSWORD, STRANGER) == 429
    for _ in range(limit - 1):
        assert _sign_in(Client(), "operator", "salah", OFFICE) == 200


def test_the_forwarded_header_is_ignored_unless_behind_a_proxy(users, settings):
    settings.MONEV_BEHIND_PROXY = False
    proxy = "10.0.0.1"
    for i in range(settings.MONEV_LOGIN_ATTEMPTS):
        spoofed = f"198.51.100.{i}"
        assert _sign_in(Client(), "operator", "salah", proxy, HTTP_X_FORWARDED_FOR=spoofed) == 200
    # A client that writes its own header does not escape its count.
    assert (
        _sign_in(Client(), "operator", "salah", proxy, HTTP_X_FORWARDED_FOR="198.51.100.99") == 429
    )


def test_behind_a_proxy_each_client_is_counted_by_its_forwarded_address(users, settings):
    settings.MONEV_BEHIND_PROXY = True
    proxy = "10.0.0.1"
    for _ in range(settings.MONEV_LOGIN_ATTEMPTS):
        _sign_in(Client(), "operator", "salah", proxy, HTTP_X_FORWARDED_FOR=STRANGER)
    assert _sign_in(Client(), "operator", "salah", proxy, HTTP_X_FORWARDED_FOR=STRANGER) == 429
    assert _sign_in(Client(), "operator", PASSWORD, proxy, HTTP_X_FORWARDED_FOR=OFFICE) == 302


@pytest.mark.parametrize(
    ("behind", "trusted", "forwarded", "peer", "expected"),
    [
        (False, [], "198.51.100.7", "10.0.0.1", "10.0.0.1"),
        (True, [], "", "10.0.0.1", "10.0.0.1"),
        (True, [], "198.51.100.7", "10.0.0.1", "198.51.100.7"),
        # The client writes the left part; the proxy appends the peer it saw.
        (True, [], "1.2.3.4, 198.51.100.7", "10.0.0.1", "198.51.100.7"),
        (True, ["198.51.100.0/24"], "203.0.113.5, 198.51.100.7", "10.0.0.1", "203.0.113.5"),
        (True, [], "bukan-alamat", "10.0.0.1", "10.0.0.1"),
        (True, [], "10.0.0.1", "10.0.0.1", "10.0.0.1"),
        (True, [], "2001:db8::1", "10.0.0.1", "2001:db8::1"),
    ],
)
def test_client_address(settings, behind, trusted, forwarded, peer, expected):
    settings.MONEV_BEHIND_PROXY = behind
    settings.MONEV_TRUSTED_PROXIES = trusted
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().post("/masuk/", REMOTE_ADDR=peer, **extra)
    assert client_address(request) == expected
