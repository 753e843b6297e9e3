"""`serena backup` while four processes write, and `serena restore`, on SQLite: the copy is one
consistent snapshot that passes `integrity_check`, and a damaged or foreign file is never
restored."""

import multiprocessing
import os
import sqlite3
import time
from contextlib import closing
from pathlib import Path

import pytest
from sqlmodel import Session

from serena_app.auth.sessioni import adesso
from serena_app.comandi import backup
from serena_app.comandi.backup import CopiaNonValida
from serena_app.contenuto.semina import semina
from serena_app.db import crea_engine, migra
from serena_app.models import TentativoAccesso

SCRIVENTI = 4


def _scrivi(url: str, numero: int, durata: float) -> None:
    """For `durata` seconds from its start: one transaction at a time, each adding a pair of
    rows."""
    engine = crea_engine(url)
    fine = time.time() + durata
    while time.time() < fine:
        with Session(engine) as session:
            for lato in ("a", "b"):
                session.add(
                    TentativoAccesso(nome_utente=f"p{numero}{lato}", client="x", quando=adesso())
                )
            session.commit()
    engine.dispose()


def _conta(percorso: Path) -> int:
    with closing(sqlite3.connect(percorso)) as connessione:  # closed: restore refuses a db in use
        return connessione.execute("SELECT count(*) FROM tentativoaccesso").fetchone()[0]


@pytest.fixture
def database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'serena.db'}"
    engine = crea_engine(url)
    migra(engine)
    with Session(engine) as session:
        semina(session=session)
    engine.dispose()
    return url


def test_a_backup_taken_while_four_processes_write_is_consistent_and_restores(
    database: str, tmp_path: Path
):
    contesto = multiprocessing.get_context("spawn")
    scriventi = [contesto.Process(target=_scrivi, args=(database, n, 6)) for n in range(SCRIVENTI)]
    for processo in scriventi:
        processo.start()
    copie = []
    try:
        vivo = Path(database.removeprefix("sqlite:///"))
        # Spawned writers take a moment, longer on a busy machine: the copies start with them.
        attesa = time.time() + 60
        while _conta(vivo) == 0 and time.time() < attesa:
            time.sleep(0.05)
        fine = time.time() + 3
        while time.time() < fine:
            copie.append(backup.backup(tmp_path / "copie", database))
    finally:
        for processo in scriventi:
            processo.join(timeout=30)
    assert all(p.exitcode == 0 for p in scriventi)
    assert copie
    conteggi = [_conta(c) for c in copie]
    assert all(n % 2 == 0 for n in conteggi), conteggi  # never half a transaction
    assert conteggi[-1] > 0  # the writers were writing while the copies were taken

    totale = _conta(vivo)
    backup.ripristina(copie[-1], database)
    assert _conta(vivo) == conteggi[-1] < totale
    backup.controlla(vivo)


def test_a_damaged_or_foreign_file_is_never_restored(database: str, tmp_path: Path):
    vivo = Path(database.removeprefix("sqlite:///"))
    prima = _conta(vivo)
    testo = tmp_path / "note.db"
    testo.write_text("non è un database")
    estraneo = tmp_path / "altro.db"
    with sqlite3.connect(estraneo) as connessione:
        connessione.execute("CREATE TABLE qualcosa (x)")
    copia = backup.backup(tmp_path / "copie", database)
    danneggiata = tmp_path / "danneggiata.db"
    dati = bytearray(copia.read_bytes())
    dati[4096:8192] = b"\xff" * 4096  # a page in the middle overwritten
    danneggiata.write_bytes(bytes(dati))

    for file, motivo in (
        (tmp_path / "manca.db", "non esiste"),
        (testo, "non è un database SQLite leggibile"),
        (estraneo, "non è un database del sito"),
        (danneggiata, "danneggiato|non è un database SQLite leggibile"),
    ):
        with pytest.raises(CopiaNonValida, match=motivo):
            backup.ripristina(file, database)
        assert _conta(vivo) == prima
    backup.controlla(vivo)


def test_a_database_neither_sqlite_nor_postgresql_is_refused_in_italian(tmp_path: Path):
    """PostgreSQL has its own tests (test_backup_postgres.py)."""
    with pytest.raises(CopiaNonValida, match="valgono per SQLite e PostgreSQL"):
        backup.backup(tmp_path, "mysql://serena@localhost/serena")


def test_a_fifo_or_a_folder_is_refused_without_reading_it(database: str, tmp_path: Path):
    fifo = tmp_path / "copia.db"
    os.mkfifo(fifo)
    for file in (fifo, tmp_path):
        with pytest.raises(CopiaNonValida, match="non è un file normale"):
            backup.ripristina(file, database)
    backup.controlla(Path(database.removeprefix("sqlite:///")))


def test_the_restored_file_keeps_the_live_ones_permissions(database: str, tmp_path: Path):
    vivo = Path(database.removeprefix("sqlite:///"))
    copia = backup.backup(tmp_path / "copie", database)
    vivo.chmod(0o640)
    backup.ripristina(copia, database)
    assert vivo.stat().st_mode & 0o777 == 0o640
