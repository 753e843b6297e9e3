"""Whose address the login limits count: `X-Forwarded-For` only from trusted proxies, and,
when the front server has a secret, only on requests that carry it."""

import pytest

from serena_app.auth.indirizzo import (
    INTESTAZIONE_PROXY,
    indirizzo_client,
    proxy_fidati,
    solo_dal_front_server,
)
from tests.support.asincrono import esegui

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


SEGRETO = "il segreto del front server"


def _intestazioni_viste(monkeypatch, segreto: str | None, inviate: dict[str, str]) -> dict:
    """The headers the app sees of a request that carried `inviate`, with the front server's
    secret set to `segreto` (None: no secret configured)."""
    if segreto is None:
        monkeypatch.delenv("SERENA_PROXY_SECRET", raising=False)
    else:
        monkeypatch.setenv("SERENA_PROXY_SECRET", segreto)
    viste = {}

    async def app(scope, receive, send):
        viste.update((k.decode(), v.decode()) for k, v in scope["headers"])

    scope = {
        "type": "websocket",
        "client": ("127.0.0.1", 50000),
        "headers": [(k.lower().encode(), v.encode()) for k, v in inviate.items()],
    }
    esegui(solo_dal_front_server(app)(scope, None, None))
    return viste


def test_the_front_server_with_its_secret_says_who_the_visitor_is(monkeypatch):
    viste = _intestazioni_viste(
        monkeypatch, SEGRETO, {"X-Forwarded-For": "198.51.100.7", INTESTAZIONE_PROXY: SEGRETO}
    )
    assert viste["x-forwarded-for"] == "198.51.100.7"
    assert INTESTAZIONE_PROXY not in viste  # never stored in a state, never sent to a page


@pytest.mark.parametrize("presentato", [None, "", "un altro segreto", SEGRETO[:-1]])
def test_a_local_process_without_the_secret_cannot_say_who_the_visitor_is(monkeypatch, presentato):
    inviate = {"X-Forwarded-For": "203.0.113.9"}
    if presentato is not None:
        inviate[INTESTAZIONE_PROXY] = presentato
    viste = _intestazioni_viste(monkeypatch, SEGRETO, inviate)
    assert "x-forwarded-for" not in viste
    assert INTESTAZIONE_PROXY not in viste


def test_without_a_secret_configured_the_trusted_proxies_alone_decide(monkeypatch):
    """`make run`, or app hosts whose front server sends none."""
    viste = _intestazioni_viste(monkeypatch, None, {"X-Forwarded-For": "198.51.100.7"})
    assert viste["x-forwarded-for"] == "198.51.100.7"
