"""What `serena backup` and `serena restore` share on SQLite (`backup.py`) and PostgreSQL
(`backup_postgres.py`, `ripristino_postgres.py`): the refusal, the migrations this version
knows, the check that every table and column of the models is there, and files written under
a temporary name, then synced."""

import os
import stat
import tempfile
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

import serena_app.models  # noqa: F401  (registers the tables on the metadata)
from serena_app import db


class CopiaNonValida(ValueError):
    """The file cannot be backed up or restored; the message says why, in Italian."""


class DatabaseInUso(CopiaNonValida):
    """The live database is open elsewhere (the site runs): it cannot be replaced now."""


def migrazioni() -> ScriptDirectory:
    """The migrations this version of the site ships: a copy at a revision not among them
    comes from a newer version and is refused."""
    cfg = Config()
    cfg.set_main_option("script_location", str(db.MIGRATIONS))
    return ScriptDirectory.from_config(cfg)


def manca(nome: object, colonne: dict[str, set[str] | None]) -> None:
    """Every table of the models is in `colonne` (its columns, or None to check only the
    table), with all its columns; `nome` names the copy in the message.

    Raises:
        CopiaNonValida: The first table or column missing.
    """
    for tabella in SQLModel.metadata.sorted_tables:
        if tabella.name not in colonne:
            msg = (
                f"Il file {nome} non è un database completo del sito: "
                f"manca la tabella «{tabella.name}»."
            )
            raise CopiaNonValida(msg)
        presenti = colonne[tabella.name]
        if presenti is not None and (
            mancanti := [c.name for c in tabella.columns if c.name not in presenti]
        ):
            msg = (
                f"Il file {nome} non è un database completo del sito: "
                f"manca la colonna «{tabella.name}.{mancanti[0]}»."
            )
            raise CopiaNonValida(msg)


def sincronizza(percorso: Path) -> None:
    descrittore = os.open(percorso, os.O_RDONLY)
    try:
        os.fsync(descrittore)
    finally:
        os.close(descrittore)


def provvisorio(cartella: Path, nome: str) -> Path:
    descrittore, percorso = tempfile.mkstemp(dir=cartella, prefix=f".{nome}-", suffix=".parziale")
    os.close(descrittore)
    return Path(percorso)


def file_da_leggere(percorso: Path) -> None:
    try:
        modo = percorso.stat().st_mode
    except FileNotFoundError:
        raise CopiaNonValida(f"Il file {percorso} non esiste.") from None
    if not stat.S_ISREG(modo):
        msg = f"{percorso} non è un file normale (è una cartella, una FIFO o un dispositivo)."
        raise CopiaNonValida(msg)
