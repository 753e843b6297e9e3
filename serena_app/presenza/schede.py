"""This process's side of presence: the staff tabs in edit mode it serves, and their entries'
writes, coalesced.

Guarded handlers (`state/redazione.py`) call `segna` and `togli`, which only note what the
tab's entry must become; the process's presence task (`state/presenza.py`) writes the notes
(`scrivi_in_attesa`): a burst of opens and closes from one tab is one write of its last
entry, so the store holds one entry per tab whatever happens.
"""

import asyncio
import contextlib
import dataclasses
import functools

from serena_app.presenza.voci import Deposito, InMemoria, Presenza, SuRedis
from serena_app.pubblicazione import notifica

IN_MODIFICA: dict[str, Presenza] = {}
"""The tabs of this process in edit mode, by client token, with their entry as noted."""
_da_scrivere: dict[tuple[str, str], Presenza | None] = {}  # (tab, space) → entry; None: remove
_sveglia = asyncio.Event()


@functools.cache
def deposito() -> Deposito:
    """Where this deployment keeps the entries: Redis with several processes, else here."""
    client = notifica.redis_condiviso()
    return SuRedis(client) if client is not None else InMemoria()


def sveglia() -> None:
    """Something changed (here, or notified by another process): look now."""
    _sveglia.set()


def segna(presenza: Presenza) -> None:
    """The tab `presenza.scheda` is in edit mode as `presenza` says (a guarded handler only)."""
    precedente = IN_MODIFICA.get(presenza.scheda)
    if precedente is not None and precedente.spazio != presenza.spazio:
        _da_scrivere[(presenza.scheda, precedente.spazio)] = None  # a tab has one entry
    IN_MODIFICA[presenza.scheda] = presenza
    _da_scrivere[(presenza.scheda, presenza.spazio)] = presenza
    sveglia()


def chiudi_voce(scheda: str) -> None:
    """The tab's editor closed: its entry, if it has one, names no item. Never creates one."""
    presenza = IN_MODIFICA.get(scheda)
    if presenza is not None and presenza.voce:
        segna(dataclasses.replace(presenza, voce="", cosa=""))


def togli(scheda: str) -> None:
    """The tab left edit mode, or its session ended: its entry goes now."""
    presenza = IN_MODIFICA.pop(scheda, None)
    if presenza is not None:
        _da_scrivere[(scheda, presenza.spazio)] = None
        sveglia()


def adotta(presenza: Presenza) -> None:
    """A tab whose entry exists (its heartbeat just extended it) is served by this process
    now (it connected again here): it gets its pushes here. Writes nothing."""
    IN_MODIFICA.setdefault(presenza.scheda, presenza)


async def scrivi_in_attesa() -> bool:
    """Write the entries noted since the last call; whether there were any."""
    if not _da_scrivere:
        return False
    note = dict(_da_scrivere)
    _da_scrivere.clear()
    negozio = deposito()
    for (scheda, spazio), presenza in note.items():
        if presenza is None:
            await negozio.togli(spazio, scheda)
        else:
            await negozio.scrivi(presenza)
    return True


async def attendi(secondi: float) -> None:
    """Wait until `sveglia` or `secondi` have passed."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(_sveglia.wait(), secondi)
    _sveglia.clear()
