"""Edit mode: which item is open, its draft, errors, conflicts, and every change to content.

Every handler that changes data is wrapped in `richiede_staff` (the session is re-read from the
database first). Versions live on the server, never in the browser.
"""

import asyncio
import json

import reflex as rx

from serena_app import redazione, validazione
from serena_app.auth.permessi import SESSIONE_SCADUTA, richiede_staff, staff_autorizzato
from serena_app.etichette import SEZIONI_FACOLTATIVE, SEZIONI_MODIFICABILI, id_controllo
from serena_app.modifiche import Conflitto, NonTrovato, OrdineNonValido
from serena_app.pubblicato import pagina_aggiornata
from serena_app.state.contenuto import ContenutoState
from serena_app.state.diffusione import diffondi
from serena_app.state.sessione import SessioneState

NON_TROVATO = "Questo elemento è stato eliminato da un’altra persona."
MODIFICATO_NEL_FRATTEMPO = (
    "Nel frattempo un’altra persona ha modificato o eliminato questo elemento."
)


def bersaglio(chiave: object) -> tuple[str, str | int] | None:
    """Parse "sezione:mission", "tappa:12", "valore:nuovo"…; None if it names nothing editable."""
    if not isinstance(chiave, str):
        return None
    tipo, _, ident = chiave.partition(":")
    if tipo == "sezione" and ident in SEZIONI_MODIFICABILI:
        return tipo, ident
    if tipo in redazione.MODELLI and ident == "nuovo":
        return tipo, ident
    if tipo in redazione.MODELLI and ident.isdecimal() and ident.isascii() and len(ident) < 10:
        return tipo, int(ident)
    return None


def _metti_a_fuoco(id_html: str):
    """Move keyboard focus to a control after the page changed under it."""
    return rx.call_script(f"document.getElementById({json.dumps(id_html)})?.focus()")


def _apritore(chiave: str) -> str:
    """The control that opened an editor: "Modifica …", or "Aggiungi …" for a new item."""
    tipo, _, ident = chiave.partition(":")
    return id_controllo("aggiungi", tipo) if ident == "nuovo" else id_controllo("apri", chiave)


def _conflitto(attuale) -> str:
    return "\n\n".join(v for k, v in sorted(redazione.campi_di(attuale).items()) if v)


class ModificaState(rx.State):
    """The staff member's edit mode on the page."""

    modifica_attiva: bool = False
    aperto: str = ""  # the item whose editor is open, e.g. "sezione:mission"
    bozza: dict[str, str] = {}
    errori: dict[str, str] = {}
    conflitto: str = ""  # the text someone else saved meanwhile
    da_eliminare: str = ""  # the item awaiting delete confirmation
    annuncio: str = ""  # read out by screen readers (role="status")
    avviso: str = ""  # a problem that is not tied to one field
    _versione: int = 0
    _versione_da_eliminare: int = 0

    async def _staff_corrente(self):
        sessione = await self.get_state(SessioneState)
        return await staff_autorizzato(sessione.token)

    async def _rifiuta(self) -> None:
        self._chiudi()
        self.modifica_attiva = False
        self.avviso = SESSIONE_SCADUTA

    def _chiudi(self) -> None:
        self.aperto = ""
        self.da_eliminare = ""
        self.bozza = {}
        self.errori = {}
        self.conflitto = ""
        self.avviso = ""

    async def _leggi(self, chiave: str, *, sezioni: bool) -> redazione.Bozza | None:
        """The stored fields of an existing item (closing any open editor); None if `chiave`
        names nothing (or a section, unless `sezioni`), or the item is gone (then says so)."""
        trovato = bersaglio(chiave)
        if trovato is None or trovato[1] == "nuovo" or (trovato[0] == "sezione" and not sezioni):
            return None
        bozza = await asyncio.to_thread(redazione.leggi_bozza, *trovato)
        self._chiudi()
        if bozza is None:
            self.avviso = NON_TROVATO
        return bozza

    async def _pubblica(self, annuncio: str, fuoco: str):
        """After a change: show it here, push it to every other open page, announce it,
        and put keyboard focus on `fuoco` (an element id)."""
        pagina = await asyncio.to_thread(pagina_aggiornata)
        contenuto = await self.get_state(ContenutoState)
        contenuto._mostra(pagina)
        diffondi(pagina, escluso=self.router.session.client_token)
        self._chiudi()
        self.annuncio = annuncio
        return _metti_a_fuoco(fuoco)

    @rx.event
    def annulla(self):
        """Close the open editor or confirmation; nothing is saved."""
        aperto = self.aperto or self.da_eliminare
        self._chiudi()
        if bersaglio(aperto) is not None:
            return _metti_a_fuoco(_apritore(aperto))
        return None

    @rx.event
    @richiede_staff
    async def alterna_modifica(self) -> None:
        """Turn edit mode on or off."""
        self._chiudi()
        self.modifica_attiva = not self.modifica_attiva

    @rx.event
    @richiede_staff
    async def apri(self, chiave: str) -> None:
        """Open the editor of an item, filled with what is stored now."""
        bozza = await self._leggi(chiave, sezioni=True)
        if bozza is not None:
            self.aperto, self.bozza, self._versione = chiave, bozza.campi, bozza.versione

    @rx.event
    @richiede_staff
    async def aggiungi(self, tipo: str) -> None:
        """Open an empty editor for a new milestone or value."""
        if tipo in redazione.MODELLI:
            self._chiudi()
            self.aperto = f"{tipo}:nuovo"
            self.bozza = {"anno": "", "titolo": "", "testo": ""}

    @rx.event
    @richiede_staff
    async def salva(self, form_data: dict):
        """Check and save the open editor's fields; a stale save is refused, nothing is lost."""
        trovato = bersaglio(self.aperto)
        if trovato is None:
            return
        tipo, ident = trovato
        try:
            valori = validazione.modulo(
                tipo, form_data, obbligatorio=ident not in SEZIONI_FACOLTATIVE
            )
            if ident == "nuovo":
                annuncio = await asyncio.to_thread(redazione.aggiungi, tipo, valori)
            else:
                annuncio = await asyncio.to_thread(
                    redazione.salva, tipo, ident, valori, self._versione
                )
        except validazione.ErroriModulo as errori:
            self.errori = errori.errori
            return
        except Conflitto as conflitto:
            # Keep the editor (and the typed text) open; the next save is a deliberate choice.
            self.errori, self.conflitto = {}, _conflitto(conflitto.attuale)
            self._versione = conflitto.attuale.versione
            return
        except NonTrovato:
            self._chiudi()
            self.avviso = NON_TROVATO
            return
        return await self._pubblica(annuncio, _apritore(self.aperto))

    @rx.event
    @richiede_staff
    async def chiedi_eliminazione(self, chiave: str) -> None:
        """Ask for confirmation before deleting a milestone or value."""
        bozza = await self._leggi(chiave, sezioni=False)
        if bozza is not None:
            self.da_eliminare, self._versione_da_eliminare = chiave, bozza.versione

    @rx.event
    @richiede_staff
    async def elimina(self):
        """Delete the item awaiting confirmation."""
        trovato = bersaglio(self.da_eliminare)
        if trovato is None:
            return
        tipo, ident = trovato
        try:
            annuncio = await asyncio.to_thread(
                redazione.elimina, tipo, ident, self._versione_da_eliminare
            )
        except (Conflitto, NonTrovato):
            self._chiudi()
            self.avviso = MODIFICATO_NEL_FRATTEMPO
            return
        return await self._pubblica(annuncio, id_controllo("aggiungi", tipo))

    @rx.event
    @richiede_staff
    async def sposta(self, chiave: str, di: int):
        """Move a milestone or value one place up (-1) or down (1); the result is announced."""
        trovato = bersaglio(chiave)
        if trovato is None or trovato[0] == "sezione" or di not in (-1, 1):
            return
        try:
            annuncio = await asyncio.to_thread(redazione.sposta, *trovato, di)
        except (OrdineNonValido, NonTrovato) as errore:
            self._chiudi()
            self.avviso = NON_TROVATO if isinstance(errore, NonTrovato) else str(errore)
            self.annuncio = self.avviso
            return
        return await self._pubblica(annuncio, id_controllo("su" if di < 0 else "giu", chiave))
