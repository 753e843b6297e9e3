"""The base of every staff-only state, and the guard on every handler that changes data.

Reflex lets any browser call any event handler by name, with any payload. A handler that
changes data is wrapped in `richiede_staff`: before its body runs, the guard reads this
browser's login state (`AccessoState`) and checks the secret presented on this socket against
the database. Without a live staff session the body never runs; edit mode ends and the
browser is told why. A write (`verifica_nella_scrittura`: save, delete, move) makes the same
check in its own database session instead, first thing in the one thread hop that writes
(`StaffState._sul_db`): the body before it only reads the event's payload. If such a body
writes nothing, the guard checks after it.
The check includes the role: a handler marked `solo_responsabile` refuses a redattore in words
and changes nothing (`auth/ruoli.py`); and the place: one marked `solo_sito` refuses a demo
sandbox's session in its own words (what it acts on belongs to the site only).
`tests/state/test_inventario.py` fails for any handler that changes data without the guard,
and for a guarded handler whose role is not the one it lists.
"""

import functools
import json
import logging
import secrets
from collections.abc import Awaitable, Callable, Iterator
from datetime import datetime
from typing import Any, TypeVar

import reflex as rx
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from serena_app.auth import permessi, ruoli
from serena_app.auth.permessi import Permesso, staff_autorizzato
from serena_app.auth.ruoli import REDATTORE, RESPONSABILE
from serena_app.contenuto import bozze, cronologia
from serena_app.contenuto.bozze import SITO, Spazio
from serena_app.contenuto.istantanea import Istantanea
from serena_app.contenuto.traduzioni import DA_AGGIORNARE, MANCANTE
from serena_app.db import esegui
from serena_app.demo.capienza import LimiteRaggiunto
from serena_app.state import schede_staff
from serena_app.state.accesso import AccessoState
from serena_app.state.contenuto import ContenutoState

SESSIONE_SCADUTA = "La sessione è scaduta o non è valida: accedi di nuovo per modificare."
SESSIONE_TERMINATA = "La sessione è terminata: accedi di nuovo per modificare."
DATABASE_NON_RISPONDE = (
    "Il database non risponde in questo momento: l’ultima operazione non è stata salvata e "
    "nulla è cambiato. Riprova tra qualche istante."
)
EDITOR_APERTO = "serena-editor-aperto"
"""The key, in a tab's session storage, of the editor it has open (`components/salvaguardie.py`
keeps it)."""
logger = logging.getLogger(__name__)
R = TypeVar("R")


class NonAutorizzato(Exception):
    """No live staff session for the secret this tab presented."""


class NonPermesso(Exception):
    """A live staff session whose role may not do this (`auth/ruoli.py`)."""


def _controlla(permesso: Permesso | None, ruolo: str) -> Permesso:
    """`permesso`, if it exists and its role may do what needs `ruolo`."""
    if permesso is None:
        raise NonAutorizzato
    if not ruoli.puo(permesso.ruolo, ruolo):
        raise NonPermesso
    return permesso


def _da_staff(
    *,
    session: Session,
    segreto: str,
    ruolo: str,
    operazione: Callable[..., R],
    **argomenti: Any,
) -> tuple[Permesso, R, bool]:
    """In one database session: the staff session and its role checked, its working copy
    made if there is none, `operazione(session=, spazio=, autore=, **argomenti)` run on it,
    and why they have no change to undo after it ("" if they have)."""
    permesso = _controlla(permessi.permesso(session=session, segreto=segreto), ruolo)
    spazio = Spazio.della_sessione(permesso.sandbox)
    bozze.apri(session=session, spazio=spazio)
    risultato = operazione(session=session, spazio=spazio, autore=permesso.nome_utente, **argomenti)
    perche = cronologia.perche_non_annullabile(
        session=session, spazio=spazio, autore=permesso.nome_utente, dal=permesso.dal
    )
    return permesso, risultato, perche


class StaffState(rx.State):
    """Edit mode and what the staff bar tells; the parent of every staff-only state."""

    modifica_attiva: bool = False
    anteprima: bool = False  # in edit mode: the working copy as visitors will see it
    annuncio: str = ""  # read out by screen readers (role="status")
    avviso: str = ""  # a problem that is not tied to one field
    # For the page's own script (`components/salvaguardie.py`): where to put keyboard focus
    # and what to put in the open editor's fields, as JSON; each command is new ("n").
    comando: str = ""
    # The working copy this tab shows (`ContenutoState`): the marker of each section with a
    # draft, by key, and what publishing would change. Set for staff tabs only, so a
    # visitor's browser never has this state stored.
    bozze: dict[str, str] = {}
    modifiche: list[str] = []
    # Its translations: each section's whose English is missing or out of date, by key
    # (milestones and values say it in their own `traduzione`), and how many of all items
    # are out of date and missing.
    traduzioni: dict[str, str] = {}
    da_aggiornare: int = 0
    mancanti: int = 0
    # Whether "Annulla ultima modifica" has a change of theirs to undo (none once published),
    # as the database said at this tab's last event; an undo sent anyway is refused in words.
    puo_annullare: bool = False
    perche_non_annullare: str = ""  # and why not, in the refusal's words ("" while it can)
    # The editor this tab has open, as its form names it ("anna:sezione:vision:0"): kept by
    # the page's script in the tab's session storage, never set here. A tab whose state the
    # server no longer has (a restart) sends it back, and gets that editor again
    # (`RedazioneState.riprendi`). Only a tab that had an editor open sends it.
    editor_aperto: str = rx.SessionStorage("", name=EDITOR_APERTO)
    _autore: str = ""  # who the guard let through: drafts are signed with it
    _spazio: Spazio = SITO  # where they edit: the site, or their demo sandbox
    _dal: datetime | None = None  # when their session began (undo reaches back to it)
    _verificato: bool = False  # this event's staff session has been checked
    _ruolo_richiesto: str = REDATTORE  # the role this event's handler needs

    def __setattr__(self, nome: str, valore) -> None:
        if nome == "editor_aperto" and not valore and not getattr(self, nome):
            return  # hydration clears it: a visitor's state stays untouched, never stored
        super().__setattr__(nome, valore)

    def _metti_a_fuoco(self, id_html: str, campi: dict[str, str] | None = None) -> None:
        """Move keyboard focus to element `id_html` once the page has changed under it, after
        putting `campi` (name → text) in the open editor's fields as if typed."""
        self.comando = json.dumps(
            {"n": secrets.token_hex(4), "fuoco": id_html, "campi": campi or {}}
        )

    def _segna(self, vista: Istantanea | None) -> None:
        """Show the working copy's markers and changes of `vista` (a published page has
        none; None: none either). Changes nothing that is already so."""
        bozze, modifiche = (vista.bozze, vista.modifiche) if vista is not None else ({}, [])
        for figlio in _caricati(self):  # the page summary follows (`state/leggibilita.py`)
            if hasattr(figlio, "_mostra_pagina"):
                figlio._mostra_pagina()
        if bozze != self.bozze:
            self.bozze = bozze
        if modifiche != self.modifiche:
            self.modifiche = modifiche
        traduzioni = vista.traduzioni if vista is not None else {}
        stati = [*traduzioni.values()]
        if vista is not None:
            stati += [v.traduzione for v in (*vista.tappe, *vista.valori)]
        if traduzioni != self.traduzioni:
            self.traduzioni = traduzioni
        for nome, stato in (("da_aggiornare", DA_AGGIORNARE), ("mancanti", MANCANTE)):
            if (quanti := stati.count(stato)) != getattr(self, nome):
                setattr(self, nome, quanti)

    async def _staff(self) -> Permesso | None:
        """Who is logged in on this browser and where they edit, checked against the database
        now."""
        accesso = await self.get_state(AccessoState)
        segreto = accesso._segreto()
        permesso = await staff_autorizzato(segreto)
        schede_staff.ricorda(self.router.session.client_token, segreto, permesso)
        return permesso

    def _fuori_dal_sito(self) -> None:
        """A handler marked `solo_sito` was refused to a demo sandbox's session: a state
        clears here what of the site it shows (nothing, unless it says so)."""

    def _autorizzato(self, permesso: Permesso) -> None:
        """The guard let this event through, for `permesso`."""
        self._autore = permesso.nome_utente
        self._spazio = Spazio.della_sessione(permesso.sandbox)
        self._dal = permesso.dal
        self._verificato = True

    async def _sul_db(self, operazione: Callable[..., R], /, **argomenti: Any) -> R:
        """Run `operazione(session=, spazio=, autore=, **argomenti)` of the content layer on
        where this session edits, in one thread hop and one database session, which first
        check the session (the guard's check) and make the working copy if needed.

        Raises:
            NonAutorizzato: No live staff session (the guard then refuses the event).
        """
        accesso = await self.get_state(AccessoState)
        segreto = accesso._segreto()
        try:
            permesso, risultato, perche = await esegui(
                _da_staff,
                segreto=segreto,
                ruolo=self._ruolo_richiesto,
                operazione=operazione,
                **argomenti,
            )
        except (NonAutorizzato, NonPermesso, OperationalError):
            raise
        except Exception:
            self._verificato = True  # the check passed: the operation itself refused
            raise
        schede_staff.ricorda(self.router.session.client_token, segreto, permesso)
        StaffState._autorizzato(self, permesso)
        StaffState._mostra_annullabile(self, perche)
        return risultato

    def _mostra_annullabile(self, perche: str | None) -> None:
        """Show whether "Annulla ultima modifica" has a change of theirs to undo, from why not
        ("" when it has), as the database said in the event's write: `_sul_db`'s, or a
        publish's or a discard's (`pubblica.Esito`; her changes published, the disabled button
        points to history). None (not read): nothing to undo, the reason as it was."""
        if (perche == "") != self.puo_annullare:
            self.puo_annullare = perche == ""
        if perche is not None and perche != self.perche_non_annullare:
            self.perche_non_annullare = perche

    async def _rifiuta(self) -> None:
        """No live staff session: leave edit mode (and the working copy) and say why. A
        secret this socket presented has ended since: the staff view ends for good, as when
        the revocation watcher finds it first (`_sessione_terminata`)."""
        if (await self.get_state(AccessoState))._segreto():
            await StaffState._sessione_terminata(self, SESSIONE_SCADUTA)
            return
        self.modifica_attiva = False
        self.anteprima = False
        self.avviso = SESSIONE_SCADUTA
        contenuto = await self.get_state(ContenutoState)
        contenuto._lascia_bozza()

    async def _sessione_terminata(self, avviso: str = SESSIONE_TERMINATA) -> None:
        """This tab's session ended elsewhere (logout in another tab, the account disabled or
        its password reset, idle expiry): drop the staff view for good, as "Esci" does, and
        say why (`revoca.py` and the live push call it)."""
        radice = type(self).get_root_state()
        for classe in _con_vista_staff(radice):
            await self.get_state(classe)  # loaded, so that clearing the secret reaches it
        accesso = await self.get_state(AccessoState)
        accesso.token = ""  # every state of the tab hides what only staff may see
        accesso._nascosta_per = ""  # and that view never comes back
        await StaffState._rifiuta(self)
        self.avviso = avviso
        schede_staff.SCHEDE_STAFF.pop(self.router.session.client_token, None)


def _caricati(stato: rx.State) -> Iterator[rx.State]:
    """The substates of `stato` that this event has loaded, at any depth."""
    for figlio in stato.substates.values():
        yield figlio
        yield from _caricati(figlio)


def _con_vista_staff(classe: type[rx.State]) -> list[type[rx.State]]:
    """The states under `classe` that hold what only staff may see (`_nascondi_vista`)."""
    trovate = []
    for sotto in classe.get_substates():
        if hasattr(sotto, "_nascondi_vista"):
            trovate.append(sotto)
        trovate += _con_vista_staff(sotto)
    return trovate


def richiede_staff(
    handler: Callable[..., Awaitable[Any]],
) -> Callable[..., Awaitable[Any]]:
    """Run `handler` (of a `StaffState`) only for a live staff session whose role may (a
    redattore, unless the handler is marked `solo_responsabile`) and, if it is marked
    `solo_sito`, that edits the site; without a session change nothing but leaving edit mode,
    without the role or outside the site nothing but saying so."""
    nella_scrittura = getattr(handler, "verifica_nella_scrittura", False)
    ruolo = getattr(handler, "ruolo", REDATTORE)
    fuori_dal_sito: str | None = getattr(handler, "solo_sito", None)
    if nella_scrittura and fuori_dal_sito is not None:  # refused at import, even under -O
        # The place is known once the session is checked, and that check is inside the
        # write: the body would have run before the refusal.
        raise TypeError(f"{handler.__name__}: solo_sito and verifica_nella_scrittura")

    @functools.wraps(handler)
    async def controllato(self: StaffState, *args, **kwargs):
        try:
            self._verificato = False
            self._ruolo_richiesto = ruolo
            if not nella_scrittura:
                await _verifica(self)
            if fuori_dal_sito is not None and self._spazio != SITO:
                self.avviso = fuori_dal_sito
                self._fuori_dal_sito()
                return None
            risultato = await handler(self, *args, **kwargs)
            if not self._verificato:  # a write that wrote nothing: the check, now
                await _verifica(self)
            return risultato
        except NonAutorizzato:
            await StaffState._rifiuta(self)
            return None
        except NonPermesso:
            self.avviso = ruoli.SOLO_RESPONSABILE
            return None
        except LimiteRaggiunto as limite:
            # A demo sandbox full, or written too fast: the write was rolled back whole, and
            # the open editor keeps what they typed.
            self.avviso = str(limite)
            return None
        except OperationalError as errore:
            # The database is down or restarting: each write is one transaction, rolled
            # back whole; the person is told, and the open editor keeps what they typed.
            logger.warning("database non raggiungibile in %s: %s", handler.__name__, errore.orig)
            self.avviso = DATABASE_NON_RISPONDE
            return None

    controllato.richiede_staff = True
    controllato.ruolo = ruolo
    controllato.solo_sito = fuori_dal_sito
    return controllato


async def _verifica(stato: StaffState) -> None:
    permesso = _controlla(await StaffState._staff(stato), stato._ruolo_richiesto)
    StaffState._autorizzato(stato, permesso)


def solo_responsabile(
    handler: Callable[..., Awaitable[Any]],
) -> Callable[..., Awaitable[Any]]:
    """Mark a handler (under `richiede_staff`) that only a responsabile may run."""
    handler.ruolo = RESPONSABILE
    return handler


def solo_sito(
    messaggio: str,
) -> Callable[[Callable[..., Awaitable[Any]]], Callable[..., Awaitable[Any]]]:
    """Mark a handler (under `richiede_staff`) that acts on the site only: a demo sandbox's
    session (a responsabile of its sandbox, of nothing else) is told `messaggio` instead, and
    the state clears what of the site it shows (`StaffState._fuori_dal_sito`)."""

    def segna(handler: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        if getattr(handler, "richiede_staff", False):  # above the guard, it would be ignored
            raise TypeError(f"{handler.__name__}: solo_sito goes under richiede_staff")
        handler.solo_sito = messaggio
        return handler

    return segna


def verifica_nella_scrittura(
    handler: Callable[..., Awaitable[Any]],
) -> Callable[..., Awaitable[Any]]:
    """Mark a handler (under `richiede_staff`) whose staff check is made by its write, in the
    write's own thread hop and database session (`StaffState._sul_db`). Its body must change
    nothing before that write but what the event's payload alone decides."""
    handler.verifica_nella_scrittura = True
    return handler
