"""Database engines (one per URL, SQLite settings included), sessions, and migrations."""

import functools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, event
from sqlmodel import Session, create_engine

MIGRATIONS = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def crea_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout and foreign keys.

    Args:
        url: Any SQLAlchemy database URL.

    Returns:
        The engine.
    """
    sqlite = url.startswith("sqlite")
    engine = create_engine(url, connect_args={"check_same_thread": False} if sqlite else {})
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


@functools.cache
def engine(url: str) -> Engine:
    """The engine of the database at `url`, made once per process."""
    return crea_engine(url)


@contextmanager
def session(url: str | None = None) -> Iterator[Session]:
    """A session on the database at `url` (the app's by default); the caller commits.

    Objects stay readable after the commit.
    """
    with Session(engine(url or database_url()), expire_on_commit=False) as aperta:
        yield aperta


def migra(engine_: Engine) -> None:
    """Apply every pending Alembic migration to the database behind `engine_`."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine_.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")
