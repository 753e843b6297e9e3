"""Running text: paragraphs from the state, always rendered as plain text, and editable."""

import reflex as rx
from reflex.vars import Var

from serena_app.components.cronologia import cronologia_di, pulsante_cronologia_sezione
from serena_app.components.editor import (
    editor,
    editor_aperto,
    esito_voce,
    in_modifica,
    marcatore,
    pulsante_modifica,
)
from serena_app.contenuto.tipi import SEZIONE, SEZIONI
from serena_app.lingue import LINGUA_STAFF
from serena_app.state.contenuto import della_pagina, lingua_della_sezione
from serena_app.state.staff import StaffState


def paragrafi(testi: Var, **props) -> rx.Component:
    """One <p> per paragraph; text is always rendered as text, never as HTML."""
    return rx.el.div(rx.foreach(testi, lambda p: rx.el.p(p)), **props)


def testo_modificabile(chiave: str, **props) -> rx.Component:
    """A section's paragraphs; in edit mode, its "Modifica …" and "Cronologia …" buttons and
    its history when open, or its open editor."""
    return rx.cond(
        editor_aperto(SEZIONE, chiave=chiave),
        editor(SEZIONE, sezione=chiave),
        rx.fragment(
            paragrafi(della_pagina("sezioni")[chiave], lang=lingua_della_sezione(chiave), **props),
            marcatore(StaffState.bozze[chiave].to(str), StaffState.traduzioni[chiave].to(str)),
            rx.cond(
                in_modifica,
                rx.fragment(
                    rx.el.div(
                        pulsante_modifica(chiave),
                        pulsante_cronologia_sezione(chiave),
                        lang=LINGUA_STAFF,
                        class_name="controlli",
                    ),
                    esito_voce(SEZIONE, chiave=chiave),
                ),
            ),
            cronologia_di(SEZIONE, SEZIONI[chiave], chiave=chiave),
        ),
    )
