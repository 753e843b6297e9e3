"""Live updates: after a write, every other browser showing that page receives the new content.

One state update per connected browser (O(n) per change), instead of linking every visitor
to a shared state, whose cost grows with the square of the audience. Each browser's
`ContenutoState` takes the snapshot only if it shows that page.
"""

import asyncio
import logging

import reflex as rx
from reflex_base.registry import RegistrationContext

from serena_app.istantanea import Istantanea
from serena_app.pagina import PUBBLICATA
from serena_app.state.accesso import AccessoState
from serena_app.state.contenuto import ContenutoState

logger = logging.getLogger(__name__)
_in_corso: set[asyncio.Task] = set()
LOTTO = 25  # browsers updated between two yields to the event loop
RITARDO_S = 0.05  # lets the staff member's own answer leave before the push starts


async def _aggiorna_client(app, token: str, nuova: Istantanea) -> None:
    async with app.modify_state(rx.BaseStateToken(ident=token, cls=ContenutoState)) as stato:
        contenuto = await stato.get_state(ContenutoState)
        if nuova.pagina != PUBBLICATA:
            # The working copy only to a socket that presented the staff secret: not to one
            # that took over a closed staff tab's client token.
            accesso = await stato.get_state(AccessoState)
            if not accesso._presentato_da(app.event_namespace.token_to_sid.get(token)):
                contenuto._lascia_bozza()
                return
        contenuto._mostra(nuova)


async def _diffondi(nuova: Istantanea, escluso: str) -> None:
    app = RegistrationContext.get().app
    if app.event_namespace is None:
        return
    await asyncio.sleep(RITARDO_S)
    tokens = [t for t in list(app.event_namespace.token_to_sid) if t != escluso]
    for inizio in range(0, len(tokens), LOTTO):
        risultati = await asyncio.gather(
            *(_aggiorna_client(app, t, nuova) for t in tokens[inizio : inizio + LOTTO]),
            return_exceptions=True,
        )
        for errore in (r for r in risultati if isinstance(r, BaseException)):
            logger.warning("aggiornamento dal vivo non riuscito: %r", errore)
        await asyncio.sleep(0)  # other events (the next save, new visitors) get a turn


async def avvisa(token: str, testo: str) -> None:
    """Show `testo` as a warning in the staff bar of the browser with client token `token`."""
    from serena_app.state.staff import StaffState

    app = RegistrationContext.get().app
    async with app.modify_state(rx.BaseStateToken(ident=token, cls=StaffState)) as stato:
        staff = await stato.get_state(StaffState)
        staff.avviso = testo


def diffondi(nuova: Istantanea, *, escluso: str) -> None:
    """Send the snapshot `nuova` to every connected browser but `escluso`, in the background;
    each takes it only if it shows `nuova.pagina`."""
    task = asyncio.create_task(_diffondi(nuova, escluso))
    _in_corso.add(task)
    task.add_done_callback(_in_corso.discard)
