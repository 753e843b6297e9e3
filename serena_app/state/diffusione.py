"""Live updates: after a write, every other browser showing that page receives the new content.

One state update per connected browser (O(n) per change), instead of linking every visitor
to a shared state, whose cost grows with the square of the audience. Only a browser showing
that page takes the snapshot (`contenuto.NON_PUBBLICATA` says which show
another page than the published one): a draft saved reaches the staff tabs only, and only
those whose session is still live, checked against the database in one query per push
(`revoca.py`).

Each process updates the browsers connected to it: a change is announced once
(`pubblicazione/annuncio.py`: on Redis with several processes, to every machine), and every
process, itself included, reads the page's snapshot (`istantanea.aggiornata`, one small query
when it is already current) and pushes it to its own browsers. One message per write and
process, instead of one hop through Redis per browser; a change nobody heard (a `serena`
command without Redis, Redis restarting) is found by each process within a second.
"""

import asyncio
import logging

import reflex as rx
from reflex_base.registry import RegistrationContext

from serena_app.contenuto import istantanea
from serena_app.contenuto.istantanea import Istantanea
from serena_app.contenuto.pagina import PUBBLICATA, Pagina
from serena_app.pubblicazione import annuncio
from serena_app.state import revoca
from serena_app.state.accesso import AccessoState
from serena_app.state.contenuto import NON_PUBBLICATA, ContenutoState
from serena_app.state.revoca import Verifica
from serena_app.state.staff import StaffState

logger = logging.getLogger(__name__)
_in_corso: set[asyncio.Task] = set()
LOTTO = 25  # browsers updated between two yields to the event loop
RITARDO_S = 0.05  # lets the staff member's own answer leave before the push starts


async def _aggiorna_client(app, token: str, nuova: Istantanea, sessioni: Verifica | None) -> None:
    async with app.modify_state(rx.BaseStateToken(ident=token, cls=ContenutoState)) as stato:
        contenuto = await stato.get_state(ContenutoState)
        if sessioni is not None:
            # The working copy only to a socket that presented the staff secret: not to one
            # that took over a closed staff tab's client token…
            accesso = await stato.get_state(AccessoState)
            if not accesso._presentato_da(app.event_namespace.token_to_sid.get(token)):
                contenuto._lascia_bozza()
                return
            # … and only while that session lives: it may have ended since the tab's last
            # check (`revoca.py`).
            if not await sessioni.viva(accesso.token):
                staff = await stato.get_state(StaffState)
                await staff._sessione_terminata()
                return
        contenuto._mostra(nuova)


async def _diffondi(nuova: Istantanea, escluso: str) -> None:
    app = RegistrationContext.get().app
    if app.event_namespace is None:
        return
    await asyncio.sleep(RITARDO_S)
    tokens = [
        t
        for t in list(app.event_namespace.token_to_sid)
        if t != escluso and NON_PUBBLICATA.get(t, PUBBLICATA.nome) == nuova.pagina.nome
    ]
    # The sessions of the staff tabs about to receive a draft, in one query for them all.
    sessioni = await revoca.verifica(tokens) if nuova.pagina != PUBBLICATA else None
    for inizio in range(0, len(tokens), LOTTO):
        risultati = await asyncio.gather(
            *(_aggiorna_client(app, t, nuova, sessioni) for t in tokens[inizio : inizio + LOTTO]),
            return_exceptions=True,
        )
        for errore in (r for r in risultati if isinstance(r, BaseException)):
            logger.warning("aggiornamento dal vivo non riuscito: %r", errore)
        await asyncio.sleep(0)  # other events (the next save, new visitors) get a turn


async def avvisa(token: str, testo: str) -> None:
    """Show `testo` as a warning in the staff bar of the browser with client token `token`."""
    app = RegistrationContext.get().app
    async with app.modify_state(rx.BaseStateToken(ident=token, cls=StaffState)) as stato:
        staff = await stato.get_state(StaffState)
        staff.avviso = testo


def _in_background(coroutine) -> None:
    task = asyncio.create_task(coroutine)
    _in_corso.add(task)
    task.add_done_callback(_in_corso.discard)


@annuncio.ascolta
async def _alla_modifica(pagina: Pagina, versione: int, escluso: str) -> None:
    """A page of the site changed (here, in another process, or by a command): this
    process's open pages that show it get it."""
    nuova = await asyncio.to_thread(istantanea.aggiornata, pagina)
    await _diffondi(nuova, escluso)


def diffondi(nuova: Istantanea, *, escluso: str) -> None:
    """Send the snapshot `nuova` to every connected browser but `escluso`, on every app
    process, in the background; each takes it only if it shows `nuova.pagina`."""
    _in_background(annuncio.annuncia(nuova.pagina, nuova.versione, escluso))
