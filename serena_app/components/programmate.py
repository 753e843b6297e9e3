"""Scheduled publishes in the staff bar (responsabili, edit mode): "Pubblica più tardi…", its
dialog (a date and a time, Italian time) and the list of scheduled ones with "Annulla la
programmazione". Among the same tools as "Annulla ultima modifica", their ways back say what
they do in words, never a bare "Annulla"."""

import reflex as rx

from serena_app.state.programmate import (
    CAMPO_DATA,
    ERRORE_PROGRAMMAZIONE,
    PUBBLICA_PIU_TARDI,
    ProgrammateState,
)

TITOLO_DIALOGO = "titolo-programmazione"
TITOLO_ELENCO = "titolo-programmate"


def pulsante_programma() -> rx.Component:
    """ "Pubblica più tardi…", among the tools."""
    return rx.el.button(
        "Pubblica più tardi…",
        type="button",
        id=PUBBLICA_PIU_TARDI,
        class_name="pulsante pulsante-secondario",
        aria_haspopup="dialog",
        aria_expanded=rx.cond(ProgrammateState.dialogo, "true", "false"),
        on_click=ProgrammateState.apri_programmazione,
    )


def _campo(etichetta: str, id_: str, nome: str, tipo: str, **props) -> rx.Component:
    errore = ProgrammateState.errore_programmazione != ""
    return rx.el.div(
        rx.el.label(etichetta, html_for=id_),
        rx.el.input(
            type=tipo,
            id=id_,
            name=nome,
            aria_invalid=rx.cond(errore, "true", "false"),
            aria_describedby=ERRORE_PROGRAMMAZIONE,
            **props,
        ),
        class_name="campo",
    )


def dialogo_programmazione() -> rx.Component:
    """The date and the time (Rome) of a scheduled publish, "Programma" and "No, torna indietro"."""
    return rx.el.div(
        rx.el.p("Pubblica più tardi", id=TITOLO_DIALOGO, class_name="conferma-titolo"),
        rx.el.p(
            "Alla data e all’ora scelte (ora italiana) saranno pubblicate le bozze come "
            "saranno in quel momento, anche se nessuno ha la pagina aperta."
        ),
        rx.el.form(
            _campo("Data", CAMPO_DATA, "data", "date"),
            _campo("Ora (ora italiana)", "programma-ora", "ora", "time", step="1"),
            rx.el.p(
                ProgrammateState.errore_programmazione,
                id=ERRORE_PROGRAMMAZIONE,
                role="alert",
                class_name="errore-campo",
            ),
            rx.el.div(
                rx.el.button("Programma", type="submit", class_name="pulsante"),
                rx.el.button(
                    "No, torna indietro",
                    type="button",
                    class_name="pulsante pulsante-secondario",
                    on_click=ProgrammateState.chiudi_programmazione,
                ),
                class_name="azioni-modulo",
            ),
            on_submit=ProgrammateState.programma,
            reset_on_submit=False,
        ),
        role="dialog",
        aria_labelledby=TITOLO_DIALOGO,
        class_name="conferma-bozze",
    )


def _voce(voce: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.span(voce["testo"]),
        rx.cond(
            voce["annullabile"] != "",
            rx.el.button(
                "Annulla la programmazione",
                type="button",
                class_name="pulsante-piccolo",
                aria_label="Annulla la pubblicazione programmata: " + voce["testo"].to(str),
                on_click=ProgrammateState.annulla_programmata(voce["id"].to(int)),
            ),
        ),
    )


def elenco_programmate() -> rx.Component:
    """The scheduled publishes (when, in Italian time, who), and those just run or failed."""
    return rx.el.section(
        rx.el.p("Pubblicazioni programmate", id=TITOLO_ELENCO, class_name="conferma-titolo"),
        rx.cond(
            ProgrammateState.voci.length() > 0,
            rx.el.ul(rx.foreach(ProgrammateState.voci, _voce)),
            rx.el.p("Nessuna pubblicazione programmata.", class_name="motivo"),
        ),
        aria_labelledby=TITOLO_ELENCO,
        class_name="conferma-bozze elenco-programmate",
        on_mount=ProgrammateState.carica_programmate,
    )
