"""The history panel in edit mode: an item's revisions (who, when, the version each would
restore as what changed word by word, a long text folded to its changed sentences with
"Mostra tutto"; "Ripristina la versione delle 17:02" where it would change the text, and
"Confronta con la versione attuale"), or the page's publishes; ten at a time, with "Mostra
versioni precedenti"; and the "Cronologia …" buttons that open it."""

import reflex as rx
from reflex.vars import Var

from serena_app.components.editor import in_modifica
from serena_app.contenuto.parole import id_controllo, id_in_elenco
from serena_app.contenuto.tipi import SEZIONE, SEZIONI, Tipo, Voce
from serena_app.contenuto.viste import RevisioneVista
from serena_app.lingue import LINGUA_STAFF
from serena_app.state.accesso import responsabile
from serena_app.state.cronologia import CronologiaState

TITOLO = "cronologia-titolo"  # the panel's heading, which names it


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
        ("aggiunto", rx.el.ins(_solo_lettori("aggiunto: "), pezzo.testo)),
        ("tolto", rx.el.del_(_solo_lettori("tolto: "), pezzo.testo)),
        rx.el.span(pezzo.testo),
    )


def _solo_lettori(testo: Var | str) -> rx.Component:
    """Words for screen readers only, of the (Italian) panel, inside a text of any language."""
    return rx.el.span(testo, lang=LINGUA_STAFF, class_name="solo-lettori")


def _intero(revisione: Var) -> rx.Component:
    """A long version's whole text, folded away until "Mostra tutto"."""
    return rx.el.details(
        rx.el.summary("Mostra tutto", _solo_lettori(", versione " + revisione.momento)),
        rx.el.p(revisione.testo, lang=revisione.lingua, class_name="testo-intero"),
        class_name="mostra-tutto",
    )


def _confronto(revisione: Var) -> rx.Component:
    """The entry's version against the current text: what was taken out since, and put in."""
    titolo = "Dalla versione " + revisione.momento + " alla versione attuale"
    return rx.el.div(
        rx.el.p(titolo + ": barrato ciò che è stato tolto, sottolineato ciò che è stato aggiunto."),
        rx.el.p(
            rx.foreach(CronologiaState.confronto, _pezzo),
            lang=revisione.lingua,
            class_name="differenza",
        ),
        id="confronto",
        role="group",
        aria_label=titolo,
        tab_index=-1,
        class_name="confronto",
    )


def _azioni(revisione: Var, pagina_intera: bool) -> rx.Component:
    """ "Ripristina la versione delle 17:02" (its time names it, one of a kind in the list)
    and, for an item, "Confronta con la versione attuale"."""
    if pagina_intera:  # a published version: only a responsabile restores one
        return rx.cond(
            responsabile,
            rx.el.button(
                "Ripristina la pagina " + revisione.momento,
                type="button",
                class_name="pulsante-piccolo",
                on_click=CronologiaState.ripristina_pagina(revisione.numero),
            ),
        )
    return rx.el.div(
        rx.el.button(
            "Ripristina la versione " + revisione.momento,
            type="button",
            class_name="pulsante-piccolo",
            on_click=CronologiaState.ripristina(revisione.numero),
        ),
        rx.el.button(
            "Confronta con la versione attuale",
            _solo_lettori(", versione " + revisione.momento),
            type="button",
            aria_expanded=rx.cond(CronologiaState.confrontata == revisione.numero, "true", "false"),
            class_name="pulsante-piccolo",
            on_click=CronologiaState.confronta(revisione.numero),
        ),
        class_name="revisione-azioni",
    )


def _revisione(revisione: Var[RevisioneVista], pagina_intera: bool) -> rx.Component:
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
            rx.el.p(
                rx.foreach(revisione.pezzi, _pezzo), lang=revisione.lingua, class_name="differenza"
            ),
        ),
        rx.cond(revisione.piegata, _intero(revisione)),
        rx.cond(revisione.ripristinabile, _azioni(revisione, pagina_intera)),
        *(
            []
            if pagina_intera
            else [rx.cond(CronologiaState.confrontata == revisione.numero, _confronto(revisione))]
        ),
        id="revisione-" + revisione.numero.to_string(),
        tab_index=-1,
        class_name="revisione",
    )


def _pannello(titolo: rx.Component, revisioni: Var, pagina_intera: bool) -> rx.Component:
    return rx.el.section(
        titolo,
        rx.cond(
            revisioni.length() > 0,
            rx.el.ol(rx.foreach(revisioni, lambda r: _revisione(r, pagina_intera))),
            rx.el.p("Nessuna pubblicazione finora." if pagina_intera else "Nessuna versione."),
        ),
        rx.cond(
            CronologiaState.precedenti,
            rx.el.button(
                "Mostra pubblicazioni precedenti"
                if pagina_intera
                else "Mostra versioni precedenti",
                type="button",
                class_name="pulsante pulsante-secondario",
                on_click=CronologiaState.mostra_precedenti,
            ),
        ),
        rx.el.button(
            "Chiudi cronologia",
            type="button",
            class_name="pulsante pulsante-secondario",
            on_click=CronologiaState.chiudi_cronologia,
        ),
        id="cronologia-pannello",
        tab_index=-1,
        aria_labelledby=TITOLO,
        lang=LINGUA_STAFF,
        class_name="cronologia",
    )


def _titolo(*parti: rx.Component | Var | str) -> rx.Component:
    return rx.el.h3(*parti, id=TITOLO, class_name="cronologia-titolo")


def cronologia_di(
    tipo: Tipo,
    titolo: str | Var,
    *,
    chiave: str = "",
    id: Var | int = 0,
    lingua: Var | str = LINGUA_STAFF,
) -> rx.Component:
    """The item's history panel, where its history is open; `titolo`, the item's name, is
    read in `lingua` (an English title on `/en/`) inside the Italian panel."""
    nome = rx.el.span(titolo, lang=lingua)
    return rx.cond(
        in_modifica & _stessa(tipo, chiave, id),
        _pannello(_titolo("Cronologia: ", nome), CronologiaState.revisioni, pagina_intera=False),
    )


def cronologia_pagina() -> rx.Component:
    """The page's publishes, opened from the staff bar."""
    return rx.cond(
        in_modifica & CronologiaState.pubblicazioni_aperte,
        _pannello(
            _titolo("Cronologia della pagina"), CronologiaState.pubblicazioni, pagina_intera=True
        ),
    )
