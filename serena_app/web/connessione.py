"""The websocket handshake's headers that reach a browser's state: only those the app reads.

Reflex keeps every header of the websocket's handshake in the state of the tab, twice (the raw
router data and `HeaderData`), and `make prod` stores that state in Redis for each visitor:
the user agent, languages, encodings and WebSocket keys were most of a visitor's stored bytes.
Nothing reads them, so they are dropped before Reflex sees the handshake; plain HTTP requests
keep all theirs.
"""

from starlette.types import ASGIApp, Receive, Scope, Send

TENUTE = frozenset(
    {
        b"host",
        b"origin",  # the allowed origins are checked against it (CORS)
        b"upgrade",  # Engine.IO checks it on a websocket request
        b"connection",  # Engine.IO checks that it names the upgrade (else: 403)
        b"sec-websocket-protocol",  # Reflex compares the page's version with its own
        b"x-forwarded-for",  # the visitor's address, behind a trusted proxy (`indirizzo.py`)
        b"x-forwarded-proto",  # the scheme Engine.IO sees behind the front server
    }
)


def solo_intestazioni_utili(app: ASGIApp) -> ASGIApp:
    """Wrap the server: a websocket handshake keeps only the headers in `TENUTE`."""

    async def filtra(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            scope = {**scope, "headers": [(n, v) for n, v in scope["headers"] if n in TENUTE]}
        await app(scope, receive, send)

    return filtra
