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
from serena_app.leggibilita.figure import FigurePagina, della_pagina
from serena_app.state.guardia import richiede_staff
from serena_app.state.redazione import RedazioneState

PAUSA_MS = 250
"""After this pause in typing a field sends its text (and the figures follow)."""
MISURATI_AL_PIU = 4
"""A text is measured up to this many times its field's limit (beyond, it cannot be saved
anyway): a flood of huge texts costs the server little."""
RILETTURA = "\u00a0"
"""Added to or taken from what "Leggi i suggerimenti" puts in its live region, so that the
same figures asked again are a change, read again."""


class LeggibilitaState(RedazioneState):
    """What was typed in the open editor (its figures: `RedazioneState.figure`, set with its
    fields), "Leggi i suggerimenti", and the page summary panel.

    Plain vars, set by the handlers, and no computed var: a computed var is worked
    out whenever the state is made, and every page load makes the staff states (a session
    storage of `StaffState`), so each visitor's server state would store this one too
    (tests/security/test_lettori.py)."""

    letto: str = ""  # the polite live region "Leggi i suggerimenti" fills
    pannello: bool = False  # "Leggibilità della pagina" is open
    pagina: FigurePagina = FigurePagina()
    _lingua: str = lingue.ITALIANO  # of this tab's page, noted when the summary opens
    _nascosti: dict = {}

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
        self._misura()

    @rx.event
    @richiede_staff
    async def leggi(self) -> None:
        """ "Leggi i suggerimenti": the figures and hints, read out once, on request."""
        self._misura()
        testo = self.figure.lettura
        self.letto = testo + RILETTURA if self.letto == testo else testo

    def _riassumi(self) -> None:
        """The page summary of the working copy this process holds now, if open."""
        if not self.pannello:
            self.pagina = FigurePagina()
            return
        self.pagina = della_pagina(istantanea.in_memoria(self._spazio.bozza), self._lingua)

    @rx.event
    @richiede_staff
    async def apri_pagina(self) -> None:
        """ "Leggibilità della pagina": open (or close) the summary of the working copy."""
        self.pannello = self.modifica_attiva and not self.pannello
        self._lingua = lingue.del_percorso(self.router.url.path)
        self._riassumi()

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
        self.pannello, self.pagina = False, FigurePagina()

    def _mostra_pagina(self) -> None:
        """The tab shows a newer page (`StaffState._segna`, when this state is loaded: on the
        tab's own events; a colleague's save shows at the next): the summary follows."""
        if self.pannello:
            self._riassumi()

    def _nascondi_vista(self) -> None:
        """The secret was cleared: the summary goes with the rest (see `AccessoState`)."""
        self._nascosti = {"pannello": self.pannello, "letto": self.letto}
        self.pannello, self.letto = False, ""
        self.pagina = FigurePagina()

    def _ripristina_vista(self) -> None:
        """The same secret is back on this socket: the summary as it was."""
        for nome, valore in self._nascosti.items():
            setattr(self, nome, valore)
        self._nascosti = {}
        self._riassumi()
