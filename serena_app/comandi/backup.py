"""`serena backup` and `serena restore`: a consistent copy of the live SQLite database, taken
while the site runs, and putting one back.

The copy uses SQLite's online backup API, which copies the database as one consistent
snapshot even while other processes write (a writer that commits mid-copy makes the copy
start again). Each copy is one self-contained file (no -wal beside it), checked before it
takes its name.

A restore checks everything on a copy of the file given, made beside the live database: an
undamaged SQLite file (`PRAGMA integrity_check`), at a migration revision this version of the
site knows, migrated there if it is older, then holding every table and column of the models.
Only then the copy replaces the live database, in one rename; the live database is kept beside
it (`serena-prima-del-ripristino-….db`), so a restore is undone by restoring that file. A
refused restore leaves the live database's files untouched, and so does a restore while the
site runs (an open connection refuses it).

On PostgreSQL, `backup` and `ripristina` hand over to `backup_postgres.py` and
`ripristino_postgres.py` (pg_dump, pg_restore, a schema beside the live one).
"""

import os
import shutil
import sqlite3
import stat
from contextlib import closing, suppress
from datetime import UTC, datetime
from pathlib import Path

from alembic.util import CommandError
from sqlalchemy import URL
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import SQLModel

from serena_app import db
from serena_app.comandi import backup_postgres, ripristino_postgres
from serena_app.comandi.copie import (
    CopiaNonValida,
    DatabaseInUso,
    file_da_leggere,
    manca,
    migrazioni,
    provvisorio,
    sincronizza,
)

# The files SQLite keeps beside a database while it is open or after a crash.
ACCANTO = ("-wal", "-shm", "-journal")


def _file_sqlite(url: str) -> Path:
    indirizzo = make_url(url)
    if indirizzo.get_backend_name() != "sqlite" or not indirizzo.database:
        msg = "`serena backup` e `serena restore` valgono per SQLite e PostgreSQL."
        raise CopiaNonValida(msg)
    return Path(indirizzo.database).absolute()


# The checks, on a connection to a file of ours (a plain file name, never a URI)


def _revisione(connessione: sqlite3.Connection, nome: Path) -> str:
    """Integrity, then the migration revision, which this version must know."""
    try:
        esito = connessione.execute("PRAGMA integrity_check").fetchall()
        tabelle = {
            r[0] for r in connessione.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        revisioni = (
            connessione.execute("SELECT version_num FROM alembic_version").fetchall()
            if "alembic_version" in tabelle
            else []
        )
    except sqlite3.DatabaseError as errore:
        msg = f"Il file {nome} non è un database SQLite leggibile ({errore})."
        raise CopiaNonValida(msg) from None
    if esito != [("ok",)]:
        raise CopiaNonValida(f"Il file {nome} è danneggiato: {esito[0][0]}")
    if len(revisioni) != 1:
        msg = f"Il file {nome} non è un database del sito (non dice la revisione dello schema)."
        raise CopiaNonValida(msg)
    revisione = revisioni[0][0]
    if revisione not in {s.revision for s in migrazioni().walk_revisions()}:
        msg = (
            f"Il file {nome} viene da una versione del sito che questa non conosce "
            f"(revisione «{revisione}»): aggiorna il sito, poi ripristina."
        )
        raise CopiaNonValida(msg)
    return revisione


def _schema_completo(connessione: sqlite3.Connection, nome: Path) -> None:
    """Every table and column of the models is there."""
    colonne = {}
    for tabella in SQLModel.metadata.sorted_tables:
        if presenti := {r[1] for r in connessione.execute(f'PRAGMA table_info("{tabella.name}")')}:
            colonne[tabella.name] = presenti
    manca(nome, colonne)


def controlla(percorso: Path) -> None:
    """Check that `percorso` is a sound SQLite database of this site, at the latest schema.

    For a file of ours (a backup just made, the live database): it is opened as it is.

    Raises:
        CopiaNonValida: It is missing, not SQLite, damaged, of an older or unknown schema, or
            lacks a table or column.
    """
    if not percorso.is_file():
        raise CopiaNonValida(f"Il file {percorso} non esiste.")
    with closing(sqlite3.connect(percorso)) as connessione:
        revisione = _revisione(connessione, percorso)
        if revisione != (ultima := migrazioni().get_current_head()):
            msg = f"Il file {percorso} ha lo schema «{revisione}», non l’ultimo («{ultima}»)."
            raise CopiaNonValida(msg)
        _schema_completo(connessione, percorso)


# Files: written beside, synced, renamed


def _accanto(file: Path, parola: str) -> Path:
    """A new name beside `file`: its stem, `parola` and the time."""
    return file.with_name(f"{file.stem}-{parola}-{datetime.now(UTC):%Y%m%d-%H%M%S-%f}.db")


def _elimina(file: Path) -> None:
    for percorso in (file, *(Path(f"{file}{s}") for s in ACCANTO)):
        percorso.unlink(missing_ok=True)


def _un_solo_file(percorso: Path) -> None:
    """Fold any write-ahead log into the database file, which then stands alone; synced."""
    with closing(sqlite3.connect(percorso, isolation_level=None)) as connessione:
        connessione.execute("PRAGMA journal_mode=DELETE")
    sincronizza(percorso)


# Backup


def _postgres(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


def backup(cartella: Path, url: str | None = None) -> Path:
    """Copy the live database into a new file in `cartella`, checked; its path."""
    url = url or db.database_url()
    if _postgres(url):
        return backup_postgres.backup(cartella, url)
    sorgente = _file_sqlite(url)
    cartella = cartella.absolute()  # never read as a URI, whatever its name
    cartella.mkdir(parents=True, exist_ok=True)
    destinazione = cartella / f"serena-{datetime.now(UTC):%Y%m%d-%H%M%S-%f}.db"
    provvisoria = provvisorio(cartella, destinazione.name)
    try:
        with (
            closing(sqlite3.connect(sorgente)) as da,
            closing(sqlite3.connect(provvisoria)) as a,
        ):
            da.backup(a)
        _un_solo_file(provvisoria)
        controlla(provvisoria)
        os.replace(provvisoria, destinazione)
        sincronizza(cartella)
    finally:
        _elimina(provvisoria)
    return destinazione


# Restore


def _copia_dei_byte(sorgente: Path, destinazione: Path) -> None:
    """The file as it is, with its own write-ahead log or rollback journal if it has one
    (the file given is never opened by SQLite, so nothing is written beside it)."""
    shutil.copyfile(sorgente, destinazione)
    for suffisso in ("-wal", "-journal"):
        if (registro := Path(f"{sorgente}{suffisso}")).is_file():
            shutil.copyfile(registro, f"{destinazione}{suffisso}")


def _migra(copia: Path, nome: Path) -> None:
    engine = db.crea_engine(URL.create("sqlite", database=str(copia)))
    try:
        db.migra(engine)
    except (SQLAlchemyError, CommandError) as errore:
        motivo = str(getattr(errore, "orig", None) or errore).splitlines()[0]
        msg = f"Il file {nome} non si aggiorna allo schema di questa versione del sito ({motivo})."
        raise CopiaNonValida(msg) from None
    finally:
        engine.dispose()


def _verifica_e_aggiorna(copia: Path, nome: Path) -> None:
    """Every check on `copia` (named `nome` in messages), migrated if it is older."""
    with closing(sqlite3.connect(copia)) as connessione:
        revisione = _revisione(connessione, nome)
    if revisione != migrazioni().get_current_head():
        _migra(copia, nome)
    with closing(sqlite3.connect(copia)) as connessione:
        _revisione(connessione, nome)
        _schema_completo(connessione, nome)
    _un_solo_file(copia)


def _conserva(vivo: Path, precedente: Path) -> None:
    """Keep the live database's file as `precedente` too. A hard link does it without opening
    the file (closing another descriptor of it would drop SQLite's lock); a copy otherwise."""
    try:
        os.link(vivo, precedente)
    except OSError:
        shutil.copyfile(vivo, precedente)
        sincronizza(precedente)


def _stessi_permessi(copia: Path, vivo: Path) -> None:
    """The restored file gets the live one's mode, and its owner where allowed."""
    dati = vivo.stat()
    os.chmod(copia, stat.S_IMODE(dati.st_mode))
    with suppress(PermissionError):  # not root: the file stays the restoring user's
        os.chown(copia, dati.st_uid, dati.st_gid)


def _al_posto_del_vivo(copia: Path, vivo: Path) -> Path | None:
    """Rename `copia` over `vivo`; the previous live database kept beside it, its path."""
    if not any(Path(f"{vivo}{s}").exists() for s in ("", *ACCANTO)):
        os.replace(copia, vivo)
        sincronizza(vivo.parent)
        return None
    precedente = _accanto(vivo, "prima-del-ripristino")
    with closing(sqlite3.connect(vivo, timeout=2, isolation_level=None)) as connessione:
        try:
            # Leaving WAL mode folds the -wal into the file and removes -wal and -shm; SQLite
            # refuses it while another connection is open, and the lock keeps new ones out.
            modo = connessione.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
            connessione.execute("BEGIN EXCLUSIVE")
        except sqlite3.DatabaseError as errore:
            occupato = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
            # Damaged: kept as it is, with whatever lies beside it.
            modo = "in uso" if (errore.sqlite_errorcode or 0) & 0xFF in occupato else "danneggiato"
        if modo in ("in uso", "wal"):
            msg = (
                f"Il database del sito ({vivo}) è in uso: ferma il sito, poi ripeti "
                "`serena restore`."
            )
            raise DatabaseInUso(msg)
        _conserva(vivo, precedente)
        _stessi_permessi(copia, vivo)
        for suffisso in ACCANTO:
            if (resto := Path(f"{vivo}{suffisso}")).exists():
                os.replace(resto, f"{precedente}{suffisso}")
        os.replace(copia, vivo)
        sincronizza(vivo.parent)
    return precedente


def ripristina(percorso: Path, url: str | None = None) -> Path | str | None:
    """Make a copy of `percorso` the live database, once every check has passed on it.

    Stop the site first: a database in use is not replaced (on PostgreSQL it is, in one
    transaction; the site is restarted after it all the same, since it keeps the page in memory).

    Returns:
        Where the previous live database is kept (None if there was none): restoring it undoes
        this restore. On PostgreSQL the schema that keeps it (`ripristina_schema` of it).

    Raises:
        CopiaNonValida: The file is refused (the message says why); nothing was changed.
        DatabaseInUso: The site runs; nothing was changed.
    """
    url = url or db.database_url()
    if _postgres(url):
        return ripristino_postgres.ripristina(percorso, url)
    vivo = _file_sqlite(url)
    file_da_leggere(percorso)
    db.engine(url).dispose()  # this process's own pooled connections
    copia = provvisorio(vivo.parent, vivo.name)
    try:
        _copia_dei_byte(percorso, copia)
        _verifica_e_aggiorna(copia, percorso)
        return _al_posto_del_vivo(copia, vivo)
    finally:
        _elimina(copia)
