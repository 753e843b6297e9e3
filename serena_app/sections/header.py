"""The page header: skip link, the cooperative's name and the navigation to the sections."""

import reflex as rx

from serena_app.components.collegamento import collegamento
from serena_app.contenuto.seme import CONTENUTO
from serena_app.state.interfaccia import CHIUDI_MENU_DA_FUORI, menu_aperto
from serena_app.web.sito import PERCORSO_ACCESSO

VOCI_MENU = [
    ("storia", "Storia"),
    ("mission", "Mission"),
    ("vision", "Vision"),
    ("valori", "Valori"),
]


def _voce(ancora: str, etichetta: str) -> rx.Component:
    return rx.el.li(
        collegamento(etichetta, href=f"/#{ancora}", on_click=menu_aperto.set_value(False)),
    )


def _voce_area_riservata() -> rx.Component:
    """The staff's door, in the phone menu (on a desktop it is in the footer only)."""
    return rx.el.li(
        collegamento("Area riservata", href=PERCORSO_ACCESSO),
        class_name="voce-area-riservata",
    )


def header() -> rx.Component:
    """Skip link, name and navigation; on a phone the navigation opens from a menu button, and
    closes on Escape or a tap outside it."""
    return rx.fragment(
        collegamento("Vai al contenuto", href="#contenuto", class_name="salta"),
        rx.el.header(
            rx.el.div(
                collegamento(CONTENUTO["nome"], href="/", class_name="marchio"),
                rx.el.nav(
                    rx.el.button(
                        rx.el.span("Menu"),
                        rx.el.span(class_name="icona-menu", aria_hidden="true"),
                        type="button",
                        class_name="pulsante-menu",
                        aria_expanded=rx.cond(menu_aperto.value, "true", "false"),
                        aria_controls="menu-sezioni",
                        on_click=menu_aperto.set_value(~menu_aperto.value),
                    ),
                    rx.el.ul(
                        *[_voce(ancora, etichetta) for ancora, etichetta in VOCI_MENU],
                        _voce_area_riservata(),
                        id="menu-sezioni",
                        class_name="menu",
                        data_aperto=rx.cond(menu_aperto.value, "true", "false"),
                    ),
                    aria_label="Sezioni della pagina",
                    class_name="navigazione",
                    on_mount=CHIUDI_MENU_DA_FUORI,
                ),
                class_name="testata-interna",
            ),
            class_name="testata",
        ),
    )
