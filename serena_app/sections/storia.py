"""La nostra storia: the timeline of milestones and the full history behind "Scopri di più"."""

import reflex as rx

from serena_app.components.cronologia import cronologia_di, pulsante_cronologia
from serena_app.components.editor import (
    controlli_elemento,
    editor,
    editor_aperto,
    esito_voce,
    in_modifica,
    marcatore,
    pulsante_aggiungi,
    pulsante_modifica,
)
from serena_app.components.testo import paragrafi, testo_modificabile
from serena_app.contenuto.seme import titolo
from serena_app.contenuto.tipi import SEZIONE, TAPPA
from serena_app.contenuto.viste import TappaVista
from serena_app.lingue import _, lingua
from serena_app.state.contenuto import della_pagina, lingua_della_sezione
from serena_app.state.interfaccia import storia_aperta
from serena_app.state.staff import StaffState


def _tappa(tappa: rx.Var[TappaVista]) -> rx.Component:
    return rx.el.li(
        rx.el.span(class_name="tappa-punto", aria_hidden="true"),
        rx.cond(
            editor_aperto(TAPPA, id=tappa.id),
            editor(TAPPA),
            rx.fragment(
                rx.cond(
                    tappa.anno != "",
                    rx.el.time(tappa.anno, date_time=tappa.anno, class_name="tappa-anno"),
                ),
                rx.el.h3(tappa.titolo, class_name="tappa-titolo"),
                marcatore(tappa.bozza, tappa.traduzione),
                rx.el.p(tappa.testo),
                rx.cond(
                    in_modifica,
                    controlli_elemento(
                        TAPPA,
                        tappa.id,
                        tappa.numero,
                        tappa.titolo,
                        pulsante_cronologia(TAPPA, tappa.id, "tappa " + tappa.numero.to_string()),
                        su=tappa.su,
                        giu=tappa.giu,
                    ),
                ),
                rx.cond(in_modifica, esito_voce(TAPPA, id=tappa.id)),
                cronologia_di(TAPPA, tappa.titolo, id=tappa.id, lingua=tappa.lingua),
            ),
        ),
        lang=tappa.lingua,  # the English page shows a milestone's Italian where no English
        # Framed with its controls in edit mode (not around its open editor, framed already).
        class_name=rx.cond(
            in_modifica & ~editor_aperto(TAPPA, id=tappa.id), "tappa tappa-in-modifica", "tappa"
        ),
    )


def _storia_completa() -> rx.Component:
    return rx.cond(
        editor_aperto(SEZIONE, chiave="storia_testo"),
        editor(SEZIONE, sezione="storia_testo"),
        rx.fragment(
            rx.el.button(
                _("Scopri di più"),
                type="button",
                class_name="pulsante",
                aria_expanded=rx.cond(storia_aperta.value, "true", "false"),
                aria_controls="storia-completa",
                on_click=storia_aperta.set_value(~storia_aperta.value),
            ),
            rx.cond(
                in_modifica,
                rx.fragment(
                    pulsante_modifica("storia_testo"), esito_voce(SEZIONE, chiave="storia_testo")
                ),
            ),
            marcatore(
                StaffState.bozze["storia_testo"].to(str),
                StaffState.traduzioni["storia_testo"].to(str),
            ),
            paragrafi(
                della_pagina("sezioni")["storia_testo"],
                lang=lingua_della_sezione("storia_testo"),
                id="storia-completa",
                class_name="storia-completa richiudibile",
                data_aperto=rx.cond(storia_aperta.value, "true", "false"),
            ),
        ),
    )


def storia() -> rx.Component:
    """Heading, optional intro, the timeline, and the expandable full text."""
    return rx.el.section(
        rx.el.h2(titolo("storia", lingua()), id="storia-titolo"),
        testo_modificabile("storia_intro", class_name="intro"),
        rx.el.ol(
            rx.foreach(della_pagina("tappe"), _tappa),
            rx.cond(editor_aperto(TAPPA), rx.el.li(editor(TAPPA), class_name="tappa")),
            class_name="timeline",
        ),
        rx.cond(in_modifica, pulsante_aggiungi(TAPPA)),
        _storia_completa(),
        id="storia",
        aria_labelledby="storia-titolo",
        class_name="sezione",
    )
