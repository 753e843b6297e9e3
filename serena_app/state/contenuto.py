"""What a browser shows: the name of a page, whose texts come from this process's snapshot of
it (`contenuto/istantanea.py`), shared by every browser of the process.

A visitor's state holds no text: the texts are computed vars with `cache=False`, recomputed
from the snapshot for each update, so Redis keeps only the page's name and, per text, a short
digest of what this browser was last sent (Reflex's `__last_delta_*` records). Staff in edit
mode show the working copy (`BOZZA`; in a demo sandbox, the sandbox's own): the same
vars, over that page's snapshot. The working copy's markers and changes are staff-only
(`StaffState.bozze`, `StaffState.modifiche`).
"""

from typing import TYPE_CHECKING, Any, cast

import reflex as rx
from reflex_base.constants.state import FIELD_MARKER
from sqlalchemy.exc import OperationalError

from serena_app import lingue
from serena_app.auth.sessioni import staff_autorizzato
from serena_app.contenuto import istantanea
from serena_app.contenuto.istantanea import Istantanea
from serena_app.contenuto.pagina import PUBBLICATA, Pagina
from serena_app.contenuto.viste import PaginaInglese, TappaVista, ValoreVista
from serena_app.db import esegui
from serena_app.lingue import INGLESE, ITALIANO
from serena_app.state.accesso import AccessoState
from serena_app.state.guardia import presentato_da

if TYPE_CHECKING:
    from serena_app.state.staff import StaffState

MOSTRATE: dict[str, tuple[str, str]] = {}
"""The page each browser of this process shows, and in which language, by client token
(noted on page load and whenever it changes): a live update of one page reaches only the
browsers that show it (`diffusione.py`), without reading any visitor's state."""
TESTI = {
    ITALIANO: ("sezioni", "tappe", "valori", "versione", "descrizione"),
    INGLESE: ("inglese", "versione"),
}
"""The vars of `ContenutoState` that come from the snapshot, by the language of the page:
what a live update sends."""


class Testo(str):
    """A text sent as a plain string, whose record of being sent is a digest.

    Reflex notes, per browser, what each uncached var last sent (`__last_delta_<var>`, stored
    with the state): a plain `str` by its whole value, any other type by a 16-byte digest
    (`reflex_base.vars.base._delta_value_key`). So the page's texts never sit in a visitor's
    stored state.
    """


def _descrizione(sezioni: dict[str, list[str]]) -> Testo:
    return Testo(" ".join(sezioni.get("descrizione", [])))


class ContenutoState(rx.State):
    """The page this browser shows; its texts, from the process's snapshot of that page."""

    _nome: str = PUBBLICATA.nome  # the page this browser shows
    _nome_pubblicata: str = PUBBLICATA.nome  # outside edit mode: the site's, or a sandbox's
    _nascosta: tuple[str, str] | None = None  # those two, while the secret was cleared

    @property
    def _pagina(self) -> Pagina:
        """The page this browser shows."""
        return Pagina(self._nome)

    @property
    def _pubblicata(self) -> Pagina:
        """The page shown outside edit mode: the site's, or a demo sandbox's."""
        return Pagina(self._nome_pubblicata)

    @_pubblicata.setter
    def _pubblicata(self, pagina: Pagina) -> None:
        if pagina.nome != self._nome_pubblicata:
            self._nome_pubblicata = pagina.nome

    def _istantanea(self) -> Istantanea:
        vista = istantanea.in_memoria(self._pagina)
        if vista.versione == 0 and vista.pagina != PUBBLICATA:
            # The page no longer exists (an ended demo sandbox): until this tab's next page
            # load takes it back to the site, it shows the site's page, not an empty one.
            return istantanea.in_memoria(PUBBLICATA)
        return vista

    def _vede(self, lingua: str) -> bool:
        """Whether this browser's page is in `lingua` (its route says; at compile time, with no
        route, the initial state holds both, which prerenders both pages). It runs for each
        text var of each update, so it reads the URL's own field: `self.router` composes the
        whole `RouterData`, headers included, at every read."""
        percorso = self.rx_router_url.path
        return not percorso or lingue.del_percorso(percorso) == lingua

    @rx.var(cache=False)
    def sezioni(self) -> dict[str, list[str]]:
        """Each section's paragraphs, by key."""
        return self._istantanea().sezioni if self._vede(ITALIANO) else {}

    @rx.var(cache=False)
    def tappe(self) -> list[TappaVista]:
        """The timeline's milestones."""
        return self._istantanea().tappe if self._vede(ITALIANO) else []

    @rx.var(cache=False)
    def valori(self) -> list[ValoreVista]:
        """The values."""
        return self._istantanea().valori if self._vede(ITALIANO) else []

    @rx.var(cache=False)
    def versione(self) -> int:
        """The page's change counter when its snapshot was read."""
        return self._istantanea().versione

    @rx.var(cache=False)
    def descrizione(self) -> str:
        """The page description (meta tags, share previews), on one line."""
        return _descrizione(self._istantanea().sezioni) if self._vede(ITALIANO) else ""

    @rx.var(cache=False)
    def inglese(self) -> PaginaInglese:
        """The English page's texts (Italian where no English)."""
        if not self._vede(INGLESE):
            return PaginaInglese()
        vista = self._istantanea()
        return PaginaInglese(
            sezioni=vista.sezioni_en,
            lingue=vista.lingue_en,
            tappe=vista.tappe_en,
            valori=vista.valori_en,
            descrizione=_descrizione(vista.sezioni_en),
        )

    def _staff(self) -> "StaffState | None":
        """This tab's `StaffState` if this event has loaded it (it holds the working copy's
        markers), else None."""
        from serena_app.state.staff import StaffState  # staff.py imports this module

        radice = self.parent_state
        trovato = None if radice is None else radice.substates.get(StaffState.get_name())
        return cast("StaffState | None", trovato)

    def _registra(self) -> None:
        lingua = lingue.del_percorso(self.router.url.path)
        MOSTRATE[self.router.session.client_token] = (self._nome, lingua)

    def _passa(self, nuova: Istantanea) -> None:
        """Show `nuova`, whatever was shown before."""
        if nuova.pagina.nome != self._nome:
            self._nome = nuova.pagina.nome
        self._registra()
        if (staff := self._staff()) is not None:
            staff._segna(nuova)  # a published page has no markers and no changes

    def _mostra(self, nuova: Istantanea) -> None:
        """Show `nuova`, if it is of this browser's page (its texts are the snapshot's: this
        brings the working copy's markers up to date)."""
        if nuova.pagina == self._pagina:
            self._passa(nuova)

    def _lascia_bozza(self) -> None:
        """Show the site's published page again (the staff or demo session ended)."""
        self._pubblicata = PUBBLICATA
        if self._pagina != PUBBLICATA:
            self._passa(istantanea.in_memoria(PUBBLICATA))
        elif (staff := self._staff()) is not None:
            staff._segna(None)

    def _nascondi_vista(self) -> None:
        """The secret was cleared: show what a visitor sees (see `AccessoState`)."""
        if self._pagina != PUBBLICATA:
            self._nascosta = (self._nome, self._nome_pubblicata)
        self._lascia_bozza()

    def _ripristina_vista(self) -> None:
        """The same secret is back on this socket: the working copy or the demo sandbox
        again, if it was shown."""
        if self._nascosta is not None:
            (pagina, self._nome_pubblicata), self._nascosta = self._nascosta, None
            self._passa(istantanea.in_memoria(Pagina(pagina)))

    @rx.event
    async def aggiorna(self):
        """On page load (a reader's first one skips it: `visita.py`): catch up with the
        database if it changed since this process read the page, and check the staff session
        (`AccessoState.verifica`, in the same event: one state round trip per page view, which
        `make prod` pays to Redis). The working copy only for the socket that presented the
        staff secret. A staff tab that had an editor open which the server no longer knows (it
        was restarted) gets it back (`RedazioneState.riprendi`)."""
        accesso = await self.get_state(AccessoState)
        await accesso._verifica()
        riprendi = await self._editor_da_riprendere(accesso) if accesso.nome_staff else None
        if self._pagina != PUBBLICATA:
            from serena_app.state.staff import StaffState  # staff.py imports this module

            await self.get_state(StaffState)  # its markers follow the page shown
            if not presentato_da(accesso, self.router.session.session_id):
                self._lascia_bozza()
        try:
            nuova = await esegui(istantanea.aggiornata, pagina=self._pagina)
        except OperationalError:
            nuova = istantanea.gia_letta(self._pagina)  # the database is restarting
            if nuova is None:
                raise
        self._mostra(nuova)
        self._registra()  # a tab that moved here from another process is known from now on
        if not accesso.nome_staff:
            return riprendi
        from serena_app.state.richieste import RichiesteState  # it builds on this state

        # A staff tab's publication requests (a redattore's outcomes while away).
        return [e for e in (riprendi, RichiesteState.carica) if e is not None]

    async def _editor_da_riprendere(self, accesso: AccessoState):
        """`RedazioneState.riprendi` if this staff tab says it had an editor open of theirs
        and is not in edit mode here (the server lost its state); else None."""
        from serena_app.state.redazione import RedazioneState, editor_da_riprendere

        redazione = await self.get_state(RedazioneState)
        if redazione.modifica_attiva:
            return None
        if editor_da_riprendere(redazione.editor_aperto, accesso.nome_staff) is None:
            return None
        return RedazioneState.riprendi


def della_pagina(nome: str) -> rx.Var:
    """The texts `nome` ("sezioni", "tappe", "valori", "descrizione") of the page being built
    (`lingue.in_lingua`): a var of `ContenutoState`, or of its `inglese` on the English page."""
    if lingue.lingua() == ITALIANO:
        return getattr(ContenutoState, nome)
    return getattr(ContenutoState.inglese, nome)


def lingua_della_sezione(chiave: str) -> rx.Var | str:
    """The `lang` of a section's text on the page being built: the English page shows a
    section's Italian where its English is missing."""
    if lingue.lingua() == ITALIANO:
        return ITALIANO
    return ContenutoState.inglese.lingue[chiave].to(str)


def aggiornamento(vista: Istantanea, lingua: str) -> dict[str, dict[str, Any]]:
    """The state delta that brings a browser showing `vista.pagina` in `lingua` to `vista`:
    the vars of `TESTI` as Reflex sends them (state full name → var name with its marker →
    value)."""
    finto = _Finto(vista, lingua)
    calcolate = ContenutoState.computed_vars
    return {
        ContenutoState.get_full_name(): {
            nome + FIELD_MARKER: calcolate[nome].fget(cast(Any, finto)) for nome in TESTI[lingua]
        }
    }


class _Finto:
    """Stands in for a `ContenutoState` showing `vista` in `lingua`, to compute its vars."""

    def __init__(self, vista: Istantanea, lingua: str) -> None:
        self._vista = vista
        self._lingua = lingua

    def _istantanea(self) -> Istantanea:
        return self._vista

    def _vede(self, lingua: str) -> bool:
        return lingua == self._lingua


async def presentata(app: rx.App, stato: rx.State, token: str, sessioni=None) -> bool:
    """Whether staff tab `token` may be updated now: its socket presented the tab's secret,
    and that session is live (`sessioni`, a `revoca.Verifica` made for this round, or one
    query). Every `modify_state` sends this state's texts (they are computed on each update),
    so each background update of a staff tab asks this before anything else. A socket that
    took over a closed tab's client token is shown the published page from now on; a tab
    whose session ended leaves the staff view, as the revocation watcher would make it."""
    from serena_app.state.staff import StaffState  # staff.py imports this module

    accesso = await stato.get_state(AccessoState)
    if not presentato_da(accesso, app.event_namespace.token_to_sid.get(token)):
        (await stato.get_state(ContenutoState))._lascia_bozza()
        return False
    viva = (
        await sessioni.viva(accesso.token)
        if sessioni is not None
        else await staff_autorizzato(accesso.token) is not None
    )
    if not viva:
        await (await stato.get_state(StaffState))._sessione_terminata()
    return viva
