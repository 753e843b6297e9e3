"""The staff area's entrance."""

import reflex as rx

from serena_app.components.collegamento import collegamento
from serena_app.sections.footer import footer
from serena_app.sections.header import header


def accesso() -> rx.Component:
    """Placeholder until staff login exists."""
    return rx.fragment(
        header(),
        rx.el.main(
            rx.el.h1("Area riservata"),
            rx.el.p("L’accesso per il personale non è ancora disponibile."),
            rx.el.p(collegamento("Torna alla pagina principale", href="/")),
            id="contenuto",
            class_name="pagina-semplice",
            tab_index=-1,
        ),
        footer(),
    )
