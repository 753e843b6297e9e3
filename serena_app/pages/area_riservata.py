"""The staff login at /accesso: "Nome utente", "Password", "Accedi"."""

import reflex as rx

from serena_app.components.collegamento import collegamento
from serena_app.sections.footer import footer
from serena_app.sections.header import header
from serena_app.state.accesso import AccessoState, con_codici_recupero
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
        _errore(),
        rx.el.button("Accedi", type="submit", class_name="pulsante"),
        on_submit=AccessoState.accedi,
        reset_on_submit=False,
        class_name="modulo-accesso",
    )


def _errore() -> rx.Component:
    return rx.cond(
        AccessoState.errore_accesso != "",
        rx.el.p(AccessoState.errore_accesso, role="alert", class_name="avviso"),
    )


def _configura() -> rx.Component:
    """A responsabile who must turn two-step login on first: the QR code and its key."""
    return rx.fragment(
        rx.el.p(
            "A tutti i responsabili è richiesta la verifica in due passaggi. Inquadra il "
            "codice QR con un’app di autenticazione, oppure scrivi nell’app questa chiave:"
        ),
        rx.el.img(
            src=AccessoState.qr_configura,
            alt="Codice QR per l’app di autenticazione",
            class_name="qr-account",
            width="180",
            height="180",
        ),
        rx.el.p(rx.el.code(AccessoState.segreto_configura), class_name="segreto-due-passaggi"),
    )


def _modulo_codice() -> rx.Component:
    """The second step: the code from the app, or a recovery code."""
    return rx.el.form(
        rx.cond(AccessoState.segreto_configura != "", _configura()),
        rx.el.div(
            rx.el.label("Codice di verifica", html_for="codice"),
            rx.el.p(
                "Le 6 cifre che mostra l’app di autenticazione, oppure uno dei codici di recupero.",
                id="codice-aiuto",
                class_name="motivo",
            ),
            rx.el.input(
                id="codice",
                name="codice",
                type="text",
                auto_complete="one-time-code",
                auto_focus=True,
                required=True,
                max_length=40,
                aria_describedby="codice-aiuto",
            ),
            class_name="campo",
        ),
        _errore(),
        rx.el.button("Verifica", type="submit", class_name="pulsante"),
        rx.el.button(
            "Annulla",
            type="button",
            class_name="pulsante pulsante-secondario",
            on_click=AccessoState.annulla_codice,
        ),
        on_submit=AccessoState.conferma_codice,
        reset_on_submit=True,
        class_name="modulo-accesso",
    )


def _codici_recupero() -> rx.Component:
    """Right after turning two-step login on at login: the recovery codes, once."""
    return rx.el.div(
        rx.el.p(
            "Verifica in due passaggi attiva. Codici di recupero: ognuno vale una volta sola, "
            "se non hai il telefono. Copiali ora in un posto sicuro: non verranno più mostrati."
        ),
        rx.el.ul(rx.foreach(AccessoState.codici_recupero, lambda c: rx.el.li(rx.el.code(c)))),
    )


def area_riservata() -> rx.Component:
    """Login form, or who is logged in."""
    return rx.fragment(
        canonico(PERCORSO_ACCESSO),
        header(lingue=False),
        rx.el.main(
            rx.el.h1("Area riservata"),
            rx.cond(con_codici_recupero, _codici_recupero()),
            rx.cond(
                (AccessoState.nome_staff != "") | (con_codici_recupero),
                rx.el.p(
                    "Hai già effettuato l’accesso come ",
                    rx.el.strong(AccessoState.nome_staff),
                    ". ",
                    collegamento("Vai alla pagina per modificarla", href="/"),
                ),
                rx.fragment(
                    rx.el.p("Accesso riservato al personale di Cooperativa Serena."),
                    rx.cond(AccessoState.codice_richiesto, _modulo_codice(), _modulo()),
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
