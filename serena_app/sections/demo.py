"""The live demo's banner: what this is, "Prova la modalità modifica" (or, in one's own
sandbox, "Ripristina demo"), and the address as a QR code to show the room. Part of the page
only on a demo server (`demo/modalita.py`)."""

import reflex as rx

from serena_app.demo import modalita, qr
from serena_app.demo.modalita import EDITOR
from serena_app.state.accesso import AccessoState
from serena_app.state.demo import RIPRISTINA, DemoState


def _codice_qr() -> rx.Component:
    """The address as a QR code, large enough to scan from a projected screen."""
    indirizzo = modalita.indirizzo()
    if not indirizzo:
        return rx.fragment()
    return rx.el.details(
        rx.el.summary("Mostra il codice QR per aprire la demo"),
        rx.el.img(
            src=qr.immagine(indirizzo),
            alt=f"Codice QR dell’indirizzo {indirizzo}",
            class_name="demo-qr",
            width="400",
            height="400",
        ),
        rx.el.p("Oppure scrivi: ", rx.el.strong(indirizzo)),
        class_name="demo-codice",
    )


def banner_demo() -> rx.Component:
    """The banner; an empty fragment on any server that is not a demo."""
    if not modalita.attiva():
        return rx.fragment()
    return rx.el.div(
        rx.el.div(
            rx.el.p(rx.el.strong("Modalità demo"), class_name="demo-titolo"),
            rx.el.p(
                "Prova a modificare questa pagina dal tuo telefono: le tue modifiche le vedi "
                "solo tu, e la pagina vera non cambia."
            ),
            rx.cond(
                AccessoState.nome_staff == EDITOR,
                rx.el.button(
                    "Ripristina demo",
                    type="button",
                    id=RIPRISTINA,
                    class_name="pulsante pulsante-secondario",
                    on_click=DemoState.ripristina,
                ),
                rx.el.button(
                    "Prova la modalità modifica",
                    type="button",
                    class_name="pulsante",
                    on_click=DemoState.prova,
                ),
            ),
            rx.cond(
                DemoState.errore_demo != "",
                rx.el.p(DemoState.errore_demo, role="alert", class_name="avviso"),
            ),
            _codice_qr(),
            class_name="demo-interna",
        ),
        role="region",
        aria_label="Modalità demo",
        class_name="demo",
    )
