"""The staff bar: who is logged in, "Modifica pagina", "Esci", the drafts ("Pubblica",
"Scarta bozze", "Pubblica più tardi…" and the scheduled publishes, "Anteprima"; a redattore's
"Chiedi la pubblicazione" instead), a responsabile's "Richieste di pubblicazione"
(`richieste.py`), history ("Annulla ultima modifica", "Cronologia della pagina"), writing
help ("Leggibilità della pagina": `components/leggibilita.py`), people
("Persone", for a responsabile: `components/persone.py`) and what just happened.

It stays at the top of the window with the header (`pages/index.py`). In edit mode its first
line holds the status, "Pubblica" and "Strumenti", and is all of it until "Strumenti" opens
the rest.
A button that would only be refused is disabled, and says why in text it is described by."""

import reflex as rx

from serena_app.components.accessibilita import controllo_accessibilita
from serena_app.components.account import il_mio_account
from serena_app.components.cronologia import cronologia_pagina
from serena_app.components.editor import pulsante_annulla
from serena_app.components.leggibilita import (
    confronto_pubblicazione,
    pannello_pagina,
    pulsante_pagina,
)
from serena_app.components.persone import pannello_persone, pulsante_persone
from serena_app.components.presenza import presenza_in_barra
from serena_app.components.programmate import (
    dialogo_programmazione,
    elenco_programmate,
    pulsante_programma,
)
from serena_app.components.testo import testo_modificabile
from serena_app.contenuto.cronologia import NIENTE_DA_ANNULLARE
from serena_app.demo import modalita
from serena_app.lingue import LINGUA_STAFF
from serena_app.sections.richieste import (
    CONTEGGIO,
    conteggio,
    descrizione_conteggio,
    dialogo_richiesta,
    esito_richiesta,
    pannello_richieste,
    pulsante_chiedi,
    pulsante_richieste,
)
from serena_app.sections.richieste import in_attesa as richiesta_in_attesa
from serena_app.state.accesso import AccessoState, responsabile
from serena_app.state.account import AccountState
from serena_app.state.contenuto import della_pagina
from serena_app.state.cronologia import ANNULLA, MOTIVO_ANNULLA, CronologiaState
from serena_app.state.interfaccia import BARRA_STAFF, congedo, strumenti_aperti
from serena_app.state.programmate import ProgrammateState
from serena_app.state.redazione import (
    APRI_STRUMENTI,
    CONFERMA_BOZZE,
    PUBBLICA,
    SCARTA,
    STATO_BOZZE,
    RedazioneState,
)
from serena_app.state.staff import StaffState

quante = StaffState.modifiche.length()
nessuna = quante == 0
STRUMENTI = "strumenti-staff"  # what "Strumenti" opens in edit mode
NULLA_DA_ANNULLARE = "Nessuna modifica tua da annullare."
ANTEPRIMA = "Anteprima: i visitatori non vedono ancora queste modifiche."
USCITA = "Sei uscita/o dall’area riservata."
# A demo sandbox's editor is a responsabile of its sandbox only: it manages nobody.
gestisce_persone = (
    responsabile & (AccessoState.nome_staff != modalita.EDITOR)
    if modalita.attiva()
    else responsabile
)


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
        rx.cond(pubblica & (RedazioneState.traduzioni_da_fare.length() > 0), _da_tradurre()),
        rx.cond(pubblica, confronto_pubblicazione()),
        rx.el.div(
            rx.el.button(
                rx.cond(pubblica, "Pubblica ora", "Scarta le bozze"),
                type="button",
                id=CONFERMA_BOZZE,
                class_name=rx.cond(pubblica, "pulsante", "pulsante pulsante-pericolo"),
                on_click=rx.cond(pubblica, RedazioneState.pubblica, RedazioneState.scarta),
            ),
            pulsante_annulla("No, torna indietro"),
            class_name="azioni-modulo",
        ),
        class_name="conferma-bozze",
    )


def _da_tradurre() -> rx.Component:
    """Under the changes to publish: the English left to do, which does not stop a publish
    (the English page shows the Italian where the English is missing)."""
    return rx.fragment(
        rx.el.p(
            "Traduzioni in inglese ancora da fare (puoi pubblicare lo stesso):",
            id="traduzioni-da-fare",
        ),
        rx.el.ul(
            rx.foreach(RedazioneState.traduzioni_da_fare, lambda m: rx.el.li(m)),
            aria_labelledby="traduzioni-da-fare",
        ),
    )


def _descrizione() -> rx.Component:
    """The page description (search results, share previews), edited here as it is not on
    the page; its length, as search engines show about 155 characters."""
    return rx.el.details(
        rx.el.summary("Descrizione per motori di ricerca e condivisioni"),
        testo_modificabile("descrizione", class_name="descrizione-pagina"),
        rx.el.p(
            della_pagina("descrizione").length().to_string()
            + " caratteri: i motori di ricerca ne mostrano circa 155.",
            class_name="lunghezza",
        ),
        class_name="conferma-bozze",
    )


def _stato() -> rx.Component:
    """How many changes wait: a few words on a phone, a sentence elsewhere."""
    return rx.el.p(
        rx.el.span(
            rx.cond(
                nessuna,
                "Niente da pubblicare",
                rx.cond(quante == 1, "1 bozza", quante.to_string() + " bozze"),
            ),
            class_name="breve",
        ),
        rx.el.span(
            rx.cond(
                nessuna,
                "Nessuna modifica in bozza: niente da pubblicare.",
                rx.cond(
                    quante == 1,
                    "1 modifica in bozza, non ancora pubblicata.",
                    quante.to_string() + " modifiche in bozza, non ancora pubblicate.",
                ),
            ),
            class_name="esteso",
        ),
        _traduzioni(),
        id=STATO_BOZZE,
        tab_index=-1,  # focused after a publish or a discard
        class_name="stato-bozze",
    )


def _traduzioni() -> rx.Component:
    """After the drafts: the translations out of date and missing, "2 traduzioni da
    aggiornare, 1 mancante." (on a phone "· 3 trad."); nothing when all are current."""
    da_aggiornare, mancanti = StaffState.da_aggiornare, StaffState.mancanti
    parti = [
        rx.cond(
            da_aggiornare == 1,
            "1 traduzione da aggiornare",
            da_aggiornare.to_string() + " traduzioni da aggiornare",
        ),
        rx.cond(
            mancanti == 1,
            "1 traduzione mancante",
            mancanti.to_string() + " traduzioni mancanti",
        ),
    ]
    return rx.cond(
        (da_aggiornare + mancanti) > 0,
        rx.fragment(
            rx.el.span(
                " · " + (da_aggiornare + mancanti).to_string() + " trad.",
                class_name="breve",
            ),
            rx.el.span(
                " ",
                rx.cond(da_aggiornare > 0, parti[0], ""),
                rx.cond((da_aggiornare > 0) & (mancanti > 0), ", ", ""),
                rx.cond(mancanti > 0, parti[1], ""),
                ".",
                class_name="esteso",
                data_traduzioni="true",
            ),
        ),
    )


def _se_ci_sono_bozze() -> dict:
    """Disabled, and described by the status ("Niente da pubblicare"), without drafts."""
    return {"disabled": nessuna, "aria_describedby": rx.cond(nessuna, STATO_BOZZE, "")}


def _riga() -> rx.Component:
    """The bar's first line, always in view: who, and in edit mode the status, "Pubblica" and
    "Strumenti", which opens the rest (out of edit mode the rest fits on the same line)."""
    return rx.el.div(
        rx.el.p(
            rx.el.span("Area riservata: ", class_name="esteso"),
            rx.el.strong(AccessoState.nome_staff),
            class_name="chi",
        ),
        rx.cond(
            StaffState.modifica_attiva,
            rx.fragment(
                _stato(),
                rx.cond(
                    responsabile,
                    rx.el.button(
                        "Pubblica",
                        type="button",
                        id=PUBBLICA,
                        class_name="pulsante",
                        on_click=RedazioneState.chiedi_pubblicazione,
                        **_se_ci_sono_bozze(),
                    ),
                    pulsante_chiedi(**_se_ci_sono_bozze()),
                ),
            ),
        ),
        rx.el.button(
            "Strumenti",
            rx.cond(responsabile, conteggio()),
            rx.el.span(class_name="freccia", aria_hidden="true"),
            type="button",
            id=APRI_STRUMENTI,
            class_name="pulsante pulsante-secondario pulsante-strumenti",
            aria_expanded=rx.cond(strumenti_aperti.value, "true", "false"),
            aria_controls=STRUMENTI,
            aria_describedby=rx.cond(responsabile & richiesta_in_attesa, CONTEGGIO, ""),
            on_click=strumenti_aperti.set_value(~strumenti_aperti.value),
        ),
        rx.cond(responsabile, descrizione_conteggio()),
        class_name="barra-staff-riga",
    )


def _bozze() -> rx.Component:
    """In edit mode, among the tools: what else can be done with the drafts, and history."""
    return rx.fragment(
        rx.cond(
            responsabile,
            rx.el.button(
                "Scarta bozze",
                type="button",
                id=SCARTA,
                class_name="pulsante pulsante-secondario",
                on_click=RedazioneState.chiedi_scarto,
                **_se_ci_sono_bozze(),
            ),
        ),
        _programmate(),
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
            disabled=~StaffState.puo_annullare,
            aria_describedby=rx.cond(StaffState.puo_annullare, "", MOTIVO_ANNULLA),
        ),
        rx.cond(
            ~StaffState.puo_annullare,
            rx.el.p(_perche_non_annullare(), id=MOTIVO_ANNULLA, tab_index=-1, class_name="motivo"),
        ),
        rx.el.button(
            "Cronologia della pagina",
            type="button",
            id="cronologia-pagina",
            class_name="pulsante pulsante-secondario",
            on_click=CronologiaState.apri_pubblicazioni,
        ),
        pulsante_pagina(),
        controllo_accessibilita(),
        rx.cond(~StaffState.anteprima, _descrizione()),
    )


def _perche_non_annullare() -> rx.Var:
    """Why "Annulla ultima modifica" is disabled: in short when she has changed nothing; in
    the server's words when that helps, e.g. her changes are already published and history
    is where to go back (`cronologia.GIA_PUBBLICATA`)."""
    perche = StaffState.perche_non_annullare
    nulla = (perche == "") | (perche == NIENTE_DA_ANNULLARE)
    return rx.cond(nulla, NULLA_DA_ANNULLARE, perche)


def _programmate() -> rx.Component:
    """For responsabili on the site (not a demo): "Pubblica più tardi…", its dialog, and the
    scheduled publishes."""
    if modalita.attiva():
        return rx.fragment()
    return rx.cond(
        responsabile,
        rx.fragment(
            pulsante_programma(),
            rx.cond(ProgrammateState.dialogo, dialogo_programmazione()),
            elenco_programmate(),
        ),
    )


def _congedo() -> rx.Component:
    """What "Esci" leaves behind, said after it (kept in the browser: the staff state is
    gone by then): how many changes stay in draft."""
    resta = rx.cond(
        quante == 1,
        " 1 modifica resta in bozza, non pubblicata: la ritrovi quando rientri.",
        " " + quante.to_string() + " modifiche restano in bozza, non pubblicate: le ritrovi "
        "quando rientri.",
    )
    return congedo.set_value(USCITA + rx.cond(nessuna, "", resta).to(str))


def _strumenti() -> rx.Component:
    """ "Modifica pagina" (in edit mode "Esci dalla modifica"), "Esci", and the drafts."""
    return rx.el.div(
        rx.el.button(
            rx.cond(StaffState.modifica_attiva, "Esci dalla modifica", "Modifica pagina"),
            type="button",
            class_name="pulsante",
            # For the page's script: leaving edit mode asks first if typed text is unsaved.
            data_lascia_modifica="true",
            data_modifica_attiva=rx.cond(StaffState.modifica_attiva, "true", "false"),
            on_click=RedazioneState.alterna_modifica,
        ),
        rx.el.button(
            "Esci",
            type="button",
            data_lascia_modifica="true",
            class_name="pulsante pulsante-secondario",
            on_click=[_congedo(), RedazioneState.annulla, AccessoState.esci],
        ),
        # In edit mode only: there "Strumenti" folds it away on a phone, and the bar's first
        # line out of edit mode ("Modifica pagina", "Esci") stays one line at 390 px.
        rx.cond(StaffState.modifica_attiva & gestisce_persone, pulsante_persone()),
        rx.el.button(
            # On a phone only among the folded tools of edit mode: the bar stays one line.
            "Il mio account",
            type="button",
            id="apri-account",
            class_name="pulsante pulsante-secondario",
            on_click=AccountState.apri_account,
        ),
        rx.cond(responsabile, pulsante_richieste()),
        rx.cond(StaffState.modifica_attiva, _bozze()),
        id=STRUMENTI,
        class_name="barra-staff-strumenti",
        data_aperto=rx.cond(strumenti_aperti.value, "true", "false"),
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


def avviso_uscita() -> rx.Component:
    """After "Esci", a polite message says so, and how many drafts stay (until a reload)."""
    staff = AccessoState.nome_staff != ""
    return rx.el.p(
        rx.cond(staff, "", congedo.value), role="status", lang=LINGUA_STAFF, class_name="congedo"
    )


def barra_staff() -> rx.Component:
    """Shown only to a logged-in staff member; announcements are read out by screen readers.
    When the session ends elsewhere (`state/revoca.py`) only its warning stays, until closed."""
    staff = AccessoState.nome_staff != ""
    return rx.cond(
        staff | (StaffState.avviso != ""),
        rx.el.div(
            rx.el.div(
                rx.cond(
                    staff,
                    rx.fragment(
                        _riga(),
                        presenza_in_barra(),
                        rx.cond(
                            StaffState.anteprima,
                            rx.el.p(ANTEPRIMA, class_name="banner-anteprima"),
                        ),
                        _strumenti(),
                        pannello_persone(),
                        il_mio_account(),
                        # Opened from the first line or the tools; shown with either folded.
                        rx.cond(
                            StaffState.modifica_attiva,
                            rx.fragment(
                                rx.cond(RedazioneState.conferma != "", _conferma_bozze()),
                                dialogo_richiesta(),
                                cronologia_pagina(),
                                pannello_pagina(),
                            ),
                        ),
                        pannello_richieste(),
                        esito_richiesta(),
                        rx.el.p(StaffState.annuncio, role="status", class_name="annuncio"),
                    ),
                ),
                _avviso(),
                class_name=rx.cond(staff, "barra-staff-interna", ""),
            ),
            role="region",
            aria_label="Strumenti del personale",
            lang=LINGUA_STAFF,
            class_name=rx.cond(
                staff,
                rx.cond(StaffState.modifica_attiva, "barra-staff in-modifica", "barra-staff"),
                "",
            ),
            id=BARRA_STAFF,
            tab_index=-1,
        ),
    )
