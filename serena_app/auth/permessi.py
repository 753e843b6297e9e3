"""The one server-side permission check, and the decorator that puts it before a handler.

Reflex lets any browser call any event handler by name, so every handler that changes data is
wrapped in `richiede_staff`: the session is read again from the database (exists, not expired,
not revoked, account enabled) before the handler's body runs. A test walks every State's
handlers and fails if one that is not declared read-only lacks this wrapper.
"""

import asyncio
import functools
from collections.abc import Awaitable, Callable
from typing import Any

from serena_app.auth.sessioni import staff_della_sessione
from serena_app.db import sessione
from serena_app.models import Staff

SESSIONE_SCADUTA = "La sessione è scaduta o non è valida: accedi di nuovo per modificare."


def _staff_sincrono(token: str) -> Staff | None:
    with sessione() as session:
        return staff_della_sessione(session=session, token=token)


async def staff_autorizzato(token: str) -> Staff | None:
    """The enabled staff member behind a live session token, or None (off the event loop)."""
    if not isinstance(token, str) or not token:
        return None
    return await asyncio.to_thread(_staff_sincrono, token)


def richiede_staff(handler: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """Run `handler` only for a live staff session; otherwise refuse it and change nothing.

    The state class must provide `_staff_corrente()` (the check) and `_rifiuta()` (what to
    show when the check fails).
    """

    @functools.wraps(handler)
    async def controllato(self, *args, **kwargs):
        if await self._staff_corrente() is None:
            return await self._rifiuta()
        return await handler(self, *args, **kwargs)

    controllato.richiede_staff = True
    return controllato
