"""The page for any missing address (Reflex's one `404.html`): in Italian, then in English,
each leading to its language's page."""

import reflex as rx

from serena_app.components.collegamento import collegamento
from serena_app.lingue import LINGUE, _, in_lingua, lingua, percorso


def _avviso() -> rx.Component:
    """The notice in the language being built."""
    return rx.fragment(
        rx.el.h2(_("Pagina non trovata")),
        rx.el.p(_("Questo indirizzo non corrisponde a nessuna pagina del sito.")),
        rx.el.p(collegamento(_("Vai alla pagina della cooperativa"), href=percorso(lingua()))),
    )


def titolo() -> str:
    """The page's title in every language: "Pagina non trovata · Page not found"."""
    titoli = []
    for codice in LINGUE:
        with in_lingua(codice):
            titoli.append(_("Pagina non trovata"))
    return " · ".join(titoli)


def non_trovata() -> rx.Component:
    """Each language's notice, in a block marked with its language."""
    blocchi = []
    for codice in LINGUE:
        with in_lingua(codice):
            blocchi.append(rx.el.div(_avviso(), lang=codice, class_name="non-trovata-lingua"))
    return rx.el.main(
        rx.el.h1("404"),
        *blocchi,
        id="contenuto",
        class_name="non-trovata",
    )
