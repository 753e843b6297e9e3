"""Fixtures of the attack tests: the running app's database, an event loop for the raw
clients (`tests/support/cliente.py` describes the wire protocol), staff credentials of every
kind, and a check that the server still answers."""

import asyncio
import itertools
import secrets
import threading
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

import httpx
import pytest
from sqlalchemy import Engine, inspect, text
from sqlmodel import Session

from serena_app.auth.personale import crea_staff
from serena_app.auth.ruoli import REDATTORE, RESPONSABILE
from serena_app.auth.sessioni import adesso, crea_sessione, revoca_sessione
from serena_app.db import crea_engine
from tests.support.cliente import ATTESA, ClienteGrezzo, vista
from tests.support.protocollo import ACCESSO
from tests.support.server import Server

T = TypeVar("T")

TABELLE_CONTENUTO = ("sezione", "tappa", "valore", "versionepagina", "revisione")
PASSWORD = "una password lunga abbastanza"
_NUMERI = itertools.count(1)  # one count for every module: they share one database


@dataclass(frozen=True)
class Credenziali:
    """A staff account and the secret of one of its sessions."""

    nome_utente: str
    token: str


@pytest.fixture(scope="module")
def db(server: Server) -> Iterator[Engine]:
    """An engine on the running app's database."""
    engine = crea_engine(server.db_url)
    yield engine
    engine.dispose()


class CicloDedicato:
    """An event loop on a thread of its own: Playwright's sync API (used by the browser tests
    in the same pytest run) may already hold the main thread's loop."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = 300) -> T:
        """Run `coroutine` on the loop and return its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def close(self) -> None:
        """Stop the loop and its thread."""
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()


@pytest.fixture(scope="module")
def ciclo() -> Iterator[CicloDedicato]:
    """One event loop for the module's clients: tests run coroutines with `ciclo.run(...)`."""
    loop = CicloDedicato()
    yield loop
    loop.close()


def righe(db: Engine, tabelle: tuple[str, ...] = TABELLE_CONTENUTO) -> dict[str, list[dict]]:
    """Every row of `tabelle`, by primary key, as column -> value (SQLite or PostgreSQL)."""
    risultato = {}
    with db.connect() as connessione:
        for tabella in tabelle:
            chiave = ", ".join(inspect(db).get_pk_constraint(tabella)["constrained_columns"])
            sql = text(f"SELECT * FROM {tabella} ORDER BY {chiave}")  # noqa: S608 (our names)
            risultato[tabella] = [dict(riga._mapping) for riga in connessione.execute(sql)]
    return risultato


@pytest.fixture(scope="module")
def credenziali(db: Engine) -> Callable[[str], Credenziali]:
    """Make a staff account with one session of a given kind, straight in the database.

    Kinds: "valida" (opened now, a responsabile), "redattore" (opened now, a redattore),
    "scaduta" (opened 13 hours ago), "inattiva" (last used 3 hours ago), "revocata" (logged
    out), "disabilitata" (live, but the account is disabled), "inventata" (a well-formed
    secret that no session has).
    """

    def crea(tipo: str) -> Credenziali:
        with Session(db) as session:
            staff = crea_staff(
                session=session,
                nome_utente=f"attacchi-{tipo}-{next(_NUMERI)}",
                password=PASSWORD,
                ruolo=REDATTORE if tipo == "redattore" else RESPONSABILE,
            )
            if tipo == "inventata":
                return Credenziali(staff.nome_utente, secrets.token_urlsafe(32))
            inizio = {"scaduta": timedelta(hours=13), "inattiva": timedelta(hours=3)}
            token = crea_sessione(
                session=session, staff=staff, ora=adesso() - inizio.get(tipo, timedelta())
            )
            if tipo == "revocata":
                revoca_sessione(session=session, token=token)
            elif tipo == "disabilitata":
                staff.attivo = False
                session.add(staff)
                session.commit()
            return Credenziali(staff.nome_utente, token)

    return crea


def verifica_che_risponda(server: Server, ciclo: CicloDedicato) -> None:
    """The server still answers: GET / is 200 and a new tab hydrates over a new socket."""
    assert httpx.get(f"{server.url}/", timeout=ATTESA).status_code == 200

    async def nuova_scheda() -> list[dict]:
        async with ClienteGrezzo(server.url) as cliente:
            return await cliente.connetti()

    assert vista(ciclo.run(nuova_scheda()))[ACCESSO]["nome_staff"] == ""
