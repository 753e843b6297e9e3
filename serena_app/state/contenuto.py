"""The content every visitor sees, copied from the published snapshot."""

import reflex as rx

from serena_app.pubblicato import TappaVista, ValoreVista, pagina_corrente


class ContenutoState(rx.State):
    """The page's editable texts, as published. Visitors only read it."""

    sezioni: dict[str, list[str]] = rx.field(default_factory=lambda: pagina_corrente().sezioni)
    tappe: list[TappaVista] = rx.field(default_factory=lambda: pagina_corrente().tappe)
    valori: list[ValoreVista] = rx.field(default_factory=lambda: pagina_corrente().valori)
    revisione: int = rx.field(default_factory=lambda: pagina_corrente().revisione)

    @rx.event
    def aggiorna(self) -> None:
        """Catch up with the published page if it changed since this state was made."""
        pagina = pagina_corrente()
        if pagina.revisione != self.revisione:
            self.sezioni = pagina.sezioni
            self.tappe = pagina.tappe
            self.valori = pagina.valori
            self.revisione = pagina.revisione
