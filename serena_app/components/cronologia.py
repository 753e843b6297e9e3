"""The history panel in edit mode: an item's revisions (who, when, what changed word by word,
"Ripristina"), or the page's publishes; and the "Cronologia …" buttons that open it."""

import reflex as rx
from reflex.vars import Var

from serena_app.components.editor import in_modifica
from serena_app.contenuto.tipi import SEZIONE, SEZIONI, Tipo, Voce, id_controllo, id_in_elenco
from serena_app.contenuto.viste import RevisioneVista
from serena_app.state.cronologia import CronologiaState


def _stessa(tipo: Tipo, chiave: str, id: Var | int) -> Var:
    aperta = CronologiaState.aperta
    return (aperta.tipo == tipo.nome) & (aperta.chiave == chiave) & (aperta.id == id)


def pulsante_cronologia_sezione(chiave: str) -> rx.Component:
    """ "Cronologia mission": opens a section's history."""
    return rx.el.button(
        f"Cronologia {SEZIONI[chiave]}",
        type="button",
        id=id_controllo("cronologia", Voce(SEZIONE.nome, chiave=chiave)),
        class_name="pulsante-piccolo",
        on_click=CronologiaState.apri_cronologia(SEZIONE.nome, chiave),
    )


def pulsante_cronologia(tipo: Tipo, id: Var, nome: Var) -> rx.Component:
    """ "Cronologia" (named "Cronologia valore 3") for a milestone or value."""
    return rx.el.button(
        "Cronologia",
        type="button",
        id=id_in_elenco("cronologia", tipo.nome, id.to_string()),
        aria_label="Cronologia " + nome,
        class_name="pulsante-piccolo",
        on_click=CronologiaState.apri_cronologia(tipo.nome, id),
    )


def _quando(revisione: Var) -> rx.Component:
    """ "3 minuti fa", with the exact time on hover and on keyboard focus."""
    return rx.el.time(
        revisione.quando,
        date_time=revisione.iso,
        title=revisione.esatto,
        tab_index=0,
        aria_label=revisione.quando + " (" + revisione.esatto + ")",
        data_esatto=revisione.esatto,
        class_name="quando",
    )


def _pezzo(pezzo: Var) -> rx.Component:
    return rx.match(
        pezzo.tipo,
        ("aggiunto", rx.el.ins(rx.el.span("aggiunto: ", class_name="solo-lettori"), pezzo.testo)),
        ("tolto", rx.el.del_(rx.el.span("tolto: ", class_name="solo-lettori"), pezzo.testo)),
        rx.el.span(pezzo.testo),
    )


def _revisione(revisione: Var[RevisioneVista], pagina_intera: bool) -> rx.Component:
    evento = (
        CronologiaState.ripristina_pagina(revisione.numero)
        if pagina_intera
        else CronologiaState.ripristina(revisione.numero)
    )
    return rx.el.li(
        rx.el.p(
            rx.el.strong(revisione.azione),
            " · ",
            revisione.autore,
            " · ",
            _quando(revisione),
            class_name="revisione-testa",
        ),
        rx.cond(
            revisione.pezzi.length() > 0,
            rx.el.p(rx.foreach(revisione.pezzi, _pezzo), class_name="differenza"),
        ),
        rx.cond(
            revisione.ripristinabile,
            rx.el.button(
                "Ripristina questa versione" if pagina_intera else "Ripristina",
                type="button",
                aria_label=(
                    "Ripristina la pagina pubblicata "
                    if pagina_intera
                    else "Ripristina la versione di "
                )
                + revisione.quando,
                class_name="pulsante-piccolo",
                on_click=evento,
            ),
        ),
        class_name="revisione",
    )


def _pannello(titolo: Var | str, revisioni: Var, pagina_intera: bool) -> rx.Component:
    return rx.el.section(
        rx.el.h3(titolo, class_name="cronologia-titolo"),
        rx.cond(
            revisioni.length() > 0,
            rx.el.ol(rx.foreach(revisioni, lambda r: _revisione(r, pagina_intera))),
            rx.el.p("Nessuna pubblicazione finora." if pagina_intera else "Nessuna versione."),
        ),
        rx.el.button(
            "Chiudi cronologia",
            type="button",
            class_name="pulsante pulsante-secondario",
            on_click=CronologiaState.chiudi_cronologia,
        ),
        id="cronologia-pannello",
        tab_index=-1,
        aria_label=titolo,
        class_name="cronologia",
    )


def cronologia_di(
    tipo: Tipo, titolo: str | Var, *, chiave: str = "", id: Var | int = 0
) -> rx.Component:
    """The item's history panel, where its history is open."""
    return rx.cond(
        in_modifica & _stessa(tipo, chiave, id),
        _pannello("Cronologia: " + titolo, CronologiaState.revisioni, pagina_intera=False),
    )


def cronologia_pagina() -> rx.Component:
    """The page's publishes, opened from the staff bar."""
    return rx.cond(
        in_modifica & CronologiaState.pubblicazioni_aperte,
        _pannello("Cronologia della pagina", CronologiaState.pubblicazioni, pagina_intera=True),
    )
