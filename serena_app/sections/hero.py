"""The opening of the page: the cooperative's name as the page's only h1."""

import reflex as rx

from serena_app.components.testo import testo_modificabile
from serena_app.contenuto.seme import CONTENUTO
from serena_app.lingue import _


def hero() -> rx.Component:
    """Name and a one-line summary drawn from the mission (editable: "Modifica sottotitolo")."""
    return rx.el.div(
        rx.el.p(_("Chi siamo"), class_name="occhiello"),
        rx.el.h1(CONTENUTO["nome"]),
        testo_modificabile("sottotitolo", class_name="sottotitolo"),
        class_name="apertura",
    )
