"""History in edit mode: an item's "Cronologia" (its revisions with a word diff, each with
"Ripristina" where it would change something, and "Confronta con la versione attuale"), the
page's publishes ("Cronologia della pagina", each restorable as drafts), ten at a time with
"Mostra versioni precedenti" (read page by page from the database), and "Annulla ultima
modifica". Staff only: every handler that shows or changes anything is guarded, and what the
panel holds is hidden with the rest of the staff view.
"""

import dataclasses
from collections.abc import Callable
from typing import Any

import reflex as rx
from sqlmodel import Session

from serena_app import lingue
from serena_app.contenuto import cronologia, istantanea, pagina, revisioni, tipi
from serena_app.contenuto.cronologia import CAMBIATA_DA_ALTRI, GiaAttuale, NonAnnullabile
from serena_app.contenuto.pagina import SITO, NonTrovato, Spazio
from serena_app.contenuto.parole import id_controllo, modifiche, nome_voce
from serena_app.contenuto.tipi import NESSUNA, TIPI, Voce
from serena_app.contenuto.viste import Pezzo, RevisioneVista
from serena_app.state.contenuto import ContenutoState
from serena_app.state.diffusione import diffondi
from serena_app.state.guardia import richiede_staff, solo_responsabile, sul_db
from serena_app.state.redazione import (
    NON_TROVATO,
    RedazioneState,
    esito_di,
    numeri_controllati,
    pieno,
    voce_richiesta,
)
from serena_app.state.staff import StaffState

ANNULLA = "annulla-ultima"  # the id of "Annulla ultima modifica" (Ctrl/Cmd+Z presses it)
MOTIVO_ANNULLA = "motivo-annulla"  # the id of why it is disabled
NESSUNA_REVISIONE = "Questa versione non c’è più: apri di nuovo la cronologia."


def _e_poi_la_bozza(
    *, session: Session, spazio: Spazio, autore: str, funzione: Callable[..., Any], **argomenti
) -> tuple[Any, istantanea.Istantanea]:
    """A restore or an undo on the working copy, and its snapshot after, in one session."""
    esito = funzione(session=session, spazio=spazio, autore=autore, **argomenti)
    return esito, istantanea.aggiornata(spazio.bozza, session=session)


def _revisioni(
    *,
    session: Session,
    spazio: Spazio,
    autore: str,
    voce: Voce,
    prima_di: int | None = None,
    quante: int = revisioni.PER_PAGINA,
) -> revisioni.Elenco | None:
    return revisioni.di(session=session, spazio=spazio, voce=voce, prima_di=prima_di, quante=quante)


def _pubblicazioni(
    *, session: Session, spazio: Spazio, autore: str, prima_di: int | None = None
) -> revisioni.Elenco:
    return revisioni.pubblicazioni(session=session, spazio=spazio, prima_di=prima_di)


def _confronto(
    *, session: Session, spazio: Spazio, autore: str, voce: Voce, numero: int
) -> list[Pezzo] | None:
    return revisioni.confronto(session=session, spazio=spazio, voce=voce, numero=numero)


class CronologiaState(StaffState):
    """The open history panel: an item's, or the page's publishes."""

    aperta: Voce = NESSUNA  # the item whose history is open
    revisioni: list[RevisioneVista] = []  # the entries shown, newest first
    pubblicazioni_aperte: bool = False
    pubblicazioni: list[RevisioneVista] = []
    precedenti: bool = False  # the open panel has older entries not shown yet
    confrontata: int = 0  # the entry compared with the current text ("Confronta …")
    confronto: list[Pezzo] = []  # from that version to the current text, word by word
    _nascosti: dict = {}

    def _nascondi_vista(self) -> None:
        """The secret was cleared: no revision is left to send (see `AccessoState`)."""
        self._nascosti = {
            nome: getattr(self, nome)
            for nome in (
                "aperta",
                "revisioni",
                "pubblicazioni_aperte",
                "pubblicazioni",
                "precedenti",
                "confrontata",
                "confronto",
            )
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
        self.precedenti = False
        self._chiudi_confronto()

    def _chiudi_confronto(self) -> None:
        self.confrontata, self.confronto = 0, []

    async def _mostra_bozza(self, nuova: istantanea.Istantanea, annuncio: str) -> None:
        """After a restore or an undo: the working copy here and in the other staff tabs."""
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
        """Open an item's history, newest first: on `/en/` its English changes, on `/` its
        Italian ones, with those of the whole item (added, moved...) on both."""
        trovata = voce_richiesta(tipo, chiave)
        if trovata is None or trovata.nuova or not self.modifica_attiva:
            return None
        trovata = dataclasses.replace(trovata, lingua=lingue.del_percorso(self.router.url.path))
        elenco = await sul_db(self, _revisioni, voce=trovata)
        self._chiudi_pannelli()
        if elenco is None:
            self.avviso = NON_TROVATO
            return None
        self.aperta, self.revisioni, self.precedenti = trovata, elenco.voci, elenco.altre
        self._metti_a_fuoco("cronologia-pannello")

    @rx.event
    @richiede_staff
    async def mostra_precedenti(self):
        """Show the next older entries of the open panel; focus goes to the first of them."""
        if not self.modifica_attiva or not self.precedenti:
            return None
        if self.pubblicazioni_aperte and self.pubblicazioni:
            elenco = await sul_db(self, _pubblicazioni, prima_di=self.pubblicazioni[-1].numero)
            self.pubblicazioni = self.pubblicazioni + elenco.voci
        elif self.aperta != NESSUNA and self.revisioni:
            trovato = await sul_db(
                self, _revisioni, voce=self.aperta, prima_di=self.revisioni[-1].numero
            )
            if trovato is None:
                self._chiudi_pannelli()
                self.avviso = NON_TROVATO
                return None
            elenco = trovato
            self.revisioni = self.revisioni + elenco.voci
        else:
            return None
        self.precedenti = elenco.altre
        if elenco.voci:
            self._metti_a_fuoco(f"revisione-{elenco.voci[0].numero}")

    @rx.event
    @richiede_staff
    @numeri_controllati
    async def confronta(self, numero: int | str):
        """Show what separates an entry's version from the item's current text, or hide it."""
        numero = tipi.intero(numero)
        if not self.modifica_attiva or self.aperta == NESSUNA:
            return None
        if numero == self.confrontata:
            self._chiudi_confronto()
            self._metti_a_fuoco(f"revisione-{numero}")
            return None
        if numero not in {r.numero for r in self.revisioni}:
            self.avviso = NESSUNA_REVISIONE
            return None
        pezzi = await sul_db(self, _confronto, voce=self.aperta, numero=numero)
        if pezzi is None:
            self.avviso = NESSUNA_REVISIONE
            return None
        self.confrontata, self.confronto = numero, pezzi
        self._metti_a_fuoco("confronto")

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
        numero = tipi.intero(numero)
        if not self.modifica_attiva:
            return None
        aperta = self.aperta
        try:
            scrittura, nuova = await sul_db(
                self, _e_poi_la_bozza, funzione=cronologia.ripristina, numero=numero
            )
        except NonTrovato:
            self.avviso = NESSUNA_REVISIONE
            return None
        except GiaAttuale as uguale:
            self.avviso = str(uguale)
            return None
        except pagina.ElencoPieno:
            self.avviso = pieno(TIPI[aperta.tipo]) if aperta.tipo in TIPI else NESSUNA_REVISIONE
            return None
        nome = nome_voce(aperta, getattr(scrittura.elemento, "titolo", ""))
        await self._mostra_bozza(nuova, f"{nome}: versione ripristinata come bozza, da pubblicare.")
        self._chiudi_confronto()
        if aperta != NESSUNA:
            redazione = await self.get_state(RedazioneState)
            redazione.esito, redazione.esito_testo = esito_di(aperta, "ripristinat", scrittura)
            # The same entries (and the restore, now the newest): which ones would change the
            # text is not what it was.
            quante = max(revisioni.PER_PAGINA, len(self.revisioni) + 1)
            elenco = await sul_db(self, _revisioni, voce=aperta, quante=quante)
            self.revisioni = elenco.voci if elenco is not None else []
            self.precedenti = elenco.altre if elenco is not None else False
        self._metti_a_fuoco("cronologia-pannello")

    @rx.event
    @richiede_staff
    async def apri_pubblicazioni(self):
        """Open the page's history: every publish, newest first."""
        if not self.modifica_attiva:
            return None
        elenco = await sul_db(self, _pubblicazioni)
        self._chiudi_pannelli()
        self.pubblicazioni_aperte, self.pubblicazioni = True, elenco.voci
        self.precedenti = elenco.altre
        self._metti_a_fuoco("cronologia-pannello")

    @rx.event
    @richiede_staff
    @solo_responsabile
    @numeri_controllati
    async def ripristina_pagina(self, numero: int | str):
        """Make the working copy the page as a publish left it (as drafts)."""
        numero = tipi.intero(numero)
        if not self.modifica_attiva:
            return None
        try:
            quante, nuova = await sul_db(
                self, _e_poi_la_bozza, funzione=cronologia.ripristina_pagina, numero=numero
            )
        except NonTrovato:
            self.avviso = NESSUNA_REVISIONE
            return None
        self._chiudi_pannelli()
        await self._mostra_bozza(
            nuova,
            f"Pagina ripristinata come bozza: {modifiche(quante)} da controllare e pubblicare.",
        )
        self._metti_a_fuoco("pubblica")

    @rx.event
    @richiede_staff
    async def annulla_ultima(self):
        """Undo this staff member's latest change, unless someone changed that item since."""
        if not self.modifica_attiva:
            return None
        try:
            annullata, nuova = await sul_db(
                self, _e_poi_la_bozza, funzione=cronologia.annulla_ultima, dal=self._dal
            )
        except (NonAnnullabile, NonTrovato, pagina.Conflitto, pagina.OrdineNonValido) as errore:
            self.avviso = str(errore) if isinstance(errore, NonAnnullabile) else CAMBIATA_DA_ALTRI
            if self.avviso != CAMBIATA_DA_ALTRI:  # nothing of theirs left that a click undoes
                self.puo_annullare, self.perche_non_annullare = False, self.avviso
            return None
        self._chiudi_pannelli()
        await self._mostra_bozza(nuova, f"Modifica annullata: {revisioni.nome_di(annullata)}.")
        # Focus stays on the button, or goes to why it is now disabled.
        self._metti_a_fuoco(ANNULLA if self.puo_annullare else MOTIVO_ANNULLA)
