"""Browser-error reports: bounded in size and in rate before they cost the server anything.

The page sends a report (Reflex's `handle_frontend_exception` event) from `window.onerror`,
but any socket can send one, with any text up to the 1 MB frame limit. Two pieces:

* `FiltroSegnalazioni`, a Reflex middleware, sees the event before Reflex's handler: it drops
  reports over the limits (5 per connection per minute, 60 per minute from all connections
  together, so that opening new sockets does not reset the budget), and cuts the text to
  `LUNGHEZZA_MASSIMA` characters. The cut matters before the handler too: Reflex matches the
  text against patterns with nested `.*`, which take time cubic in its length.
* `registra_errore_frontend`, the app's `frontend_exception_handler`, logs a report as one
  line, its text cut to `LUNGHEZZA_MASSIMA` characters. It also receives what Reflex's own
  `client_error` socket event reports, which Reflex already limits (5 per socket, 20 per
  minute, 500 characters).

The connection is the Socket.IO session id of the socket that sent the event (the server's,
not the client's, token), from Reflex's event context.
"""

import logging
import time

import reflex as rx
from reflex.state import BaseState, FrontendEventExceptionState, StateUpdate
from reflex_base.event import Event

from serena_app.registro.limitatore import Esito, Limitatore
from serena_app.registro.log import accorcia, connessione_attuale, pulisci

logger = logging.getLogger(__name__)

EVENTO = f"{FrontendEventExceptionState.get_full_name()}.handle_frontend_exception"
LUNGHEZZA_MASSIMA = 2048
PER_CONNESSIONE = 5
IN_TOTALE = 60
FINESTRA_S = 60.0


class FiltroSegnalazioni(rx.Middleware):
    """Drops browser-error reports over the limits and cuts the rest; other events pass."""

    def __init__(self) -> None:
        self.per_connessione = Limitatore(PER_CONNESSIONE, FINESTRA_S)
        self.in_totale = Limitatore(IN_TOTALE, FINESTRA_S)

    async def preprocess(self, app, state: BaseState, event: Event) -> StateUpdate | None:
        """None lets the event through; an empty update drops it."""
        if event.name != EVENTO:
            return None
        if not self.ammessa(connessione_attuale(), time.monotonic()):
            return StateUpdate()
        payload = event.payload
        info = payload.get("info") if isinstance(payload, dict) else None
        if not isinstance(info, str):
            return StateUpdate()  # not what a page sends: Reflex's handler would raise
        # The event is Reflex's to handle next: its payload becomes a well-formed, short one.
        payload.clear()
        payload.update(info=accorcia(info, LUNGHEZZA_MASSIMA), component_stack="")
        return None

    def ammessa(self, connessione: str, ora: float) -> bool:
        """Whether a report from `connessione` at `ora` is within the limits; logs one line
        when a connection, or all of them together, go over."""
        esito = self.per_connessione.conta(connessione, ora)
        if esito is Esito.PRIMO_SCARTATO:
            logger.warning(
                "segnalazioni di errori dal browser scartate per la connessione %s: più di %d "
                "in %.0f s",
                connessione,
                PER_CONNESSIONE,
                FINESTRA_S,
            )
        if esito is not Esito.AMMESSO:
            return False
        esito = self.in_totale.conta("*", ora)
        if esito is Esito.PRIMO_SCARTATO:
            logger.warning(
                "segnalazioni di errori dal browser scartate da tutte le connessioni: più di %d "
                "in %.0f s",
                IN_TOTALE,
                FINESTRA_S,
            )
        return esito is Esito.AMMESSO


def registra_errore_frontend(exception: Exception) -> None:
    """Log a browser-error report as one line, its text cut to `LUNGHEZZA_MASSIMA`
    characters."""
    logger.warning(
        "errore nel browser (connessione %s): %s",
        connessione_attuale(),
        pulisci(accorcia(str(exception), LUNGHEZZA_MASSIMA)),
    )
