"""Writing help on the page, for staff in edit mode (`state/leggibilita.py`):

* under each open editor, its figures (the readability index with its band, words and
  reading time, the sentences to split, plain-language hints), which follow the typing; they
  are never a live region, so a screen reader hears them only on "Leggi i suggerimenti";
* "Leggibilità della pagina", a panel of the staff bar: the working copy's figures, its
  hardest item with a button that opens it;
* in the publish confirmation, how publishing changes the figures.
"""

import reflex as rx

from serena_app.contenuto.tipi import Campo
from serena_app.lingue import INGLESE, ITALIANO, LINGUA_STAFF, lingua
from serena_app.state.leggibilita import PAUSA_MS, LeggibilitaState
from serena_app.state.presenza import PresenzaState
from serena_app.state.redazione import RedazioneState

PANNELLO = "leggibilita-pagina"  # the id of the page summary (focus goes to its title)
CONSIGLI = "Sono consigli: non impediscono di salvare."
SPIEGAZIONE = {
    ITALIANO: "Gulpease va da 0 a 100: più è alto, più il testo è facile. Sotto 60 è difficile "
    "per chi ha la licenza media, sotto 40 anche per chi ha il diploma. " + CONSIGLI,
    INGLESE: "Flesch, la formula fatta per l’inglese: più è alto, più il testo è facile. Da 60 "
    "a 69 è l’inglese di tutti i giorni, sotto 50 serve la scuola superiore. " + CONSIGLI,
}
"""Under the page summary, what its index means (the page is built once per language)."""


def segue_il_testo(campo: Campo) -> dict:
    """The props that send a field's text after each pause in typing, and when it loses
    focus (moving to another field within the pause would drop the pause's last text); not
    while the connection is down (`temporal`)."""
    return {
        "on_change": lambda testo: (
            LeggibilitaState.misura(campo.nome, testo).debounce(PAUSA_MS).temporal
        ),
        "on_blur": lambda testo: LeggibilitaState.misura(campo.nome, testo).temporal,
    }


def _elenco(voci: rx.Var, titolo: str, id_html: str) -> rx.Component:
    return rx.cond(
        voci.length() > 0,
        rx.fragment(
            rx.el.p(titolo, id=id_html, class_name="leggibilita-titolo"),
            rx.el.ul(rx.foreach(voci, lambda v: rx.el.li(v)), aria_labelledby=id_html),
        ),
    )


def figure_editor() -> rx.Component:
    """The open editor's figures and hints, and "Leggi i suggerimenti"."""
    return rx.el.div(
        rx.el.p("Leggibilità", class_name="leggibilita-titolo", id="leggibilita-editor-titolo"),
        _figure(RedazioneState.figure),
        rx.el.button(
            "Leggi i suggerimenti",
            type="button",
            id="leggi-suggerimenti",
            class_name="pulsante-piccolo",
            on_click=LeggibilitaState.leggi,
        ),
        rx.el.p(LeggibilitaState.letto, aria_live="polite", class_name="solo-lettori"),
        role="group",
        aria_labelledby="leggibilita-editor-titolo",
        lang=LINGUA_STAFF,
        class_name="leggibilita",
    )


def _figure(figure: rx.Var) -> rx.Component:
    return rx.fragment(
        rx.cond(
            figure.indice != "",
            rx.fragment(
                rx.el.p(figure.indice, class_name="leggibilita-indice"),
                rx.el.p(figure.quantita),
            ),
            rx.el.p("Scrivi il testo: qui compaiono le misure di leggibilità."),
        ),
        _elenco(
            figure.lunghe,
            "Frasi da dividere (più di 25 parole):",
            "leggibilita-frasi-lunghe",
        ),
        _elenco(figure.suggerimenti, "Suggerimenti:", "leggibilita-suggerimenti"),
    )


def pulsante_pagina() -> rx.Component:
    """ "Leggibilità della pagina", among the edit-mode tools."""
    return rx.el.button(
        "Leggibilità della pagina",
        type="button",
        id="apri-leggibilita",
        class_name="pulsante pulsante-secondario",
        aria_expanded=rx.cond(LeggibilitaState.pannello, "true", "false"),
        aria_controls=PANNELLO,
        on_click=LeggibilitaState.apri_pagina,
    )


def pannello_pagina() -> rx.Component:
    """The working copy's figures in the language of this page, its hardest item, and what
    the index means."""
    pagina = LeggibilitaState.pagina
    return rx.cond(
        LeggibilitaState.pannello,
        rx.el.section(
            rx.el.h2("Leggibilità della pagina", id=f"{PANNELLO}-titolo"),
            rx.cond(
                pagina.indice != "",
                rx.fragment(
                    rx.el.p(pagina.indice, class_name="leggibilita-indice"),
                    rx.el.p(pagina.quantita),
                    rx.el.p(pagina.lunghe),
                    rx.el.p(
                        "Il testo più difficile: ",
                        rx.el.strong(pagina.peggiore),
                        " ",
                        rx.el.button(
                            "Apri il testo",
                            type="button",
                            class_name="pulsante-piccolo",
                            on_click=[
                                PresenzaState.apri(pagina.peggiore_tipo, pagina.peggiore_chiave),
                                LeggibilitaState.al_testo,
                            ],
                        ),
                    ),
                    rx.cond(pagina.escluse != "", rx.el.p(pagina.escluse)),
                ),
                rx.el.p("La pagina non ha ancora testo da misurare."),
            ),
            rx.el.p(SPIEGAZIONE[lingua()], class_name="leggibilita-spiegazione"),
            rx.el.button(
                "Chiudi",
                type="button",
                class_name="pulsante pulsante-secondario",
                on_click=LeggibilitaState.chiudi_pagina,
            ),
            id=PANNELLO,
            aria_labelledby=f"{PANNELLO}-titolo",
            lang=LINGUA_STAFF,
            class_name="leggibilita leggibilita-pagina",
        ),
    )


def confronto_pubblicazione() -> rx.Component:
    """In the publish confirmation: "Italiano: Gulpease 48 → 55; frasi oltre 25 parole 9 →
    7."."""
    return _elenco(
        RedazioneState.leggibilita_dopo,
        "Leggibilità dopo la pubblicazione:",
        "leggibilita-confronto",
    )
