"""One value of the accordion (WAI-ARIA accordion pattern): a button in an h3, and its panel."""

import reflex as rx

from serena_app.components.cronologia import cronologia_di, pulsante_cronologia
from serena_app.components.editor import (
    controlli_elemento,
    editor,
    editor_aperto,
    esito_voce,
    in_modifica,
    marcatore,
)
from serena_app.contenuto.tipi import VALORE
from serena_app.contenuto.viste import ValoreVista
from serena_app.state.interfaccia import alterna_valore, valori_aperti


def voce_valore(valore: rx.Var[ValoreVista]) -> rx.Component:
    """The value's heading button and its collapsible panel; `#valori-N` links to it."""
    aperto = valori_aperti.value.to(list).contains(valore.numero)
    pulsante = f"valore-pulsante-{valore.numero}"
    pannello = f"valore-pannello-{valore.numero}"
    return rx.el.li(
        rx.cond(
            editor_aperto(VALORE, id=valore.id),
            editor(VALORE),
            rx.fragment(
                rx.el.h3(
                    rx.el.button(
                        rx.el.span(valore.titolo),
                        rx.el.span(class_name="freccia", aria_hidden="true"),
                        type="button",
                        id=pulsante,
                        aria_expanded=rx.cond(aperto, "true", "false"),
                        aria_controls=pannello,
                        on_click=alterna_valore(valore.numero),
                    ),
                    class_name="valore-titolo",
                ),
                marcatore(valore.bozza, valore.traduzione),
                rx.el.div(
                    rx.el.p(valore.testo),
                    id=pannello,
                    role="region",
                    aria_labelledby=pulsante,
                    class_name="valore-pannello richiudibile",
                    data_aperto=rx.cond(aperto, "true", "false"),
                ),
                rx.cond(
                    in_modifica,
                    controlli_elemento(
                        VALORE,
                        valore.id,
                        valore.numero,
                        valore.titolo,
                        pulsante_cronologia(
                            VALORE, valore.id, "valore " + valore.numero.to_string()
                        ),
                        su=valore.su,
                        giu=valore.giu,
                    ),
                ),
                rx.cond(in_modifica, esito_voce(VALORE, id=valore.id)),
                cronologia_di(VALORE, valore.titolo, id=valore.id, lingua=valore.lingua),
            ),
        ),
        id=f"valori-{valore.numero}",
        lang=valore.lingua,  # the English page shows a value's Italian where no English
        class_name="valore",
    )
