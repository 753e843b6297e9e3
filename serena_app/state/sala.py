"""The presenter's view of a demo (`/demo/sala`): the phones counted, the room's feed, and
"Ripristina tutte le demo", for the one browser that presented the terminal's link.

The page sends the address's fragment as `entra`'s payload (`pages/sala.py`); the key in it,
spent once, gives this browser a presenter secret (`demo/presentatore.py`) in local storage.
Like the staff secret (`AccessoState`), it counts only on the socket that presented it: a
socket that reuses the tab's client token without it gets nothing. Every handler checks it on
the server and runs only on a demo server.

`sorveglia_sala`, a lifespan task of a demo server, pushes the feed (`demo/cronaca.py`) and
the count to the presenter tabs of this process (`PRESENTATORI`), one `modify_state` per tab,
at most once every `INTERVALLO_S` (0.3 s, at most two lines each time): nothing of it reaches
a phone or a visitor.
"""

import asyncio
import contextlib
import logging
import time

import reflex as rx
from reflex_base.registry import RegistrationContext

from serena_app.contenuto import istantanea
from serena_app.db import esegui
from serena_app.demo import cronaca, modalita, presentatore, sandbox
from serena_app.demo.presentatore import GIA_USATO
from serena_app.state import demo
from serena_app.state.demo import solo_in_demo
from serena_app.state.staff import StaffState

logger = logging.getLogger(__name__)
INTERVALLO_S = 0.3  # at most one push per tab in this time: a few lines a second at most
CONTEGGIO_S = 3.0  # the count is read again at least this often (and when a phone opens one)
NON_PRESENTATORE = (
    "Questa pagina è di chi presenta la demo: aprila con il link stampato dal terminale "
    "che l’ha avviata."
)
RIPRISTINATE = "Tutte le demo sono state ripristinate: i telefoni ricominciano da capo."
DEMO_FINITA = (
    "La demo è ricominciata da capo per tutti: premi «Prova la modalità modifica» per "
    "aprire una nuova copia di prova."
)
TUTTE_CHIUSE = "Tutte le prove sono state chiuse"
RIPRISTINA_TUTTE = "ripristina-tutte"  # the button's id: focus goes back to it
PRESENTATORI: set[str] = set()
"""The client tokens of this process's presenter tabs."""


class SalaState(rx.State):
    """The presenter's tab: its secret, the count and the feed."""

    # Kept like the staff secret: local storage, never in an HTTP header or an address.
    segreto: str = rx.LocalStorage("", name="serena_sala")
    presentatore: bool = False
    messaggio: str = ""  # a refused link or action, in Italian
    esito: str = ""  # what "Ripristina tutte le demo" did
    telefoni: int = 0
    massimo: int = 0
    righe: list[str] = []
    righe_arrivate: int = 0  # every line this tab was sent: tells which lines are new
    _connessione: str = ""  # the socket that set `segreto`

    def __setattr__(self, nome: str, valore) -> None:
        if nome == "segreto" and not valore and not self.__dict__.get("segreto"):
            return  # a visitor's state stays untouched
        super().__setattr__(nome, valore)
        if nome == "segreto":
            super().__setattr__("_connessione", self.router.session.session_id)

    def _presentato(self) -> bool:
        """Whether the socket of this event presented a live presenter secret."""
        return (
            bool(self.segreto)
            and self._connessione == self.router.session.session_id
            and presentatore.del_processo().riconosce(self.segreto)
        )

    async def _aggiorna_conteggio(self) -> None:
        self.telefoni = await esegui(sandbox.aperte)
        self.massimo = modalita.sandbox_max()
        _CONTEGGIO.imposta(self.telefoni)  # the other presenter tabs learn it too

    @rx.event
    @solo_in_demo
    async def entra(self, frammento: str) -> None:
        """On the page's mount: present the key in the address's fragment, if any, or the
        secret this browser already holds."""
        chiave = presentatore.chiave_del_frammento(frammento if isinstance(frammento, str) else "")
        if chiave:
            segreto = presentatore.del_processo().presenta(chiave)
            if segreto is None:
                self.messaggio = GIA_USATO
            else:
                self.segreto = segreto
                self.messaggio = ""
        self.presentatore = self._presentato()
        if not self.presentatore:
            PRESENTATORI.discard(self.router.session.client_token)
            if not self.messaggio:
                self.messaggio = NON_PRESENTATORE
            return
        PRESENTATORI.add(self.router.session.client_token)
        await self._aggiorna_conteggio()

    @rx.event
    @solo_in_demo
    async def ripristina_tutte(self):
        """End every sandbox, and the edit mode of every phone's tab on this process."""
        if not self._presentato():
            self.presentatore = False
            self.messaggio = NON_PRESENTATORE
            return
        chiusi = await esegui(sandbox.chiudi_tutte)
        for spazio in chiusi:
            istantanea.dimentica(spazio.pubblicata, spazio.bozza)
        await _termina_telefoni()
        self.righe = cronaca.con_le_nuove(self.righe, [TUTTE_CHIUSE])
        self.righe_arrivate += 1
        await self._aggiorna_conteggio()
        self.esito = RIPRISTINATE
        return rx.set_focus(RIPRISTINA_TUTTE)


async def _termina_telefoni() -> None:
    """End the edit mode of every phone's tab connected here: each is back on the site's
    page, with "Prova" again (its session is gone)."""
    app = RegistrationContext.get().app
    connessi = app.event_namespace.token_to_sid if app.event_namespace else {}
    telefoni, demo.TELEFONI = dict(demo.TELEFONI), {}

    async def termina(token: str) -> None:
        async with app.modify_state(rx.BaseStateToken(ident=token, cls=StaffState)) as stato:
            staff = await stato.get_state(StaffState)
            await staff._sessione_terminata(DEMO_FINITA)

    risultati = await asyncio.gather(
        *(termina(t) for t in telefoni if t in connessi), return_exceptions=True
    )
    for errore in (r for r in risultati if isinstance(r, BaseException)):
        logger.warning("fine di una prova della demo non riuscita: %r", errore)


async def _spingi(app, token: str, righe: list[str], contati: bool) -> None:
    """Bring the presenter tab `token` the new lines and, if `contati`, the count as it is
    once the tab's turn comes (a reset on this tab may have counted again meanwhile); a tab
    whose socket no longer presents a live secret is forgotten."""
    async with app.modify_state(rx.BaseStateToken(ident=token, cls=SalaState)) as stato:
        sala = await stato.get_state(SalaState)
        sid = app.event_namespace.token_to_sid.get(token)
        if not (
            sid and sala._connessione == sid and presentatore.del_processo().riconosce(sala.segreto)
        ):
            PRESENTATORI.discard(token)
            return
        if righe:
            sala.righe = cronaca.con_le_nuove(sala.righe, righe)
            sala.righe_arrivate += len(righe)
        if contati and _CONTEGGIO.valore is not None and sala.telefoni != _CONTEGGIO.valore:
            sala.telefoni = _CONTEGGIO.valore


class _Conteggio:
    """The phones counted, read off the push's path: a read waiting behind the phones' saves
    for a database thread must not hold the feed's lines back."""

    def __init__(self) -> None:
        self.valore: int | None = None
        self.cambiato = False
        self._lettura: asyncio.Task | None = None
        self._prese = 0  # counts taken so far: a read begun before the last one is stale

    def imposta(self, valore: int) -> None:
        """The count as just read; a change wakes the push."""
        self._prese += 1
        if valore != self.valore:
            self.valore, self.cambiato = valore, True
            cronaca.CRONACA.sveglia.set()

    def leggi(self) -> None:
        """Read the count in the background (once at a time); a change wakes the push."""
        if self._lettura is None or self._lettura.done():
            self._lettura = asyncio.create_task(self._leggi())

    async def _leggi(self) -> None:
        """Read until no newer count was taken meanwhile (a reset's, after its commit)."""
        while True:
            prese = self._prese
            try:
                valore = await esegui(sandbox.aperte)
            except Exception as errore:
                logger.warning("conteggio dei telefoni non riuscito: %r", errore)
                return
            if self._prese == prese:
                self.imposta(valore)
                return


_CONTEGGIO = _Conteggio()


async def _un_giro(app, contare: bool) -> None:
    """One push of the new facts, and of the count if it changed, to every presenter tab;
    the count is read again if `contare` or a phone opened a sandbox."""
    fatti = cronaca.CRONACA.preleva()
    righe = cronaca.riassumi(fatti)
    if contare or any(f.azione == cronaca.APERTA for f in fatti):
        _CONTEGGIO.leggi()
    connessi = app.event_namespace.token_to_sid
    for token in [t for t in PRESENTATORI if t not in connessi]:
        PRESENTATORI.discard(token)
    for token in [t for t in demo.TELEFONI if t not in connessi]:
        del demo.TELEFONI[token]  # a phone that connects again is checked by its page load
    cambiato, _CONTEGGIO.cambiato = _CONTEGGIO.cambiato, False
    if not PRESENTATORI or not (righe or cambiato):
        return
    risultati = await asyncio.gather(
        *(_spingi(app, t, righe, cambiato) for t in list(PRESENTATORI)), return_exceptions=True
    )
    for errore in (r for r in risultati if isinstance(r, BaseException)):
        logger.warning("aggiornamento della sala non riuscito: %r", errore)


async def sorveglia_sala(app: rx.App) -> None:
    """For as long as a demo server runs: when facts arrive, push them to the presenter tabs,
    at most once every `INTERVALLO_S`; the count is read at least every `CONTEGGIO_S` (a
    lifespan task)."""
    cronaca.CRONACA.collega(asyncio.get_running_loop())
    ultimo = contato = 0.0
    while True:
        sveglia = cronaca.CRONACA.sveglia
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(sveglia.wait(), CONTEGGIO_S)
        sveglia.clear()
        attesa = ultimo + INTERVALLO_S - time.monotonic()
        if attesa > 0:
            await asyncio.sleep(attesa)
        ultimo = time.monotonic()
        contare = ultimo - contato >= CONTEGGIO_S
        if contare:
            contato = ultimo
        try:
            if app.event_namespace is not None:
                await _un_giro(app, contare)
        except asyncio.CancelledError:
            raise
        except Exception as errore:
            logger.warning("cronaca della sala non riuscita: %r", errore)
