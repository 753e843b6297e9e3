"""The database engine, its SQLite settings, and bringing a database up to date."""

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
def engine() -> Engine:
    """The app's engine."""
    return crea_engine(database_url())


@contextmanager
def sessione() -> Iterator[Session]:
    """A session on the app's database; the caller commits. Objects stay readable after it."""
    with Session(engine(), expire_on_commit=False) as session:
        yield session


def migra(engine_: Engine) -> None:
    """Apply every pending Alembic migration to the database behind `engine_`."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine_.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")
