"""Edit mode: which item is open, its fields, errors, conflicts, and every change to content.

Staff edit the working copy (`BOZZA`; in a demo sandbox, the sandbox's own); visitors
see nothing of it until "Pubblica". The path of a change: a handler here (guarded by
`richiede_staff`, which also says where this session edits) → the kind's checks (`tipi`) → one
function of `pagina` on the working copy, in a thread (the database work) → the snapshot and
the live push to the other staff tabs. Versions live on the server, never in the browser."""

import dataclasses
import functools
from collections.abc import Awaitable, Callable
from typing import TypeVar

import reflex as rx
from sqlmodel import Session

from serena_app import lingue
from serena_app.contenuto import bozze, istantanea, pagina, tipi, traduzioni
from serena_app.contenuto.pagina import (
    SITO,
    Conflitto,
    Elemento,
    ElencoPieno,
    NonTrovato,
    OrdineNonValido,
    Scrittura,
    Spazio,
)
from serena_app.contenuto.parole import id_controllo, modifiche, nome_voce
from serena_app.contenuto.revisioni import differenza, piega
from serena_app.contenuto.tipi import NESSUNA, TAPPA, TIPI, Tipo, Voce, voce
from serena_app.contenuto.viste import Pezzo
from serena_app.leggibilita.editore import figure_di
from serena_app.leggibilita.figure import FigureEditor, confronto
from serena_app.presenza import schede as presenze
from serena_app.presenza.voci import Presenza, descrivi, id_voce
from serena_app.pubblicazione import pubblica
from serena_app.state.contenuto import ContenutoState
from serena_app.state.diffusione import avvisa, diffondi
from serena_app.state.guardia import (
    richiede_staff,
    solo_responsabile,
    sul_db,
    verifica_nella_scrittura,
)
from serena_app.state.staff import StaffState

R = TypeVar("R")
EDITOR_APERTO = "serena-editor-aperto"
"""The key, in a tab's session storage, of the editor it has open (`components/salvaguardie.py`
keeps it)."""
CONFERMA_ELIMINAZIONE = "conferma-eliminazione"  # the id of the confirmation's button
NON_TROVATO = "Questo elemento è stato eliminato da un’altra persona."
MODIFICATO_NEL_FRATTEMPO = (
    "Nel frattempo un’altra persona ha modificato o eliminato questo elemento."
)
NESSUNA_BOZZA = "Non ci sono modifiche in bozza."
BOZZE_CAMBIATE = (
    "Nel frattempo un’altra persona ha cambiato le bozze: controlla l’elenco e riprova."
)
PUBBLICA, SCARTA = "pubblica", "scarta"  # the ids of the staff bar's two buttons
STATO_BOZZE = "stato-bozze"  # the id of its status: focus goes there once nothing is left
APRI_STRUMENTI = "apri-strumenti"  # the id of its "Strumenti", which holds the rest in edit mode
CONFERMA_BOZZE = "conferma-bozze"  # the id of the publish or discard confirmation's button
RIEPILOGO_ERRORI = "riepilogo-errori"  # the id of a refused form's list of its errors
DA_PUBBLICARE = "pubblica dalla barra in alto."
ALTRA_LINGUA = "Questo modulo non è della lingua dell’editor aperto: nulla è stato salvato."
STRUTTURA_IN_ITALIANO = (
    "Tappe e valori si aggiungono, si spostano e si eliminano dalla pagina in italiano."
)


def voce_richiesta(tipo: object, chiave: object) -> Voce | None:
    """The item an event names (see `tipi.voce`), a milestone's or value's id given as a
    number or a string of digits.

    Raises:
        tipi.ErroreValidazione: The id is no whole number within an id's range.
    """
    if isinstance(tipo, str) and tipo in TIPI and TIPI[tipo].in_elenco:
        chiave = tipi.intero(chiave)
    return voce(tipo, chiave)


def editor_da_riprendere(editor: str, nome_utente: str) -> Voce | None:
    """The item of an editor a tab says it had open ("anna:sezione:vision:0", as the editor's
    form names it: who, kind, section key, id), if `nome_utente` had it open; else None."""
    parti = editor.rsplit(":", 3)
    if not nome_utente or len(parti) != 4 or parti[0] != nome_utente:
        return None
    _, tipo, chiave, numero = parti
    if tipo in TIPI and TIPI[tipo].in_elenco:
        if not numero.isascii() or not numero.isdecimal() or len(numero) > 10:
            return None
        return voce(tipo, int(numero))
    return voce(tipo, chiave)


def numeri_controllati(
    handler: Callable[..., Awaitable[object]],
) -> Callable[..., Awaitable[object]]:
    """Run `handler` (of a `StaffState`); a number of its event that `tipi.intero`
    refuses is told in the staff bar, and nothing changes."""

    @functools.wraps(handler)
    async def con_numeri(self: StaffState, *args, **kwargs):
        try:
            return await handler(self, *args, **kwargs)
        except tipi.ErroreValidazione as errore:
            self.avviso = str(errore)
            return None

    con_numeri.numeri_controllati = True
    return con_numeri


def campi_da_mostrare(voce: Voce, elemento: Elemento) -> dict[str, str]:
    """An item's editable fields in its editor's language as the editor shows them (text; ""
    for no year, or for an English text not written yet)."""
    return {c.nome: "" if (v := getattr(elemento, c.nome)) is None else str(v) for c in voce.campi}


def da_tradurre(elemento: Elemento) -> tuple[str, list[Pezzo]]:
    """Above an English editor: the Italian to translate, and, where the English is out of
    date, what changed in the Italian since the English was saved (a word diff; of a long
    text, only the sentences that changed: the whole Italian is just above it)."""
    italiano = tipi.italiano(elemento)
    testo = "\n\n".join(v for v in italiano.values() if v)
    if traduzioni.stato(elemento) != traduzioni.DA_AGGIORNARE:
        return testo, []
    fonte = traduzioni.fonte_di(elemento)
    prima = "\n".join(fonte.get(nome, "") for nome in italiano)
    pezzi = differenza(prima, "\n".join(italiano.values()))
    return testo, piega(pezzi, fino_a=None) or pezzi  # every sentence that changed


def altra_lingua(voce: Voce, form_data: object) -> bool:
    """Whether a form names a field of the item's kind in another language than its editor's
    (an Italian editor's save carrying "testo_en"): it is refused whole."""
    if not isinstance(form_data, dict):
        return False
    proprie = {c.nome for c in voce.campi}
    return any(c.nome in form_data for c in voce.genere.campi_di_tutte if c.nome not in proprie)


def _annuncio(voce: Voce, radice: str, scrittura: Scrittura) -> str:
    """The sentence read out after a write, e.g. "Tappa «…» spostata in posizione 2 di 6.".

    Args:
        voce: The item written.
        radice: The participle without its ending: "salvat", "aggiunt", "eliminat", "spostat".
        scrittura: What the write returned (the title, and where the item stands now).
    """
    titolo = getattr(scrittura.elemento, "titolo", "")
    frase = f"{nome_voce(voce, titolo)} {voce.genere.participio(radice)}"
    numero, totale = scrittura.posizione
    if radice == "spostat":
        return f"{frase} in posizione {numero} di {totale}."
    # A new year can move a saved milestone, so its place is said, as for an added item.
    if radice == "aggiunt" or (radice == "salvat" and voce.tipo == TAPPA.nome):
        return f"{frase}, posizione {numero} di {totale}."
    return f"{frase}."


def esito_di(voce: Voce, radice: str, scrittura: Scrittura) -> tuple[Voce, str]:
    """What is said under the item after a write, and the item: "Salvata come bozza:
    pubblica dalla barra in alto.". A deleted item is gone: the list says it, by its
    "Aggiungi …" button.

    Args:
        voce: The item written (a new one has no id yet: the write gave it one).
        radice: As in `_annuncio`, or "ripristinat".
        scrittura: What the write returned.
    """
    participio = voce.genere.participio(radice)
    if radice == "eliminat":
        titolo = getattr(scrittura.elemento, "titolo", "")
        detto = f"{nome_voce(voce, titolo)} {participio} dalla bozza: {DA_PUBBLICARE}"
        return Voce(voce.tipo), detto
    if radice == "spostat":
        numero, totale = scrittura.posizione
        frase = f"{participio.capitalize()} in posizione {numero} di {totale}, come bozza:"
    else:
        frase = f"{participio.capitalize()} come bozza:"
    if voce.nuova:
        voce = Voce(voce.tipo, id=scrittura.elemento.id)
    return voce, f"{frase} {DA_PUBBLICARE}"


def _conflitto(voce: Voce, attuale: Elemento) -> str:
    """The text someone else saved meanwhile, shown next to the editor."""
    return "\n\n".join(v for _, v in sorted(campi_da_mostrare(voce, attuale).items()) if v)


def pieno(tipo: Tipo) -> str:
    """The message when a list is full, e.g. "La pagina ha già 40 tappe, il numero massimo:
    per aggiungerne una, eliminane prima un’altra."."""
    una, altra = ("una", "un’altra") if tipo.femminile else ("uno", "un altro")
    return (
        f"La pagina ha già {tipo.massimo} {tipo.plurale}, il numero massimo: "
        f"per aggiungerne {una}, eliminane prima {altra}."
    )


def _sulla_bozza(
    *, session: Session, spazio: Spazio, autore: str, funzione: Callable[..., R], **argomenti
) -> R:
    """Run one function of `pagina` on the working copy of `spazio` (no write)."""
    return funzione(session=session, pagina=spazio.bozza, **argomenti)


def _scrivi(
    *,
    session: Session,
    spazio: Spazio,
    autore: str,
    funzione: Callable[..., Scrittura],
    **argomenti,
) -> tuple[Scrittura, istantanea.Istantanea]:
    """Write with one function of `pagina` on the working copy of `spazio`, signed `autore`,
    and read the working copy's snapshot after it, in the same database session."""
    scrittura = funzione(session=session, pagina=spazio.bozza, autore=autore, **argomenti)
    return scrittura, istantanea.dopo(scrittura, spazio.bozza, session=session)


def _vista(
    *, session: Session, spazio: Spazio, autore: str, in_bozza: bool
) -> istantanea.Istantanea:
    """The snapshot edit mode shows (the working copy) or the published one."""
    return istantanea.aggiornata(spazio.bozza if in_bozza else spazio.pubblicata, session=session)


def _da_pubblicare(
    *, session: Session, spazio: Spazio, autore: str
) -> tuple[int, list[str], list[str]]:
    """The working copy's counter, its changes and its translations out of date or missing,
    one line each, read together."""
    versione, differenze = bozze.da_pubblicare(session=session, spazio=spazio)
    return versione, [str(d) for d in differenze], bozze.da_tradurre(session=session, spazio=spazio)


class RedazioneState(StaffState):
    """The staff member's editors on the page."""

    aperto: Voce = NESSUNA  # the item whose editor is open
    campi: dict[str, str] = {}  # its fields as the editor opened them
    _scritti: dict[str, str] = {}  # its fields as typed since, for the figures (`leggibilita`)
    figure: FigureEditor = FigureEditor()  # its writing figures (`state/leggibilita.py`)
    errori: dict[str, str] = {}
    conflitto: str = ""  # the text someone else saved meanwhile
    _loro: dict[str, str] = {}  # its fields, for "Usa la loro versione"
    da_eliminare: Voce = NESSUNA  # the item awaiting delete confirmation
    conferma: str = ""  # "pubblica" or "scarta" while that confirmation is open
    elenco: list[str] = []  # the changes that confirmation lists: exactly what it applies
    traduzioni_da_fare: list[str] = []  # and under them, the translations left to do
    leggibilita_dopo: list[str] = []  # and how publishing changes the writing figures
    esito: Voce = NESSUNA  # the item the last change concerns: it says so under it
    esito_testo: str = ""
    # An English editor: the Italian to translate, and what changed in it since the English
    # was saved (empty unless the English is out of date).
    originale: str = ""
    cambiato: list[Pezzo] = []
    _versione: int = 0
    _versione_da_eliminare: int = 0
    _versione_bozza: int = 0  # the working copy's counter when the confirmation opened
    _nascosti: dict = {}  # edit mode and open editors, while the secret is cleared

    # The editor this tab has open, as its form names it ("anna:sezione:vision:0"): kept by
    # the page's script in the tab's session storage, never set here. A tab whose state the
    # server no longer has (a restart) sends it back, and gets that editor again (`riprendi`).
    # Only a tab that had an editor open sends it.
    editor_aperto: str = rx.SessionStorage("", name=EDITOR_APERTO)

    def __setattr__(self, nome: str, valore) -> None:
        if nome == "editor_aperto" and not valore and not getattr(self, nome):
            return  # hydration clears it: a visitor's state stays untouched, never stored
        super().__setattr__(nome, valore)

    def _nascondi_vista(self) -> None:
        """The secret was cleared: nothing of edit mode (an editor's text could be a draft)
        is left to send (see `AccessoState`)."""
        self._nascosti = {
            nome: getattr(self, nome)
            for nome in (
                "modifica_attiva",
                "anteprima",
                "aperto",
                "campi",
                "errori",
                "conflitto",
                "da_eliminare",
                "conferma",
                "elenco",
                "traduzioni_da_fare",
                "leggibilita_dopo",
                "figure",
                "esito",
                "esito_testo",
                "originale",
                "cambiato",
            )
        }
        self._chiudi()
        self.modifica_attiva = self.anteprima = False
        presenze.togli(self.router.session.client_token)

    def _ripristina_vista(self) -> None:
        """The same secret is back on this socket: edit mode as it was."""
        for nome, valore in self._nascosti.items():
            setattr(self, nome, valore)
        self._nascosti = {}

    def _chiudi(self) -> None:
        self.aperto = NESSUNA
        self.da_eliminare = NESSUNA
        self.conferma = ""
        self.elenco = []
        self.traduzioni_da_fare = []
        self.campi, self._scritti, self.figure = {}, {}, FigureEditor()
        self.leggibilita_dopo = []
        self.errori = {}
        self.conflitto = ""
        self.avviso = ""
        self.esito, self.esito_testo = NESSUNA, ""
        self.originale, self.cambiato = "", []
        presenze.chiudi_voce(self.router.session.client_token)  # never creates an entry

    def _misura(self) -> None:
        """The open editor's writing figures, from its fields as opened and as typed since
        (no computed var: see `state/leggibilita.py`)."""
        if self.aperto != NESSUNA:
            self.figure = figure_di(self.aperto, {**self.campi, **self._scritti})

    def _segna_presenza(self) -> None:
        """This tab's entry of presence as its edit mode and open editor are now (guarded
        handlers only: `presenza/schede.py`)."""
        scheda = self.router.session.client_token
        # A demo sandbox has one person in it (its phone): presence there would show nothing
        # to anyone, so a phone writes no entry and its page sends no heartbeat.
        if not self.modifica_attiva or not self._autore or self._spazio != SITO:
            presenze.togli(scheda)
            return
        aperta = self.aperto
        voce, cosa = "", ""
        if aperta != NESSUNA and not aperta.nuova:
            voce, cosa = id_voce(aperta), descrivi(aperta.tipo, aperta.chiave)[0]
        spazio = self._spazio.pubblicata.nome
        presenze.segna(Presenza(scheda, spazio, self._autore, voce, cosa))

    def _nella_lingua(self, trovata: Voce | None) -> Voce | None:
        """The item, to be edited in the language of this tab's page (`/en/`: its English)."""
        if trovata is None:
            return None
        return dataclasses.replace(trovata, lingua=lingue.del_percorso(self.router.url.path))

    def _struttura_qui(self) -> bool:
        """Whether this tab's page may change the lists themselves (add, move, delete a
        milestone or value): only the Italian one, where a new item is written first and both
        languages see the same order. Elsewhere the open editor closes, says so, and nothing
        is written."""
        if lingue.del_percorso(self.router.url.path) == lingue.ITALIANO:
            return True
        self._chiudi()
        self.avviso = STRUTTURA_IN_ITALIANO
        return False

    async def _esistente(self, voce: Voce | None) -> Elemento | None:
        """The stored item (closing any open editor); None if `voce` names no saved item, or
        the item is gone (then says so)."""
        if voce is None or voce.nuova:
            return None
        elemento = await sul_db(self, _sulla_bozza, funzione=pagina.leggi_elemento, voce=voce)
        self._chiudi()
        if elemento is None:
            self.avviso = NON_TROVATO
        return elemento

    async def _dopo(
        self,
        nuova: istantanea.Istantanea,
        annuncio: str,
        fuoco: str,
        detto: tuple[Voce, str],
    ):
        """After a write: show the working copy `nuova` here, push it to every other open
        page, announce it, say `detto` (item, words: see `esito_di`) under its item, and put
        keyboard focus on `fuoco` (an element id)."""
        contenuto = await self.get_state(ContenutoState)
        contenuto._mostra(nuova)
        if self._spazio == SITO:  # a demo sandbox is seen by its own browser only
            diffondi(nuova, escluso=self.router.session.client_token)
        self._chiudi()
        self.annuncio = annuncio
        self.esito, self.esito_testo = detto
        self._metti_a_fuoco(fuoco)

    @rx.event
    def annulla(self):
        """Close the open editor or confirmation; nothing is saved."""
        aperta = self.aperto if self.aperto != NESSUNA else self.da_eliminare
        conferma = self.conferma
        self._chiudi()
        if conferma:
            self._metti_a_fuoco(PUBBLICA if conferma == "pubblica" else SCARTA)
            return
        if aperta == NESSUNA:
            return None
        self._metti_a_fuoco(id_controllo("aggiungi" if aperta.nuova else "apri", aperta))

    @rx.event
    @richiede_staff
    async def usa_la_loro(self):
        """In a conflict: put the other person's version in the fields, to save as it is or
        to merge with one's own by hand; the conflict notice goes."""
        if not self.conflitto or self.aperto == NESSUNA:
            return None
        self.conflitto = ""
        self._metti_a_fuoco("modifica-" + next(iter(self._loro), ""), self._loro)

    @rx.event
    def chiudi_avviso(self) -> None:
        """Dismiss the warning; whatever editor is open stays open."""
        self.avviso = ""

    @rx.event
    @richiede_staff
    async def alterna_modifica(self) -> None:
        """Turn edit mode on (the working copy is shown) or off (the published page)."""
        await self._imposta_modifica(not self.modifica_attiva)
        if self.modifica_attiva:  # this button, "Esci dalla modifica" now, is under "Strumenti"
            self._metti_a_fuoco(APRI_STRUMENTI)

    async def _imposta_modifica(self, attiva: bool) -> None:
        """Edit mode on or off, in the place the guard found for this session."""
        self._chiudi()
        self.modifica_attiva = attiva
        self.anteprima = False
        contenuto = await self.get_state(ContenutoState)
        contenuto._passa(await sul_db(self, _vista, in_bozza=attiva))
        contenuto._pubblicata = self._spazio.pubblicata
        self._segna_presenza()

    @rx.event
    @richiede_staff
    async def alterna_anteprima(self) -> None:
        """In edit mode: show the working copy as visitors will see it, or edit again."""
        if self.modifica_attiva:
            self._chiudi()
            self.anteprima = not self.anteprima

    @rx.event
    @richiede_staff
    @solo_responsabile
    async def chiedi_pubblicazione(self):
        """Open the confirmation that lists what "Pubblica" will change."""
        return await self._chiedi("pubblica")

    @rx.event
    @richiede_staff
    @solo_responsabile
    async def chiedi_scarto(self):
        """Open the confirmation before every draft is dropped."""
        return await self._chiedi("scarta")

    async def _chiedi(self, conferma: str):
        if not self.modifica_attiva:
            return None
        self._chiudi()
        await self._elenca(conferma)

    async def _elenca(self, conferma: str) -> None:
        """Open (or open again) the confirmation with the changes as they are now."""
        versione, elenco, da_tradurre = await sul_db(self, _da_pubblicare)
        if not elenco:
            self._chiudi()
            self.avviso = NESSUNA_BOZZA
            return
        self.conferma, self._versione_bozza, self.elenco = conferma, versione, elenco
        self.traduzioni_da_fare = da_tradurre
        if conferma == "pubblica":
            pubblicata = istantanea.in_memoria(self._spazio.pubblicata)
            bozza = istantanea.in_memoria(self._spazio.bozza)
            self.leggibilita_dopo = confronto(pubblicata, bozza)
        self._metti_a_fuoco(CONFERMA_BOZZE)

    async def _applica(self, azione: Callable[..., Awaitable[pubblica.Esito]], **argomenti):
        """Publish or discard exactly the changes the confirmation listed: if the drafts
        changed meanwhile, nothing happens and the confirmation lists them again.

        Returns:
            Both pages afterwards, or None if the drafts changed.
        """
        try:
            esito = await azione(
                self._spazio,
                versione=self._versione_bozza,
                elenco=self.elenco,
                autore=self._autore,
                dal=self._dal,
                escluso=self.router.session.client_token,
                **argomenti,
            )
        except bozze.BozzaCambiata:
            await self._elenca(self.conferma)
            self.avviso = BOZZE_CAMBIATE
            return None
        self._chiudi()
        self._mostra_annullabile(esito.perche_non_annullare)  # undo stops at a publish
        contenuto = await self.get_state(ContenutoState)
        contenuto._mostra(esito.bozza)  # whichever of the two this tab shows
        contenuto._mostra(esito.pubblicata)
        return esito

    @rx.event
    @richiede_staff
    @solo_responsabile
    async def pubblica(self):
        """Publish the drafts the confirmation listed: every open page shows them."""
        if self.conferma != "pubblica":
            return None
        avviso = functools.partial(avvisa, self.router.session.client_token)
        esito = await self._applica(pubblica.pubblica, avviso=avviso)
        if esito is None:
            return None
        quante = len(esito.modifiche)
        self.annuncio = f"Pubblicat{'a' if quante == 1 else 'e'} {modifiche(quante)}."
        self._metti_a_fuoco(STATO_BOZZE)  # "Pubblica" is disabled now: nothing is left

    @rx.event
    @richiede_staff
    @solo_responsabile
    async def scarta(self):
        """Drop the drafts the confirmation listed: the working copy is the published page
        again."""
        if self.conferma != "scarta":
            return None
        if await self._applica(pubblica.scarta) is None:
            return None
        self.annuncio = "Bozze scartate: la pagina in modifica è di nuovo quella pubblicata."
        self._metti_a_fuoco(STATO_BOZZE)  # "Pubblica" is disabled now: nothing is left

    @rx.event
    @richiede_staff
    @numeri_controllati
    async def apri(self, tipo: str, chiave: str | int) -> None:
        """Open the editor of an item, filled with what is stored now."""
        await self._apri(self._nella_lingua(voce_richiesta(tipo, chiave)))

    async def _apri(self, trovata: Voce | None) -> None:
        elemento = await self._esistente(trovata)
        if elemento is not None and trovata is not None:
            self.aperto, self.campi = trovata, campi_da_mostrare(trovata, elemento)
            self._misura()
            self._versione = elemento.versione
            if trovata.lingua != lingue.ITALIANO:
                self.originale, self.cambiato = da_tradurre(elemento)
            self._segna_presenza()

    @rx.event
    @richiede_staff
    async def aggiungi(self, tipo: str) -> None:
        """Open an empty editor for a new milestone or value."""
        nuova = self._nella_lingua(voce(tipo, 0))  # None for a section: sections are not added
        if nuova is not None:
            await self._aggiungi(nuova)

    async def _aggiungi(self, nuova: Voce) -> None:
        self._chiudi()
        if not self._struttura_qui():  # a new item is written in Italian first
            return
        quanti = await sul_db(self, _sulla_bozza, funzione=pagina.quanti, tipo=nuova.genere)
        if quanti >= nuova.genere.massimo:
            self.avviso = pieno(nuova.genere)
            return
        self.aperto = nuova
        self.campi = {c.nome: "" for c in nuova.campi}
        self._misura()

    @rx.event
    @richiede_staff
    async def riprendi(self) -> None:
        """Open again, in edit mode, the editor this tab had open, which the server no longer
        knows (it was restarted, or the session ended and the same person logged in again):
        the page puts back what was typed, with a notice (`components/salvaguardie.py`)."""
        trovata = self._nella_lingua(editor_da_riprendere(self.editor_aperto, self._autore))
        if trovata is None or self.modifica_attiva:
            return
        await self._imposta_modifica(True)
        if trovata.nuova:
            await self._aggiungi(trovata)
        else:
            await self._apri(trovata)

    @rx.event
    @richiede_staff
    @verifica_nella_scrittura
    async def salva(self, form_data: dict):
        """Check and save the open editor's fields; a stale save is refused, nothing is lost."""
        aperta = self.aperto
        if aperta == NESSUNA:
            return None
        if altra_lingua(aperta, form_data):
            self.avviso = ALTRA_LINGUA
            return None
        try:
            campi = tipi.modulo(aperta.campi, form_data, obbligatorio=not aperta.facoltativa)
            if aperta.nuova:
                scrittura, nuova = await sul_db(
                    self, _scrivi, funzione=pagina.aggiungi, tipo=aperta.genere, campi=campi
                )
            else:
                scrittura, nuova = await sul_db(
                    self,
                    _scrivi,
                    funzione=pagina.salva,
                    voce=aperta,
                    campi=campi,
                    versione=self._versione,
                )
        except tipi.ErroriModulo as errori:
            # Heard, not only seen: focus on the refused field, read with its message, or on
            # the list of them when there are several.
            self.errori = errori.errori
            primo = next(iter(self.errori))
            self._metti_a_fuoco(RIEPILOGO_ERRORI if len(self.errori) > 1 else f"modifica-{primo}")
            return None
        except Conflitto as conflitto:
            # Keep the editor (and the typed text) open; the next save is a deliberate choice.
            self.errori, self.conflitto = {}, _conflitto(aperta, conflitto.attuale)
            self._loro = campi_da_mostrare(aperta, conflitto.attuale)
            self._versione = conflitto.attuale.versione
            return None
        except NonTrovato:
            self._chiudi()
            self.avviso = NON_TROVATO
            return None
        except ElencoPieno:
            # Someone else filled the list meanwhile: the editor and its text stay open.
            self.avviso = pieno(aperta.genere)
            return None
        if aperta.nuova:
            return await self._dopo(
                nuova,
                _annuncio(aperta, "aggiunt", scrittura),
                id_controllo("aggiungi", aperta),
                esito_di(aperta, "aggiunt", scrittura),
            )
        return await self._dopo(
            nuova,
            _annuncio(aperta, "salvat", scrittura),
            id_controllo("apri", aperta),
            esito_di(aperta, "salvat", scrittura),
        )

    @rx.event
    @richiede_staff
    @numeri_controllati
    async def chiedi_eliminazione(self, tipo: str, chiave: str | int):
        """Ask for confirmation before deleting a milestone or value; focus goes to it."""
        trovata = voce_richiesta(tipo, chiave)
        if trovata is None or not trovata.genere.in_elenco or not self._struttura_qui():
            return None
        elemento = await self._esistente(trovata)
        if elemento is None:
            return None
        self.da_eliminare, self._versione_da_eliminare = trovata, elemento.versione
        self._metti_a_fuoco(CONFERMA_ELIMINAZIONE)

    @rx.event
    @richiede_staff
    @verifica_nella_scrittura
    async def elimina(self):
        """Delete the item awaiting confirmation."""
        bersaglio = self.da_eliminare
        if bersaglio == NESSUNA or not self._struttura_qui():
            return None
        try:
            scrittura, nuova = await sul_db(
                self,
                _scrivi,
                funzione=pagina.elimina,
                voce=bersaglio,
                versione=self._versione_da_eliminare,
            )
        except (Conflitto, NonTrovato):
            self._chiudi()
            self.avviso = MODIFICATO_NEL_FRATTEMPO
            return None
        fuoco = id_controllo("aggiungi", Voce(bersaglio.tipo))
        return await self._dopo(
            nuova,
            _annuncio(bersaglio, "eliminat", scrittura),
            fuoco,
            esito_di(bersaglio, "eliminat", scrittura),
        )

    @rx.event
    @richiede_staff
    @numeri_controllati
    @verifica_nella_scrittura
    async def sposta(self, tipo: str, chiave: str | int, di: int | str):
        """Move a milestone or value one place up (-1) or down (1); the result is announced."""
        trovata = voce_richiesta(tipo, chiave)
        di = tipi.intero(di, minimo=-1, massimo=1)
        if di == 0:
            raise tipi.ErroreValidazione(tipi.NUMERO_NON_VALIDO)
        if trovata is None or trovata.nuova or not trovata.genere.in_elenco:
            return None
        if not self._struttura_qui():
            return None
        try:
            scrittura, nuova = await sul_db(
                self, _scrivi, funzione=pagina.sposta, voce=trovata, di=di
            )
        except (OrdineNonValido, NonTrovato) as errore:
            self._chiudi()
            self.avviso = NON_TROVATO if isinstance(errore, NonTrovato) else str(errore)
            self.annuncio = self.avviso
            return None
        fuoco = id_controllo("su" if di < 0 else "giu", trovata)
        return await self._dopo(
            nuova,
            _annuncio(trovata, "spostat", scrittura),
            fuoco,
            esito_di(trovata, "spostat", scrittura),
        )
