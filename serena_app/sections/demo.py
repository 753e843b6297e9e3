"""The live demo's banner: what this is, "Prova la modalità modifica" (or, in one's own
sandbox, "Ripristina demo", which asks first), and the address as a QR code to show the
room. Part of the page only on a demo server (`demo/modalita.py`)."""

import reflex as rx
from reflex.vars import FunctionVar, Var
from reflex_base.event import EventChain

from serena_app.demo import modalita, qr
from serena_app.demo.modalita import EDITOR
from serena_app.lingue import _
from serena_app.state.accesso import AccessoState
from serena_app.state.demo import COPIA_APERTA, DemoState
from serena_app.state.interfaccia import conferma_ripristino

RIPRISTINA = "ripristina-demo"
NO_RIPRISTINO = "no-ripristino-demo"
CONFERMA_RIPRISTINO = "conferma-ripristino-demo"


def _codice_qr() -> rx.Component:
    """The address as a QR code, large enough to scan from a projected screen: shown open on a
    large screen, hidden on a phone (which is already where the code would lead)."""
    indirizzo = modalita.indirizzo()
    if not indirizzo:
        return rx.fragment()
    return rx.el.div(
        rx.el.p(_("Inquadra il codice con il telefono per aprire la demo:")),
        rx.el.img(
            src=qr.immagine(indirizzo),
            alt=_("Codice QR dell’indirizzo {indirizzo}").format(indirizzo=indirizzo),
            class_name="demo-qr",
            width="400",
            height="400",
        ),
        rx.el.p(_("Oppure scrivi:"), " ", rx.el.strong(indirizzo)),
        class_name="demo-codice",
    )


def _fuoco(id_html: str, *, chiudi: bool = False) -> Var:
    """An event trigger that moves focus to `id_html`, after closing the question if
    `chiudi`."""
    prima = f"{conferma_ripristino.set_value(False)!s}();" if chiudi else ""
    return Var(
        f"() => {{ {prima} document.getElementById('{id_html}')?.focus(); }}",
        _var_data=conferma_ripristino._var_data,
    ).to(FunctionVar, EventChain)


def _conferma() -> rx.Component:
    """ "Ripristinare la demo?", below the button; the safe answer takes focus."""
    return rx.el.div(
        rx.el.p(
            _("Ripristinare la demo? Le modifiche che hai fatto andranno perse."),
            class_name="conferma-titolo",
        ),
        rx.el.div(
            rx.el.button(
                _("Sì, ripristina la demo"),
                type="button",
                class_name="pulsante pulsante-pericolo",
                on_click=[conferma_ripristino.set_value(False), DemoState.ripristina],
            ),
            rx.el.button(
                _("No, torna indietro"),
                type="button",
                id=NO_RIPRISTINO,
                class_name="pulsante pulsante-secondario",
                on_click=_fuoco(RIPRISTINA, chiudi=True),
            ),
            class_name="azioni-modulo",
        ),
        id=CONFERMA_RIPRISTINO,
        role="group",
        aria_label=_("Conferma del ripristino"),
        class_name="demo-conferma",
        on_mount=_fuoco(NO_RIPRISTINO),
    )


def _ripristina() -> rx.Component:
    """ "Ripristina demo", which asks first. Below a line of text that takes the place of
    "Prova", so that a second tap on that place lands on no button."""
    return rx.fragment(
        rx.el.p(
            _("La tua copia di prova è aperta: modificala con la barra in alto."),
            id=COPIA_APERTA,
            tab_index=-1,
            class_name="demo-aperta",
        ),
        rx.el.button(
            _("Ripristina demo"),
            type="button",
            id=RIPRISTINA,
            class_name="pulsante pulsante-secondario",
            aria_expanded=rx.cond(conferma_ripristino.value, "true", "false"),
            aria_controls=CONFERMA_RIPRISTINO,
            on_click=conferma_ripristino.set_value(~conferma_ripristino.value),
        ),
        rx.cond(conferma_ripristino.value, _conferma()),
    )


def banner_demo() -> rx.Component:
    """The banner; an empty fragment on any server that is not a demo."""
    if not modalita.attiva():
        return rx.fragment()
    return rx.el.div(
        rx.el.div(
            rx.el.p(rx.el.strong(_("Modalità demo")), class_name="demo-titolo"),
            rx.el.p(
                _(
                    "Prova a modificare questa pagina dal tuo telefono: le tue modifiche le "
                    "vedi solo tu, e la pagina vera non cambia."
                )
            ),
            rx.cond(
                AccessoState.nome_staff == EDITOR,
                _ripristina(),
                rx.el.button(
                    _("Prova la modalità modifica"),
                    type="button",
                    class_name="pulsante",
                    on_click=DemoState.prova,
                ),
            ),
            rx.cond(
                DemoState.errore_demo != "",
                rx.el.p(DemoState.errore_demo, role="alert", class_name="avviso"),
            ),
            _codice_qr(),
            class_name="demo-interna",
        ),
        role="region",
        aria_label=_("Modalità demo"),
        class_name="demo",
    )
