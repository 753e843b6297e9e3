"""The page footer: name, city and the way into the staff area."""

import reflex as rx

from serena_app.components.collegamento import collegamento
from serena_app.contenuto.seme import CONTENUTO
from serena_app.lingue import _
from serena_app.web.sito import PERCORSO_ACCESSO


def footer() -> rx.Component:
    """Name, "Ferrara" and the "Area riservata" link."""
    return rx.el.footer(
        rx.el.div(
            rx.el.p(CONTENUTO["nome"], class_name="piede-nome"),
            rx.el.p(CONTENUTO["citta"]),
            collegamento(_("Area riservata"), href=PERCORSO_ACCESSO),
            class_name="piede-interno",
        ),
        class_name="piede",
    )
