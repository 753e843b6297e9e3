"""The published page as visitors see it: read from the database once, kept in memory.

Every visitor's state starts from this snapshot, so a page load costs no database query.
After a save, `ricarica()` reads the database again and bumps the revision.
"""

import dataclasses
import threading

from serena_app import repository
from serena_app.db import sessione


@dataclasses.dataclass(frozen=True)
class TappaVista:
    """A timeline milestone as rendered; `anno` is "" when the milestone has no year."""

    id: int
    anno: str
    titolo: str
    testo: str
    versione: int


@dataclasses.dataclass(frozen=True)
class ValoreVista:
    """A value as rendered; `numero` (1-based) gives its anchor, e.g. `#valori-3`."""

    id: int
    numero: int
    titolo: str
    testo: str
    versione: int


@dataclasses.dataclass(frozen=True)
class Pagina:
    """Everything the visitor page shows that staff can edit."""

    sezioni: dict[str, list[str]]
    tappe: list[TappaVista]
    valori: list[ValoreVista]
    revisione: int


def paragrafi(testo: str) -> list[str]:
    """Split a text into its paragraphs (separated by a blank line)."""
    return [p.strip() for p in testo.split("\n\n") if p.strip()]


def leggi_pagina(revisione: int = 0) -> Pagina:
    """Read the whole published page from the database."""
    with sessione() as session:
        sezioni = repository.leggi_sezioni(session=session)
        tappe = repository.leggi_tappe(session=session)
        valori = repository.leggi_valori(session=session)
    return Pagina(
        sezioni={k: paragrafi(s.testo) for k, s in sezioni.items()},
        tappe=[
            TappaVista(t.id or 0, "" if t.anno is None else str(t.anno), t.titolo, t.testo,
                       t.versione)
            for t in tappe
        ],
        valori=[
            ValoreVista(v.id or 0, n, v.titolo, v.testo, v.versione)
            for n, v in enumerate(valori, start=1)
        ],
        revisione=revisione,
    )


_lock = threading.Lock()
_corrente: Pagina | None = None


def pagina_corrente() -> Pagina:
    """The published page, read from the database on first use."""
    global _corrente
    with _lock:
        if _corrente is None:
            _corrente = leggi_pagina()
        return _corrente


def ricarica() -> Pagina:
    """Read the page again after a change and give it the next revision."""
    global _corrente
    with _lock:
        revisione = 0 if _corrente is None else _corrente.revisione + 1
        _corrente = leggi_pagina(revisione)
        return _corrente
