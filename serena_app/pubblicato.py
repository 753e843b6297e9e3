"""The published page as visitors see it: read from the database, kept in memory.

Every visitor's state starts from the snapshot in memory, so a page load costs no content
query; one small query of the revision number tells whether the snapshot is still current.
"""

import dataclasses
import threading

from sqlmodel import Session

from serena_app import repository
from serena_app.db import sessione


@dataclasses.dataclass(frozen=True)
class TappaVista:
    """A timeline milestone as rendered; `anno` is "" when it has no year, `numero` is 1-based."""

    id: int
    numero: int
    anno: str
    titolo: str
    testo: str


@dataclasses.dataclass(frozen=True)
class ValoreVista:
    """A value as rendered; `numero` (1-based) gives its anchor, e.g. `#valori-3`."""

    id: int
    numero: int
    titolo: str
    testo: str


@dataclasses.dataclass(frozen=True)
class Pagina:
    """Everything the visitor page shows that staff can edit, at one revision."""

    sezioni: dict[str, list[str]]
    tappe: list[TappaVista]
    valori: list[ValoreVista]
    revisione: int


def paragrafi(testo: str) -> list[str]:
    """Split a text into its paragraphs (separated by a blank line)."""
    return [p.strip() for p in testo.split("\n\n") if p.strip()]


def leggi_pagina(*, session: Session) -> Pagina:
    """Read the whole published page from the database."""
    sezioni = repository.leggi_sezioni(session=session)
    return Pagina(
        sezioni={k: paragrafi(s.testo) for k, s in sezioni.items()},
        tappe=[
            TappaVista(t.id or 0, n, "" if t.anno is None else str(t.anno), t.titolo, t.testo)
            for n, t in enumerate(repository.leggi_tappe(session=session), start=1)
        ],
        valori=[
            ValoreVista(v.id or 0, n, v.titolo, v.testo)
            for n, v in enumerate(repository.leggi_valori(session=session), start=1)
        ],
        revisione=repository.revisione_pagina(session=session),
    )


_lock = threading.Lock()
_in_memoria: Pagina | None = None


def pagina_in_memoria() -> Pagina:
    """The snapshot this server holds, read from the database on first use."""
    global _in_memoria
    with _lock:
        if _in_memoria is None:
            with sessione() as session:
                _in_memoria = leggi_pagina(session=session)
        return _in_memoria


def pagina_aggiornata() -> Pagina:
    """The current page: the snapshot, read again first if the database has a newer revision."""
    global _in_memoria
    with sessione() as session:
        revisione = repository.revisione_pagina(session=session)
        with _lock:
            if _in_memoria is None or _in_memoria.revisione != revisione:
                _in_memoria = leggi_pagina(session=session)
            return _in_memoria
