"""The schema comes from migrations, SQLite runs with WAL, a busy timeout and foreign keys, and
a locked transaction holds the write lock from its start."""

import os
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import Session, SQLModel, func, select

from serena_app import db
from serena_app.db import transazione_bloccata
from serena_app.models import Staff, TentativoAccesso


def test_migrations_create_exactly_the_models_schema(engine):
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert diff == []


def test_migrating_twice_is_harmless(engine):
    from serena_app.db import migra

    migra(engine)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_sqlite_pragmas(engine):
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_upgrading_a_database_of_the_one_page_schema_keeps_its_content(tmp_path):
    """A database made before pages existed (migration 0002) keeps every text, now as the
    published page, and its change counter."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    from serena_app.db import MIGRATIONS, crea_engine

    engine = crea_engine(f"sqlite:///{tmp_path / 'vecchio.db'}")
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "0002")
        connection.execute(text("INSERT INTO sezione VALUES ('mission', 'La mission.', 3)"))
        connection.execute(text("INSERT INTO tappa VALUES (7, 1986, 'Nascita', 'Testo.', 0, 1)"))
        connection.execute(text("INSERT INTO valore VALUES (4, 'Cura', 'Testo.', 0, 2)"))
        connection.execute(text("INSERT INTO revisionepagina VALUES (1, 41)"))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")
    with engine.connect() as connection:
        assert connection.execute(
            text("SELECT pagina, chiave, testo, versione, autore FROM sezione")
        ).all() == [("pubblicata", "mission", "La mission.", 3, None)]
        assert connection.execute(text("SELECT id, pagina, titolo, origine FROM tappa")).all() == [
            (7, "pubblicata", "Nascita", None)
        ]
        assert connection.execute(text("SELECT id, pagina, versione FROM valore")).all() == [
            (4, "pubblicata", 2)
        ]
        assert connection.execute(text("SELECT * FROM versionepagina")).all() == [
            ("pubblicata", 41)
        ]
    engine.dispose()


def _tentativo(nome: str) -> TentativoAccesso:
    return TentativoAccesso(nome_utente=nome, client="10.0.0.1", quando=datetime.now(UTC))


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_a_locked_transaction_holds_the_write_lock_from_its_first_statement(engine, session):
    """Inside the block, before it writes anything, another connection can read but cannot
    start writing; after the commit it can. Without the block, reads take no lock."""
    altra = sqlite3.connect(engine.url.database, timeout=0, isolation_level=None)
    session.exec(select(Staff)).all()
    altra.execute("BEGIN IMMEDIATE")  # plain reads in a session lock nothing
    altra.execute("ROLLBACK")
    with transazione_bloccata(session, TentativoAccesso):
        assert altra.execute("SELECT count(*) FROM tentativoaccesso").fetchone() == (0,)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            altra.execute("BEGIN IMMEDIATE")
        session.add(_tentativo("anna"))
    altra.execute("BEGIN IMMEDIATE")
    assert altra.execute("SELECT nome_utente FROM tentativoaccesso").fetchall() == [("anna",)]
    altra.execute("ROLLBACK")
    altra.close()


def test_a_locked_transaction_commits_at_the_end_and_rolls_back_on_error(engine, session):
    with pytest.raises(ZeroDivisionError), transazione_bloccata(session, TentativoAccesso):
        session.add(_tentativo("annullato"))
        session.flush()
        _ = 1 / 0
    with transazione_bloccata(session, TentativoAccesso):
        session.add(_tentativo("salvato"))
    with Session(engine) as altra:
        assert altra.exec(select(TentativoAccesso.nome_utente)).all() == ["salvato"]


def test_a_locked_transaction_refuses_unsaved_changes_and_needs_its_tables(session):
    session.add(_tentativo("in sospeso"))
    with (
        pytest.raises(RuntimeError, match="unsaved"),
        transazione_bloccata(session, TentativoAccesso),
    ):
        pass
    session.rollback()
    with pytest.raises(ValueError, match="tables"), transazione_bloccata(session):
        pass


def test_locked_read_then_write_steps_from_many_threads_never_interleave(engine):
    """20 threads each count the rows and add one named after the count: with the lock every
    count is different."""
    insieme = threading.Barrier(20)

    def passo(_numero: int) -> None:
        with Session(engine) as session:
            insieme.wait()
            with transazione_bloccata(session, TentativoAccesso):
                gia = session.exec(select(func.count()).select_from(TentativoAccesso)).one()
                session.add(_tentativo(str(gia)))

    with ThreadPoolExecutor(max_workers=20) as pool:
        list(pool.map(passo, range(20)))
    with Session(engine) as session:
        nomi = session.exec(select(TentativoAccesso.nome_utente)).all()
    assert sorted(nomi, key=int) == [str(n) for n in range(20)]


def test_a_forked_process_never_uses_its_parents_pooled_connections(engine):
    """Reflex forks its app workers after compiling the app, which reads the page: a worker
    that took its parent's pooled connection would garble the parent's statements (on
    PostgreSQL: "can't change 'autocommit' now"). The child's pool starts empty."""
    motore = db.engine(engine.url.render_as_string(hide_password=False))
    with motore.connect() as connessione:
        connessione.exec_driver_sql("SELECT 1")
    assert motore.pool.checkedin() == 1  # the parent keeps one
    lettura, scrittura = os.pipe()
    figlio = os.fork()
    if figlio == 0:  # the child reports through the pipe
        ereditate = motore.pool.checkedin()
        with motore.connect() as connessione:
            connessione.exec_driver_sql("SELECT 1")
        os.write(scrittura, f"{ereditate} {motore.pool.checkedin()}".encode())
        os._exit(0)
    os.waitpid(figlio, 0)
    assert os.read(lettura, 16) == b"0 1"  # none inherited; the one it opened itself
    with motore.connect() as connessione:
        assert connessione.exec_driver_sql("SELECT 1").scalar() == 1
