"""The invitation page at /accesso/invito/#CODICE: "Scegli la password", twice, then in.

The code is the link's fragment, which the browser never sends in a request (no access log
holds it): the page's own script copies it into the form, which sends it over the socket."""

import reflex as rx
from reflex.vars import Var

from serena_app.components.collegamento import collegamento
from serena_app.components.salvaguardie import effetto
from serena_app.sections.footer import footer
from serena_app.sections.header import header
from serena_app.state.invito import InvitoState

CODICE = "codice-invito"
# The fragment, into the form's hidden field (a React effect: the CSP allows no inline script).
LEGGI_CODICE = f"""() => {{
  const campo = document.getElementById('{CODICE}');
  if (campo) campo.value = decodeURIComponent(window.location.hash.slice(1));
}}"""


class CodiceDalLink(rx.Fragment):
    """Renders nothing: its effect copies the link's code into the form."""

    def add_hooks(self) -> list[str | Var]:
        """The one effect, once."""
        return [effetto(LEGGI_CODICE, [])]


def _campo(etichetta: str, nome: str) -> rx.Component:
    return rx.el.div(
        rx.el.label(etichetta, html_for=f"invito-{nome}"),
        rx.el.input(
            id=f"invito-{nome}",
            name=nome,
            type="password",
            auto_complete="new-password",
            required=True,
            max_length=1024,
        ),
        class_name="campo",
    )


def _modulo() -> rx.Component:
    return rx.el.form(
        rx.el.input(type="hidden", name="codice", id=CODICE),
        _campo("Nuova password (almeno 12 caratteri)", "password"),
        _campo("Ripeti la password", "ripeti"),
        rx.cond(
            InvitoState.errore_invito != "",
            rx.el.p(InvitoState.errore_invito, role="alert", class_name="avviso"),
        ),
        rx.el.button("Scegli la password ed entra", type="submit", class_name="pulsante"),
        CodiceDalLink.create(),
        on_submit=InvitoState.accetta_invito,
        reset_on_submit=False,
        class_name="modulo-accesso",
    )


def invito() -> rx.Component:
    """The invited person's form."""
    return rx.fragment(
        header(lingue=False),
        rx.el.main(
            rx.el.h1("Benvenuta/o nell’area riservata"),
            rx.el.p(
                "Scegli la tua password: con il tuo nome utente ti servirà per accedere. "
                "Il link vale una volta sola."
            ),
            _modulo(),
            rx.el.p(collegamento("Torna alla pagina principale", href="/")),
            id="contenuto",
            class_name="pagina-semplice",
            tab_index=-1,
            data_idratata=rx.cond(rx.State.is_hydrated, "true", "false"),
        ),
        footer(),
    )
