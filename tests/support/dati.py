"""The app's data the benchmark scripts need, reached through one module.

The scripts (`scripts/`) import the app only through here, so a move of `serena_app`'s modules
is followed in one place.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from secrets import token_hex, token_urlsafe
from typing import Any

from sqlmodel import Session

from serena_app.auth.personale import crea_staff, disabilita_staff
from serena_app.auth.ruoli import RESPONSABILE
from serena_app.auth.sessioni import crea_sessione
from serena_app.contenuto.pagina import PUBBLICATA, versione_pagina
from serena_app.contenuto.seme import carica_seed
from serena_app.db import crea_engine


def contenuto() -> dict[str, Any]:
    """The content file, as the app reads it."""
    return carica_seed()


def frasi_del_sito(lunghezza: int = 40) -> list[str]:
    """The opening words of every section and milestone of the content file: text that must
    be found in a page, and nowhere a visitor's state is kept.

    Args:
        lunghezza: How many characters of each text.
    """
    c = carica_seed()
    testi = [*c["sezioni"].values(), *(t["testo"] for t in c["tappe"])]
    return [t[:lunghezza] for t in testi if len(t) >= lunghezza]


@contextmanager
def staff_temporaneo(db_url: str) -> Iterator[str]:
    """A staff account with a live session, made directly in the app's database and disabled
    at the end (its sessions end with it).

    Yields:
        The session secret, as the page keeps it in local storage.
    """
    engine = crea_engine(db_url)
    nome = f"bench-{token_hex(4)}"
    try:
        with Session(engine) as session:
            staff = crea_staff(
                session=session, nome_utente=nome, password=token_urlsafe(24), ruolo=RESPONSABILE
            )
            segreto = crea_sessione(session=session, staff=staff)
        yield segreto
        with Session(engine) as session:
            disabilita_staff(session=session, nome_utente=nome)
    finally:
        engine.dispose()


def versione_pubblicata(db_url: str) -> int:
    """The published page's counter (it goes up with each publish, and the open pages receive
    it with the new content)."""
    engine = crea_engine(db_url)
    try:
        with Session(engine) as session:
            return versione_pagina(session=session, pagina=PUBBLICATA)
    finally:
        engine.dispose()
