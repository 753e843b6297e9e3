"""The base of every staff-only state: edit mode, what the staff bar tells, the working
copy's markers (the one write path, in which the guard's check is made, is `guardia.sul_db`).

Every handler of these states that changes data is wrapped in the guard
(`state/guardia.py`); what it does when it refuses (leave edit mode, end the staff view for
good) and what it remembers when it lets an event through (who, where, since when) are here,
on the state, so that the guard and the write path share them.
"""

import json
import secrets
from collections.abc import Iterator
from datetime import datetime

import reflex as rx

from serena_app.auth.ruoli import REDATTORE
from serena_app.auth.sessioni import Permesso, staff_autorizzato
from serena_app.contenuto.istantanea import Istantanea
from serena_app.contenuto.pagina import SITO, Spazio
from serena_app.contenuto.traduzioni import DA_AGGIORNARE, MANCANTE
from serena_app.state import schede_staff
from serena_app.state.accesso import AccessoState
from serena_app.state.contenuto import ContenutoState
from serena_app.state.guardia import segreto

SESSIONE_SCADUTA = "La sessione è scaduta o non è valida: accedi di nuovo per modificare."
SESSIONE_TERMINATA = "La sessione è terminata: accedi di nuovo per modificare."


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
    _autore: str = ""  # who the guard let through: drafts are signed with it
    _spazio: Spazio = SITO  # where they edit: the site, or their demo sandbox
    _dal: datetime | None = None  # when their session began (undo reaches back to it)
    _verificato: bool = False  # this event's staff session has been checked
    _ruolo_richiesto: str = REDATTORE  # the role this event's handler needs

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
        presentato = segreto(await self.get_state(AccessoState))
        permesso = await staff_autorizzato(presentato)
        schede_staff.ricorda(self.router.session.client_token, presentato, permesso)
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

    def _mostra_annullabile(self, perche: str | None) -> None:
        """Show whether "Annulla ultima modifica" has a change of theirs to undo, from why not
        ("" when it has), as the database said in the event's write: `sul_db`'s, or a
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
        if segreto(await self.get_state(AccessoState)):
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
