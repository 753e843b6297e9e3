"""The base of every staff-only state, and the guard on every handler that changes data.

Reflex lets any browser call any event handler by name, with any payload. A handler that
changes data is wrapped in `richiede_staff`: before its body runs, the guard reads this
browser's login state (`AccessoState`) and checks the secret presented on this socket against
the database. Without a
live staff session the body never runs; edit mode ends and the browser is told why.
`tests/state/test_inventario.py` fails for any handler that changes data without the guard.
"""

import functools
from collections.abc import Awaitable, Callable
from typing import Any

import reflex as rx

from serena_app.auth.permessi import staff_autorizzato
from serena_app.models import Staff
from serena_app.state.accesso import AccessoState

SESSIONE_SCADUTA = "La sessione è scaduta o non è valida: accedi di nuovo per modificare."


class StaffState(rx.State):
    """Edit mode and what the staff bar tells; the parent of every staff-only state."""

    modifica_attiva: bool = False
    annuncio: str = ""  # read out by screen readers (role="status")
    avviso: str = ""  # a problem that is not tied to one field

    async def _staff(self) -> Staff | None:
        """The staff member logged in on this browser, checked against the database now."""
        accesso = await self.get_state(AccessoState)
        return await staff_autorizzato(accesso._segreto())

    def _rifiuta(self) -> None:
        """No live staff session: leave edit mode and say why."""
        self.modifica_attiva = False
        self.avviso = SESSIONE_SCADUTA


def richiede_staff(
    handler: Callable[..., Awaitable[Any]],
) -> Callable[..., Awaitable[Any]]:
    """Run `handler` (of a `StaffState`) only for a live staff session; otherwise change
    nothing but leaving edit mode."""

    @functools.wraps(handler)
    async def controllato(self: StaffState, *args, **kwargs):
        if await StaffState._staff(self) is None:
            StaffState._rifiuta(self)
            return None
        return await handler(self, *args, **kwargs)

    controllato.richiede_staff = True
    return controllato
