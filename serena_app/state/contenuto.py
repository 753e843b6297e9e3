"""The content every visitor sees, copied from the snapshot of the page they look at."""

import asyncio

import reflex as rx

from serena_app import istantanea
from serena_app.istantanea import Istantanea, TappaVista, ValoreVista
from serena_app.pagina import PUBBLICATA, Pagina


class ContenutoState(rx.State):
    """The page's editable texts, as published. Visitors only read it."""

    sezioni: dict[str, list[str]] = rx.field(
        default_factory=lambda: istantanea.in_memoria().sezioni
    )
    tappe: list[TappaVista] = rx.field(default_factory=lambda: istantanea.in_memoria().tappe)
    valori: list[ValoreVista] = rx.field(default_factory=lambda: istantanea.in_memoria().valori)
    versione: int = rx.field(default_factory=lambda: istantanea.in_memoria().versione)
    _pagina: Pagina = PUBBLICATA  # the page this browser shows

    def _mostra(self, nuova: Istantanea) -> None:
        """Show `nuova`, if it is of this browser's page and differs from what it has."""
        if nuova.pagina == self._pagina and nuova.versione != self.versione:
            self.sezioni = nuova.sezioni
            self.tappe = nuova.tappe
            self.valori = nuova.valori
            self.versione = nuova.versione

    @rx.event
    async def aggiorna(self) -> None:
        """On page load: catch up with the database if it changed since this state was made."""
        self._mostra(await asyncio.to_thread(istantanea.aggiornata, self._pagina))
