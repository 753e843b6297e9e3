"""The visitor's own address, for the login limits and the demo's cap per address.

Behind a front server every connection comes from the front server's address; the visitor's
is in `X-Forwarded-For`, which any client can also write. So the header is read only when the
connection comes from a proxy named in `SERENA_TRUSTED_PROXIES` (addresses or networks,
comma-separated: none under `make run`, the local front server under `make prod`), and only
as far back as the chain of trusted proxies goes: the first address from the right that is
not a trusted proxy is the visitor. Whatever a client put further left is never read.
"""

import ipaddress
import os

Rete = ipaddress.IPv4Network | ipaddress.IPv6Network
SCONOSCIUTO = "sconosciuto"


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
