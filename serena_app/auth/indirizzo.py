"""The visitor's own address, for the login limits and the demo's cap per address.

Behind a front server every connection comes from the front server's address; the visitor's
is in `X-Forwarded-For`, which any client can also write. So the header is read only when the
connection comes from a proxy named in `SERENA_TRUSTED_PROXIES` (addresses or networks,
comma-separated: none under `make run`, the local front server under `make prod`), and only
as far back as the chain of trusted proxies goes: the first address from the right that is
not a trusted proxy is the visitor. Whatever a client put further left is never read.

An address says little when other programs share the proxy's machine: under `make prod` any
local user could reach an app process's port from 127.0.0.1 and write the header. So the
front server also sends a secret (`SERENA_PROXY_SECRET`, in header `X-Serena-Proxy`), and an
app process given one reads `X-Forwarded-For` only on requests that carry it
(`solo_dal_front_server`); any other request counts as coming from its own address. The
secret header is removed before Reflex sees the request: it would otherwise be kept in the
visitor's state and sent to the page with the other headers.
"""

import hmac
import ipaddress
import os

from starlette.types import ASGIApp, Receive, Scope, Send

Rete = ipaddress.IPv4Network | ipaddress.IPv6Network
SCONOSCIUTO = "sconosciuto"
SEGRETO_PROXY = "SERENA_PROXY_SECRET"
INTESTAZIONE_PROXY = "x-serena-proxy"
_PROXY = INTESTAZIONE_PROXY.encode()
_INOLTRATO = b"x-forwarded-for"


def proxy_fidati(valore: str | None = None) -> list[Rete]:
    """The trusted proxies, from `valore` or `SERENA_TRUSTED_PROXIES`.

    Raises:
        ValueError: An entry is not an address or a network.
    """
    testo = os.environ.get("SERENA_TRUSTED_PROXIES", "") if valore is None else valore
    return [ipaddress.ip_network(p.strip(), strict=False) for p in testo.split(",") if p.strip()]


def _fidato(indirizzo: str, fidati: list[Rete]) -> bool:
    try:
        ip = ipaddress.ip_address(indirizzo)
    except ValueError:
        return False
    return any(ip in rete for rete in fidati)


def indirizzo_client(
    connessione: str | None, inoltrato_per: str | None, fidati: list[Rete] | None = None
) -> str:
    """The visitor's address, given the address the connection came from and the
    `X-Forwarded-For` header it carried."""
    fidati = proxy_fidati() if fidati is None else fidati
    attuale = connessione or SCONOSCIUTO
    catena = [p.strip() for p in (inoltrato_per or "").split(",") if p.strip()]
    while catena and _fidato(attuale, fidati):
        attuale = catena.pop()
    return attuale


def del_router(router) -> str:
    """The visitor's address for the socket behind a state's `router`."""
    grezze = router.headers.raw_headers
    return indirizzo_client(
        grezze.get("asgi-scope-client") or router.session.client_ip,
        grezze.get("x-forwarded-for"),
    )


def solo_dal_front_server(app: ASGIApp) -> ASGIApp:
    """Wrap the server: with `SERENA_PROXY_SECRET` set, a request's `X-Forwarded-For` is kept
    only if it carries the secret in `X-Serena-Proxy`; that header never reaches the app.
    Without the secret (`make run`), requests pass unchanged."""
    segreto = os.environ.get(SEGRETO_PROXY, "").encode()
    if not segreto:
        return app

    async def filtra(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            intestazioni = scope["headers"]
            presentati = [valore for nome, valore in intestazioni if nome == _PROXY]
            dal_front = len(presentati) == 1 and hmac.compare_digest(presentati[0], segreto)
            tolte = {_PROXY} if dal_front else {_PROXY, _INOLTRATO}
            scope = {**scope, "headers": [(n, v) for n, v in intestazioni if n not in tolte]}
        await app(scope, receive, send)

    return filtra
