"""Whose address the login limits count: `X-Forwarded-For` only from trusted proxies."""

import pytest

from serena_app.auth.indirizzo import indirizzo_client, proxy_fidati

FRONT = proxy_fidati("127.0.0.1, ::1")


def test_without_trusted_proxies_the_header_is_never_read():
    assert indirizzo_client("198.51.100.7", "203.0.113.9", proxy_fidati("")) == "198.51.100.7"


def test_behind_the_front_server_the_visitor_is_the_address_it_saw():
    assert indirizzo_client("127.0.0.1", "198.51.100.7", FRONT) == "198.51.100.7"
    assert indirizzo_client("::1", "2001:db8::5", FRONT) == "2001:db8::5"


def test_what_a_client_writes_to_the_left_is_never_read():
    """The front server appends the address it saw: the client's own entries stay left."""
    assert indirizzo_client("127.0.0.1", "203.0.113.1, 198.51.100.7", FRONT) == "198.51.100.7"


def test_a_chain_of_trusted_proxies_is_walked_back_to_the_first_untrusted_address():
    fidati = proxy_fidati("127.0.0.1,10.0.0.0/8")
    assert indirizzo_client("127.0.0.1", "1.2.3.4, 198.51.100.7, 10.1.2.3", fidati) == (
        "198.51.100.7"
    )


def test_a_direct_connection_that_bypasses_the_proxy_cannot_choose_its_address():
    assert indirizzo_client("198.51.100.7", "127.0.0.1, 203.0.113.1", FRONT) == "198.51.100.7"


def test_garbage_in_the_header_is_taken_as_an_address_nobody_else_has():
    assert indirizzo_client("127.0.0.1", "not-an-ip", FRONT) == "not-an-ip"
    assert indirizzo_client(None, None, FRONT) == "sconosciuto"


def test_a_misspelt_proxy_list_stops_the_server_instead_of_trusting_anyone():
    with pytest.raises(ValueError, match="does not appear to be an IPv4 or IPv6"):
        proxy_fidati("127.0.0.1, localhost")
