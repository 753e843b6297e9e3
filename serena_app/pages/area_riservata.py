"""The staff login at /accesso: "Nome utente", "Password", "Accedi"."""

import reflex as rx

from serena_app.components.collegamento import collegamento
from serena_app.sections.footer import footer
from serena_app.sections.header import header
from serena_app.state.accesso import AccessoState
from serena_app.web.seo import canonico
from serena_app.web.sito import PERCORSO_ACCESSO


def _modulo() -> rx.Component:
    return rx.el.form(
        rx.el.div(
            rx.el.label("Nome utente", html_for="nome_utente"),
            rx.el.input(
                id="nome_utente",
                name="nome_utente",
                type="text",
                auto_complete="username",
                auto_focus=True,
                required=True,
                max_length=64,
            ),
            class_name="campo",
        ),
        rx.el.div(
            rx.el.label("Password", html_for="password"),
            rx.el.input(
                id="password",
                name="password",
                type="password",
                auto_complete="current-password",
                required=True,
                max_length=1024,
            ),
            class_name="campo",
        ),
        rx.cond(
            AccessoState.errore_accesso != "",
            rx.el.p(AccessoState.errore_accesso, role="alert", class_name="avviso"),
        ),
        rx.el.button("Accedi", type="submit", class_name="pulsante"),
        on_submit=AccessoState.accedi,
        reset_on_submit=False,
        class_name="modulo-accesso",
    )


def area_riservata() -> rx.Component:
    """Login form, or who is logged in."""
    return rx.fragment(
        canonico(PERCORSO_ACCESSO),
        header(),
        rx.el.main(
            rx.el.h1("Area riservata"),
            rx.cond(
                AccessoState.nome_staff != "",
                rx.el.p(
                    "Hai già effettuato l’accesso come ",
                    rx.el.strong(AccessoState.nome_staff),
                    ". ",
                    collegamento("Vai alla pagina per modificarla", href="/"),
                ),
                rx.fragment(
                    rx.el.p("Accesso riservato al personale di Cooperativa Serena."),
                    _modulo(),
                ),
            ),
            rx.el.p(collegamento("Torna alla pagina principale", href="/")),
            id="contenuto",
            class_name="pagina-semplice",
            tab_index=-1,
            data_idratata=rx.cond(rx.State.is_hydrated, "true", "false"),
        ),
        footer(),
    )
