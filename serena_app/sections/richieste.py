"""Publication requests in the staff bar: a redattore's "Chiedi la pubblicazione" with its
dialog and the outcome of their request; a responsabile's "Richieste di pubblicazione" with
the open request, "Pubblica" and "Rimanda"."""

import reflex as rx

from serena_app.components.editor import contatore
from serena_app.demo import modalita
from serena_app.pubblicazione.richieste import MESSAGGIO_MASSIMO
from serena_app.state.richieste import (
    CHIEDI,
    INVIA,
    MESSAGGIO,
    NOTA,
    PUBBLICA_RICHIESTA,
    RICHIESTE,
    RichiesteState,
)

CONTEGGIO = "conteggio-richieste"
APRI = RICHIESTE + "-apri"  # the id of "Richieste di pubblicazione" among the tools
in_attesa = RichiesteState.richiesta_id != 0


def pulsante_chiedi(**se_ci_sono_bozze) -> rx.Component:
    """A redattore's "Chiedi la pubblicazione", where a responsabile has "Pubblica"."""
    return rx.el.button(
        # On a phone the short word keeps the bar one line beside its status.
        rx.el.span("Chiedi", class_name="breve"),
        rx.el.span("Chiedi la pubblicazione", class_name="esteso"),
        aria_label="Chiedi la pubblicazione",
        type="button",
        id=CHIEDI,
        class_name="pulsante",
        on_click=RichiesteState.chiedi,
        **se_ci_sono_bozze,
    )


def _campo(nome: str, id_: str, etichetta: str, errore: rx.Var) -> rx.Component:
    """A message or a note: a live count against its limit, as the editors' fields have; no
    maxlength (it would cut a paste silently): the server refuses a long one in words and
    she shortens it herself."""
    return rx.el.div(
        rx.el.label(etichetta, html_for=id_),
        rx.el.textarea(
            id=id_,
            name=nome,
            rows=3,
            data_massimo=MESSAGGIO_MASSIMO,
            aria_invalid=rx.cond(errore != "", "true", "false"),
            aria_describedby=f"errore-{id_} conta-{nome}",
        ),
        *contatore(nome),
        rx.el.p(errore, id=f"errore-{id_}", class_name="errore-campo"),
        class_name="campo",
    )


def dialogo_richiesta() -> rx.Component:
    """The request: the changes it asks to publish, an optional message, "Invia la richiesta"."""
    return rx.cond(
        RichiesteState.chiedendo,
        rx.el.form(
            rx.el.p(
                "Chiedere a un responsabile di pubblicare queste modifiche?",
                class_name="conferma-titolo",
            ),
            rx.el.ul(rx.foreach(RichiesteState.elenco_richiesta, lambda m: rx.el.li(m))),
            _campo(
                "messaggio",
                MESSAGGIO,
                "Messaggio per chi pubblica (facoltativo)",
                RichiesteState.errore_messaggio,
            ),
            rx.el.div(
                rx.el.button("Invia la richiesta", type="submit", id=INVIA, class_name="pulsante"),
                rx.el.button(
                    "No, torna indietro",
                    type="button",
                    class_name="pulsante pulsante-secondario",
                    on_click=RichiesteState.annulla_richiesta,
                ),
                class_name="azioni-modulo",
            ),
            on_submit=RichiesteState.invia,
            aria_label="Richiesta di pubblicazione",
            class_name="conferma-bozze",
        ),
    )


def esito_richiesta() -> rx.Component:
    """The outcome of the redattore's request, live or at their next visit."""
    return rx.cond(
        RichiesteState.esito_richiesta != "",
        rx.el.div(
            rx.el.p(RichiesteState.esito_richiesta, role="status"),
            rx.el.button(
                "Chiudi",
                type="button",
                class_name="pulsante pulsante-secondario",
                on_click=RichiesteState.chiudi_esito,
            ),
            class_name="esito-richiesta",
        ),
    )


def conteggio() -> rx.Component:
    """On "Strumenti", for a responsabile: a badge while a request waits (the button is
    described by `descrizione_conteggio`, its name stays "Strumenti")."""
    return rx.cond(in_attesa, rx.el.span("1", aria_hidden="true", class_name="conteggio"))


def descrizione_conteggio() -> rx.Component:
    """What the badge says, in words, for the button it describes (never shown)."""
    return rx.el.span(
        rx.cond(in_attesa, "1 richiesta di pubblicazione in attesa", ""),
        id=CONTEGGIO,
        hidden=True,
    )


def pulsante_richieste() -> rx.Component:
    """Among a responsabile's tools: "Richieste di pubblicazione" and how many wait (none in
    the demo: its editor publishes their own sandbox)."""
    if modalita.attiva():
        return rx.fragment()
    return rx.el.button(
        "Richieste di pubblicazione",
        rx.cond(in_attesa, " (1)", ""),
        type="button",
        id=APRI,
        class_name="pulsante pulsante-secondario",
        on_click=RichiesteState.apri_richieste,
    )


def _richiesta() -> rx.Component:
    cambiate = RichiesteState.cambiate.length() > 0
    return rx.el.div(
        rx.el.p(
            rx.el.strong(RichiesteState.richiesta_chi),
            " chiede di pubblicare (" + RichiesteState.richiesta_quando + "):",
        ),
        rx.el.ul(rx.foreach(RichiesteState.richiesta_elenco, lambda m: rx.el.li(m))),
        rx.cond(
            RichiesteState.richiesta_messaggio != "",
            rx.el.blockquote(
                rx.el.p(RichiesteState.richiesta_messaggio), class_name="messaggio-richiesta"
            ),
        ),
        rx.cond(
            cambiate,
            rx.el.div(
                rx.el.p("Le bozze sono cambiate dopo la richiesta:", class_name="conferma-titolo"),
                rx.el.ul(rx.foreach(RichiesteState.cambiate, lambda m: rx.el.li(m))),
                rx.el.p("Pubblicando ora, pubblichi queste modifiche:"),
                rx.el.ul(rx.foreach(RichiesteState.elenco_attuale, lambda m: rx.el.li(m))),
                role="alert",
                class_name="cambiate",
            ),
        ),
        rx.el.div(
            rx.el.button(
                rx.cond(cambiate, "Pubblica le modifiche attuali", "Pubblica"),
                type="button",
                id=PUBBLICA_RICHIESTA,
                class_name="pulsante",
                on_click=RichiesteState.pubblica,
            ),
            class_name="azioni-modulo",
        ),
        rx.el.form(
            _campo(
                "nota", NOTA, "Nota per chi ha chiesto (facoltativa)", RichiesteState.errore_nota
            ),
            rx.el.div(
                rx.el.button("Rimanda", type="submit", class_name="pulsante pulsante-secondario"),
                class_name="azioni-modulo",
            ),
            on_submit=RichiesteState.rimanda,
            aria_label="Rimanda la richiesta",
        ),
    )


def pannello_richieste() -> rx.Component:
    """A responsabile's "Richieste di pubblicazione": the open request, or that none waits."""
    return rx.cond(
        RichiesteState.pannello,
        rx.el.section(
            rx.el.h2(
                "Richieste di pubblicazione",
                id=RICHIESTE,
                tab_index=-1,
                class_name="conferma-titolo",
            ),
            rx.cond(in_attesa, _richiesta(), rx.el.p("Nessuna richiesta in attesa.")),
            rx.el.button(
                "Chiudi",
                type="button",
                class_name="pulsante pulsante-secondario",
                on_click=RichiesteState.chiudi_richieste,
            ),
            aria_labelledby=RICHIESTE,
            class_name="conferma-bozze pannello-richieste",
        ),
    )
