"""Edit controls drawn on the page itself, visible only to logged-in staff in edit mode."""

import reflex as rx
from reflex.vars import FunctionVar, Var
from reflex_base.event import EventChain

from serena_app.etichette import id_controllo
from serena_app.models import SEZIONE_MAX, TESTO_MAX, TITOLO_MAX
from serena_app.state.modifica import ModificaState
from serena_app.state.sessione import SessioneState

in_modifica = (SessioneState.nome_staff != "") & ModificaState.modifica_attiva

# Escape cancels the open editor, as its "Annulla" button does (Reflex passes the key name).
_ESC_ANNULLA = Var(
    "(tasto) => { if (tasto === 'Escape') document.getElementById('modifica-annulla')?.click(); }"
).to(FunctionVar, EventChain)

CAMPI = {
    "anno": ("Anno (facoltativo)", False, 4),
    "titolo": ("Titolo", False, TITOLO_MAX),
    "testo": ("Testo", True, TESTO_MAX),
}


def _id(azione: str, chiave: str | Var) -> str | Var:
    if isinstance(chiave, str):
        return id_controllo(azione, chiave)
    return f"{azione}-" + chiave.to(str).replace(":", "-")


def _campo(nome: str, etichetta: str, multilinea: bool, massimo: int, primo: bool):
    errore = ModificaState.errori[nome].to(str)
    props = {
        "id": f"modifica-{nome}",
        "name": nome,
        "default_value": ModificaState.bozza[nome].to(str),
        "max_length": massimo + 200,  # the server gives the clear message past the limit
        "aria_invalid": rx.cond(errore, "true", "false"),
        "aria_describedby": f"errore-{nome}",
        "auto_focus": primo,
        "on_key_down": _ESC_ANNULLA,
    }
    controllo = (
        rx.el.textarea(rows=8 if massimo > TESTO_MAX else 5, **props)
        if multilinea
        else rx.el.input(type="text", inputmode="numeric" if nome == "anno" else "text", **props)
    )
    return rx.el.div(
        rx.el.label(etichetta, html_for=f"modifica-{nome}"),
        controllo,
        rx.el.p(errore, id=f"errore-{nome}", class_name="errore-campo"),
        class_name="campo",
    )


def editor(campi: list[str], **etichette: str) -> rx.Component:
    """The open editor's form: labelled fields, "Salva" and "Annulla"; Escape cancels.

    Args:
        campi: Field names from `CAMPI`, or ["sezione"] for a section's running text.
        **etichette: Labels that replace the default ones, by field name.
    """
    definizioni = dict(CAMPI)
    if campi == ["sezione"]:
        campi, definizioni["testo"] = ["testo"], ("Testo", True, SEZIONE_MAX)
    for nome, etichetta in etichette.items():
        definizioni[nome] = (etichetta, *definizioni[nome][1:])
    return rx.el.form(
        *[_campo(c, *definizioni[c], primo=i == 0) for i, c in enumerate(campi)],
        rx.cond(
            ModificaState.conflitto != "",
            rx.el.div(
                rx.el.p(
                    "Nel frattempo un’altra persona ha salvato questa versione:",
                    class_name="conflitto-titolo",
                ),
                rx.el.blockquote(ModificaState.conflitto, class_name="conflitto-testo"),
                rx.el.p(
                    "Il tuo testo è ancora nei campi qui sopra: premi «Salva» per sostituire "
                    "quella versione con la tua, oppure «Annulla» per tenerla."
                ),
                role="alert",
                class_name="conflitto",
            ),
        ),
        rx.el.div(
            rx.el.button("Salva", type="submit", class_name="pulsante"),
            rx.el.button(
                "Annulla",
                type="button",
                id="modifica-annulla",
                class_name="pulsante pulsante-secondario",
                on_click=ModificaState.annulla,
            ),
            class_name="azioni-modulo",
        ),
        on_submit=ModificaState.salva,
        reset_on_submit=False,
        class_name="editor",
    )


def pulsante_modifica(chiave: str, nome: str) -> rx.Component:
    """The "Modifica …" button that opens a section's editor."""
    return rx.el.button(
        f"Modifica {nome}",
        type="button",
        id=id_controllo("apri", chiave),
        class_name="pulsante-piccolo",
        on_click=ModificaState.apri(chiave),
    )


def controlli_elemento(tipo: str, ident: Var, numero: Var, titolo: Var) -> rx.Component:
    """Modifica / Sposta su / Sposta giù / Elimina for a milestone or value, and the
    confirmation that deleting asks for."""
    chiave = f"{tipo}:" + ident.to_string()
    nome = f"{tipo} " + numero.to_string()
    return rx.cond(
        ModificaState.da_eliminare == chiave,
        rx.el.div(
            rx.el.p(
                f"Eliminare la {tipo} «" if tipo == "tappa" else "Eliminare il valore «",
                titolo,
                "»?",
            ),
            rx.el.button(
                "Conferma eliminazione",
                type="button",
                class_name="pulsante pulsante-pericolo",
                on_click=ModificaState.elimina,
                auto_focus=True,
            ),
            rx.el.button(
                "Annulla",
                type="button",
                class_name="pulsante pulsante-secondario",
                on_click=ModificaState.annulla,
            ),
            role="group",
            aria_label="Conferma eliminazione",
            class_name="conferma",
        ),
        rx.el.div(
            *[
                rx.el.button(
                    testo,
                    type="button",
                    id=_id(azione, chiave),
                    aria_label=f"{testo} " + nome,
                    class_name="pulsante-piccolo",
                    on_click=evento,
                )
                for azione, testo, evento in (
                    ("apri", "Modifica", ModificaState.apri(chiave)),
                    ("su", "Sposta su", ModificaState.sposta(chiave, -1)),
                    ("giu", "Sposta giù", ModificaState.sposta(chiave, 1)),
                    ("elimina", "Elimina", ModificaState.chiedi_eliminazione(chiave)),
                )
            ],
            class_name="controlli",
        ),
    )


def pulsante_aggiungi(tipo: str, testo: str) -> rx.Component:
    """ "Aggiungi tappa" / "Aggiungi valore"."""
    return rx.el.button(
        testo,
        type="button",
        id=id_controllo("aggiungi", tipo),
        class_name="pulsante pulsante-secondario",
        on_click=ModificaState.aggiungi(tipo),
    )
