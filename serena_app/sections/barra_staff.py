"""The staff bar: who is logged in, "Modifica pagina", "Esci", and what just happened."""

import reflex as rx

from serena_app.state.accesso import AccessoState
from serena_app.state.redazione import RedazioneState
from serena_app.state.staff import StaffState


def barra_staff() -> rx.Component:
    """Shown only to a logged-in staff member; announcements are read out by screen readers."""
    return rx.cond(
        AccessoState.nome_staff != "",
        rx.el.div(
            rx.el.div(
                rx.el.p("Area riservata: ", rx.el.strong(AccessoState.nome_staff)),
                rx.el.button(
                    "Modifica pagina",
                    type="button",
                    class_name="pulsante",
                    aria_pressed=rx.cond(StaffState.modifica_attiva, "true", "false"),
                    on_click=RedazioneState.alterna_modifica,
                ),
                rx.el.button(
                    "Esci",
                    type="button",
                    class_name="pulsante pulsante-secondario",
                    on_click=[RedazioneState.annulla, AccessoState.esci],
                ),
                rx.el.p(StaffState.annuncio, role="status", class_name="annuncio"),
                rx.cond(
                    StaffState.avviso != "",
                    # Fixed at the bottom of the window: seen wherever on the page the
                    # button that caused it was.
                    rx.el.div(
                        rx.el.p(StaffState.avviso, role="alert"),
                        rx.el.button(
                            "Chiudi",
                            type="button",
                            class_name="pulsante pulsante-secondario",
                            on_click=RedazioneState.chiudi_avviso,
                        ),
                        class_name="avviso avviso-staff",
                    ),
                ),
                class_name="barra-staff-interna",
            ),
            role="region",
            aria_label="Strumenti del personale",
            class_name="barra-staff",
        ),
    )
