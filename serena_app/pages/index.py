"""The "who we are" page: header, the four sections, footer."""

import reflex as rx

from serena_app.sections.barra_staff import barra_staff
from serena_app.sections.demo import banner_demo
from serena_app.sections.footer import footer
from serena_app.sections.header import header
from serena_app.sections.hero import hero
from serena_app.sections.mission_vision import mission, vision
from serena_app.sections.storia import storia
from serena_app.sections.valori import valori
from serena_app.seo import canonico
from serena_app.state.contenuto import ContenutoState

# Ctrl+Z (Cmd+Z on a Mac) outside a text field presses "Annulla ultima modifica", when shown.
ANNULLA_DA_TASTIERA = """
document.addEventListener('keydown', (e) => {
  if (!(e.ctrlKey || e.metaKey) || e.shiftKey || e.altKey || e.key.toLowerCase() !== 'z') return;
  if (e.target.closest && e.target.closest('input, textarea, select, [contenteditable]')) return;
  const pulsante = document.getElementById('annulla-ultima');
  if (pulsante) { e.preventDefault(); pulsante.click(); }
});
"""


def index() -> rx.Component:
    """The whole page."""
    return rx.fragment(
        canonico("/"),
        rx.el.script(ContenutoState.dati_strutturati, type="application/ld+json"),
        header(),
        banner_demo(),
        barra_staff(),
        rx.el.main(
            hero(),
            storia(),
            mission(),
            vision(),
            valori(),
            id="contenuto",
            tab_index=-1,
            # Lets tests (and scripts) wait until the page is live.
            data_idratata=rx.cond(rx.State.is_hydrated, "true", "false"),
        ),
        footer(),
        rx.script(ANNULLA_DA_TASTIERA),
    )
