"""A session that ends ends in the tabs already open on it, within a second, on every process.

A staff session ends in the database: "Esci" (in any tab of the browser), the account
disabled or its password reset (`serena`, a process of its own), idle or absolute expiry
(nobody acts at all). Each app process checks the sessions of its connected staff tabs
(`schede_staff.SCHEDE_STAFF`) in one query every `INTERVALLO_S`, and at once when a
revocation is notified on Redis (`sessioni.CANALE_REVOCHE`, heard by
`pubblicazione.notifica`); a tab whose session ended leaves the staff view for good and
is told (`StaffState._sessione_terminata`). A draft pushed in between is checked the same way,
once per push (`verifica`).
"""

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import Iterable

import reflex as rx

from serena_app.auth.sessioni import CANALE_REVOCHE, hash_segreto, sessioni_vive, staff_autorizzato
from serena_app.db import esegui
from serena_app.pubblicazione import notifica
from serena_app.state.accesso import AccessoState
from serena_app.state.schede_staff import SCHEDE_STAFF
from serena_app.state.staff import StaffState

INTERVALLO_S = 0.5
logger = logging.getLogger(__name__)
_sveglia = asyncio.Event()


def sveglia() -> None:
    """A revocation was notified: check this process's staff tabs now."""
    _sveglia.set()


notifica.ascolta_canale(CANALE_REVOCHE, sveglia)


@dataclasses.dataclass(frozen=True)
class Verifica:
    """The sessions of some staff tabs, checked against the database at one moment."""

    controllate: frozenset[str]  # the hashes of their secrets
    vive: frozenset[str]

    async def viva(self, segreto: str) -> bool:
        """Whether the session `segreto` names is live; one that was not checked (a tab not
        yet noted, or that logged in again since) is asked about on its own."""
        hash_ = hash_segreto(segreto)
        if hash_ in self.controllate:
            return hash_ in self.vive
        return await staff_autorizzato(segreto) is not None


async def verifica(client_tokens: Iterable[str]) -> Verifica:
    """The sessions of the staff tabs `client_tokens`, checked in one query."""
    controllate = frozenset(SCHEDE_STAFF[t] for t in client_tokens if t in SCHEDE_STAFF)
    vive = await esegui(sessioni_vive, hash_segreti=controllate) if controllate else set()
    return Verifica(controllate, frozenset(vive))


async def _termina(app: rx.App, client_token: str, hash_: str) -> None:
    """End the staff view of tab `client_token`, if it still holds the session `hash_`."""
    async with app.modify_state(rx.BaseStateToken(ident=client_token, cls=StaffState)) as stato:
        accesso = await stato.get_state(AccessoState)
        if accesso.token and hash_segreto(accesso.token) == hash_:
            staff = await stato.get_state(StaffState)
            await staff._sessione_terminata()
        elif SCHEDE_STAFF.get(client_token) == hash_:
            # Logged out here, or another secret since: its next page load notes it again.
            del SCHEDE_STAFF[client_token]


async def controlla(app: rx.App) -> None:
    """End the staff view in every tab of this process whose session ended."""
    connessi = app.event_namespace.token_to_sid
    for client_token in [t for t in SCHEDE_STAFF if t not in connessi]:
        del SCHEDE_STAFF[client_token]  # where it connects again, its page load checks it
    if not SCHEDE_STAFF:
        return
    schede = dict(SCHEDE_STAFF)
    vive = await esegui(sessioni_vive, hash_segreti=frozenset(schede.values()))
    finite = [(token, hash_) for token, hash_ in schede.items() if hash_ not in vive]
    risultati = await asyncio.gather(
        *(_termina(app, token, hash_) for token, hash_ in finite), return_exceptions=True
    )
    for errore in (r for r in risultati if isinstance(r, BaseException)):
        logger.warning("fine della vista staff non riuscita: %r", errore)


async def sorveglia_sessioni(app: rx.App) -> None:
    """For as long as the process runs: `controlla` every `INTERVALLO_S`, and at once when
    woken (a lifespan task). While the database is away, its tabs are checked when it is
    back (and every guarded handler refuses meanwhile)."""
    guasto = False
    while True:
        _sveglia.clear()
        try:
            if app.event_namespace is not None:
                await controlla(app)
            guasto = False
        except asyncio.CancelledError:
            raise
        except Exception as errore:
            if not guasto:
                logger.warning("controllo delle sessioni aperte non riuscito: %r", errore)
            guasto = True
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(_sveglia.wait(), INTERVALLO_S)
