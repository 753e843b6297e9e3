"""The staff bar: who is logged in, "Modifica pagina", "Esci", and what just happened."""

import reflex as rx

from serena_app.state.modifica import ModificaState
from serena_app.state.sessione import SessioneState


def barra_staff() -> rx.Component:
    """Shown only to a logged-in staff member; announcements are read out by screen readers."""
    return rx.cond(
        SessioneState.nome_staff != "",
        rx.el.div(
            rx.el.div(
                rx.el.p("Area riservata: ", rx.el.strong(SessioneState.nome_staff)),
                rx.el.button(
                    "Modifica pagina",
                    type="button",
                    class_name="pulsante",
                    aria_pressed=rx.cond(ModificaState.modifica_attiva, "true", "false"),
                    on_click=ModificaState.alterna_modifica,
                ),
                rx.el.button(
                    "Esci",
                    type="button",
                    class_name="pulsante pulsante-secondario",
                    on_click=[ModificaState.annulla, SessioneState.esci],
                ),
                rx.el.p(ModificaState.annuncio, role="status", class_name="annuncio"),
                rx.cond(
                    ModificaState.avviso != "",
                    rx.el.p(ModificaState.avviso, role="alert", class_name="avviso"),
                ),
                class_name="barra-staff-interna",
            ),
            role="region",
            aria_label="Strumenti del personale",
            class_name="barra-staff",
        ),
    )
