"""The guard on every event handler that changes data: `richiede_staff` and its markers.

Reflex lets any browser call any event handler by name, with any payload. A handler that
changes data is wrapped in `richiede_staff`: before its body runs, the guard reads this
browser's login state (`AccessoState`) and checks the secret presented on this socket against
the database. Without a live staff session the body never runs; edit mode ends and the
browser is told why. A write (`verifica_nella_scrittura`: save, delete, move) makes the same
check in its own database session instead, first thing in the one thread hop that writes
(`sul_db`, here too): the body before it only reads the event's payload. If such a body writes
nothing, the guard checks after it. A secret counts only on the socket that presented it
(`segreto`): another socket reusing the tab's client token gets nothing.
The check includes the role: a handler marked `solo_responsabile` refuses a redattore in words
and changes nothing (`auth/ruoli.py`); and the place: one marked `solo_sito` refuses a demo
sandbox's session in its own words (what it acts on belongs to the site only).
`tests/state/test_inventario.py` fails for any handler that changes data without the guard,
and for a guarded handler whose role is not the one it lists.

The states the guard acts on are in `state/staff.py` and `state/accesso.py`, which import this
module; this module reads `StaffState` and `AccessoState` at call time, so no import waits for
another.
"""

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from serena_app.auth import ruoli, sessioni
from serena_app.auth.ruoli import REDATTORE, RESPONSABILE
from serena_app.auth.sessioni import Permesso
from serena_app.contenuto import bozze, cronologia
from serena_app.contenuto.pagina import SITO, CopiaMancante, Spazio
from serena_app.db import esegui
from serena_app.demo.capienza import LimiteRaggiunto
from serena_app.state import schede_staff

if TYPE_CHECKING:
    from serena_app.state.accesso import AccessoState
    from serena_app.state.staff import StaffState

DATABASE_NON_RISPONDE = (
    "Il database non risponde in questo momento: l’ultima operazione non è stata salvata e "
    "nulla è cambiato. Riprova tra qualche istante."
)
logger = logging.getLogger(__name__)
R = TypeVar("R")


class NonAutorizzato(Exception):
    """No live staff session for the secret this tab presented."""


class NonPermesso(Exception):
    """A live staff session whose role may not do this (`auth/ruoli.py`)."""


def controlla(permesso: Permesso | None, ruolo: str) -> Permesso:
    """`permesso`, if it exists and its role may do what needs `ruolo`."""
    if permesso is None:
        raise NonAutorizzato
    if not sessioni.puo(permesso.ruolo, ruolo):
        raise NonPermesso
    return permesso


def presentato_da(accesso: "AccessoState", socket: str | None) -> bool:
    """Whether the socket `socket` presented the secret of the tab whose login state is
    `accesso` (a push in the background asks it of the socket the client token is connected
    on now)."""
    return bool(accesso.token) and bool(accesso._connessione) and accesso._connessione == socket


def segreto(accesso: "AccessoState") -> str:
    """The tab's session secret, if the socket of the event being handled presented it."""
    return accesso.token if presentato_da(accesso, accesso.router.session.session_id) else ""


def _da_staff(
    *,
    session: Session,
    presentato: str,
    ruolo: str,
    operazione: Callable[..., R],
    **argomenti: Any,
) -> tuple[Permesso, R, str]:
    """In one database session: the staff session of the secret `presentato` and its role
    checked, `operazione(session=, spazio=, autore=, **argomenti)` run on where it edits, and
    why they have no change to undo after it ("" if they have).

    The working copy is made with its pair (`bozze.crea_copia`); a write that finds it missing
    (a database filled by other means) is rolled back, and made again once the copy is."""
    permesso = controlla(sessioni.permesso(session=session, segreto=presentato), ruolo)
    spazio = Spazio.della_sessione(permesso.sandbox)
    autore = permesso.nome_utente
    try:
        risultato = operazione(session=session, spazio=spazio, autore=autore, **argomenti)
    except CopiaMancante:
        session.rollback()
        bozze.apri(session=session, spazio=spazio)
        risultato = operazione(session=session, spazio=spazio, autore=autore, **argomenti)
    perche = cronologia.perche_non_annullabile(
        session=session, spazio=spazio, autore=autore, dal=permesso.dal
    )
    return permesso, risultato, perche


async def sul_db(stato: "StaffState", operazione: Callable[..., R], /, **argomenti: Any) -> R:
    """Run `operazione(session=, spazio=, autore=, **argomenti)` of the content layer on
    where this tab's session edits, in one thread hop and one database session, which first
    check the session (the guard's check).

    Raises:
        NonAutorizzato: No live staff session (the guard then refuses the event).
    """
    from serena_app.state.accesso import AccessoState  # it imports this module
    from serena_app.state.staff import StaffState  # it imports this module

    presentato = segreto(await stato.get_state(AccessoState))
    try:
        permesso, risultato, perche = await esegui(
            _da_staff,
            presentato=presentato,
            ruolo=stato._ruolo_richiesto,
            operazione=operazione,
            **argomenti,
        )
    except (NonAutorizzato, NonPermesso, OperationalError):
        raise
    except Exception:
        stato._verificato = True  # the check passed: the operation itself refused
        raise
    schede_staff.ricorda(stato.router.session.client_token, presentato, permesso)
    StaffState._autorizzato(stato, permesso)
    StaffState._mostra_annullabile(stato, perche)
    return risultato


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
    write's own thread hop and database session (`sul_db`). Its body must change
    nothing before that write but what the event's payload alone decides."""
    handler.verifica_nella_scrittura = True
    return handler
