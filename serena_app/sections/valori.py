"""I nostri valori: the intro and the ten values as an accordion, all collapsed at first."""

import reflex as rx

from serena_app.components.editor import editor, editor_aperto, in_modifica, pulsante_aggiungi
from serena_app.components.testo import testo_modificabile
from serena_app.components.valore import voce_valore
from serena_app.contenuto.seme import titolo
from serena_app.contenuto.tipi import VALORE
from serena_app.lingue import _, lingua
from serena_app.state.contenuto import della_pagina
from serena_app.state.interfaccia import APRI_DA_INDIRIZZO, valori_aperti


def valori() -> rx.Component:
    """Heading, intro, the expand/collapse-all buttons and the values."""
    return rx.el.section(
        rx.el.h2(titolo("valori", lingua()), id="valori-titolo"),
        testo_modificabile("valori_intro", class_name="intro"),
        rx.el.div(
            rx.el.button(
                _("Espandi tutti"),
                type="button",
                class_name="pulsante pulsante-secondario",
                on_click=valori_aperti.set_value(della_pagina("valori").map(lambda v: v.numero)),
            ),
            rx.el.button(
                _("Comprimi tutti"),
                type="button",
                class_name="pulsante pulsante-secondario",
                on_click=valori_aperti.set_value([]),
            ),
            class_name="comandi-valori",
        ),
        rx.el.ul(
            rx.foreach(della_pagina("valori"), voce_valore),
            rx.cond(editor_aperto(VALORE), rx.el.li(editor(VALORE), class_name="valore")),
            class_name="valori",
        ),
        rx.cond(in_modifica, pulsante_aggiungi(VALORE)),
        id="valori",
        aria_labelledby="valori-titolo",
        class_name="sezione",
        on_mount=APRI_DA_INDIRIZZO,
    )
