"""The guard on every event handler that changes data: `richiede_staff` and its markers.

Reflex lets any browser call any event handler by name, with any payload. A handler that
changes data is wrapped in `richiede_staff`: before its body runs, the guard reads this
browser's login state (`AccessoState`) and checks the secret presented on this socket against
the database. Without a live staff session the body never runs; edit mode ends and the
browser is told why. A write (`verifica_nella_scrittura`: save, delete, move) makes the same
check in its own database session instead, first thing in the one thread hop that writes
(`StaffState._sul_db`, with `controlla` from here): the body before it only reads the event's
payload. If such a body writes nothing, the guard checks after it.
The check includes the role: a handler marked `solo_responsabile` refuses a redattore in words
and changes nothing (`auth/ruoli.py`); and the place: one marked `solo_sito` refuses a demo
sandbox's session in its own words (what it acts on belongs to the site only).
`tests/state/test_inventario.py` fails for any handler that changes data without the guard,
and for a guarded handler whose role is not the one it lists.

The states the guard acts on are in `state/staff.py`, which imports this module for the
exceptions its write raises; this module reads `StaffState` at call time, so neither import
waits for the other.
"""

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import OperationalError

from serena_app.auth import ruoli
from serena_app.auth.permessi import Permesso
from serena_app.auth.ruoli import REDATTORE, RESPONSABILE
from serena_app.contenuto.bozze import SITO
from serena_app.demo.capienza import LimiteRaggiunto

if TYPE_CHECKING:
    from serena_app.state.staff import StaffState

DATABASE_NON_RISPONDE = (
    "Il database non risponde in questo momento: l’ultima operazione non è stata salvata e "
    "nulla è cambiato. Riprova tra qualche istante."
)
logger = logging.getLogger(__name__)


class NonAutorizzato(Exception):
    """No live staff session for the secret this tab presented."""


class NonPermesso(Exception):
    """A live staff session whose role may not do this (`auth/ruoli.py`)."""


def controlla(permesso: Permesso | None, ruolo: str) -> Permesso:
    """`permesso`, if it exists and its role may do what needs `ruolo`."""
    if permesso is None:
        raise NonAutorizzato
    if not ruoli.puo(permesso.ruolo, ruolo):
        raise NonPermesso
    return permesso


def richiede_staff(
    handler: Callable[..., Awaitable[Any]],
) -> Callable[..., Awaitable[Any]]:
    """Run `handler` (of a `StaffState`) only for a live staff session whose role may (a
    redattore, unless the handler is marked `solo_responsabile`) and, if it is marked
    `solo_sito`, that edits the site; without a session change nothing but leaving edit mode,
    without the role or outside the site nothing but saying so."""
    nella_scrittura = getattr(handler, "verifica_nella_scrittura", False)
    ruolo = getattr(handler, "ruolo", REDATTORE)
    fuori_dal_sito: str | None = getattr(handler, "solo_sito", None)
    if nella_scrittura and fuori_dal_sito is not None:  # refused at import, even under -O
        # The place is known once the session is checked, and that check is inside the
        # write: the body would have run before the refusal.
        raise TypeError(f"{handler.__name__}: solo_sito and verifica_nella_scrittura")

    @functools.wraps(handler)
    async def controllato(self: "StaffState", *args, **kwargs):
        try:
            self._verificato = False
            self._ruolo_richiesto = ruolo
            if not nella_scrittura:
                await _verifica(self)
            if fuori_dal_sito is not None and self._spazio != SITO:
                self.avviso = fuori_dal_sito
                self._fuori_dal_sito()
                return None
            risultato = await handler(self, *args, **kwargs)
            if not self._verificato:  # a write that wrote nothing: the check, now
                await _verifica(self)
            return risultato
        except NonAutorizzato:
            from serena_app.state.staff import StaffState  # staff.py imports this module

            await StaffState._rifiuta(self)
            return None
        except NonPermesso:
            self.avviso = ruoli.SOLO_RESPONSABILE
            return None
        except LimiteRaggiunto as limite:
            # A demo sandbox full, or written too fast: the write was rolled back whole, and
            # the open editor keeps what they typed.
            self.avviso = str(limite)
            return None
        except OperationalError as errore:
            # The database is down or restarting: each write is one transaction, rolled
            # back whole; the person is told, and the open editor keeps what they typed.
            logger.warning("database non raggiungibile in %s: %s", handler.__name__, errore.orig)
            self.avviso = DATABASE_NON_RISPONDE
            return None

    controllato.richiede_staff = True
    controllato.ruolo = ruolo
    controllato.solo_sito = fuori_dal_sito
    return controllato


async def _verifica(stato: "StaffState") -> None:
    """The check before the body: this browser's staff session, read now, and its role."""
    from serena_app.state.staff import StaffState  # staff.py imports this module

    permesso = controlla(await StaffState._staff(stato), stato._ruolo_richiesto)
    StaffState._autorizzato(stato, permesso)


def solo_responsabile(
    handler: Callable[..., Awaitable[Any]],
) -> Callable[..., Awaitable[Any]]:
    """Mark a handler (under `richiede_staff`) that only a responsabile may run."""
    handler.ruolo = RESPONSABILE
    return handler


def solo_sito(
    messaggio: str,
) -> Callable[[Callable[..., Awaitable[Any]]], Callable[..., Awaitable[Any]]]:
    """Mark a handler (under `richiede_staff`) that acts on the site only: a demo sandbox's
    session (a responsabile of its sandbox, of nothing else) is told `messaggio` instead, and
    the state clears what of the site it shows (`StaffState._fuori_dal_sito`)."""

    def segna(handler: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        if getattr(handler, "richiede_staff", False):  # above the guard, it would be ignored
            raise TypeError(f"{handler.__name__}: solo_sito goes under richiede_staff")
        handler.solo_sito = messaggio
        return handler

    return segna


def verifica_nella_scrittura(
    handler: Callable[..., Awaitable[Any]],
) -> Callable[..., Awaitable[Any]]:
    """Mark a handler (under `richiede_staff`) whose staff check is made by its write, in the
    write's own thread hop and database session (`StaffState._sul_db`). Its body must change
    nothing before that write but what the event's payload alone decides."""
    handler.verifica_nella_scrittura = True
    return handler
