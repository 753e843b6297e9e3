"""Reads the seed content file and writes it into an empty database, once."""

import tomllib
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from serena_app import repository
from serena_app.models import Sezione, Tappa, Valore

SEED_FILE = Path(__file__).with_name("cooperativa-serena.toml")


def carica_seed(path: Path = SEED_FILE) -> dict[str, Any]:
    """Parse the content file.

    Args:
        path: The TOML file to read.

    Returns:
        The file's data; multi-line texts have their leading newline stripped.
    """
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data["sezioni"] = {k: v.strip("\n") for k, v in data["sezioni"].items()}
    return data


CONTENUTO = carica_seed()
"""The seed content, parsed once: page structure (name, titles) is read from here."""


def semina(session: Session, contenuto: dict[str, Any] = CONTENUTO) -> bool:
    """Write the seed content into the database if it holds no content yet.

    Args:
        session: An open session; committed when something was written.
        contenuto: The parsed content file.

    Returns:
        True if the database was empty and has been seeded, False if it was left alone.
    """
    if session.exec(select(Sezione).limit(1)).first() is not None:
        return False
    for chiave, testo in contenuto["sezioni"].items():
        session.add(Sezione(chiave=chiave, testo=testo))
    for posizione, tappa in enumerate(contenuto["tappe"]):
        session.add(Tappa(posizione=posizione, **tappa))
    for posizione, valore in enumerate(contenuto["valori"]):
        session.add(Valore(posizione=posizione, **valore))
    repository.segna_modifica(session=session)
    session.commit()
    return True
