"""History in edit mode: an item's "Cronologia" (its revisions with a word diff, each with
"Ripristina"), the page's publishes ("Cronologia della pagina", each restorable as drafts),
and "Annulla ultima modifica". Staff only: every handler that shows or changes anything is
guarded, and what the panel holds is hidden with the rest of the staff view.
"""

import asyncio
import dataclasses
import json
from datetime import UTC, datetime

import reflex as rx
from sqlmodel import Session

from serena_app import db
from serena_app.contenuto import bozze, cronologia, istantanea, pagina, validazione
from serena_app.contenuto.bozze import FUSO, MESI, SITO, Spazio
from serena_app.contenuto.cronologia import CAMBIATA_DA_ALTRI, NonAnnullabile
from serena_app.contenuto.pagina import NonTrovato
from serena_app.contenuto.tipi import NESSUNA, SEZIONE, TIPI, Voce, id_controllo
from serena_app.models import Revisione
from serena_app.state.contenuto import ContenutoState
from serena_app.state.diffusione import diffondi
from serena_app.state.redazione import (
    NON_TROVATO,
    RedazioneState,
    nome_voce,
    numeri_controllati,
    pieno,
    voce_richiesta,
)
from serena_app.state.staff import StaffState, richiede_staff

AZIONI = {
    "creata": "Testo di partenza",
    "salvata": "Salvata",
    "aggiunta": "Aggiunta",
    "eliminata": "Eliminata",
    "spostata": "Spostata",
    "ripristinata": "Ripristinata",
    "annullata": "Modifica annullata",
    "pubblicata": "Pubblicata",
}
ANNULLA = "annulla-ultima"  # the id of "Annulla ultima modifica" (Ctrl/Cmd+Z presses it)
NESSUNA_REVISIONE = "Questa versione non c’è più: apri di nuovo la cronologia."


@dataclasses.dataclass(frozen=True)
class Pezzo:
    """A piece of a word diff: "uguale", "tolto" or "aggiunto"."""

    tipo: str
    testo: str


@dataclasses.dataclass(frozen=True)
class RevisioneVista:
    """A revision as the panel lists it."""

    numero: int
    azione: str
    autore: str
    quando: str  # "3 minuti fa"
    esatto: str  # "30 novembre 2026, 21:03" (Italian time)
    iso: str
    pezzi: list[Pezzo]
    ripristinabile: bool


def fa(quando: datetime, ora: datetime) -> str:
    """How long ago, in Italian: "adesso", "3 minuti fa", "2 ore fa", "ieri", "5 giorni fa"."""
    secondi = int((ora - quando).total_seconds())
    if secondi < 60:
        return "adesso"
    for unita, singolare, plurale in (
        (86400, "giorno", "giorni"),
        (3600, "ora", "ore"),
        (60, "minuto", "minuti"),
    ):
        if secondi >= unita:
            n = secondi // unita
            if unita == 86400 and n == 1:
                return "ieri"
            return f"{n} {singolare if n == 1 else plurale} fa"
    return "adesso"


def esatto(quando: datetime) -> str:
    ora = quando.astimezone(FUSO)
    return f"{ora.day} {MESI[ora.month - 1]} {ora.year}, {ora:%H:%M}"


def _utc(quando: datetime) -> datetime:
    return quando if quando.tzinfo else quando.replace(tzinfo=UTC)


def _testo(dati: dict | None) -> str:
    """What a diff compares: an item's fields as lines (the year, the title, the text)."""
    if not dati:
        return ""
    return "\n".join(str(dati[c]) for c in ("anno", "titolo", "testo") if dati.get(c) is not None)


def vista(revisione: Revisione, ora: datetime) -> RevisioneVista:
    prima, dopo = (json.loads(t) if t else None for t in (revisione.prima, revisione.dopo))
    if revisione.azione == "spostata" and prima and dopo:
        pezzi = [
            Pezzo(
                "uguale",
                f"Dalla posizione {prima['posizione'] + 1} alla {dopo['posizione'] + 1}.",
            )
        ]
    else:
        pezzi = [Pezzo(t, s) for t, s in cronologia.differenza_parole(_testo(prima), _testo(dopo))]
    quando = _utc(revisione.quando)
    return RevisioneVista(
        numero=revisione.id or 0,
        azione=AZIONI.get(revisione.azione, revisione.azione),
        autore=revisione.autore or "file dei contenuti",
        quando=fa(quando, ora),
        esatto=esatto(quando),
        iso=quando.isoformat(timespec="seconds"),
        pezzi=pezzi,
        ripristinabile=bool(revisione.dopo or revisione.prima),
    )


def nome_di(revisione: Revisione) -> str:
    """How announcements name a revision's item: "Testo della mission", "Valore «Ascolto»"."""
    dati = json.loads(revisione.dopo or revisione.prima or "{}")
    return nome_voce(Voce(revisione.tipo, revisione.chiave), dati.get("titolo", ""))


def _chiave(session: Session, spazio: Spazio, trovata: Voce) -> str | None:
    """History's name of an item of the working copy: a section's key, an item's code."""
    if trovata.tipo == SEZIONE.nome:
        return trovata.chiave
    elemento = pagina.leggi_elemento(session=session, pagina=spazio.bozza, voce=trovata)
    return None if elemento is None else elemento.codice


def _revisioni(spazio: Spazio, trovata: Voce) -> list[RevisioneVista] | None:
    with db.session() as session:
        bozze.apri(session=session, spazio=spazio)
        chiave = _chiave(session, spazio, trovata)
        if chiave is None:
            return None
        ora = datetime.now(UTC)
        return [vista(r, ora) for r in cronologia.di(session=session, spazio=spazio, chiave=chiave)]


def _pubblicazioni(spazio: Spazio) -> list[RevisioneVista]:
    with db.session() as session:
        ora = datetime.now(UTC)
        return [
            dataclasses.replace(vista(r, ora), pezzi=[])
            for r in cronologia.pubblicazioni(session=session, spazio=spazio)
        ]


def _sul_db(funzione, **argomenti):
    with db.session() as session:
        return funzione(session=session, **argomenti)


class CronologiaState(StaffState):
    """The open history panel: an item's, or the page's publishes."""

    aperta: Voce = NESSUNA  # the item whose history is open
    revisioni: list[RevisioneVista] = []
    pubblicazioni_aperte: bool = False
    pubblicazioni: list[RevisioneVista] = []
    _nascosti: dict = {}

    def _nascondi_vista(self) -> None:
        """The secret was cleared: no revision is left to send (see `AccessoState`)."""
        self._nascosti = {
            "aperta": self.aperta,
            "revisioni": self.revisioni,
            "pubblicazioni_aperte": self.pubblicazioni_aperte,
            "pubblicazioni": self.pubblicazioni,
        }
        self._chiudi_pannelli()

    def _ripristina_vista(self) -> None:
        """The same secret is back on this socket: the panels as they were."""
        for nome, valore in self._nascosti.items():
            setattr(self, nome, valore)
        self._nascosti = {}

    def _chiudi_pannelli(self) -> None:
        self.aperta, self.revisioni = NESSUNA, []
        self.pubblicazioni_aperte, self.pubblicazioni = False, []

    async def _mostra_bozza(self, annuncio: str) -> None:
        """After a restore or an undo: the working copy here and in the other staff tabs."""
        nuova = await asyncio.to_thread(istantanea.aggiornata, self._spazio.bozza)
        contenuto = await self.get_state(ContenutoState)
        contenuto._mostra(nuova)
        if self._spazio == SITO:
            diffondi(nuova, escluso=self.router.session.client_token)
        redazione = await self.get_state(RedazioneState)
        redazione._chiudi()
        self.annuncio = annuncio

    @rx.event
    @richiede_staff
    @numeri_controllati
    async def apri_cronologia(self, tipo: str, chiave: str | int):
        """Open an item's history, newest first."""
        trovata = voce_richiesta(tipo, chiave)
        if trovata is None or trovata.nuova or not self.modifica_attiva:
            return None
        revisioni = await asyncio.to_thread(_revisioni, self._spazio, trovata)
        self._chiudi_pannelli()
        if revisioni is None:
            self.avviso = NON_TROVATO
            return None
        self.aperta, self.revisioni = trovata, revisioni
        self._metti_a_fuoco("cronologia-pannello")

    @rx.event
    def chiudi_cronologia(self):
        """Close the history panel; focus goes back to the button that opened it."""
        aperta = self.aperta
        self._chiudi_pannelli()
        if aperta == NESSUNA:
            self._metti_a_fuoco("cronologia-pagina")
            return
        self._metti_a_fuoco(id_controllo("cronologia", aperta))

    @rx.event
    @richiede_staff
    @numeri_controllati
    async def ripristina(self, numero: int | str):
        """Bring back the text a revision kept, as a draft of the working copy."""
        numero = validazione.intero(numero)
        if not self.modifica_attiva:
            return None
        aperta = self.aperta
        try:
            scrittura = await asyncio.to_thread(
                _sul_db,
                cronologia.ripristina,
                spazio=self._spazio,
                numero=numero,
                autore=self._autore,
            )
        except NonTrovato:
            self.avviso = NESSUNA_REVISIONE
            return None
        except pagina.ElencoPieno:
            self.avviso = pieno(TIPI[aperta.tipo]) if aperta.tipo in TIPI else NESSUNA_REVISIONE
            return None
        nome = nome_voce(aperta, getattr(scrittura.elemento, "titolo", ""))
        await self._mostra_bozza(f"{nome}: versione ripristinata come bozza, da pubblicare.")
        if aperta != NESSUNA:
            self.revisioni = await asyncio.to_thread(_revisioni, self._spazio, aperta) or []
        self._metti_a_fuoco("cronologia-pannello")

    @rx.event
    @richiede_staff
    async def apri_pubblicazioni(self):
        """Open the page's history: every publish, newest first."""
        if not self.modifica_attiva:
            return None
        pubblicazioni = await asyncio.to_thread(_pubblicazioni, self._spazio)
        self._chiudi_pannelli()
        self.pubblicazioni_aperte, self.pubblicazioni = True, pubblicazioni
        self._metti_a_fuoco("cronologia-pannello")

    @rx.event
    @richiede_staff
    @numeri_controllati
    async def ripristina_pagina(self, numero: int | str):
        """Make the working copy the page as a publish left it (as drafts)."""
        numero = validazione.intero(numero)
        if not self.modifica_attiva:
            return None
        try:
            quante = await asyncio.to_thread(
                _sul_db,
                cronologia.ripristina_pagina,
                spazio=self._spazio,
                numero=numero,
                autore=self._autore,
            )
        except NonTrovato:
            self.avviso = NESSUNA_REVISIONE
            return None
        self._chiudi_pannelli()
        await self._mostra_bozza(
            f"Pagina ripristinata come bozza: {quante} modifiche da controllare e pubblicare."
        )
        self._metti_a_fuoco("pubblica")

    @rx.event
    @richiede_staff
    async def annulla_ultima(self):
        """Undo this staff member's latest change, unless someone changed that item since."""
        if not self.modifica_attiva:
            return None
        try:
            annullata = await asyncio.to_thread(
                _sul_db,
                cronologia.annulla_ultima,
                spazio=self._spazio,
                autore=self._autore,
                dal=self._dal,
            )
        except (NonAnnullabile, NonTrovato, pagina.Conflitto, pagina.OrdineNonValido) as errore:
            self.avviso = str(errore) if isinstance(errore, NonAnnullabile) else CAMBIATA_DA_ALTRI
            return None
        self._chiudi_pannelli()
        await self._mostra_bozza(f"Modifica annullata: {nome_di(annullata)}.")
        self._metti_a_fuoco(ANNULLA)
