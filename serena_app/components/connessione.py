"""Plain notices when the connection to the server is lost or a handler failed, in place of
Reflex's default toaster and pulser (a toast library and a `<style>` inside <body>).

They wrap every page (`app.app_wraps`), built once for all: each notice is built in every
language, and the browser shows the one of the page's language, by its address (`/en/…`)."""

import reflex as rx
from reflex.vars import Var
from reflex_components_core.core.banner import has_connection_errors

from serena_app.lingue import ITALIANO, LINGUE, _, in_lingua, percorso
from serena_app.state.interfaccia import errore_imprevisto

CONNESSIONE_INTERROTTA = "connessione-interrotta"  # the id of the notice while it is down


def _su_pagina_di(codice: str) -> str:
    """JavaScript: true on a page whose address starts with `codice`'s (`/en/…`, or `/en`)."""
    return f"(window.location.pathname + '/').startsWith({percorso(codice)!r})"


def _nella_lingua(codice: str) -> Var:
    """True in the browser on a page of language `codice`, read from the address (the notices
    show only once the page runs, and also before the socket ever connects)."""
    if codice == ITALIANO:
        altre = " || ".join(_su_pagina_di(c) for c in LINGUE if c != ITALIANO)
        return Var(f"(typeof window === 'undefined' || !({altre}))").to(bool)
    return Var(f"(typeof window !== 'undefined' && {_su_pagina_di(codice)})").to(bool)


def _in_ogni_lingua(avviso) -> rx.Component:
    """`avviso()` built in each language, shown on the pages of that language."""
    avvisi = []
    for codice in LINGUE:
        with in_lingua(codice):
            avvisi.append(rx.cond(_nella_lingua(codice), avviso()))
    return rx.fragment(*avvisi)


def _connessione_interrotta() -> rx.Component:
    return rx.el.p(
        _(
            "Connessione al server interrotta: riprovo a collegarmi. "
            "Le modifiche non si possono salvare finché non torna."
        ),
        role="alert",
        id=CONNESSIONE_INTERROTTA,  # a "Salva" meanwhile is refused by the page itself
        class_name="avviso-connessione",
    )


def _errore_imprevisto() -> rx.Component:
    return rx.el.p(
        _(
            "Si è verificato un errore imprevisto: l’ultima operazione potrebbe non essere "
            "riuscita. Ricarica la pagina e riprova."
        ),
        role="alert",
        class_name="avviso-connessione",
    )


def avviso_connessione() -> rx.Component:
    """Shown while the websocket is down (edits cannot be saved until it is back), or after a
    handler failed unexpectedly on the server."""
    return rx.fragment(
        rx.cond(has_connection_errors, _in_ogni_lingua(_connessione_interrotta)),
        rx.cond(errore_imprevisto.value, _in_ogni_lingua(_errore_imprevisto)),
    )
