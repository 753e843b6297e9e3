"""Edit controls drawn on the page itself, visible only to logged-in staff in edit mode.

Fields, labels and limits come from the kinds in `tipi.py`; control ids from `id_controllo`.
"""

import reflex as rx
from reflex.vars import Var

from serena_app.components.leggibilita import figure_editor, segue_il_testo
from serena_app.components.presenza import chi_sta_modificando
from serena_app.contenuto.parole import id_controllo, id_in_elenco
from serena_app.contenuto.tipi import SEZIONE, SEZIONI, Campo, Tipo, Voce
from serena_app.contenuto.traduzioni import STATI
from serena_app.contenuto.viste import MOTIVI_FERMO
from serena_app.lingue import ITALIANO, LINGUA_STAFF, lingua, percorso
from serena_app.state.accesso import AccessoState
from serena_app.state.presenza import PresenzaState
from serena_app.state.redazione import CONFERMA_ELIMINAZIONE, RIEPILOGO_ERRORI, RedazioneState
from serena_app.state.staff import StaffState

in_modifica = (AccessoState.nome_staff != "") & StaffState.modifica_attiva & ~StaffState.anteprima
"""Edit controls and draft markers show: a staff member in edit mode, not in the preview."""


def marcatore(firma: Var, traduzione: Var | None = None) -> rx.Component:
    """ "Bozza di anna · 30 novembre, 19:03" on an item with a draft, in edit mode only: said
    in words, not by colour alone. On the English page, also "Traduzione da aggiornare" or
    "Traduzione mancante" (`traduzione`: the item's `traduzioni.stato`; staff only: visitors'
    snapshots have none)."""
    bozza = rx.cond(
        in_modifica & firma.bool(), rx.el.p(firma, lang=LINGUA_STAFF, class_name="bozza")
    )
    if traduzione is None or lingua() == ITALIANO:
        return bozza
    return rx.fragment(
        bozza,
        rx.cond(
            in_modifica & traduzione.bool(),
            rx.el.p(
                rx.match(traduzione, *STATI.items(), ""),
                lang=LINGUA_STAFF,
                class_name="bozza traduzione",
            ),
        ),
    )


def _stessa(voce: Var, tipo: Tipo, chiave: str, id: Var | int) -> Var:
    return (voce.tipo == tipo.nome) & (voce.chiave == chiave) & (voce.id == id)


def esito_voce(tipo: Tipo, *, chiave: str = "", id: Var | int = 0) -> rx.Component:
    """Under an item in edit mode: what the last change did to it ("Salvata come bozza:
    pubblica dalla barra in alto."), one item at a time. A polite live region that is always
    there, so that it is heard when it fills; a list's (id 0) says a deletion."""
    return rx.el.p(
        rx.cond(_stessa(RedazioneState.esito, tipo, chiave, id), RedazioneState.esito_testo, ""),
        role="status",
        lang=LINGUA_STAFF,
        class_name="esito-voce",
    )


def editor_aperto(tipo: Tipo, *, chiave: str = "", id: Var | int = 0) -> Var:
    """Whether the editor of this item is open: a section by `chiave`, a milestone or value by
    `id` (0 for a new one)."""
    return in_modifica & _stessa(RedazioneState.aperto, tipo, chiave, id)


def contatore(nome: str) -> tuple[rx.Component, ...]:
    """The count of the field named `nome` (with `data-massimo`, anywhere on the page) against
    its limit ("1.850 / 2.000 caratteri"), kept by the page's script as she types
    (`salvaguardie.py`), and what a screen reader is told of it: only when it comes near the
    limit or passes it. The field is described by `conta-{nome}`."""
    return (
        rx.el.p(id=f"conta-{nome}", class_name="conta"),
        rx.el.p(id=f"conta-annuncio-{nome}", aria_live="polite", class_name="solo-lettori"),
    )


def _contatore(campo: Campo) -> tuple[rx.Component, ...]:
    """An editor field's counter, if its kind limits it."""
    return contatore(campo.nome) if campo.contato else ()


def _campo(campo: Campo, etichetta: str, righe: int, primo: bool) -> rx.Component:
    errore = RedazioneState.errori[campo.nome].to(str)
    descritto_da = f"errore-{campo.nome}" + (f" conta-{campo.nome}" if campo.contato else "")
    props = {
        "id": f"modifica-{campo.nome}",
        "name": campo.nome,
        "default_value": RedazioneState.campi[campo.nome].to(str),
        # No maxlength: it would cut a paste silently. The count shows the limit, the server
        # refuses past it with the rule's message, and she shortens the text herself.
        "aria_invalid": rx.cond(errore, "true", "false"),
        "aria_describedby": descritto_da,
        "auto_focus": primo,
        "lang": lingua(),  # what she types is in the page's language, the form around Italian
    }
    if campo.contato:
        props["data_massimo"] = campo.massimo
        props.update(segue_il_testo(campo))  # the figures under the form follow the typing
    controllo = (
        rx.el.textarea(rows=righe, **props)
        if campo.multilinea
        else rx.el.input(
            type="text", input_mode="numeric" if campo.nome == "anno" else "text", **props
        )
    )
    return rx.el.div(
        rx.el.label(etichetta, html_for=f"modifica-{campo.nome}"),
        controllo,
        *_contatore(campo),
        rx.el.p(errore, id=f"errore-{campo.nome}", class_name="errore-campo"),
        class_name="campo",
    )


def _riepilogo(etichette: dict[str, str]) -> rx.Component:
    """Above a form refused for several fields: how many, and a link to each with its message
    (focus goes here; a link puts focus in its field, by the page's script)."""
    errori = RedazioneState.errori
    return rx.cond(
        errori.keys().length() > 1,
        rx.el.div(
            rx.el.p(
                errori.keys().length().to_string() + " campi da correggere prima di salvare:",
                id=f"{RIEPILOGO_ERRORI}-titolo",
            ),
            rx.el.ul(
                *[
                    rx.cond(
                        errori[nome].to(str),
                        rx.el.li(
                            rx.el.a(
                                f"{etichetta}: ",
                                errori[nome].to(str),
                                href=f"#modifica-{nome}",
                                data_campo=f"modifica-{nome}",
                            )
                        ),
                    )
                    for nome, etichetta in etichette.items()
                ]
            ),
            id=RIEPILOGO_ERRORI,
            role="group",
            aria_labelledby=f"{RIEPILOGO_ERRORI}-titolo",
            tab_index=-1,
            class_name="riepilogo-errori",
        ),
    )


def pulsante_annulla(testo: str = "Annulla", **props) -> rx.Component:
    """ "Annulla" (or `testo`): closes the open editor or confirmation; nothing is saved."""
    return rx.el.button(
        testo,
        type="button",
        class_name="pulsante pulsante-secondario",
        on_click=RedazioneState.annulla,
        **props,
    )


def _conflitto() -> rx.Component:
    return rx.cond(
        RedazioneState.conflitto != "",
        rx.el.div(
            rx.el.p(
                "Nel frattempo un’altra persona ha salvato questa versione:",
                class_name="conflitto-titolo",
            ),
            rx.el.blockquote(RedazioneState.conflitto, lang=lingua(), class_name="conflitto-testo"),
            rx.el.p(
                "Il tuo testo è ancora nei campi qui sopra. Puoi premere «Salva» per "
                "sostituire quella versione con la tua, unire le due a mano nei campi e poi "
                "salvare, oppure partire dalla loro versione:"
            ),
            rx.el.button(
                "Usa la loro versione",
                type="button",
                class_name="pulsante pulsante-secondario",
                on_click=RedazioneState.usa_la_loro,
            ),
            role="alert",
            class_name="conflitto",
        ),
    )


def _solo_lettori(testo: str) -> rx.Component:
    return rx.el.span(testo, class_name="solo-lettori")


def _originale() -> rx.Component | str:
    """Above an English editor: the Italian to translate and, when the English is out of date,
    what changed in the Italian since it was saved (words taken out struck, put in marked)."""
    if lingua() == ITALIANO:
        return ""
    return rx.el.div(
        rx.el.p("Testo italiano da tradurre:", class_name="conflitto-titolo"),
        rx.el.blockquote(RedazioneState.originale, lang=ITALIANO, class_name="conflitto-testo"),
        rx.cond(
            RedazioneState.cambiato.length() > 0,
            rx.el.details(
                rx.el.summary(f"{STATI['da aggiornare']}: cosa è cambiato nell’italiano da allora"),
                rx.el.p(
                    rx.foreach(
                        RedazioneState.cambiato,
                        lambda p: rx.match(
                            p.tipo,
                            ("tolto", rx.el.del_(_solo_lettori("tolto: "), p.testo)),
                            ("aggiunto", rx.el.ins(_solo_lettori("aggiunto: "), p.testo)),
                            rx.el.span(p.testo),
                        ),
                    ),
                    lang=ITALIANO,
                    class_name="differenza",
                ),
                open=True,
            ),
        ),
        class_name="originale",
    )


def editor(tipo: Tipo, *, sezione: str = "") -> rx.Component:
    """The open editor's form: the kind's labelled fields with their counts, "Salva" and
    "Annulla", and the writing help (`components/leggibilita.py`); Escape cancels. A
    section's text is labelled with its name ("Testo: mission"). Refused for several fields,
    it lists them first. On the English page it edits the English ("Testo in inglese:
    mission"), under the Italian to translate."""
    campi = tipo.campi_in(lingua())
    etichette = {c.nome: c.etichetta for c in campi}
    if sezione:
        testo = campi[0]
        etichette[testo.nome] = f"{testo.etichetta}: {SEZIONI[sezione]}"
    righe = 5 if tipo.in_elenco else 8  # a section's running text is the longest
    return rx.el.form(
        _originale(),
        _riepilogo(etichette),
        *[_campo(c, etichette[c.nome], righe, primo=i == 0) for i, c in enumerate(campi)],
        _conflitto(),
        rx.el.div(
            rx.el.button("Salva", type="submit", class_name="pulsante"),
            # Escape anywhere in the form presses it; with typed text it asks first (both
            # by the page's script, `salvaguardie.py`).
            pulsante_annulla(id="modifica-annulla", data_annulla="true"),
            class_name="azioni-modulo",
        ),
        figure_editor(),
        on_submit=RedazioneState.salva,
        reset_on_submit=False,
        lang=LINGUA_STAFF,
        # Names who types and the item, so unsaved typing is kept per person and item
        # (`components/salvaguardie.py`): it never comes back in a colleague's editor.
        data_voce=AccessoState.nome_staff
        + ":"
        + RedazioneState.aperto.tipo
        + ":"
        + RedazioneState.aperto.chiave
        + ":"
        + RedazioneState.aperto.id.to_string(),
        class_name="editor",
    )


def pulsante_modifica(chiave: str) -> rx.Component:
    """The "Modifica …" button that opens a section's editor."""
    id_html = id_controllo("apri", Voce(SEZIONE.nome, chiave=chiave))
    return rx.fragment(
        rx.el.button(
            f"Modifica {SEZIONI[chiave]}",
            type="button",
            id=id_html,
            lang=LINGUA_STAFF,
            class_name="pulsante-piccolo",
            # Asks first if someone else has it open (`state/presenza.py`).
            on_click=PresenzaState.apri(SEZIONE.nome, chiave),
        ),
        chi_sta_modificando(id_html),
    )


def _conferma_eliminazione(tipo: Tipo, titolo: Var) -> rx.Component:
    return rx.el.div(
        rx.el.p(f"Eliminare {tipo.articolo} {tipo.nome} «", titolo, "»?"),
        rx.el.button(
            "Conferma eliminazione",
            type="button",
            id=CONFERMA_ELIMINAZIONE,
            class_name="pulsante pulsante-pericolo",
            on_click=RedazioneState.elimina,
        ),
        pulsante_annulla(),
        role="group",
        aria_label="Conferma eliminazione",
        lang=LINGUA_STAFF,
        class_name="conferma",
    )


def _motivo(codice: Var, id_html: Var) -> rx.Component:
    """Why a move is not possible (`viste.MOTIVI_FERMO`), shown under the controls; nothing
    for "" (the move is possible)."""
    return rx.el.p(
        rx.match(codice, *MOTIVI_FERMO.items(), ""),
        id=id_html,
        class_name="motivo",
    )


def controlli_elemento(
    tipo: Tipo,
    id: Var,
    numero: Var,
    titolo: Var,
    *altri: rx.Component,
    su: Var,
    giu: Var,
) -> rx.Component:
    """Modifica / Sposta su / Sposta giù / Elimina (and `altri`) for a milestone or value, and
    the confirmation that deleting asks for. A move that would be refused (`su`, `giu`: why,
    see `pagina.fermo`) is disabled, and its reason shown once."""
    nome = f"{tipo.nome} " + numero.to_string()
    motivo_su = id_in_elenco("motivo-su", tipo.nome, id.to_string())
    motivo_giu = id_in_elenco("motivo-giu", tipo.nome, id.to_string())
    stesso = giu == su  # e.g. both moves would break year order: said once
    pulsanti = (
        ("apri", "Modifica", PresenzaState.apri(tipo.nome, id), {}),
        (
            "su",
            "Sposta su",
            RedazioneState.sposta(tipo.nome, id, -1),
            {"disabled": su != "", "aria_describedby": rx.cond(su != "", motivo_su, "")},
        ),
        (
            "giu",
            "Sposta giù",
            RedazioneState.sposta(tipo.nome, id, 1),
            {
                "disabled": giu != "",
                "aria_describedby": rx.cond(giu != "", rx.cond(stesso, motivo_su, motivo_giu), ""),
            },
        ),
        ("elimina", "Elimina", RedazioneState.chiedi_eliminazione(tipo.nome, id), {}),
    )
    if lingua() != ITALIANO:  # the list's shape is the Italian page's (`pulsante_aggiungi`)
        pulsanti = pulsanti[:1]
    return rx.cond(
        _stessa(RedazioneState.da_eliminare, tipo, "", id),
        _conferma_eliminazione(tipo, titolo),
        rx.el.div(
            *[
                rx.el.button(
                    testo,
                    type="button",
                    id=id_in_elenco(azione, tipo.nome, id.to_string()),
                    aria_label=f"{testo} " + nome,
                    class_name="pulsante-piccolo",
                    on_click=evento,
                    **stato,
                )
                for azione, testo, evento, stato in pulsanti
            ],
            *altri,
            chi_sta_modificando(id_in_elenco("apri", tipo.nome, id.to_string())),
            _motivo(su, motivo_su),
            _motivo(rx.cond(stesso, "", giu), motivo_giu),
            lang=LINGUA_STAFF,
            class_name="controlli",
        ),
    )


def pulsante_aggiungi(tipo: Tipo) -> rx.Component:
    """ "Aggiungi tappa" / "Aggiungi valore", and under it what a deletion from the list did
    (focus comes back here). On the English page, where it would be: that adding, moving and
    deleting are done on the Italian page, with a link to it. Both pages show the same items
    in the same order, each an Italian text first: an item added in English would have no
    Italian, the site's own language, and a move or a deletion is not a translation."""
    if lingua() != ITALIANO:
        return rx.el.p(
            f"Per aggiungere, spostare o eliminare {tipo.plurale}, usa la ",
            rx.el.a("pagina in italiano", href=percorso(ITALIANO), lang=ITALIANO),
            f": qui si traducono le {tipo.plurale} che ci sono."
            if tipo.femminile
            else f": qui si traducono i {tipo.plurale} che ci sono.",
            id=id_controllo("aggiungi", Voce(tipo.nome)),
            tab_index=-1,
            lang=LINGUA_STAFF,
            class_name="nota-struttura",
        )
    return rx.fragment(
        rx.el.button(
            f"Aggiungi {tipo.nome}",
            type="button",
            id=id_controllo("aggiungi", Voce(tipo.nome)),
            lang=LINGUA_STAFF,
            class_name="pulsante pulsante-secondario",
            on_click=RedazioneState.aggiungi(tipo.nome),
        ),
        esito_voce(tipo),
    )
