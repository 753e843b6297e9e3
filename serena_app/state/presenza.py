"""Presence in edit mode, the Reflex side: what a staff tab sees of the others, its
heartbeat, and the question before opening an item someone else has open.

The entries are written by the guarded handlers that change them (`RedazioneState`: edit
mode on or off, an editor opened or closed, through `presenza.schede`), and kept alive by
the tab's heartbeat (`batti`, every 1.5 s from the page's script while in edit mode): an
entry lasts `voci.DURATA_S` after the last one, so a tab closed or cut off is gone within
five seconds. A change is told on the Redis channel `CANALE` (the one connection of
`pubblicazione/notifica.py`) and to this process itself; each process then works out, for
each of its tabs in edit mode, what it sees (`voci.vista`), and pushes it to the tabs whose
view changed. Expiry needs no message: each process also looks every `INTERVALLO_S`. Rounds
are at least `PAUSA_S` apart, so a flood of events makes at most a few pushes a second.

Only a staff tab in edit mode, whose socket presented its secret, ever holds a name here; a
visitor's state never loads this one.
"""

import asyncio
import logging

import reflex as rx

from serena_app.contenuto.tipi import NESSUNA
from serena_app.presenza import schede, voci
from serena_app.presenza.voci import Presenza, Vista
from serena_app.pubblicazione import notifica
from serena_app.state import revoca
from serena_app.state.accesso import AccessoState
from serena_app.state.contenuto import presentata
from serena_app.state.guardia import richiede_staff, segreto
from serena_app.state.redazione import RedazioneState, numeri_controllati, voce_richiesta
from serena_app.state.revoca import Verifica
from serena_app.state.staff import StaffState

CANALE = "serena:presenza"
INTERVALLO_S = 1.0
PAUSA_S = 0.15
DOMANDA = "domanda-presenza"  # the id of the question before opening
VUOTA = Vista()
logger = logging.getLogger(__name__)
_viste: dict[str, Vista] = {}  # per tab of this process: the view it was last given

notifica.ascolta_canale(CANALE, schede.sveglia)


class PresenzaState(StaffState):
    """Who else edits this space now, and the items they have open."""

    persone: list[dict[str, str]] = []  # {"iniziali": "AR", "nome": "Anna Rossi"}
    aperti: dict[str, str] = {}  # edit button's id → "Anna sta modificando…"
    annuncio_presenza: str = ""  # polite: one sentence per change of who is present
    domanda: str = ""  # "Anna Rossi sta già modificando la mission. Vuoi aprirla lo stesso?"
    domanda_per: str = ""  # the edit button the question is about (focus returns there)
    _chi: dict[str, str] = {}  # edit button's id → full names
    _domanda: list[str] = []  # [kind, key] of the item the question is about

    def _mostra(self, nuova: Vista, prima: Vista) -> None:
        """Show `nuova`, and announce what changed since `prima`."""
        persone = [{"iniziali": i, "nome": n} for i, n in nuova.persone]
        if persone != self.persone:
            self.persone = persone
        aperti = dict(nuova.aperti)
        if aperti != self.aperti:
            self.aperti = aperti
        chi: dict[str, list[str]] = {}
        for nome, voce, _ in nuova.chi:
            if voce:
                chi.setdefault(voce, []).append(nome)
        self._chi = {voce: " e ".join(nomi) for voce, nomi in chi.items()}
        if frase := voci.annuncio(prima, nuova):
            self.annuncio_presenza = frase

    @rx.event
    async def batti(self) -> None:
        """The heartbeat: extend this tab's entry, which a guarded handler wrote. Never
        creates one, so it needs no database check; a socket that did not present the
        tab's secret extends nothing."""
        if not self.modifica_attiva or not self._autore:
            return
        if not segreto(await self.get_state(AccessoState)):
            return
        scheda = self.router.session.client_token
        spazio = self._spazio.pubblicata.nome
        if await schede.deposito().prolunga(spazio, scheda) and (scheda not in schede.IN_MODIFICA):
            # It connected again on this process: its pushes come from here now.
            aperta = (await self.get_state(RedazioneState)).aperto
            voce, cosa = "", ""
            if aperta != NESSUNA and not aperta.nuova:
                voce, cosa = voci.id_voce(aperta), voci.descrivi(aperta.tipo, aperta.chiave)[0]
            schede.adotta(Presenza(scheda, spazio, self._autore, voce, cosa))

    @rx.event
    @richiede_staff
    @numeri_controllati
    async def apri(self, tipo: str, chiave: str | int) -> None:
        """Open an item's editor; if someone else has it open, ask first."""
        redazione = await self.get_state(RedazioneState)
        trovata = redazione._nella_lingua(voce_richiesta(tipo, chiave))
        if trovata is None:
            return
        id_html = voci.id_voce(trovata)
        if chi := self._chi.get(id_html):
            cosa, femminile = voci.descrivi(trovata.tipo, trovata.chiave)
            pronome = "aprirla" if femminile else "aprirlo"
            stanno = "stanno" if " e " in chi else "sta"
            self.domanda = f"{chi} {stanno} già modificando {cosa}. Vuoi {pronome} lo stesso?"
            self.domanda_per, self._domanda = id_html, [str(tipo), str(chiave)]
            self._metti_a_fuoco(DOMANDA)
            return
        self._chiudi_domanda()
        await redazione._apri(trovata)

    @rx.event
    @richiede_staff
    async def apri_lo_stesso(self) -> None:
        """The question's "Apri lo stesso": open the item anyway (the version check on save
        still refuses a stale save)."""
        if not self._domanda:
            return
        tipo, chiave = self._domanda
        self._chiudi_domanda()
        redazione = await self.get_state(RedazioneState)
        await redazione._apri(redazione._nella_lingua(voce_richiesta(tipo, chiave)))

    @rx.event
    def annulla_domanda(self) -> None:
        """The question's "No, torna indietro" (or Escape): nothing opens; focus back on the
        button."""
        fuoco = self.domanda_per
        self._chiudi_domanda()
        if fuoco:
            self._metti_a_fuoco(fuoco)

    def _chiudi_domanda(self) -> None:
        self.domanda, self.domanda_per, self._domanda = "", "", []


async def _mostra(app: rx.App, scheda: str, nuova: Vista, sessioni: Verifica) -> None:
    """Give tab `scheda` the view `nuova`; only while it is in edit mode, on the socket that
    presented its secret (else it gets the empty view and leaves the registry)."""
    prima = _viste.get(scheda, VUOTA)
    async with app.modify_state(rx.BaseStateToken(ident=scheda, cls=PresenzaState)) as stato:
        presenza = await stato.get_state(PresenzaState)
        # Else no working copy either, and a session that ended ends the staff view.
        presentata_qui = await presentata(app, stato, scheda, sessioni)
        if nuova != VUOTA and not (presenza.modifica_attiva and presentata_qui):
            schede.togli(scheda)
            nuova = VUOTA
        presenza._mostra(nuova, prima)
    if nuova == VUOTA:
        _viste.pop(scheda, None)
    else:
        _viste[scheda] = nuova


async def giro(app: rx.App) -> None:
    """Write the entries noted here, tell the other processes, and push each tab of this
    process whose view changed."""
    if await schede.scrivi_in_attesa():
        await notifica.invia_su(CANALE, "1")
    connessi = app.event_namespace.token_to_sid
    for scheda in [s for s in schede.IN_MODIFICA if s not in connessi]:
        schede.togli(scheda)  # written at the next round
    for scheda in [s for s in _viste if s not in connessi]:
        del _viste[scheda]
    if not schede.IN_MODIFICA and not _viste:
        return
    presenze = await schede.deposito().tutte()
    da_mostrare = {
        scheda: voci.vista(presenze, scheda=scheda, spazio=mia.spazio, nome_utente=mia.nome_utente)
        for scheda, mia in schede.IN_MODIFICA.items()
    }
    for scheda in _viste:
        da_mostrare.setdefault(scheda, VUOTA)  # left edit mode: its names go
    cambiate = [(s, v) for s, v in da_mostrare.items() if _viste.get(s, VUOTA) != v]
    if not cambiate:
        return
    sessioni = await revoca.verifica([s for s, _ in cambiate])  # one query for them all
    risultati = await asyncio.gather(
        *(_mostra(app, s, v, sessioni) for s, v in cambiate), return_exceptions=True
    )
    for errore in (r for r in risultati if isinstance(r, BaseException)):
        logger.warning("aggiornamento della presenza non riuscito: %r", errore)


async def sorveglia_presenza(app: rx.App) -> None:
    """For as long as the process runs (a lifespan task): a round when something changed,
    and every `INTERVALLO_S` for the entries that expired."""
    guasto = False
    while True:
        try:
            if app.event_namespace is not None:
                await giro(app)
            guasto = False
        except asyncio.CancelledError:
            raise
        except Exception as errore:
            if not guasto:
                logger.warning("controllo della presenza non riuscito: %r", errore)
            guasto = True
        await asyncio.sleep(PAUSA_S)
        await schede.attendi(INTERVALLO_S - PAUSA_S)
