""" "Il mio account": the panel opened from the staff bar's tools. One's own password, the
open sessions (this one marked), two-step login, and for a responsabile the switch that
requires it of every responsabile."""

import reflex as rx

from serena_app.state.accesso import responsabile
from serena_app.state.account import PANNELLO, AccountState


def _campo(etichetta: str, nome: str, **attributi) -> rx.Component:
    id_html = f"account-{nome}"
    return rx.el.div(
        rx.el.label(etichetta, html_for=id_html),
        rx.el.input(id=id_html, name=nome, required=True, max_length=1024, **attributi),
        class_name="campo",
    )


def _password() -> rx.Component:
    return rx.el.form(
        rx.el.h3("Cambia la password"),
        rx.el.p(
            "Almeno 12 caratteri, senza il tuo nome utente: per esempio una frase di quattro "
            "o più parole. Gli altri dispositivi verranno disconnessi.",
            class_name="motivo",
        ),
        _campo("Password attuale", "attuale", type="password", auto_complete="current-password"),
        _campo("Nuova password", "nuova", type="password", auto_complete="new-password"),
        rx.el.button("Cambia password", type="submit", class_name="pulsante"),
        on_submit=AccountState.cambia_password,
        reset_on_submit=True,
    )


def _sessioni() -> rx.Component:
    return rx.el.div(
        rx.el.h3("Dispositivi con una sessione aperta"),
        rx.el.ul(
            rx.foreach(
                AccountState.sessioni,
                lambda s: rx.el.li(
                    rx.el.strong(s["dispositivo"]),
                    " · ultimo uso ",
                    s["quando"],
                    rx.cond(s["questa"] != "", " · questo dispositivo", ""),
                ),
            ),
        ),
        rx.el.button(
            "Esci da tutti gli altri dispositivi",
            type="button",
            class_name="pulsante pulsante-secondario",
            on_click=AccountState.esci_dagli_altri,
        ),
    )


def _attivazione() -> rx.Component:
    """The QR code, the secret as text, and the confirming code."""
    return rx.el.form(
        rx.el.p(
            "Inquadra il codice QR con un’app di autenticazione, oppure scrivi nell’app "
            "questa chiave:"
        ),
        rx.el.img(
            src=AccountState.qr_nuovo,
            alt="Codice QR per l’app di autenticazione",
            class_name="qr-account",
            width="180",
            height="180",
        ),
        rx.el.p(
            rx.el.code(AccountState.segreto_nuovo),
            id="segreto-due-passaggi",
            tab_index=-1,
            class_name="segreto-due-passaggi",
        ),
        _campo(
            "Codice dell’app (6 cifre)",
            "codice",
            type="text",
            input_mode="numeric",
            auto_complete="one-time-code",
        ),
        rx.el.button("Conferma e attiva", type="submit", class_name="pulsante"),
        on_submit=AccountState.conferma_due_passaggi,
        reset_on_submit=True,
    )


def _codici() -> rx.Component:
    return rx.el.div(
        rx.el.p(
            "Codici di recupero: ognuno vale una volta sola, se non hai il telefono. "
            "Copiali ora in un posto sicuro: non verranno più mostrati."
        ),
        rx.el.ul(rx.foreach(AccountState.codici_nuovi, lambda c: rx.el.li(rx.el.code(c)))),
        id="codici-recupero",
        tab_index=-1,
    )


def _due_passaggi() -> rx.Component:
    return rx.el.div(
        rx.el.h3("Verifica in due passaggi"),
        rx.cond(AccountState.codici_nuovi.length() > 0, _codici()),
        rx.cond(
            AccountState.due_passaggi_attivi,
            rx.el.form(
                rx.el.p(
                    "Attiva. Codici di recupero non usati: ",
                    AccountState.codici_rimasti.to_string(),
                    ".",
                ),
                _campo("Password o codice", "prova", type="password", auto_complete="off"),
                rx.el.button(
                    "Disattiva la verifica in due passaggi",
                    type="submit",
                    class_name="pulsante pulsante-secondario",
                ),
                on_submit=AccountState.disattiva_due_passaggi,
                reset_on_submit=True,
            ),
            rx.cond(
                AccountState.segreto_nuovo != "",
                _attivazione(),
                rx.el.button(
                    "Attiva la verifica in due passaggi",
                    type="button",
                    class_name="pulsante",
                    on_click=AccountState.avvia_due_passaggi,
                ),
            ),
        ),
        rx.cond(
            responsabile,
            rx.el.button(
                "Richiedi la verifica in due passaggi a tutti i responsabili",
                type="button",
                role="switch",
                aria_checked=rx.cond(AccountState.obbligo, "true", "false"),
                class_name="pulsante pulsante-secondario",
                on_click=AccountState.richiedi_a_tutti(~AccountState.obbligo),
            ),
        ),
    )


def il_mio_account() -> rx.Component:
    """The panel, when open."""
    return rx.cond(
        AccountState.aperto,
        rx.el.section(
            rx.el.h2("Il mio account"),
            rx.el.p(AccountState.esito, role="status"),
            rx.cond(
                AccountState.errore != "",
                rx.el.p(AccountState.errore, role="alert", class_name="avviso"),
            ),
            _password(),
            _sessioni(),
            _due_passaggi(),
            rx.el.button(
                "Chiudi",
                type="button",
                class_name="pulsante pulsante-secondario",
                on_click=AccountState.chiudi_account,
            ),
            id=PANNELLO,
            tab_index=-1,
            aria_label="Il mio account",
            class_name="pannello-account",
        ),
    )
