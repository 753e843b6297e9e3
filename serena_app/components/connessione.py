"""A plain notice when the connection to the server is lost, in place of Reflex's default
toaster and pulser (a toast library and a `<style>` inside <body> that no visitor needs)."""

import reflex as rx
from reflex_components_core.core.banner import has_connection_errors


def avviso_connessione() -> rx.Component:
    """Shown only while the websocket is down: edits cannot be saved until it is back."""
    return rx.cond(
        has_connection_errors,
        rx.el.p(
            "Connessione al server interrotta: riprovo a collegarmi. "
            "Le modifiche non si possono salvare finché non torna.",
            role="alert",
            class_name="avviso-connessione",
        ),
    )
