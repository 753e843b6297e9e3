"""Database engines (one per URL, SQLite settings included), sessions, locked transactions,
and migrations."""

import asyncio
import functools
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import URL, Engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel, create_engine

R = TypeVar("R")

MIGRATIONS = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


# A database on another machine whose link is cut: a connection attempt gives up after 5 s,
# and a pooled connection whose data goes unanswered for 6 s (or that stays silent through
# the keepalives) is dropped with an error, so the staff hear "il database non risponde"
# within seconds rather than after the system's 15 minutes (libpq's parameters).
SERVER_LONTANO = {
    "connect_timeout": 5,
    "keepalives": 1,
    "keepalives_idle": 5,
    "keepalives_interval": 2,
    "keepalives_count": 2,
    "tcp_user_timeout": 6000,
}


def crea_engine(url: str | URL) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout and foreign keys.

    Args:
        url: Any SQLAlchemy database URL (a `URL` for a file whose path holds `?` or `#`).

    Returns:
        The engine.
    """
    sqlite = make_url(url).get_backend_name() == "sqlite"
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False} if sqlite else SERVER_LONTANO,
        # A server database may restart: a pooled connection is checked before use, so the
        # first request after a restart does not fail on a connection that is gone.
        pool_pre_ping=not sqlite,
    )
    if sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def database_url() -> str:
    """The database URL: `DATABASE_URL`, else `REFLEX_DB_URL`, else `serena.db` in the project."""
    return (
        os.environ.get("DATABASE_URL")
        or os.environ.get("REFLEX_DB_URL")
        or f"sqlite:///{Path(__file__).resolve().parent.parent / 'serena.db'}"
    )


_motori: list[Engine] = []


@functools.cache
def engine(url: str) -> Engine:
    """The engine of the database at `url`, made once per process."""
    motore = crea_engine(url)
    _motori.append(motore)
    return motore


def _nel_processo_figlio() -> None:
    """A process forked from this one (Reflex's app workers are, once the app is compiled,
    which reads the page) must not use the parent's pooled connections: two processes on one
    connection garble each other's statements. The child's pools start empty; the parent's
    connections stay the parent's."""
    for motore in _motori:
        motore.dispose(close=False)


os.register_at_fork(after_in_child=_nel_processo_figlio)


@contextmanager
def session(url: str | None = None) -> Iterator[Session]:
    """A session on the database at `url` (the app's by default); the caller commits.

    Objects stay readable after the commit.
    """
    with Session(engine(url or database_url()), expire_on_commit=False) as aperta:
        yield aperta


@contextmanager
def transazione_bloccata(session: Session, *tabelle: type[SQLModel]) -> Iterator[None]:
    """Run the block as one transaction that holds the write lock from its first statement.

    For read-check-write steps that must not interleave with the same step in another thread
    or process (count the recent failed logins, then record one; read a version, then write):
    a second caller waits at the start of its block until the first one has committed, so
    every read inside the block sees everything committed before it. Plain reads elsewhere
    are never blocked. Keep the block short: no password hashing or network calls inside.

        with transazione_bloccata(session, TentativoAccesso):
            falliti = session.exec(select(func.count()) ...).one()
            session.add(TentativoAccesso(...))
        # committed here; rolled back if the block raised

    Args:
        session: The session to use. It must hold no unsaved changes (they would be written
            outside the lock, so this raises); a transaction opened by earlier reads is
            committed first, which loses nothing.
        tabelle: The tables the block reads and writes, at least one. On PostgreSQL they are
            locked `IN SHARE ROW EXCLUSIVE MODE` (the mode conflicts with itself and with
            every INSERT, UPDATE and DELETE on them, not with SELECT); on SQLite
            `BEGIN IMMEDIATE` takes the database's single write lock, whatever the tables
            (a writer waits up to the 5 s busy timeout, then gets "database is locked").

    Raises:
        ValueError: No table given.
        RuntimeError: The session holds unsaved changes.
        NotImplementedError: A database other than SQLite or PostgreSQL.
    """
    if session.new or session.dirty or session.deleted:
        msg = "transazione_bloccata: the session has unsaved changes; commit them first"
        raise RuntimeError(msg)
    if session.in_transaction():
        session.commit()
    try:
        blocca(session, *tabelle)
        yield
    except BaseException:
        session.rollback()
        raise
    session.commit()


def blocca(session: Session, *tabelle: type[SQLModel]) -> None:
    """Begin the session's transaction holding the write lock (see `transazione_bloccata`);
    the caller commits or rolls back. The session must not be in a transaction yet.

    Raises:
        ValueError: No table given.
        NotImplementedError: A database other than SQLite or PostgreSQL.
    """
    if not tabelle:
        msg = "blocca needs the tables the transaction uses (locked on PostgreSQL)"
        raise ValueError(msg)
    connessione = session.connection()
    dialetto = connessione.dialect
    if dialetto.name == "sqlite":
        # pysqlite begins transactions lazily (at the first write); an explicit
        # BEGIN IMMEDIATE takes the lock now, and the module then adds no BEGIN of its own.
        connessione.exec_driver_sql("BEGIN IMMEDIATE")
    elif dialetto.name == "postgresql":
        nomi = ", ".join(
            dialetto.identifier_preparer.format_table(inspect(tabella).local_table)
            for tabella in tabelle
        )
        connessione.exec_driver_sql(f"LOCK TABLE {nomi} IN SHARE ROW EXCLUSIVE MODE")
    else:
        msg = f"no write lock for {dialetto.name} databases"
        raise NotImplementedError(msg)


async def esegui(funzione: Callable[..., R], /, **argomenti: Any) -> R:
    """Run `funzione(session=…, **argomenti)` in a thread, in one database session of its own:
    how the browser side's state reaches the content layer (one thread hop and one database
    session per operation; SQLite may wait for another writer, so never on the event loop)."""

    def nel_thread() -> R:
        with session() as aperta:
            return funzione(session=aperta, **argomenti)

    return await asyncio.to_thread(nel_thread)


class _Riga(Protocol):
    @property
    def id(self) -> int | None: ...


def id_salvato(riga: _Riga) -> int:
    """The id of a row the database has stored (flushed or read back); a table's `id` is
    None only on a row not flushed yet.

    Raises:
        ValueError: The row has not been flushed yet.
    """
    if riga.id is None:
        msg = f"{type(riga).__name__} has no id yet: flush it first"
        raise ValueError(msg)
    return riga.id


# Any number, the same in every process: the PostgreSQL advisory lock of `un_solo_alla_volta`.
PREPARAZIONE = 0x5E7E4A


@contextmanager
def un_solo_alla_volta(engine_: Engine) -> Iterator[None]:
    """Run the block in one process at a time across every machine sharing the database: two
    app hosts that start together must not migrate or seed it at once. On SQLite (one
    machine) migrations already take the database's write lock."""
    if engine_.dialect.name != "postgresql":
        yield
        return
    with engine_.connect() as connessione:
        connessione.execute(text("SELECT pg_advisory_lock(:k)"), {"k": PREPARAZIONE})
        try:
            yield
        finally:
            connessione.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": PREPARAZIONE})


def migra(engine_: Engine) -> None:
    """Apply every pending Alembic migration to the database behind `engine_`."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine_.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")
