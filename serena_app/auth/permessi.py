"""The one server-side permission check: is this session secret a live staff login?

Reflex lets any browser call any event handler by name, so every handler that changes data is
wrapped in `richiede_staff` (`state/staff.py`), which calls `staff_autorizzato` with the
secret the browser presented before the handler's body runs.
"""

import asyncio

from serena_app import db
from serena_app.auth.sessioni import staff_della_sessione
from serena_app.models import Staff


def _staff_sincrono(token: str) -> Staff | None:
    with db.session() as session:
        return staff_della_sessione(session=session, token=token)


async def staff_autorizzato(token: object) -> Staff | None:
    """The enabled staff member behind a live session secret, or None (off the event loop).

    The session must exist, not be expired or revoked, and its account must be enabled.
    """
    if not isinstance(token, str) or not token:
        return None
    return await asyncio.to_thread(_staff_sincrono, token)
