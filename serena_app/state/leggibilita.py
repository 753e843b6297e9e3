"""Writing help, live: the open editor's figures as she types, "Leggi i suggerimenti", and
"Leggibilità della pagina" in the staff bar (the rules: `serena_app/leggibilita/`).

Computed on the server, not in the browser: the rules then live once, in Python, for the
editors, the page summary and the publish confirmation alike, and the page's JavaScript,
which every visitor downloads, carries none of them. The cost is one small event per pause
in typing: a field sends its text `PAUSA_MS` after the last key (Reflex's debounce,
`components/leggibilita.py`), and the figures come back in the same round trip. Offline the
figures wait; the typing is kept by the page's script as always. Nothing here ever refuses a
save: `RedazioneState.salva` does not read it.
"""

import reflex as rx

from serena_app import lingue
from serena_app.contenuto import istantanea
from serena_app.contenuto.tipi import NESSUNA
from serena_app.leggibilita.editore import figure_di
from serena_app.leggibilita.figure import FigureEditor, FigurePagina, confronto, della_pagina
from serena_app.state.redazione import RedazioneState
from serena_app.state.staff import richiede_staff

PAUSA_MS = 250
"""After this pause in typing a field sends its text (and the figures follow)."""
MISURATI_AL_PIU = 4
"""A text is measured up to this many times its field's limit (beyond, it cannot be saved
anyway): a flood of huge texts costs the server little."""
RILETTURA = "\u00a0"
"""Added to or taken from what "Leggi i suggerimenti" puts in its live region, so that the
same figures asked again are a change, read again."""


class LeggibilitaState(RedazioneState):
    """The figures of the open editor (from `RedazioneState.campi` and what was typed since),
    and the page summary panel."""

    letto: str = ""  # the polite live region "Leggi i suggerimenti" fills
    pannello: bool = False  # "Leggibilità della pagina" is open
    _nascosti: dict = {}

    @rx.var
    def figure(self) -> FigureEditor:
        """The open editor's figures, as its fields hold now (as sent after each pause)."""
        if self.aperto == NESSUNA:
            return FigureEditor()
        return figure_di(self.aperto, {**self.campi, **self._scritti})

    @rx.event
    @richiede_staff
    async def misura(self, campo: str, testo: str) -> None:
        """A field of the open editor holds `testo` now: the figures follow."""
        aperta = self.aperto
        if aperta == NESSUNA:  # closed meanwhile: a field's blur may come after "Salva"
            return
        limiti = {c.nome: c.massimo for c in aperta.campi if c.contato}
        if not isinstance(testo, str) or campo not in limiti:
            return
        self._scritti = {**self._scritti, campo: testo[: MISURATI_AL_PIU * limiti[campo]]}

    @rx.event
    @richiede_staff
    async def leggi(self) -> None:
        """ "Leggi i suggerimenti": the figures and hints, read out once, on request."""
        testo = self.figure.lettura
        self.letto = testo + RILETTURA if self.letto == testo else testo

    @rx.var
    def pagina(self) -> FigurePagina:
        """ "Leggibilità della pagina", while open: the working copy this tab shows (again
        each time it shows a newer one, `_vista`), in the language of its page."""
        if not (self.pannello and self.modifica_attiva and self._vista):
            return FigurePagina()
        vista = istantanea.in_memoria(self._spazio.bozza)
        return della_pagina(vista, lingue.del_percorso(self.router.page.path))

    @rx.var
    def confronto(self) -> list[str]:
        """In the publish confirmation: how publishing changes each language's figures."""
        if self.conferma != "pubblica" or not self._versione_bozza:
            return []
        pubblicata = istantanea.in_memoria(self._spazio.pubblicata)
        return confronto(pubblicata, istantanea.in_memoria(self._spazio.bozza))

    @rx.event
    @richiede_staff
    async def apri_pagina(self) -> None:
        """ "Leggibilità della pagina": open (or close) the summary of the working copy."""
        self.pannello = self.modifica_attiva and not self.pannello

    @rx.event
    @richiede_staff
    async def al_testo(self) -> None:
        """After "Apri il testo" opened the hardest text's editor: focus in its text (not
        its title). Nothing if it did not open (someone else has it: the question asks)."""
        aperta = self.aperto
        testi = [c.nome for c in aperta.campi if c.multilinea] if aperta != NESSUNA else []
        if testi:
            self._metti_a_fuoco(f"modifica-{testi[0]}")

    @rx.event
    def chiudi_pagina(self) -> None:
        """Close the summary."""
        self.pannello = False

    def _nascondi_vista(self) -> None:
        """The secret was cleared: the summary goes with the rest (see `AccessoState`)."""
        self._nascosti = {"pannello": self.pannello, "letto": self.letto}
        self.pannello, self.letto = False, ""

    def _ripristina_vista(self) -> None:
        """The same secret is back on this socket: the summary as it was."""
        for nome, valore in self._nascosti.items():
            setattr(self, nome, valore)
        self._nascosti = {}
