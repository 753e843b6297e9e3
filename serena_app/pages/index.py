"""The "who we are" page: header, the four sections, footer; built once per language (`/` and
`/en/`, see `lingue`)."""

from collections.abc import Callable

import reflex as rx

from serena_app.components.salvaguardie import salvaguardie
from serena_app.lingue import LINGUE, in_lingua, lingua, percorso
from serena_app.sections.barra_staff import avviso_uscita, barra_staff
from serena_app.sections.demo import banner_demo
from serena_app.sections.footer import footer
from serena_app.sections.header import header
from serena_app.sections.hero import hero
from serena_app.sections.mission_vision import mission, vision
from serena_app.sections.storia import storia
from serena_app.sections.valori import valori
from serena_app.state.contenuto import della_pagina
from serena_app.web.seo import alternative, canonico, json_ld_di


def in_ogni_lingua() -> dict[str, Callable[[], rx.Component]]:
    """The page's builder for each language, by language."""

    def costruttore(codice: str) -> Callable[[], rx.Component]:
        def pagina() -> rx.Component:
            with in_lingua(codice):
                return index()

        pagina.__name__ = f"index_{codice}"
        return pagina

    return {codice: costruttore(codice) for codice in LINGUE}


def index() -> rx.Component:
    """The whole page, in the language being built."""
    return rx.fragment(
        canonico(percorso(lingua())),
        *alternative(),
        rx.el.script(json_ld_di(della_pagina("descrizione")), type="application/ld+json"),
        # The header and the staff bar stay at the top of the window together.
        rx.el.div(header(), barra_staff(), class_name="cima"),
        avviso_uscita(),
        banner_demo(),
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
        salvaguardie(),
    )
