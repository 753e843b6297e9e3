"""The content every visitor sees, copied from the published snapshot."""

import asyncio

import reflex as rx

from serena_app.pubblicato import (
    Pagina,
    TappaVista,
    ValoreVista,
    pagina_aggiornata,
    pagina_in_memoria,
)


class ContenutoState(rx.State):
    """The page's editable texts, as published. Visitors only read it."""

    sezioni: dict[str, list[str]] = rx.field(default_factory=lambda: pagina_in_memoria().sezioni)
    tappe: list[TappaVista] = rx.field(default_factory=lambda: pagina_in_memoria().tappe)
    valori: list[ValoreVista] = rx.field(default_factory=lambda: pagina_in_memoria().valori)
    revisione: int = rx.field(default_factory=lambda: pagina_in_memoria().revisione)

    def _mostra(self, pagina: Pagina) -> None:
        """Show `pagina`, if it differs from what this browser has."""
        if pagina.revisione != self.revisione:
            self.sezioni = pagina.sezioni
            self.tappe = pagina.tappe
            self.valori = pagina.valori
            self.revisione = pagina.revisione

    @rx.event
    async def aggiorna(self) -> None:
        """On page load: catch up with the database if it changed since this state was made."""
        self._mostra(await asyncio.to_thread(pagina_aggiornata))
