"""`serena backup` and `serena restore`: a consistent copy of the live SQLite database, taken
while the site runs, and putting one back.

The copy uses SQLite's online backup API, which copies the database as one consistent
snapshot even while other processes write (a writer that commits mid-copy makes the copy
start again). Each copy, and each file before it is restored, must pass
`PRAGMA integrity_check` and hold the site's tables. On PostgreSQL, use `pg_dump`.
"""

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from serena_app import db

TABELLE_DEL_SITO = {"alembic_version", "sezione", "tappa", "valore", "staff"}


class CopiaNonValida(ValueError):
    """The file is no sound copy of this site's database; the message says why, in Italian."""


def _file_sqlite(url: str) -> Path:
    indirizzo = make_url(url)
    if indirizzo.get_backend_name() != "sqlite" or not indirizzo.database:
        msg = "Il backup con `serena backup` vale per SQLite; per PostgreSQL usa pg_dump."
        raise CopiaNonValida(msg)
    return Path(indirizzo.database)


def controlla(percorso: Path) -> None:
    """Check that `percorso` is a sound SQLite copy of this site's database.

    Raises:
        CopiaNonValida: It is missing, not SQLite, damaged, or not this site's.
    """
    if not percorso.is_file():
        raise CopiaNonValida(f"Il file {percorso} non esiste.")
    try:
        with sqlite3.connect(f"file:{percorso}?mode=ro", uri=True) as connessione:
            esito = connessione.execute("PRAGMA integrity_check").fetchall()
            tabelle = {r[0] for r in connessione.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as errore:
        msg = f"Il file {percorso} non è un database SQLite leggibile ({errore})."
        raise CopiaNonValida(msg) from None
    if esito != [("ok",)]:
        raise CopiaNonValida(f"Il file {percorso} è danneggiato: {esito[0][0]}")
    if mancanti := sorted(TABELLE_DEL_SITO - tabelle):
        raise CopiaNonValida(
            f"Il file {percorso} non è un database del sito (manca «{mancanti[0]}»)."
        )


def _copia(sorgente: Path, destinazione: Path) -> None:
    with sqlite3.connect(sorgente) as da, sqlite3.connect(destinazione) as a:
        da.backup(a)
    # `with` on a sqlite3 connection commits; it does not close.
    da.close()
    a.close()


def backup(cartella: Path, url: str | None = None) -> Path:
    """Copy the live database into a new file in `cartella`, checked; its path."""
    sorgente = _file_sqlite(url or db.database_url())
    cartella.mkdir(parents=True, exist_ok=True)
    nome = f"serena-{datetime.now(UTC):%Y%m%d-%H%M%S-%f}.db"
    destinazione = cartella / nome
    _copia(sorgente, destinazione)
    controlla(destinazione)
    return destinazione


def ripristina(percorso: Path, url: str | None = None) -> None:
    """Check `percorso`, then make it the live database (migrated to this version of the
    site). Stop the site first: it keeps the old content in memory."""
    controlla(percorso)
    destinazione = _file_sqlite(url or db.database_url())
    _copia(percorso, destinazione)
    db.migra(db.engine(url or db.database_url()))
