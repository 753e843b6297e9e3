"""The presenter's view of a demo (`/demo/sala`), meant to be projected: the QR code and the
address, the phones counted against the cap, what the room does, and "Ripristina tutte le
demo", which asks first. Only a demo server has this page (`serena_app.py`); its count, feed
and button only the browser that opened the terminal's link (`state/sala.py`). Italian only.

The feed is no live region: a projected list that moves a few times a second would be read
out line after line. The count is the one polite region: it changes only when a phone opens
or ends a sandbox.
"""

import reflex as rx
from reflex.experimental.client_state import ClientStateVar
from reflex.vars import FunctionVar, Var
from reflex_base.event import EventChain

from serena_app.components.salvaguardie import effetto
from serena_app.demo import modalita, qr
from serena_app.state.sala import RIPRISTINA_TUTTE, SalaState

NO_RIPRISTINO = "no-ripristino-tutte"
CONFERMA = "conferma-ripristino-tutte"
DOMANDA = "Tutte le prove aperte finiscono e i telefoni ricominciano da capo. Continuare?"
# The address's fragment ("#chiave=…"), read once and taken out of the address bar, so the key
# is neither kept in the history nor shown on the projected screen.
FRAMMENTO = Var(
    "(() => { const f = window.location.hash; if (f) { window.history.replaceState(null, '', "
    "window.location.pathname + window.location.search); } return f; })()",
    _var_type=str,
)
conferma_tutte = ClientStateVar.create("conferma_ripristino_tutte", default=False)


def _chiudi_e_torna() -> str:
    """Close the question and put focus back on the button that opened it (JavaScript)."""
    chiudi = f"{conferma_tutte.set_value(False)!s}();"
    return f"{chiudi} document.getElementById('{RIPRISTINA_TUTTE}')?.focus();"


def _evento(corpo: str) -> Var:
    return Var(corpo, _var_data=conferma_tutte._var_data).to(FunctionVar, EventChain)


def _codice_qr() -> rx.Component:
    indirizzo = modalita.indirizzo()
    if not indirizzo:
        return rx.el.p("Indirizzo della demo non disponibile.", class_name="sala-indirizzo")
    return rx.el.figure(
        rx.el.img(
            src=qr.immagine(indirizzo),
            alt=f"Codice QR per aprire {indirizzo}",
            class_name="sala-qr",
            width="480",
            height="480",
        ),
        rx.el.figcaption(indirizzo, class_name="sala-indirizzo"),
        class_name="sala-codice",
    )


def _conteggio() -> rx.Component:
    return rx.el.p(
        rx.cond(
            SalaState.telefoni == 1,
            "1 telefono",
            SalaState.telefoni.to_string() + " telefoni",
        ),
        " su ",
        SalaState.massimo.to_string(),
        role="status",
        class_name="sala-conteggio",
    )


def _cronaca() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Cosa succede nella sala", id="titolo-cronaca"),
        rx.cond(
            SalaState.righe.length() > 0,
            rx.el.ul(
                rx.foreach(SalaState.righe, lambda riga: rx.el.li(riga)),
                class_name="sala-righe",
            ),
            rx.el.p("Ancora niente: quando un telefono apre una prova, lo vedi qui."),
        ),
        aria_labelledby="titolo-cronaca",
        class_name="sala-cronaca",
    )


def _conferma() -> rx.Component:
    """The question, below the button; the safe answer takes focus, Escape closes it."""
    return rx.el.div(
        rx.el.p(DOMANDA, class_name="sala-domanda"),
        rx.el.div(
            rx.el.button(
                "Sì, ripristina tutte",
                type="button",
                class_name="pulsante pulsante-pericolo",
                on_click=[conferma_tutte.set_value(False), SalaState.ripristina_tutte],
            ),
            rx.el.button(
                "No, torna indietro",
                type="button",
                id=NO_RIPRISTINO,
                class_name="pulsante pulsante-secondario",
                on_click=_evento(f"() => {{ {_chiudi_e_torna()} }}"),
            ),
            class_name="azioni-modulo",
        ),
        id=CONFERMA,
        role="group",
        aria_label="Conferma del ripristino di tutte le demo",
        class_name="sala-conferma",
        on_mount=_evento(f"() => document.getElementById('{NO_RIPRISTINO}')?.focus()"),
    )


ESCAPE = f"""() => {{
  const esc = (e) => {{
    if (e.key === 'Escape' && document.getElementById('{CONFERMA}')) {{
      e.preventDefault();
      document.getElementById('{NO_RIPRISTINO}')?.click();
    }}
  }};
  document.addEventListener('keydown', esc);
  return () => document.removeEventListener('keydown', esc);
}}"""


class ChiudiConEscape(rx.Fragment):
    """Renders nothing: Escape answers the question "No" (which puts focus back)."""

    def add_hooks(self) -> list[str | Var]:
        """One effect, set up once."""
        return [effetto(ESCAPE, [])]


def _comandi() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Fine della sessione", id="titolo-comandi"),
        rx.el.button(
            "Ripristina tutte le demo",
            type="button",
            id=RIPRISTINA_TUTTE,
            class_name="pulsante pulsante-pericolo",
            aria_expanded=rx.cond(conferma_tutte.value, "true", "false"),
            aria_controls=CONFERMA,
            on_click=conferma_tutte.set_value(~conferma_tutte.value),
        ),
        rx.cond(conferma_tutte.value, _conferma()),
        ChiudiConEscape.create(),
        rx.el.p(SalaState.esito, role="status", class_name="sala-esito"),
        aria_labelledby="titolo-comandi",
        class_name="sala-comandi",
    )


def vista_sala() -> rx.Component:
    """The whole view, its `main`: on mount it sends the address's fragment (the key)."""
    return rx.el.main(
        rx.el.h1("La sala della demo"),
        rx.el.div(
            _codice_qr(),
            rx.el.div(
                rx.cond(
                    SalaState.presentatore,
                    rx.fragment(_conteggio(), _cronaca(), _comandi()),
                    rx.el.p(SalaState.messaggio, role="status", class_name="sala-messaggio"),
                ),
                class_name="sala-stato",
            ),
            class_name="sala-griglia",
        ),
        id="contenuto",
        class_name="sala",
        on_mount=SalaState.entra(FRAMMENTO),
    )
