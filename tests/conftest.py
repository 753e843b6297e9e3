"""Fixtures shared by every layer: the content file, a fresh migrated SQLite database, the real
app (one server for the whole run: each build bakes its port into the bundle), and a demo
server."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session

from serena_app.content.loader import carica_seed
from serena_app.db import crea_engine, migra
from tests.support.demo import server_demo
from tests.support.server import Server, run_app


@pytest.fixture(scope="session")
def contenuto() -> dict:
    """The content file, as the app reads it: what the page must show."""
    return carica_seed()


@pytest.fixture
def engine(tmp_path: Path):
    """A new SQLite database file, migrated to the latest schema."""
    engine = crea_engine(f"sqlite:///{tmp_path / 'test.db'}")
    migra(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine) -> Iterator[Session]:
    """A session on the fresh database."""
    with Session(engine) as session:
        yield session


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[Server]:
    """The production build of the app on a free port, with a fresh seeded database."""
    with run_app(tmp_path_factory.mktemp("app")) as running:
        yield running


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> Iterator[Server]:
    """A demo server (`tests/support/demo.py`), built from a copy of the tree."""
    with server_demo(tmp_path_factory.mktemp("demo")) as running:
        yield running
