"""History in edit mode: an item's "Cronologia" (its revisions with a word diff, each with
"Ripristina"), the page's publishes ("Cronologia della pagina", each restorable as drafts),
and "Annulla ultima modifica". Staff only: every handler that shows or changes anything is
guarded, and what the panel holds is hidden with the rest of the staff view.
"""

from collections.abc import Callable
from typing import Any

import reflex as rx
from sqlmodel import Session

from serena_app.contenuto import cronologia, istantanea, pagina, revisioni, validazione
from serena_app.contenuto.bozze import SITO, Spazio
from serena_app.contenuto.cronologia import CAMBIATA_DA_ALTRI, NonAnnullabile
from serena_app.contenuto.pagina import NonTrovato
from serena_app.contenuto.tipi import NESSUNA, TIPI, Voce, id_controllo, nome_voce
from serena_app.contenuto.viste import RevisioneVista
from serena_app.state.contenuto import ContenutoState
from serena_app.state.diffusione import diffondi
from serena_app.state.redazione import (
    NON_TROVATO,
    RedazioneState,
    numeri_controllati,
    pieno,
    voce_richiesta,
)
from serena_app.state.staff import StaffState, richiede_staff

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
    *, session: Session, spazio: Spazio, autore: str, voce: Voce
) -> list[RevisioneVista] | None:
    return revisioni.di(session=session, spazio=spazio, voce=voce)


def _pubblicazioni(*, session: Session, spazio: Spazio, autore: str) -> list[RevisioneVista]:
    return revisioni.pubblicazioni(session=session, spazio=spazio)


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
        """Open an item's history, newest first."""
        trovata = voce_richiesta(tipo, chiave)
        if trovata is None or trovata.nuova or not self.modifica_attiva:
            return None
        elenco = await self._sul_db(_revisioni, voce=trovata)
        self._chiudi_pannelli()
        if elenco is None:
            self.avviso = NON_TROVATO
            return None
        self.aperta, self.revisioni = trovata, elenco
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
            scrittura, nuova = await self._sul_db(
                _e_poi_la_bozza, funzione=cronologia.ripristina, numero=numero
            )
        except NonTrovato:
            self.avviso = NESSUNA_REVISIONE
            return None
        except pagina.ElencoPieno:
            self.avviso = pieno(TIPI[aperta.tipo]) if aperta.tipo in TIPI else NESSUNA_REVISIONE
            return None
        nome = nome_voce(aperta, getattr(scrittura.elemento, "titolo", ""))
        await self._mostra_bozza(nuova, f"{nome}: versione ripristinata come bozza, da pubblicare.")
        if aperta != NESSUNA:
            self.revisioni = await self._sul_db(_revisioni, voce=aperta) or []
        self._metti_a_fuoco("cronologia-pannello")

    @rx.event
    @richiede_staff
    async def apri_pubblicazioni(self):
        """Open the page's history: every publish, newest first."""
        if not self.modifica_attiva:
            return None
        pubblicazioni = await self._sul_db(_pubblicazioni)
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
            quante, nuova = await self._sul_db(
                _e_poi_la_bozza, funzione=cronologia.ripristina_pagina, numero=numero
            )
        except NonTrovato:
            self.avviso = NESSUNA_REVISIONE
            return None
        self._chiudi_pannelli()
        await self._mostra_bozza(
            nuova,
            f"Pagina ripristinata come bozza: {quante} modifiche da controllare e pubblicare.",
        )
        self._metti_a_fuoco("pubblica")

    @rx.event
    @richiede_staff
    async def annulla_ultima(self):
        """Undo this staff member's latest change, unless someone changed that item since."""
        if not self.modifica_attiva:
            return None
        try:
            annullata, nuova = await self._sul_db(
                _e_poi_la_bozza, funzione=cronologia.annulla_ultima, dal=self._dal
            )
        except (NonAnnullabile, NonTrovato, pagina.Conflitto, pagina.OrdineNonValido) as errore:
            self.avviso = str(errore) if isinstance(errore, NonAnnullabile) else CAMBIATA_DA_ALTRI
            return None
        self._chiudi_pannelli()
        await self._mostra_bozza(nuova, f"Modifica annullata: {revisioni.nome_di(annullata)}.")
        # Focus stays on the button, or goes to why it is now disabled.
        self._metti_a_fuoco(ANNULLA if self.annullabile else MOTIVO_ANNULLA)
