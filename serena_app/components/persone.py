"""The "Persone" panel of the staff bar (responsabili only): one row per account (name, role,
state, last login, open sessions, and its actions), the invitation form, and the last link
made, to copy or to scan."""

import reflex as rx
from reflex.vars import Var

from serena_app.auth.ruoli import REDATTORE, RESPONSABILE
from serena_app.state.persone import ESITO, NOME_INVITO, PANNELLO, PersoneState


def _chiedi(azione: Var, nome: Var, ruolo: Var) -> Var:
    """The question before the action `azione` on `nome`'s account."""
    return rx.match(
        azione,
        (
            "disattiva",
            "Disattivare l’account di «" + nome + "»? Le sue sessioni si chiuderanno subito.",
        ),
        (
            "ruolo",
            "Rendere «" + nome + "» " + ruolo + "? Le sue sessioni si chiuderanno: accederà "
            "di nuovo con il nuovo ruolo.",
        ),
        "Reimpostare la password di «" + nome + "»? Quella attuale non varrà più e le sue "
        "sessioni si chiuderanno subito.",
    )


def _domanda(persona: Var) -> rx.Component:
    """The question before a destructive action, with "Sì" (which takes focus) and "No"."""
    nome = persona["nome"].to(str)
    azione = PersoneState.conferma.split(":")[-1]
    conferma = rx.match(
        azione,
        ("disattiva", PersoneState.disattiva(nome)),
        ("ruolo", PersoneState.cambia_ruolo(nome, persona["altro_ruolo"].to(str))),
        PersoneState.reimposta(nome),
    )
    return rx.el.div(
        rx.el.p(_chiedi(azione, nome, persona["altro_ruolo"].to(str))),
        rx.el.div(
            rx.el.button(
                "Sì, procedi",
                type="button",
                id="conferma-persona",
                auto_focus=True,
                class_name="pulsante pulsante-pericolo",
                on_click=conferma,
            ),
            rx.el.button(
                "No",
                type="button",
                class_name="pulsante pulsante-secondario",
                on_click=PersoneState.annulla_conferma,
            ),
            class_name="azioni-modulo",
        ),
        class_name="conferma-bozze",
    )


def _azioni(persona: Var) -> rx.Component:
    nome = persona["nome"].to(str)
    attivo = persona["attivo"] != ""
    return rx.el.div(
        rx.cond(
            attivo,
            rx.el.button(
                "Disattiva",
                type="button",
                aria_label="Disattiva " + nome,
                class_name="pulsante-piccolo",
                on_click=PersoneState.chiedi(nome, "disattiva"),
            ),
            rx.el.button(
                "Riattiva",
                type="button",
                aria_label="Riattiva " + nome,
                class_name="pulsante-piccolo",
                on_click=PersoneState.riattiva(nome),
            ),
        ),
        rx.el.button(
            "Rendi " + persona["altro_ruolo"].to(str),
            type="button",
            aria_label="Cambia ruolo di " + nome + ": " + persona["altro_ruolo"].to(str),
            class_name="pulsante-piccolo",
            on_click=PersoneState.chiedi(nome, "ruolo"),
        ),
        rx.el.button(
            "Reimposta password",
            type="button",
            aria_label="Reimposta password di " + nome,
            class_name="pulsante-piccolo",
            on_click=PersoneState.chiedi(nome, "reimposta"),
        ),
        class_name="azioni-persona",
    )


def _link() -> rx.Component:
    """The last link made: its address to copy, a copy button, and its QR code."""
    return rx.el.div(
        rx.el.p("Link per «", PersoneState.link_per, "», valido 72 ore e una volta sola:"),
        rx.el.input(
            value=PersoneState.link,
            read_only=True,
            id="link-invito",
            aria_label="Link da dare a " + PersoneState.link_per,
            class_name="link-invito",
        ),
        rx.el.button(
            "Copia il link",
            type="button",
            class_name="pulsante pulsante-secondario",
            on_click=rx.set_clipboard(PersoneState.link),
        ),
        rx.el.img(
            src=PersoneState.qr_link,
            alt="Codice QR del link per " + PersoneState.link_per,
            class_name="qr-invito",
        ),
        class_name="link-persona",
    )


def _persona(persona: Var) -> rx.Component:
    nome = persona["nome"].to(str)
    return rx.el.li(
        rx.el.p(rx.el.strong(nome), " · ", persona["ruolo"], " · ", persona["stato"]),
        rx.el.p(
            "Ultimo accesso: ",
            persona["ultimo"],
            " · sessioni aperte: ",
            persona["sessioni"],
            class_name="motivo",
        ),
        _azioni(persona),
        rx.cond(
            PersoneState.conferma.split(":")[0] == nome,
            _domanda(persona),
        ),
        rx.cond(
            PersoneState.esito_per == nome,
            rx.el.p(PersoneState.esito, id=ESITO, tab_index=-1, class_name="esito-persona"),
        ),
        rx.cond(PersoneState.link_per == nome, rx.cond(PersoneState.link != "", _link())),
        class_name="persona",
    )


def _invito() -> rx.Component:
    """ "Invita una persona": name and role."""
    return rx.el.form(
        rx.el.h3("Invita una persona"),
        rx.el.div(
            rx.el.label("Nome utente", html_for=NOME_INVITO),
            rx.el.input(
                id=NOME_INVITO,
                name="nome",
                type="text",
                required=True,
                max_length=64,
                auto_complete="off",
            ),
            class_name="campo",
        ),
        rx.el.div(
            rx.el.label("Ruolo", html_for="ruolo-invito"),
            rx.el.select(
                rx.el.option("redattore: modifica e propone", value=REDATTORE),
                rx.el.option("responsabile: pubblica e gestisce le persone", value=RESPONSABILE),
                id="ruolo-invito",
                name="ruolo",
            ),
            class_name="campo",
        ),
        rx.cond(
            PersoneState.errore_invito != "",
            rx.el.p(PersoneState.errore_invito, role="alert", class_name="avviso"),
        ),
        rx.el.button("Crea invito", type="submit", class_name="pulsante"),
        on_submit=PersoneState.invita,
        reset_on_submit=True,
        class_name="modulo-invito",
    )


def pulsante_persone() -> rx.Component:
    """ "Persone", among the tools: opens and closes the panel."""
    return rx.el.button(
        "Persone",
        type="button",
        id="apri-persone",
        class_name="pulsante pulsante-secondario",
        aria_expanded=rx.cond(PersoneState.aperto, "true", "false"),
        aria_controls=PANNELLO,
        on_click=PersoneState.apri_persone,
    )


def pannello_persone() -> rx.Component:
    """The panel, when open."""
    return rx.cond(
        PersoneState.aperto,
        rx.el.section(
            rx.el.h2("Persone", class_name="cronologia-titolo"),
            rx.el.ul(rx.foreach(PersoneState.persone, _persona), class_name="elenco-persone"),
            _invito(),
            rx.el.button(
                "Chiudi Persone",
                type="button",
                class_name="pulsante pulsante-secondario",
                on_click=PersoneState.apri_persone,
            ),
            id=PANNELLO,
            tab_index=-1,
            aria_label="Persone",
            class_name="cronologia pannello-persone",
        ),
    )
