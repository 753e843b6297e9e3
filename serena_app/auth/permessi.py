"""The one server-side permission check: is this session secret a live staff login?

Reflex lets any browser call any event handler by name, so every handler that changes data is
wrapped in `richiede_staff` (`state/staff.py`), which calls `staff_autorizzato` with the
secret the browser presented before the handler's body runs.
"""

import asyncio
import dataclasses
from datetime import datetime

from serena_app import db
from serena_app.auth.sessioni import sessione_viva


@dataclasses.dataclass(frozen=True)
class Permesso:
    """Who may edit, and where: the site's pages, or the demo sandbox of their session."""

    nome_utente: str
    sandbox: str | None  # the published page of their demo sandbox; None: the site
    dal: datetime  # when the session began: undo reaches back to it, no further


def _permesso_sincrono(token: str) -> Permesso | None:
    with db.session() as session:
        viva = sessione_viva(session=session, token=token)
        if viva is None:
            return None
        staff, sessione = viva
        return Permesso(staff.nome_utente, sessione.sandbox, sessione.creata)


async def staff_autorizzato(token: object) -> Permesso | None:
    """Who may edit with this session secret, and where; None without a live session (read
    off the event loop).

    The session must exist, not be expired or revoked, and its account must be enabled.
    """
    if not isinstance(token, str) or not token:
        return None
    return await asyncio.to_thread(_permesso_sincrono, token)
