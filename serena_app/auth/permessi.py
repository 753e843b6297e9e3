"""The one server-side permission check: is this session secret a live staff login, and with
which role?

Reflex lets any browser call any event handler by name, so every handler that changes data is
wrapped in `richiede_staff` (`state/guardia.py`), which calls `staff_autorizzato` with the
secret the browser presented before the handler's body runs.
"""

import dataclasses
from datetime import datetime

from sqlmodel import Session

from serena_app import db
from serena_app.auth.ruoli import REDATTORE, RESPONSABILE
from serena_app.auth.sessioni import sessione_viva


@dataclasses.dataclass(frozen=True)
class Permesso:
    """Who may edit, and where: the site's pages, or the demo sandbox of their session; and
    with which role (`ruoli.py`)."""

    nome_utente: str
    sandbox: str | None  # the published page of their demo sandbox; None: the site
    dal: datetime  # when the session began: undo reaches back to it, no further
    ruolo: str = REDATTORE


def permesso(*, session: Session, segreto: object) -> Permesso | None:
    """Who may edit with this session secret, and where, read in the caller's `session`; None
    without a live session (it must exist, not be expired or revoked, and its account must be
    enabled)."""
    if not isinstance(segreto, str) or not segreto:
        return None
    viva = sessione_viva(session=session, token=segreto)
    if viva is None:
        return None
    staff, sessione = viva
    # A demo sandbox's editor is a responsabile of that sandbox, and of nothing else.
    ruolo = RESPONSABILE if sessione.sandbox is not None else staff.ruolo
    return Permesso(staff.nome_utente, sessione.sandbox, sessione.creata, ruolo)


async def staff_autorizzato(token: object) -> Permesso | None:
    """Who may edit with this session secret, and where; None without a live session (read
    off the event loop).

    The session must exist, not be expired or revoked, and its account must be enabled.
    """
    if not isinstance(token, str) or not token:
        return None
    return await db.esegui(permesso, segreto=token)
