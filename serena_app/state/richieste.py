"""Publication requests in the staff bar: a redattore asks ("Chiedi la pubblicazione"), a
responsabile publishes or postpones ("Richieste di pubblicazione").

The data and the use case are in `pubblicazione/richieste.py`. Every request made or decided
is notified on its channel; each app process then brings its connected staff tabs up to date
(`aggiorna_schede`): a responsabile's tab gets the open request, a redattore's the outcome of
theirs (then marked as seen; one who was away is shown it at their next page load, `carica`).
Only tabs whose presented session is live get anything: a visitor's state never holds a
request, a name or a message.
"""

import asyncio
import functools
import logging

import reflex as rx
from reflex_base.registry import RegistrationContext
from sqlmodel import Session

from serena_app.auth.ruoli import RESPONSABILE
from serena_app.auth.sessioni import puo, staff_autorizzato
from serena_app.contenuto import bozze, tipi
from serena_app.contenuto.pagina import SITO, Spazio
from serena_app.contenuto.parole import modifiche
from serena_app.db import esegui
from serena_app.lingue import tempo
from serena_app.pubblicazione import notifica, richieste
from serena_app.pubblicazione.richieste import GiaAperta, GiaDecisa, NienteDaChiedere, Richiesta
from serena_app.state.accesso import AccessoState
from serena_app.state.contenuto import ContenutoState, presentata
from serena_app.state.diffusione import avvisa
from serena_app.state.guardia import richiede_staff, solo_responsabile, sul_db
from serena_app.state.schede_staff import SCHEDE_STAFF
from serena_app.state.staff import StaffState

logger = logging.getLogger(__name__)
CHIEDI = "chiedi-pubblicazione"  # the id of the redattore's button
MESSAGGIO = "messaggio-richiesta"  # the id of the request's message field
INVIA = "invia-richiesta"
RICHIESTE = "richieste-pubblicazione"  # the id of the panel's heading
PUBBLICA_RICHIESTA = "pubblica-richiesta"
NOTA = "nota-richiesta"
NELLA_PROVA = "Nella prova pubblichi tu: le richieste di pubblicazione non servono."
BOZZE_CAMBIATE = (
    "Nel frattempo le bozze sono cambiate: controlla l’elenco e invia di nuovo la richiesta."
)
_in_corso: set[asyncio.Task] = set()
_VISTA = {  # what a tab shows of the requests, and its value when it shows nothing
    "chiedendo": False,
    "elenco_richiesta": [],
    "errore_messaggio": "",
    "esito_richiesta": "",
    "pannello": False,
    "richiesta_id": 0,
    "richiesta_chi": "",
    "richiesta_quando": "",
    "richiesta_messaggio": "",
    "richiesta_elenco": [],
    "cambiate": [],
    "elenco_attuale": [],
    "errore_nota": "",
}


def _quando(richiesta: Richiesta) -> str:
    """E.g. "6 dicembre, 02:10" (Italian time)."""
    return tempo.giorno_e_ora(richiesta.creata)


def _da_chiedere(*, session: Session, spazio: Spazio, autore: str) -> tuple[int, list[str]]:
    versione, differenze = bozze.da_pubblicare(session=session, spazio=spazio)
    return versione, [str(d) for d in differenze]


def _chiedi(
    *, session: Session, spazio: Spazio, autore: str, versione: int, messaggio: str
) -> Richiesta:
    """Open the request, if the drafts are still those the redattore was shown."""
    if bozze.da_pubblicare(session=session, spazio=spazio)[0] != versione:
        raise bozze.BozzaCambiata
    return richieste.chiedi(session=session, spazio=spazio, autore=autore, messaggio=messaggio)


def _da_decidere(
    *, session: Session, spazio: Spazio, autore: str, id_richiesta: int
) -> tuple[Richiesta, int, list[str]]:
    """The open request, and the drafts as they are now."""
    richiesta = richieste.leggi(session=session, spazio=spazio, id_richiesta=id_richiesta)
    return richiesta, *_da_chiedere(session=session, spazio=spazio, autore=autore)


def _esiti_di(*, session: Session, spazio: Spazio, autore: str) -> list[Richiesta]:
    """The outcomes of `autore`'s requests not shown yet, marked as shown now."""
    propri = [e for e in richieste.esiti_da_vedere(session=session) if e.richiedente == autore]
    richieste.segna_visti(session=session, ids=[e.id for e in propri])
    return propri


class RichiesteState(StaffState):
    """A redattore's request dialog and outcomes; a responsabile's open request."""

    # The redattore's side.
    chiedendo: bool = False  # the request dialog is open
    elenco_richiesta: list[str] = []  # the changes it lists: exactly what is asked
    errore_messaggio: str = ""
    esito_richiesta: str = ""  # "La tua richiesta è stata pubblicata da anna."
    _versione_richiesta: int = 0
    # The responsabile's side: the open request (at most one), and the panel.
    pannello: bool = False
    richiesta_id: int = 0
    richiesta_chi: str = ""
    richiesta_quando: str = ""
    richiesta_messaggio: str = ""
    richiesta_elenco: list[str] = []
    cambiate: list[str] = []  # what changed in the drafts since it was asked
    elenco_attuale: list[str] = []  # the drafts now, which "Pubblica" would then publish
    errore_nota: str = ""
    _confermata: tuple[int, int, list[str]] | None = None  # (request, counter, changes) shown
    _nascosti: dict = {}

    def _nascondi_vista(self) -> None:
        """The secret was cleared: nothing of the requests is left to send."""
        self._nascosti = {nome: getattr(self, nome) for nome in _VISTA}
        for nome, vuoto in _VISTA.items():
            setattr(self, nome, vuoto)

    def _ripristina_vista(self) -> None:
        for nome, valore in self._nascosti.items():
            setattr(self, nome, valore)
        self._nascosti = {}

    def _mostra_aperta(self, aperte: list[Richiesta]) -> bool:
        """Show the open request of `aperte` (or none); whether it is a new one."""
        richiesta = aperte[0] if aperte else None
        nuova = richiesta is not None and richiesta.id != self.richiesta_id
        if richiesta is None:
            if self.richiesta_id:
                self.richiesta_id, self.richiesta_chi, self.richiesta_messaggio = 0, "", ""
                self.richiesta_quando, self.richiesta_elenco = "", []
                self.cambiate, self.elenco_attuale, self.errore_nota = [], [], ""
                self._confermata = None
            return False
        if nuova:
            self.richiesta_id, self.richiesta_chi = richiesta.id, richiesta.richiedente
            self.richiesta_quando = _quando(richiesta)
            self.richiesta_messaggio = richiesta.messaggio
            self.richiesta_elenco = richiesta.elenco
            self.cambiate, self.elenco_attuale, self.errore_nota = [], [], ""
            self._confermata = None
        return nuova

    def _mostra_esiti(self, esiti: list[Richiesta]) -> None:
        if esiti:
            self.esito_richiesta = esiti[-1].esito

    @rx.event
    @richiede_staff
    async def carica(self):
        """On page load, for a staff tab: a responsabile's open request; a redattore's
        outcomes decided while they were away. (Reads only, after the guard's check: a page
        load does not make the working copy.)"""
        if self._spazio != SITO:
            return
        accesso = await self.get_state(AccessoState)
        if puo(accesso.ruolo_staff, RESPONSABILE):
            self._mostra_aperta(await esegui(richieste.aperte, spazio=SITO))
        else:
            self._mostra_esiti(await esegui(_esiti_di, spazio=SITO, autore=self._autore))

    @rx.event
    @richiede_staff
    async def chiedi(self):
        """Open the request dialog, listing the drafts as the publish confirmation does."""
        if not self.modifica_attiva:
            return
        versione, elenco = await sul_db(self, _da_chiedere)
        if self._spazio != SITO:
            self.avviso = NELLA_PROVA
            return
        if not elenco:
            self.avviso = "Non ci sono modifiche in bozza."
            return
        self.chiedendo, self.elenco_richiesta = True, elenco
        self._versione_richiesta, self.errore_messaggio = versione, ""
        self._metti_a_fuoco(MESSAGGIO)

    @rx.event
    def annulla_richiesta(self):
        """Close the request dialog; nothing is sent."""
        self.chiedendo, self.elenco_richiesta, self.errore_messaggio = False, [], ""
        self._metti_a_fuoco(CHIEDI)

    @rx.event
    def chiudi_esito(self):
        """Dismiss the outcome of one's request."""
        self.esito_richiesta = ""

    @rx.event
    @richiede_staff
    async def invia(self, form_data: dict):
        """Send the request for the drafts the dialog listed, with its optional message."""
        if not self.chiedendo:
            return
        try:
            messaggio = tipi.testo(
                form_data.get("messaggio", "") if isinstance(form_data, dict) else None,
                massimo=richieste.MESSAGGIO_MASSIMO,
                multilinea=True,
                obbligatorio=False,
            )
            await sul_db(self, _chiedi, versione=self._versione_richiesta, messaggio=messaggio)
        except tipi.ErroreValidazione as errore:
            self.errore_messaggio = str(errore)
            self._metti_a_fuoco(MESSAGGIO)
            return
        except bozze.BozzaCambiata:
            self._versione_richiesta, self.elenco_richiesta = await sul_db(self, _da_chiedere)
            self.avviso = BOZZE_CAMBIATE
            return
        except (GiaAperta, NienteDaChiedere) as rifiuto:
            self.chiedendo, self.elenco_richiesta = False, []
            self.avviso = str(rifiuto)
            return
        self.chiedendo, self.elenco_richiesta, self.errore_messaggio = False, [], ""
        self.annuncio = "Richiesta inviata: i responsabili la vedono ora nella loro barra."
        self._metti_a_fuoco(CHIEDI)
        await richieste.notifica_cambio()

    @rx.event
    @richiede_staff
    @solo_responsabile
    async def apri_richieste(self):
        """Open "Richieste di pubblicazione" with the open request as it is now."""
        self._mostra_aperta(await esegui(richieste.aperte, spazio=self._spazio))
        self.pannello = True
        self._metti_a_fuoco(RICHIESTE)

    @rx.event
    def chiudi_richieste(self):
        """Close the requests panel; nothing is decided."""
        self.pannello, self.cambiate, self.elenco_attuale, self.errore_nota = False, [], [], ""
        self._confermata = None

    @rx.event
    @richiede_staff
    @solo_responsabile
    async def pubblica(self):
        """Publish the open request: the drafts it listed, or, once the responsabile has
        been shown what changed since, the drafts as shown then; never anything unshown."""
        id_richiesta = self.richiesta_id
        if not id_richiesta or not self.pannello:
            return
        try:
            richiesta, versione, elenco = await sul_db(
                self, _da_decidere, id_richiesta=id_richiesta
            )
        except GiaDecisa as rifiuto:
            return await self._gia_decisa(rifiuto)
        confermata = self._confermata
        if confermata is not None and confermata[0] == id_richiesta:
            visto = confermata[1], confermata[2]
        else:
            visto = richiesta.versione, richiesta.elenco
        if (versione, elenco) != visto:
            return self._cambiate(visto[1], versione, elenco)
        contenuto = await self.get_state(ContenutoState)
        try:
            esito = await richieste.pubblica(
                self._spazio,
                richiesta=id_richiesta,
                versione=versione,
                elenco=elenco,
                autore=self._autore,
                dal=self._dal,
                escluso=self.router.session.client_token,
                avviso=functools.partial(avvisa, self.router.session.client_token),
            )
        except bozze.BozzaCambiata:
            versione, elenco = await sul_db(self, _da_chiedere)
            return self._cambiate(visto[1], versione, elenco)
        except GiaDecisa as rifiuto:
            return await self._gia_decisa(rifiuto)
        self._mostra_annullabile(esito.perche_non_annullare)  # undo stops at a publish
        contenuto._mostra(esito.bozza)
        contenuto._mostra(esito.pubblicata)
        quante = len(esito.modifiche)
        self.annuncio = f"Pubblicata la richiesta di {richiesta.richiedente}: {modifiche(quante)}."
        self._mostra_aperta([])
        self.pannello = False
        self._metti_a_fuoco(RICHIESTE + "-apri")

    def _cambiate(self, chiesto: list[str], versione: int, elenco: list[str]) -> None:
        """The drafts changed since what the responsabile was shown: show what changed and
        wait for a new confirmation."""
        self.cambiate = richieste.cambiate_da(chiesto, elenco)
        self.elenco_attuale = elenco
        self._confermata = (self.richiesta_id, versione, elenco)
        self._metti_a_fuoco(PUBBLICA_RICHIESTA)

    async def _gia_decisa(self, rifiuto: GiaDecisa) -> None:
        self.avviso = str(rifiuto)
        self._mostra_aperta(await sul_db(self, richieste.aperte))

    @rx.event
    @richiede_staff
    @solo_responsabile
    async def rimanda(self, form_data: dict):
        """Postpone the open request, with a note its redattore will read."""
        id_richiesta = self.richiesta_id
        if not id_richiesta or not self.pannello:
            return
        try:
            nota = tipi.testo(
                form_data.get("nota", "") if isinstance(form_data, dict) else None,
                massimo=richieste.MESSAGGIO_MASSIMO,
                multilinea=True,
                obbligatorio=False,
            )
            await sul_db(self, richieste.rimanda, id_richiesta=id_richiesta, nota=nota)
        except tipi.ErroreValidazione as errore:
            self.errore_nota = str(errore)
            self._metti_a_fuoco(NOTA)
            return
        except GiaDecisa as rifiuto:
            return await self._gia_decisa(rifiuto)
        self.annuncio = f"Richiesta di {self.richiesta_chi} rimandata: le bozze restano."
        self._mostra_aperta([])
        self.pannello = False
        self._metti_a_fuoco(RICHIESTE + "-apri")
        await richieste.notifica_cambio()


async def _aggiorna_scheda(
    app, token: str, aperte: list[Richiesta], esiti: list[Richiesta]
) -> list[int]:
    """Bring staff tab `token` up to date; the ids of the outcomes it was shown."""
    async with app.modify_state(rx.BaseStateToken(ident=token, cls=RichiesteState)) as stato:
        if not await presentata(app, stato, token):
            return []
        accesso = await stato.get_state(AccessoState)
        permesso = await staff_autorizzato(accesso.token)
        if permesso is None or permesso.sandbox is not None:
            return []
        schede = await stato.get_state(RichiesteState)
        if puo(permesso.ruolo, RESPONSABILE):
            if schede._mostra_aperta(aperte):
                schede.annuncio = f"Nuova richiesta di pubblicazione da {schede.richiesta_chi}."
            return []
        propri = [e for e in esiti if e.richiedente == permesso.nome_utente]
        schede._mostra_esiti(propri)
        return [e.id for e in propri]


def _stato(*, session: Session) -> tuple[list[Richiesta], list[Richiesta]]:
    return richieste.aperte(session=session, spazio=SITO), richieste.esiti_da_vedere(
        session=session
    )


async def aggiorna_schede() -> None:
    """Bring every staff tab connected to this process up to date with the requests."""
    app = RegistrationContext.get().app
    if app.event_namespace is None:
        return
    connessi = app.event_namespace.token_to_sid
    schede = [t for t in list(SCHEDE_STAFF) if t in connessi]
    if not schede:
        return
    aperte, esiti = await esegui(_stato)
    risultati = await asyncio.gather(
        *(_aggiorna_scheda(app, t, aperte, esiti) for t in schede), return_exceptions=True
    )
    mostrati = []
    for risultato in risultati:
        if isinstance(risultato, BaseException):
            logger.warning("aggiornamento delle richieste non riuscito: %r", risultato)
        else:
            mostrati += risultato
    if mostrati:
        await esegui(richieste.segna_visti, ids=mostrati)


def sveglia() -> None:
    """A request was made or decided (here, or notified by another process)."""
    compito = asyncio.ensure_future(aggiorna_schede())
    _in_corso.add(compito)
    compito.add_done_callback(_in_corso.discard)


notifica.ascolta_canale(richieste.CANALE, sveglia)
richieste.al_cambiamento(sveglia)
