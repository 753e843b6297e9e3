"""The websocket handshake's headers that reach a browser's state: only those the app reads.

Reflex keeps every header of the websocket's handshake in the state of the tab, twice (the raw
router data and `HeaderData`), and `make prod` stores that state in Redis for each visitor:
the user agent, languages, encodings and WebSocket keys were most of a visitor's stored bytes.
Nothing reads them, so they are dropped before Reflex sees the handshake; plain HTTP requests
keep all theirs. The user agent is kept only as a few words ("Chrome su Android"), which "Il
mio account" shows beside each session: no version numbers, no fingerprint, a few bytes.
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


_BROWSER = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("FxiOS", "Firefox"),
    ("CriOS", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SISTEMI = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "Mac"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def descrivi_browser(user_agent: str) -> str:
    """A browser's User-Agent in a few Italian words: "Chrome su Android", "Safari su iPhone"."""
    browser = next((nome for segno, nome in _BROWSER if segno in user_agent), "Browser")
    sistema = next((nome for segno, nome in _SISTEMI if segno in user_agent), "")
    if browser == "Browser" and not sistema:
        return "Dispositivo sconosciuto"
    return f"{browser} su {sistema}" if sistema else browser


def solo_intestazioni_utili(app: ASGIApp) -> ASGIApp:
    """Wrap the server: a websocket handshake keeps only the headers in `TENUTE`."""

    async def filtra(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            tenute = [(n, v) for n, v in scope["headers"] if n in TENUTE]
            agente = next((v for n, v in scope["headers"] if n == b"user-agent"), b"")
            descrizione = descrivi_browser(agente.decode("latin-1"))
            scope = {**scope, "headers": [*tenute, (b"user-agent", descrizione.encode())]}
        await app(scope, receive, send)

    return filtra
