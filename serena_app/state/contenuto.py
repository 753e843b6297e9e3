"""The content every visitor sees, copied from the published snapshot."""

import reflex as rx

from serena_app.pubblicato import TappaVista, ValoreVista, pagina_aggiornata, pagina_in_memoria


class ContenutoState(rx.State):
    """The page's editable texts, as published. Visitors only read it."""

    sezioni: dict[str, list[str]] = rx.field(default_factory=lambda: pagina_in_memoria().sezioni)
    tappe: list[TappaVista] = rx.field(default_factory=lambda: pagina_in_memoria().tappe)
    valori: list[ValoreVista] = rx.field(default_factory=lambda: pagina_in_memoria().valori)
    revisione: int = rx.field(default_factory=lambda: pagina_in_memoria().revisione)

    @rx.event
    def aggiorna(self) -> None:
        """Catch up with the published page if it changed since this state was made."""
        pagina = pagina_aggiornata()
        if pagina.revisione != self.revisione:
            self.sezioni = pagina.sezioni
            self.tappe = pagina.tappe
            self.valori = pagina.valori
            self.revisione = pagina.revisione
