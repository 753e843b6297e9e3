"""Counting what one handler costs off the event loop: its thread hops and database sessions."""

import asyncio
import contextlib
import sys
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession

from serena_app import db as serena_db


def conta_salti_e_sessioni(monkeypatch: pytest.MonkeyPatch) -> tuple[list, list]:
    """From now on, each thread hop (`asyncio.to_thread`: the function it runs) and each
    database session (`serena_app.db.session`) opened is appended to the lists returned."""
    salti: list = []
    sessioni: list = []
    vera_sessione, vero_salto = serena_db.session, asyncio.to_thread

    def sessione(*argomenti, **chiavi):
        sessioni.append(1)
        return vera_sessione(*argomenti, **chiavi)

    async def salto(funzione, /, *argomenti, **chiavi):
        salti.append(funzione)
        return await vero_salto(funzione, *argomenti, **chiavi)

    monkeypatch.setattr(serena_db, "session", sessione)
    monkeypatch.setattr(asyncio, "to_thread", salto)
    return salti, sessioni


@contextlib.contextmanager
def moduli_attraversati() -> Iterator[set[str]]:
    """The project's modules whose code runs inside the block, on this thread and on every
    thread started meanwhile (`esegui`'s, the thread hops'), by profiling every Python call."""
    with _moduli() as (moduli, _):
        yield moduli


@contextlib.contextmanager
def moduli_fino_alla_scrittura() -> Iterator[set[str]]:
    """As `moduli_attraversati`, but only those whose code ran before the block's first
    database commit: the path from the handler to the write, guard included."""
    with _moduli() as (_, prima_del_commit):
        yield prima_del_commit


@contextlib.contextmanager
def _moduli() -> Iterator[tuple[set[str], set[str]]]:
    moduli: set[str] = set()
    prima_del_commit: set[str] = set()
    scritto = threading.Event()

    def osserva(frame, evento, _argomento):
        if evento == "call" and frame.f_globals.get("__name__", "").startswith("serena_app"):
            moduli.add(frame.f_globals["__name__"])
            if not scritto.is_set():
                prima_del_commit.add(frame.f_globals["__name__"])

    def dopo_il_commit(_session) -> None:
        scritto.set()

    event.listen(OrmSession, "after_commit", dopo_il_commit)
    threading.setprofile(osserva)
    sys.setprofile(osserva)
    try:
        yield moduli, prima_del_commit
    finally:
        sys.setprofile(None)
        threading.setprofile(None)  # type: ignore[arg-type]
        event.remove(OrmSession, "after_commit", dopo_il_commit)
