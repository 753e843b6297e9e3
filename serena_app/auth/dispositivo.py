"""Device tokens: a browser that logged in as a name is trusted for that name (OWASP, "Slow
down online guessing attacks with device cookies").

After each successful login the browser gets a token holding the name, a random nonce and an
expiry (`DURATA`), signed with HMAC-SHA256 under a key every app process shares: it is made
once by the migration that added it and kept in the database (`impostazione`), so a token
made by one process of `serena prod` is honoured by all. The login limits let that browser's
attempts for that name past the limits a guesser can fill (`limiti.py`); a token that is
malformed, forged, expired or for another name is ignored, and the attempt is an ordinary one.

The browser keeps its tokens in local storage (`state/accesso.py`), as it does the session
secret: never sent in an HTTP header, so never in a request log, and carried only by the
page's own login event. A token is no secret key to an account: it grants no session and
skips no password check.
"""

import base64
import binascii
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlmodel import Session

from serena_app.auth.sessioni import adesso
from serena_app.models import Impostazione

DURATA = timedelta(days=30)
CHIAVE = "chiave_dispositivi"  # its name in `impostazione`
MAX_LUNGHEZZA = 256  # longer is no token of ours: not even decoded
MAX_PER_BROWSER = 5  # tokens a browser keeps (one per name that logged in from it)
_VERSIONE = "d1"


def _chiave(session: Session) -> bytes:
    impostazione = session.get(Impostazione, CHIAVE)
    if impostazione is None:
        msg = "no device token key in the database: run `serena prepare`"
        raise RuntimeError(msg)
    return bytes.fromhex(impostazione.valore)


def _b64(dati: bytes) -> str:
    return base64.urlsafe_b64encode(dati).decode().rstrip("=")


def _da_b64(testo: str) -> bytes:
    return base64.urlsafe_b64decode(testo + "=" * (-len(testo) % 4))


def _firma(chiave: bytes, corpo: str) -> str:
    return _b64(hmac.new(chiave, corpo.encode(), hashlib.sha256).digest())


def emetti(*, session: Session, nome_utente: str, ora: datetime | None = None) -> str:
    """A new device token for the browser that just logged in as `nome_utente`."""
    scadenza = int(((ora or adesso()) + DURATA).timestamp())
    nome = _b64(nome_utente.encode())
    corpo = f"{_VERSIONE}.{nome}.{secrets.token_hex(16)}.{scadenza}"
    return f"{corpo}.{_firma(_chiave(session), corpo)}"


def nome_di(token: str) -> str | None:
    """The name a token claims, unchecked (to keep one token per name in a browser)."""
    parti = token.split(".") if len(token) <= MAX_LUNGHEZZA else []
    if len(parti) != 5 or parti[0] != _VERSIONE:
        return None
    try:
        return _da_b64(parti[1]).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def riconosci(
    *, session: Session, token: str, nome_utente: str, ora: datetime | None = None
) -> str | None:
    """The nonce of `token` if it is a live device token the server made for `nome_utente`;
    None for anything else (malformed, forged, expired, another name's)."""
    if not isinstance(token, str) or nome_di(token) != nome_utente:
        return None
    corpo, _, firma = token.rpartition(".")
    if not hmac.compare_digest(_firma(_chiave(session), corpo), firma):
        return None
    _, _, nonce, scadenza = corpo.split(".")
    if not scadenza.isdigit() or int(scadenza) <= (ora or adesso()).timestamp():
        return None
    return nonce


def conserva(elenco: str, nuovo: str) -> str:
    """The browser's tokens (space-separated) with `nuovo` first, replacing any other token
    for the same name, at most `MAX_PER_BROWSER`."""
    nome = nome_di(nuovo)
    altri = [t for t in elenco.split() if nome_di(t) not in (None, nome)]
    return " ".join([nuovo, *altri][:MAX_PER_BROWSER])
