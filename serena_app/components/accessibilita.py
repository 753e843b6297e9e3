""" "Controlla l'accessibilità": axe-core run in the staff member's own browser on the working
copy, the same engine (and version) the tests use, with its results in Italian and a "Vai
all'elemento" link to each element it names.

Only staff download axe-core: when the button is pressed, the page's script imports, with
`import()`, the check's own module (`accessibilita.js`, next to this file) and axe-core with
its Italian locale, so the bundler puts them in chunks of their own that a visitor's page never
requests; the bundle every visitor gets holds only that click listener. Nothing is sent to the
server and nothing is stored: the results are drawn into a container that React leaves empty.

What is checked is the page as visitors see it. axe runs on the whole document (the header,
the main content, the footer) less the staff-only interface, which visitors never get:

* `#barra-staff`: the staff bar, with this very panel, the drafts' tools and their dialogs;
* `.controlli`, `.conferma`: an item's "Modifica / Sposta / Elimina" and its question;
* `.pulsante-piccolo`, `.presenza-voce`: a section's "Modifica …" and who else has it open;
* `form.editor`: the editors;
* `.bozza`: the draft and translation markers;
* `.esito-voce`, `[id^="aggiungi-"]`, `.nota-struttura`: what a change did to an item, "Aggiungi
  …" and, on the English page, where adding is done;
* `.domanda-presenza`, `.annuncio-presenza`, `.cronologia`: the question before opening an item
  someone else edits, its announcements, an item's history panel.

A known limit: axe skips what is hidden, so the text of a value whose panel is closed is
checked only while that value is open (the staff member opens it, or "Espandi tutti").

Under the Content-Security-Policy (no `eval`, no inline script) this runs as a React effect
of the page's own bundle, as `salvaguardie.py` does; the Italian locale's two doT templates,
which axe would compile with `new Function`, become plain functions first (`accessibilita.js`).
"""

import json

import reflex as rx

from serena_app.components.salvaguardie import effetto
from serena_app.state.redazione import APRI_STRUMENTI

AXE_VERSIONE = "4.12.1"  # that of the tests' axe (axe_playwright_python's axe.min.js)
PULSANTE = "controlla-accessibilita"
ESITO = "controllo-accessibilita-esito"
ANNUNCIO = "controllo-accessibilita-annuncio"
ESCLUSI = [
    "#barra-staff",
    ".controlli",
    ".conferma",
    ".pulsante-piccolo",
    ".presenza-voce",
    "form.editor",
    ".bozza",
    ".esito-voce",
    '[id^="aggiungi-"]',
    ".nota-struttura",
    ".domanda-presenza",
    ".annuncio-presenza",
    ".cronologia",
]
IMPATTI = {"critical": "critico", "serious": "grave", "moderate": "moderato", "minor": "lieve"}

# The module with the rest of the browser's code, next to this file; linked into the app's
# assets at compile time and bundled by Vite into a chunk of its own, as axe-core is.
MODULO = rx.asset("accessibilita.js", shared=True).importable_path
COSTANTI = {
    "PULSANTE": PULSANTE,
    "ESITO": ESITO,
    "ANNUNCIO": ANNUNCIO,
    "APRI_STRUMENTI": APRI_STRUMENTI,
    "ESCLUSI": ESCLUSI,
    "IMPATTI": IMPATTI,
}

# All that the page's bundle carries for every visitor: a click listener that, when the
# button is pressed, imports the module (which imports axe and its Italian).
SCRIPT = """
() => {
  const clic = (e) => {
    if (!e.target.closest || !e.target.closest('#' + PULSANTE)) return;
    import(MODULO).then((m) => m.controlla(COSTANTI), (errore) => {
      const esito = document.getElementById(ESITO);
      if (esito) esito.textContent = 'Il controllo non è riuscito: ' + errore.message;
    });
  };
  document.addEventListener('click', clic);
  return () => document.removeEventListener('click', clic);
}
"""
for _nome, _valore in {
    "PULSANTE": json.dumps(PULSANTE),
    "ESITO": json.dumps(ESITO),
    "MODULO": json.dumps(MODULO),
    "COSTANTI": json.dumps(COSTANTI, ensure_ascii=False),
}.items():
    SCRIPT = SCRIPT.replace(_nome, _valore)


class ControlloAccessibilita(rx.Fragment):
    """The script's effect; axe-core is its dependency (installed, then imported lazily)."""

    lib_dependencies: list[str] = [f"axe-core@{AXE_VERSIONE}"]

    def add_hooks(self) -> list[str | rx.Var]:
        """Set up once: one click listener on the document, removed with the component."""
        return [effetto(SCRIPT, [])]


def controllo_accessibilita() -> rx.Component:
    """The button, the polite status that says the result once, and the panel (empty until
    the button is pressed: the script fills it, "Chiudi" empties it)."""
    return rx.fragment(
        rx.el.button(
            "Controlla l'accessibilità",
            type="button",
            id=PULSANTE,
            class_name="pulsante pulsante-secondario",
        ),
        rx.el.p(id=ANNUNCIO, role="status", class_name="solo-lettori"),
        rx.el.div(id=ESITO, class_name="controllo-accessibilita"),
        ControlloAccessibilita.create(),
    )
