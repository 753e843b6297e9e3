"""Live updates: after a write, every other browser showing that page receives the new content.

The published page goes to visitors without touching their states: the process sends one
Socket.IO message, a state delta in Reflex's own format (`contenuto.aggiornamento`), to the
sockets of all its browsers that show it (`contenuto.MOSTRATE`). Their states hold no text
(the texts are computed from this process's snapshot), so nothing of theirs needs loading,
changing or storing; their next event computes the same texts, never older ones.

A working copy goes to the few staff tabs that show it, each through its own state (one
`modify_state` per tab), and only to those whose session is still live, checked against the
database in one query per push (`revoca.py`).

Each process updates the browsers connected to it: a change is notified once
(`pubblicazione/notifica.py`: on Redis with several processes, to every machine), and every
process, itself included, reads the page's snapshot (`istantanea.aggiornata`, one small query
when it is already current) and pushes it to its own browsers. One message per write and
process, instead of one hop through Redis per browser; a change nobody heard (a `serena`
command without Redis, Redis restarting) is found by each process within a second.
"""

import asyncio
import logging
import weakref

import reflex as rx
from reflex.state import StateUpdate
from reflex_base.constants import SocketEvent
from reflex_base.registry import RegistrationContext

from serena_app.contenuto import istantanea
from serena_app.contenuto.istantanea import Istantanea
from serena_app.contenuto.pagina import PUBBLICATA, Pagina
from serena_app.db import esegui
from serena_app.pubblicazione import notifica
from serena_app.state import revoca
from serena_app.state.contenuto import MOSTRATE, ContenutoState, aggiornamento, presentata
from serena_app.state.revoca import Verifica
from serena_app.state.staff import StaffState

logger = logging.getLogger(__name__)
_in_corso: set[asyncio.Task] = set()
LOTTO = 25  # staff tabs updated between two yields to the event loop
LOTTO_VISITATORI = 200  # sockets of one emit of the published page
RITARDO_S = 0.05  # lets the author's own answer leave before their process's push starts
_in_ordine: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock]" = (
    weakref.WeakKeyDictionary()
)


async def _aggiorna_scheda(app, token: str, nuova: Istantanea, sessioni: Verifica) -> None:
    """Bring a staff tab that shows the working copy `nuova.pagina` to `nuova`."""
    async with app.modify_state(rx.BaseStateToken(ident=token, cls=ContenutoState)) as stato:
        contenuto = await stato.get_state(ContenutoState)
        await stato.get_state(StaffState)  # loaded: the working copy's markers follow
        # The working copy only to a socket that presented the staff secret, not to one that
        # took over a closed staff tab's client token, and only while that session lives: it
        # may have ended since the tab's last check (`revoca.py`).
        if not await presentata(app, stato, token, sessioni):
            return
        # The newest this process holds: `nuova` was read before this push waited its turn,
        # and the tab's own save may have come in between (never take a tab back).
        attuale = istantanea.gia_letta(nuova.pagina)
        contenuto._mostra(attuale if attuale and attuale.versione > nuova.versione else nuova)


async def _ai_visitatori(app, sids: dict[str, list[str]]) -> None:
    """Send the published page, as this process holds it now, to the sockets `sids` (by the
    language of their page): one encoded message per language, no state loaded. One push at
    a time, each reading what it sends once its turn comes: two pushes in a row never leave
    a browser on the older one (the emits of one yield between lots, where another push
    could otherwise slip in with the newer page and be overtaken)."""
    async with _in_ordine.setdefault(asyncio.get_running_loop(), asyncio.Lock()):
        attuale = istantanea.gia_letta(PUBBLICATA) or istantanea.in_memoria(PUBBLICATA)
        for lingua, per_lingua in sids.items():
            messaggio = StateUpdate(delta=aggiornamento(attuale, lingua))
            for inizio in range(0, len(per_lingua), LOTTO_VISITATORI):
                destinatari = per_lingua[inizio : inizio + LOTTO_VISITATORI]
                await app.event_namespace.emit(str(SocketEvent.EVENT), messaggio, to=destinatari)


def _di_chi_mostra(app, pagina: Pagina, escluso: str) -> list[str]:
    """The client tokens of this process's browsers that show `pagina`, but `escluso`; the
    browsers that left are forgotten."""
    connessi = app.event_namespace.token_to_sid
    for token in [t for t in MOSTRATE if t not in connessi]:
        MOSTRATE.pop(token, None)
    return [t for t, (nome, _) in list(MOSTRATE.items()) if nome == pagina.nome and t != escluso]


async def _diffondi(nuova: Istantanea, escluso: str) -> None:
    app = RegistrationContext.get().app
    if app.event_namespace is None:
        return
    if escluso in app.event_namespace.token_to_sid:  # only where the author's socket is
        await asyncio.sleep(RITARDO_S)
    tokens = _di_chi_mostra(app, nuova.pagina, escluso)
    if nuova.pagina == PUBBLICATA:
        connessi = app.event_namespace.token_to_sid
        per_lingua: dict[str, list[str]] = {}
        for token in tokens:
            if (sid := connessi.get(token)) is not None and token in MOSTRATE:
                per_lingua.setdefault(MOSTRATE[token][1], []).append(sid)
        await _ai_visitatori(app, per_lingua)
        return
    # The sessions of the staff tabs about to receive a draft, in one query for them all.
    sessioni = await revoca.verifica(tokens)
    for inizio in range(0, len(tokens), LOTTO):
        risultati = await asyncio.gather(
            *(_aggiorna_scheda(app, t, nuova, sessioni) for t in tokens[inizio : inizio + LOTTO]),
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


@notifica.ascolta
async def _alla_modifica(pagina: Pagina, versione: int, escluso: str) -> None:
    """A page of the site changed (here, in another process, or by a command): this
    process's open pages that show it get it."""
    nuova = await esegui(istantanea.aggiornata, pagina=pagina)
    await _diffondi(nuova, escluso)


def diffondi(nuova: Istantanea, *, escluso: str) -> None:
    """Send the snapshot `nuova` to every connected browser but `escluso`, on every app
    process, in the background; each takes it only if it shows `nuova.pagina`."""
    _in_background(notifica.invia(nuova.pagina, nuova.versione, escluso))
