"""The live demo's two actions: "Prova la modalità modifica" and "Ripristina demo".

Both change nothing unless this server is a demo (`demo/modalita.py`): a production server
refuses them whatever a browser sends. "Prova" needs no login: it opens a private sandbox for
this browser and logs it in as the demo editor, bound to that sandbox, with the same secret
in local storage as a staff login (so the sandbox survives a reload, and counts only on the
socket that presented it). Every edit then goes through the staff guard, which tells where
the session edits.
"""

import functools
from collections.abc import Awaitable, Callable
from typing import Any

import reflex as rx
from sqlmodel import Session

from serena_app.auth import indirizzo
from serena_app.contenuto import istantanea
from serena_app.contenuto.pagina import PUBBLICATA, SITO, Pagina, Spazio
from serena_app.db import esegui
from serena_app.demo import modalita, sandbox
from serena_app.lingue import del_percorso, tradotto
from serena_app.state.accesso import AccessoState
from serena_app.state.contenuto import ContenutoState
from serena_app.state.guardia import richiede_staff, solo_responsabile, sul_db
from serena_app.state.redazione import RedazioneState
from serena_app.state.staff import StaffState

RIPRISTINATA = "Demo ripristinata: la pagina è di nuovo quella di partenza."
IN_SANDBOX = "Modalità modifica attiva: quello che cambi resta nella tua copia di prova."
COPIA_APERTA = "demo-aperta"  # the id of the line that replaces "Prova" once the copy opens
TELEFONI: dict[str, str] = {}
"""This process's tabs that opened a sandbox (client token: the sandbox), so that "Ripristina
tutte le demo" can end their edit mode at once (`state/sala.py`)."""


def _ripristina(
    *, session: Session, spazio: Spazio, autore: str, mostrata: Pagina
) -> istantanea.Istantanea:
    """Reset the sandbox; the page this browser shows, as it is now."""
    sandbox.ripristina(session=session, spazio=spazio)
    return istantanea.aggiornata(mostrata, session=session)


def solo_in_demo(handler: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """Run `handler` only on a demo server; anywhere else it changes nothing.
    `tests/state/test_inventario.py` fails for a demo handler without it."""

    @functools.wraps(handler)
    async def controllato(self, *args, **kwargs):
        if not modalita.attiva():
            return None
        return await handler(self, *args, **kwargs)

    controllato.solo_in_demo = True
    return controllato


class DemoState(StaffState):
    """What the demo banner says when a sandbox cannot be opened."""

    errore_demo: str = ""

    @rx.event
    @solo_in_demo
    async def prova(self):
        """Give this browser a private sandbox (or its own again) and open edit mode in it."""
        permesso = await StaffState._staff(self)
        if permesso is not None and permesso.sandbox is None:
            return None  # a staff login stays what it is
        if permesso is None:
            try:
                client = indirizzo.del_router(self.router)
                token = await esegui(sandbox.apri, client=client)
            except sandbox.DemoPiena as piena:
                # In the language of the page it was asked from.
                self.errore_demo = tradotto(str(piena), del_percorso(self.router.url.path))
                return None
            accesso = await self.get_state(AccessoState)
            accesso.token = token
            permesso = await StaffState._staff(self)
            if permesso is None:
                return None
            accesso.nome_staff = permesso.nome_utente
            accesso.ruolo_staff = permesso.ruolo
        self.errore_demo = ""
        TELEFONI[self.router.session.client_token] = permesso.sandbox
        redazione = await self.get_state(RedazioneState)
        redazione._autore = permesso.nome_utente
        redazione._spazio = Spazio.della_sessione(permesso.sandbox)
        await redazione._imposta_modifica(True)
        redazione.annuncio = IN_SANDBOX
        # Focus goes to the line that takes the pressed button's place: no scroll, and no
        # button under a second tap (`sections/demo.py`).
        self._metti_a_fuoco(COPIA_APERTA)

    @rx.event
    @solo_in_demo
    async def torna_alla_sandbox(self) -> None:
        """On page load in a new tab: a browser with a sandbox sees its own published page."""
        contenuto = await self.get_state(ContenutoState)
        if contenuto._pagina != PUBBLICATA:
            return
        permesso = await StaffState._staff(self)
        if permesso is None or permesso.sandbox is None:
            return
        contenuto._passa(await esegui(istantanea.aggiornata, pagina=Pagina(permesso.sandbox)))
        contenuto._pubblicata = Pagina(permesso.sandbox)
        TELEFONI[self.router.session.client_token] = permesso.sandbox

    @rx.event
    @solo_in_demo
    @richiede_staff
    @solo_responsabile
    async def ripristina(self) -> None:
        """Put this browser's sandbox back to the content file."""
        if self._spazio == SITO:
            return
        redazione = await self.get_state(RedazioneState)
        redazione._chiudi()
        contenuto = await self.get_state(ContenutoState)
        contenuto._mostra(await sul_db(self, _ripristina, mostrata=contenuto._pagina))
        redazione.annuncio = RIPRISTINATA
