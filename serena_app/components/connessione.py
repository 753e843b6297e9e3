"""Plain notices when the connection to the server is lost or a handler failed, in place of
Reflex's default toaster and pulser (a toast library and a `<style>` inside <body>)."""

import reflex as rx
from reflex_components_core.core.banner import has_connection_errors

from serena_app.state.interfaccia import errore_imprevisto

CONNESSIONE_INTERROTTA = "connessione-interrotta"  # the id of the notice while it is down


def avviso_connessione() -> rx.Component:
    """Shown while the websocket is down (edits cannot be saved until it is back), or after a
    handler failed unexpectedly on the server."""
    return rx.fragment(
        rx.cond(
            has_connection_errors,
            rx.el.p(
                "Connessione al server interrotta: riprovo a collegarmi. "
                "Le modifiche non si possono salvare finché non torna.",
                role="alert",
                id=CONNESSIONE_INTERROTTA,  # a "Salva" meanwhile is refused by the page itself
                class_name="avviso-connessione",
            ),
        ),
        rx.cond(
            errore_imprevisto.value,
            rx.el.p(
                "Si è verificato un errore imprevisto: l’ultima operazione potrebbe non essere "
                "riuscita. Ricarica la pagina e riprova.",
                role="alert",
                class_name="avviso-connessione",
            ),
        ),
    )
