"""Presence in edit mode, drawn: who else is in edit mode ("In modifica ora:" and a badge of
initials per person, the full name as its accessible name and shown on hover and focus),
"Anna sta modificando…" beside an item's edit button, the question before opening it, and
the page's heartbeat while in edit mode (`state/presenza.py`).

The heartbeat is a hidden button the page's script presses every 1.5 s (a React effect, as
`salvaguardie.py` does: the Content-Security-Policy allows no other inline script); it is
not sent while the connection is down (Reflex would send them all at once when it is back).
"""

import reflex as rx
from reflex.vars import Var

from serena_app.components.connessione import CONNESSIONE_INTERROTTA
from serena_app.components.salvaguardie import effetto
from serena_app.demo import modalita
from serena_app.lingue import LINGUA_STAFF
from serena_app.state.accesso import AccessoState
from serena_app.state.presenza import DOMANDA, PresenzaState
from serena_app.state.staff import StaffState

BATTITO = "battito-presenza"  # the id of the hidden button the heartbeat presses
IN_MODIFICA_ORA = "in-modifica-ora"
OGNI_MS = 1500

SCRIPT_BATTITO = """
() => {
  if (!ATTIVA) return;
  const batti = () => {
    if (document.getElementById(INTERROTTA)) return;
    document.getElementById(BATTITO)?.click();
  };
  const timer = setInterval(batti, OGNI_MS);
  return () => clearInterval(timer);
}
"""
# Escape in the question presses its "No, torna indietro".
SCRIPT_DOMANDA = """
() => {
  const tasto = (e) => {
    if (e.key !== 'Escape' || e.isComposing) return;
    const domanda = e.target.closest && e.target.closest('.domanda-presenza');
    const annulla = domanda && domanda.querySelector('[data-annulla-domanda]');
    if (annulla) { e.preventDefault(); annulla.click(); }
  };
  document.addEventListener('keydown', tasto);
  return () => document.removeEventListener('keydown', tasto);
}
"""


def _batte() -> Var:
    """Whether this tab beats: in edit mode, and not a demo phone (its sandbox has nobody
    else in it: `RedazioneState._segna_presenza`)."""
    return StaffState.modifica_attiva & (AccessoState.nome_staff != modalita.EDITOR)


class Battito(rx.Fragment):
    """Renders nothing: its effects are the heartbeat and the question's Escape."""

    def add_hooks(self) -> list[str | Var]:
        """The heartbeat while in edit mode; Escape in the question."""
        attiva = _batte()
        battito = (
            SCRIPT_BATTITO.replace("ATTIVA", str(attiva))
            .replace("INTERROTTA", repr(CONNESSIONE_INTERROTTA))
            .replace("BATTITO", repr(BATTITO))
            .replace("OGNI_MS", str(OGNI_MS))
        )
        return [effetto(battito, [attiva]), effetto(SCRIPT_DOMANDA, [])]


def _persona(persona: Var) -> rx.Component:
    return rx.el.li(
        rx.el.span(
            persona["iniziali"],
            role="img",
            aria_label=persona["nome"],
            title=persona["nome"],
            data_nome=persona["nome"],
            tab_index=0,
            class_name="presenza-persona",
        )
    )


def _domanda() -> rx.Component:
    """ "Anna Rossi sta già modificando la mission. Vuoi aprirla lo stesso?" Focus goes to it;
    Escape or "No, torna indietro" (in the staff bar, next to "Annulla ultima modifica": not
    one more "Annulla") cancel, and focus goes back to the edit button."""
    return rx.el.div(
        rx.el.p(PresenzaState.domanda, id=DOMANDA, tab_index=-1),
        rx.el.button(
            "Apri lo stesso",
            type="button",
            class_name="pulsante",
            on_click=PresenzaState.apri_lo_stesso,
        ),
        rx.el.button(
            "No, torna indietro",
            type="button",
            class_name="pulsante pulsante-secondario",
            data_annulla_domanda="true",
            on_click=PresenzaState.annulla_domanda,
        ),
        role="group",
        aria_labelledby=DOMANDA,
        class_name="conferma domanda-presenza",
    )


def presenza_in_barra() -> rx.Component:
    """In the staff bar, in edit mode: who else is in edit mode (nothing when nobody is),
    the question, one polite summary of what changed, and the heartbeat."""
    return rx.fragment(
        Battito.create(),
        rx.cond(
            StaffState.modifica_attiva,
            rx.fragment(
                rx.cond(
                    PresenzaState.persone.length() > 0,
                    rx.el.div(
                        rx.el.p("In modifica ora:", id=IN_MODIFICA_ORA),
                        rx.el.ul(
                            rx.foreach(PresenzaState.persone, _persona),
                            aria_labelledby=IN_MODIFICA_ORA,
                        ),
                        class_name="presenza",
                    ),
                ),
                rx.cond(PresenzaState.domanda != "", _domanda()),
                rx.cond(
                    _batte(),
                    rx.el.button(
                        hidden=True,
                        id=BATTITO,
                        type="button",
                        tab_index=-1,
                        aria_hidden="true",
                        on_click=PresenzaState.batti,
                    ),
                ),
            ),
        ),
        rx.el.p(
            rx.cond(StaffState.modifica_attiva, PresenzaState.annuncio_presenza, ""),
            role="status",
            class_name="annuncio-presenza solo-lettori",
        ),
    )


def chi_sta_modificando(id_pulsante: str | Var) -> rx.Component:
    """Beside an item's edit button (`id_pulsante`): "Anna sta modificando…" while someone
    else has it open. Not a live region: the bar's summary says it once."""
    return rx.cond(
        PresenzaState.aperti.contains(id_pulsante),
        rx.el.span(
            PresenzaState.aperti[id_pulsante], lang=LINGUA_STAFF, class_name="presenza-voce"
        ),
    )
