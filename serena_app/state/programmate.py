"""Scheduled publishes in the staff bar, for responsabili: "Pubblica più tardi…" (a date and a
time in Rome), the list of the scheduled ones with "Annulla la programmazione", and how each ran.

The rows and the times are `pubblicazione/programmate.py`; running them, with no browser
open, is `pubblicazione/programmatore.py`, a lifespan task of every app process
(`sorveglia`). When one ends, the app process that ran it says so on Redis
(`CANALE_PROGRAMMATE`, or to itself with one process), and every process refreshes the list
in its tabs that show it, with the outcome in the bar's announcement.
"""

import asyncio
import contextlib
import logging

import reflex as rx

from serena_app.auth.sessioni import adesso
from serena_app.contenuto import tipi
from serena_app.contenuto.pagina import SITO
from serena_app.db import esegui
from serena_app.pubblicazione import notifica, programmate, programmatore
from serena_app.pubblicazione.programmate import FINITE, OrarioNonValido
from serena_app.state.contenuto import presentata
from serena_app.state.guardia import richiede_staff, solo_responsabile, solo_sito
from serena_app.state.redazione import numeri_controllati
from serena_app.state.schede_staff import SCHEDE_STAFF
from serena_app.state.staff import StaffState

CANALE_PROGRAMMATE = "serena:programmate"
PUBBLICA_PIU_TARDI = "pubblica-piu-tardi"  # the id of the button that opens the dialog
CAMPO_DATA = "programma-data"
ERRORE_PROGRAMMAZIONE = "errore-programmazione"
SOLO_SITO = "Nella demo non ci sono pubblicazioni programmate: nulla è cambiato."
logger = logging.getLogger(__name__)


class ProgrammateState(StaffState):
    """The schedule dialog and the list of scheduled publishes of one responsabile's tab."""

    dialogo: bool = False  # "Pubblica più tardi…" is open
    errore_programmazione: str = ""
    voci: list[dict[str, str]] = []  # the list, one line each (`programmate.in_elenco`)
    # This tab shows the list: refresh it when one ends. Set by `_carica` only, which runs
    # after the guard found the site (every handler here that shows or changes a scheduled
    # publish is `solo_sito`), or from the live refresh, which checks the place again.
    _mostra_elenco: bool = False
    _nascosti: dict = {}

    def _nascondi_vista(self) -> None:
        """The secret was cleared: the list names staff and times; nothing of it is left."""
        self._nascosti = {
            "dialogo": self.dialogo,
            "voci": self.voci,
            "errore_programmazione": self.errore_programmazione,
        }
        self.dialogo, self.voci, self.errore_programmazione = False, [], ""

    def _ripristina_vista(self) -> None:
        """The same secret is back on this socket: as it was."""
        for nome, valore in self._nascosti.items():
            setattr(self, nome, valore)
        self._nascosti = {}

    def _fuori_dal_sito(self) -> None:
        """Scheduled publishes are the site's: a demo sandbox's session (a responsabile of its
        sandbox only) neither sees, makes nor cancels them (`solo_sito` tells it so); nothing
        of the site's list is left in its tab."""
        self.dialogo, self.voci, self._mostra_elenco = False, [], False

    async def _carica(self) -> None:
        """The site's list, read now (callers have checked the place)."""
        righe = await esegui(programmate.da_mostrare, adesso=adesso())
        self.voci = [programmate.in_elenco(r) for r in righe]
        self._mostra_elenco = True

    @rx.event
    @richiede_staff
    @solo_responsabile
    @solo_sito(SOLO_SITO)
    async def carica_programmate(self) -> None:
        """Show the scheduled publishes (the list appears in edit mode)."""
        await self._carica()

    @rx.event
    @richiede_staff
    @solo_responsabile
    @solo_sito(SOLO_SITO)
    async def apri_programmazione(self) -> None:
        """Open "Pubblica più tardi…": a date and a time; focus on the date."""
        if not self.modifica_attiva:
            return
        self.dialogo, self.errore_programmazione = True, ""
        self._metti_a_fuoco(CAMPO_DATA)

    @rx.event
    def chiudi_programmazione(self) -> None:
        """Close the dialog; nothing is scheduled."""
        self.dialogo, self.errore_programmazione = False, ""
        self._metti_a_fuoco(PUBBLICA_PIU_TARDI)

    @rx.event
    @richiede_staff
    @solo_responsabile
    @solo_sito(SOLO_SITO)
    async def programma(self, form_data: dict) -> None:
        """Schedule a publish of the drafts, as they will be then, at the date and time typed
        (Rome); refuse a time that is past, malformed or missing in Rome, in words."""
        if not isinstance(form_data, dict) or not self.modifica_attiva:
            return
        ora = adesso()
        try:
            quando = programmate.orario(form_data.get("data"), form_data.get("ora"), adesso=ora)
        except OrarioNonValido as errore:
            self.errore_programmazione = str(errore)
            self._metti_a_fuoco(CAMPO_DATA)
            return
        await esegui(programmate.programma, quando=quando, autore=self._autore, adesso=ora)
        programmatore.sveglia()
        self.dialogo, self.errore_programmazione = False, ""
        self.annuncio = (
            f"Pubblicazione programmata per {programmate.in_parole(quando)}: saranno "
            "pubblicate le bozze come saranno in quel momento."
        )
        await self._carica()
        self._metti_a_fuoco(PUBBLICA_PIU_TARDI)

    @rx.event
    @richiede_staff
    @solo_responsabile
    @solo_sito(SOLO_SITO)
    @numeri_controllati
    async def annulla_programmata(self, id_: int | str) -> None:
        """Cancel a scheduled publish still waiting (one that has started runs)."""
        annullata = await esegui(
            programmate.annulla, id_=tipi.intero(id_), chi=self._autore, adesso=adesso()
        )
        if annullata:
            self.annuncio = "Pubblicazione programmata annullata."
        else:
            self.avviso = programmate.NON_TROVATA
        await self._carica()
        self._metti_a_fuoco(PUBBLICA_PIU_TARDI)


async def _dillo(testo: str) -> None:
    """A scheduled publish ended: tell every app process (on Redis if there are several, else
    this one)."""
    if not await notifica.invia_su(CANALE_PROGRAMMATE, testo):
        _sveglia.set()


_sveglia = asyncio.Event()
notifica.ascolta_canale(CANALE_PROGRAMMATE, _sveglia.set)


async def _aggiorna(app: rx.App, client_token: str) -> None:
    async with app.modify_state(
        rx.BaseStateToken(ident=client_token, cls=ProgrammateState)
    ) as stato:
        if not await presentata(app, stato, client_token):
            return
        scheda = await stato.get_state(ProgrammateState)
        # The place again: `_spazio` is the staff state's, set by this tab's latest guarded
        # event of any kind (a sandbox's session in a tab that showed the site's list).
        if not (scheda._mostra_elenco and scheda.modifica_attiva and scheda._spazio == SITO):
            return
        finite_prima = {v["id"] for v in scheda.voci if v["stato"] in FINITE}
        await scheda._carica()
        appena = [v for v in scheda.voci if v["stato"] in FINITE and v["id"] not in finite_prima]
        if appena:  # said by screen readers too: the bar's status
            scheda.annuncio = "Pubblicazione programmata: " + appena[0]["testo"]


async def aggiorna_elenchi(app: rx.App) -> None:
    """For as long as the process runs: when a scheduled publish ends, refresh the list in
    this process's staff tabs that show it (a lifespan task)."""
    while True:
        await _sveglia.wait()
        _sveglia.clear()
        connessi = app.event_namespace.token_to_sid if app.event_namespace else {}
        for client_token in [t for t in SCHEDE_STAFF if t in connessi]:
            try:
                await _aggiorna(app, client_token)
            except Exception as errore:
                logger.warning("elenco delle programmate non aggiornato: %r", errore)


async def sorveglia(app: rx.App) -> None:
    """The app's lifespan task: run the due scheduled publishes (`programmatore.py`), and
    refresh the lists when one ends."""
    compiti = [
        asyncio.create_task(programmatore.sorveglia_programmate(_dillo)),
        asyncio.create_task(aggiorna_elenchi(app)),
    ]
    try:
        await asyncio.gather(*compiti)
    finally:
        for compito in compiti:
            compito.cancel()
        with contextlib.suppress(BaseException):
            await asyncio.gather(*compiti)
