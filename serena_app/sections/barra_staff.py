"""The staff bar: who is logged in, "Modifica pagina", "Esci", the drafts ("Pubblica",
"Scarta bozze", "Anteprima"), history ("Annulla ultima modifica", "Cronologia della pagina"),
and what just happened."""

import reflex as rx

from serena_app.components.cronologia import cronologia_pagina
from serena_app.components.editor import pulsante_annulla
from serena_app.components.testo import testo_modificabile
from serena_app.demo import modalita
from serena_app.state.accesso import AccessoState
from serena_app.state.contenuto import ContenutoState
from serena_app.state.cronologia import ANNULLA, CronologiaState
from serena_app.state.interfaccia import BARRA_STAFF
from serena_app.state.redazione import CONFERMA_BOZZE, PUBBLICA, SCARTA, RedazioneState
from serena_app.state.staff import StaffState

quante = StaffState.modifiche.length()


def _chi_le_vedra() -> rx.Var | str:
    """The publish question: visitors see a publish at once; in a demo's copy, only the one
    who made it."""
    sito = "Pubblicare queste modifiche? I visitatori le vedranno subito:"
    if not modalita.attiva():
        return sito
    copia = "Pubblicare queste modifiche? Le vedrai solo tu, su questo telefono:"
    return rx.cond(AccessoState.nome_staff == modalita.EDITOR, copia, sito)


def _conferma_bozze() -> rx.Component:
    """The list of what will change, and the confirming button (which takes focus)."""
    pubblica = RedazioneState.conferma == "pubblica"
    return rx.el.div(
        rx.el.p(
            rx.cond(
                pubblica,
                _chi_le_vedra(),
                "Scartare tutte le bozze? Queste modifiche andranno perse:",
            ),
            class_name="conferma-titolo",
        ),
        rx.el.ul(rx.foreach(RedazioneState.elenco, lambda m: rx.el.li(m))),
        rx.el.div(
            rx.el.button(
                rx.cond(pubblica, "Pubblica ora", "Scarta le bozze"),
                type="button",
                id=CONFERMA_BOZZE,
                class_name=rx.cond(pubblica, "pulsante", "pulsante pulsante-pericolo"),
                on_click=rx.cond(pubblica, RedazioneState.pubblica, RedazioneState.scarta),
            ),
            pulsante_annulla(),
            class_name="azioni-modulo",
        ),
        class_name="conferma-bozze",
    )


def _descrizione() -> rx.Component:
    """The page description (search results, share previews), edited here as it is not on
    the page; its length, as search engines show about 155 characters."""
    return rx.el.details(
        rx.el.summary("Descrizione per motori di ricerca e condivisioni"),
        testo_modificabile("descrizione", class_name="descrizione-pagina"),
        rx.el.p(
            ContenutoState.descrizione.length().to_string()
            + " caratteri: i motori di ricerca ne mostrano circa 155.",
            class_name="lunghezza",
        ),
        class_name="conferma-bozze",
    )


def _bozze() -> rx.Component:
    """In edit mode: how many changes wait, and what can be done with them."""
    return rx.fragment(
        rx.el.p(
            rx.cond(
                quante == 0,
                "Nessuna modifica in bozza.",
                rx.cond(
                    quante == 1,
                    "1 modifica in bozza, non ancora pubblicata.",
                    quante.to_string() + " modifiche in bozza, non ancora pubblicate.",
                ),
            ),
            class_name="stato-bozze",
        ),
        rx.el.button(
            "Pubblica",
            type="button",
            id=PUBBLICA,
            class_name="pulsante",
            on_click=RedazioneState.chiedi_pubblicazione,
        ),
        rx.el.button(
            "Scarta bozze",
            type="button",
            id=SCARTA,
            class_name="pulsante pulsante-secondario",
            on_click=RedazioneState.chiedi_scarto,
        ),
        rx.el.button(
            rx.cond(StaffState.anteprima, "Chiudi anteprima", "Anteprima"),
            type="button",
            class_name="pulsante pulsante-secondario",
            on_click=RedazioneState.alterna_anteprima,
        ),
        rx.el.button(
            "Annulla ultima modifica",
            type="button",
            id=ANNULLA,
            aria_keyshortcuts="Control+Z Meta+Z",
            class_name="pulsante pulsante-secondario",
            on_click=CronologiaState.annulla_ultima,
        ),
        rx.el.button(
            "Cronologia della pagina",
            type="button",
            id="cronologia-pagina",
            class_name="pulsante pulsante-secondario",
            on_click=CronologiaState.apri_pubblicazioni,
        ),
        rx.cond(RedazioneState.conferma != "", _conferma_bozze()),
        cronologia_pagina(),
        rx.cond(~StaffState.anteprima, _descrizione()),
    )


def _strumenti() -> rx.Component:
    """Who is logged in, "Modifica pagina", "Esci", the drafts, and what just happened."""
    return rx.fragment(
        rx.el.p("Area riservata: ", rx.el.strong(AccessoState.nome_staff)),
        rx.el.button(
            "Modifica pagina",
            type="button",
            class_name="pulsante",
            aria_pressed=rx.cond(StaffState.modifica_attiva, "true", "false"),
            data_lascia_modifica="true",  # asks first if typed text is unsaved
            on_click=RedazioneState.alterna_modifica,
        ),
        rx.el.button(
            "Esci",
            type="button",
            data_lascia_modifica="true",
            class_name="pulsante pulsante-secondario",
            on_click=[RedazioneState.annulla, AccessoState.esci],
        ),
        rx.cond(StaffState.modifica_attiva, _bozze()),
        rx.el.p(StaffState.annuncio, role="status", class_name="annuncio"),
    )


def _avviso() -> rx.Component:
    """A problem not tied to one field. Fixed at the bottom of the window: seen wherever on the
    page the button that caused it was."""
    return rx.cond(
        StaffState.avviso != "",
        rx.el.div(
            rx.el.p(StaffState.avviso, role="alert"),
            rx.el.button(
                "Chiudi",
                type="button",
                class_name="pulsante pulsante-secondario",
                on_click=RedazioneState.chiudi_avviso,
            ),
            class_name="avviso avviso-staff",
        ),
    )


def barra_staff() -> rx.Component:
    """Shown only to a logged-in staff member; announcements are read out by screen readers.
    When the session ends elsewhere (`state/revoca.py`) only its warning stays, until closed."""
    staff = AccessoState.nome_staff != ""
    return rx.cond(
        staff | (StaffState.avviso != ""),
        rx.el.div(
            rx.el.div(
                rx.cond(staff, _strumenti()),
                _avviso(),
                class_name=rx.cond(staff, "barra-staff-interna", ""),
            ),
            role="region",
            aria_label="Strumenti del personale",
            class_name=rx.cond(staff, "barra-staff", ""),
            id=BARRA_STAFF,
            tab_index=-1,
        ),
    )
