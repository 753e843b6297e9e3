"""The content a browser shows, copied from the snapshot of the page it looks at: the published
page for visitors, the working copy (drafts) for staff in edit mode."""

import asyncio

import reflex as rx
from sqlalchemy.exc import OperationalError

from serena_app.contenuto import istantanea
from serena_app.contenuto.istantanea import Istantanea
from serena_app.contenuto.pagina import PUBBLICATA, Pagina
from serena_app.contenuto.viste import TappaVista, ValoreVista
from serena_app.state.accesso import AccessoState
from serena_app.web.seo import json_ld

NON_PUBBLICATA: dict[str, str] = {}
"""The browsers of this process that show another page than the published one (staff tabs on
the working copy, demo sandboxes): client token → page name. Every other browser shows the
published page, so a live update of one page reaches only the browsers that show it
(`diffusione.py`) without reading every visitor's state."""


class ContenutoState(rx.State):
    """The page's editable texts, as published. Visitors only read it."""

    sezioni: dict[str, list[str]] = rx.field(
        default_factory=lambda: istantanea.in_memoria().sezioni
    )
    tappe: list[TappaVista] = rx.field(default_factory=lambda: istantanea.in_memoria().tappe)
    valori: list[ValoreVista] = rx.field(default_factory=lambda: istantanea.in_memoria().valori)
    versione: int = rx.field(default_factory=lambda: istantanea.in_memoria().versione)
    bozze: dict[str, str] = {}  # working copy only: the marker of each section with a draft
    modifiche: list[str] = []  # working copy only: what publishing would change
    _pagina: Pagina = PUBBLICATA  # the page this browser shows
    _pubblicata: Pagina = PUBBLICATA  # outside edit mode: the site's, or a demo sandbox's
    _nascosta: tuple[Pagina, Pagina] | None = None  # shown while the secret was cleared

    @rx.var
    def descrizione(self) -> str:
        """The page description (meta tags, share previews), on one line."""
        return " ".join(self.sezioni.get("descrizione", []))

    @rx.var
    def dati_strutturati(self) -> str:
        """schema.org data about the cooperative (JSON-LD), with the published description."""
        return json_ld(self.descrizione)

    def _registra(self) -> None:
        token = self.router.session.client_token
        if self._pagina == PUBBLICATA:
            NON_PUBBLICATA.pop(token, None)
        else:
            NON_PUBBLICATA[token] = self._pagina.nome

    def _passa(self, nuova: Istantanea) -> None:
        """Show `nuova`, whatever was shown before."""
        self._pagina = nuova.pagina
        self._registra()
        self.sezioni = nuova.sezioni
        self.tappe = nuova.tappe
        self.valori = nuova.valori
        self.versione = nuova.versione
        self.bozze = nuova.bozze
        self.modifiche = nuova.modifiche

    def _mostra(self, nuova: Istantanea) -> None:
        """Show `nuova`, if it is of this browser's page and differs from what it has."""
        if nuova.pagina == self._pagina and nuova.versione != self.versione:
            self._passa(nuova)

    def _lascia_bozza(self) -> None:
        """Show the site's published page again (the staff or demo session ended)."""
        self._pubblicata = PUBBLICATA
        if self._pagina != PUBBLICATA:
            self._passa(istantanea.in_memoria(PUBBLICATA))

    def _nascondi_vista(self) -> None:
        """The secret was cleared: show what a visitor sees (see `AccessoState`)."""
        if self._pagina != PUBBLICATA:
            self._nascosta = (self._pagina, self._pubblicata)
        self._lascia_bozza()

    def _ripristina_vista(self) -> None:
        """The same secret is back on this socket: the working copy or the demo sandbox
        again, if it was shown."""
        if self._nascosta is not None:
            (pagina, self._pubblicata), self._nascosta = self._nascosta, None
            self._passa(istantanea.in_memoria(pagina))

    @rx.event
    async def aggiorna(self) -> None:
        """On page load: catch up with the database if it changed since this state was made,
        and check the staff session (`AccessoState.verifica`, in the same event: one state
        round trip per page view, which `make prod` pays to Redis). The working copy only for
        the socket that presented the staff secret."""
        accesso = await self.get_state(AccessoState)
        await accesso._verifica()
        if self._pagina != PUBBLICATA and not accesso._presentato_da(
            self.router.session.session_id
        ):
            self._lascia_bozza()
        try:
            nuova = await asyncio.to_thread(istantanea.aggiornata, self._pagina)
        except OperationalError:
            nuova = istantanea.gia_letta(self._pagina)  # the database is restarting
            if nuova is None:
                raise
        self._mostra(nuova)
        self._registra()  # a tab that moved here from another process is known from now on
