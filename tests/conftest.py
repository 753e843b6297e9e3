"""Fixtures shared by every layer: the content file, a fresh migrated database (SQLite and
PostgreSQL), the real app as `make run` and as `make prod` serve it (one server of each for the
whole run: each build bakes its port into the bundle), and a demo server.

A test fails if a server the tests started logged an error while it ran, unless the test
declares it (`@pytest.mark.errori_attesi`, `tests/support/registro_server.py`)."""

import itertools
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session

from serena_app.contenuto import istantanea
from serena_app.contenuto.seme import carica_seed
from serena_app.db import crea_engine, migra
from tests.support.demo import server_demo
from tests.support.postgres import server_postgres
from tests.support.produzione import Produzione, server_produzione
from tests.support.registro_server import descrivi, nuovi_errori
from tests.support.server import Server, avvia_app


@pytest.fixture(autouse=True)
def _nessun_errore_nei_server(request) -> Iterator[None]:
    """Fail the test if a running server logged an error it does not declare with
    `@pytest.mark.errori_attesi(r"regex", ...)`."""
    yield
    attesi = [a for m in request.node.iter_markers("errori_attesi") for a in m.args]
    if errori := nuovi_errori(attesi):
        pytest.fail(descrivi(errori), pytrace=False)


@pytest.fixture(scope="session")
def contenuto() -> dict:
    """The content file, as the app reads it: what the page must show."""
    return carica_seed()


@pytest.fixture(scope="session")
def postgres() -> Iterator[str]:
    """A throwaway PostgreSQL server for the run (`tests/support/postgres.py`)."""
    with server_postgres() as url:
        yield url


_DATABASI = itertools.count(1)
MODELLO = "modello"  # the PostgreSQL database migrated once, that each test's database copies


def _nuovo_database(server: str, nome: str, sql: str = "") -> str:
    """`CREATE DATABASE nome` (followed by `sql`) on the PostgreSQL `server`; its URL."""
    with crea_engine(server).execution_options(isolation_level="AUTOCOMMIT").connect() as c:
        c.exec_driver_sql(f"CREATE DATABASE {nome} {sql}")
    return server.rsplit("/", 1)[0] + f"/{nome}"


@pytest.fixture(scope="session")
def _sqlite_migrato(tmp_path_factory) -> Path:
    """An SQLite file migrated once: each test's database is a copy of it."""
    file = tmp_path_factory.mktemp("modello") / "modello.db"
    engine = crea_engine(f"sqlite:///{file}")
    migra(engine)
    engine.dispose()
    return file


@pytest.fixture(scope="session")
def _postgres_migrato(postgres) -> str:
    """The run's PostgreSQL server with a database migrated once (`MODELLO`), the template
    of each test's database: copying it is several times faster than migrating."""
    engine = crea_engine(_nuovo_database(postgres, MODELLO))
    migra(engine)
    engine.dispose()  # a template is copied only while nobody is connected to it
    return postgres


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path: Path):
    """A new database at the latest schema, a copy of one migrated once for the run: an
    SQLite file, and a PostgreSQL database (every test that uses it runs on both)."""
    if request.param == "sqlite":
        file = tmp_path / "test.db"
        shutil.copyfile(request.getfixturevalue("_sqlite_migrato"), file)
        url = f"sqlite:///{file}"
    else:
        server = request.getfixturevalue("_postgres_migrato")
        url = _nuovo_database(server, f"prova_{next(_DATABASI)}", f"TEMPLATE {MODELLO}")
    engine = crea_engine(url)
    istantanea.dimentica_tutte()  # this process's snapshots were of the last test's database
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine) -> Iterator[Session]:
    """A session on the fresh database."""
    with Session(engine) as session:
        yield session


@pytest.fixture(scope="session")
def produzione(tmp_path_factory) -> Iterator[Produzione]:
    """`make prod` (Caddy, two app processes, Redis, PostgreSQL), from a copy of the tree."""
    with server_produzione(tmp_path_factory.mktemp("produzione")) as running:
        yield running


@pytest.fixture(scope="session", params=["run", "prod"])
def server(request, tmp_path_factory) -> Iterator[Server]:
    """The app with a fresh seeded database, as `make run` serves it (one process, SQLite), and
    as `make prod` does: the end-to-end and security suites run against both."""
    if request.param == "prod":
        yield request.getfixturevalue("produzione")
        return
    with avvia_app(tmp_path_factory.mktemp("app")) as running:
        yield running


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> Iterator[Server]:
    """A demo server (`tests/support/demo.py`), built from a copy of the tree."""
    with server_demo(tmp_path_factory.mktemp("demo")) as running:
        yield running
