"""Whether this server runs the live demo, and the demo's limits.

Only `serena demo` turns the demo on: it makes a throwaway folder, puts the database in it and
names it in `SERENA_DEMO`. A server counts as a demo only when that holds, so a production
server, whose database lives elsewhere, cannot run one even with the variable set.
"""

import os
from datetime import timedelta
from pathlib import Path

from sqlalchemy.engine import make_url

from serena_app.auth import sessioni
from serena_app.db import database_url

EDITOR = "demo"  # the account every sandbox's session belongs to
SANDBOX_MAX = 50
PER_INDIRIZZO = 5
INATTIVITA_S = 3600
REVISIONI_MAX = 500
BYTE_MAX = 2 * 1024 * 1024
SCRITTURE_MAX = 20
FINESTRA_SCRITTURE = timedelta(seconds=10)


def _cartella() -> Path | None:
    valore = os.environ.get("SERENA_DEMO", "")
    return Path(valore).resolve() if valore else None


def attiva() -> bool:
    """Whether this server is a demo: `SERENA_DEMO` names a folder holding its SQLite database."""
    cartella = _cartella()
    if cartella is None:
        return False
    url = make_url(database_url())
    if url.get_backend_name() != "sqlite" or not url.database:
        return False
    return Path(url.database).resolve().is_relative_to(cartella)


def _intero(nome: str, predefinito: int) -> int:
    try:
        return max(1, int(os.environ.get(nome, predefinito)))
    except ValueError:
        return predefinito


def sandbox_max() -> int:
    """How many sandboxes may be open at once (`SERENA_DEMO_SANDBOX_MAX`, default 50)."""
    return _intero("SERENA_DEMO_SANDBOX_MAX", SANDBOX_MAX)


def per_indirizzo() -> int:
    """How many of them one address may hold (`SERENA_DEMO_SANDBOX_PER_INDIRIZZO`, default 5):
    one phone cannot take the room's places."""
    return _intero("SERENA_DEMO_SANDBOX_PER_INDIRIZZO", PER_INDIRIZZO)


def inattivita() -> timedelta:
    """How long a sandbox lives unused (`SERENA_DEMO_INATTIVITA_S`, default one hour)."""
    return timedelta(seconds=_intero("SERENA_DEMO_INATTIVITA_S", INATTIVITA_S))


def revisioni_max() -> int:
    """How many revisions one sandbox may hold, its seed's included
    (`SERENA_DEMO_REVISIONI_MAX`, default 500; a new sandbox starts with one per item)."""
    return _intero("SERENA_DEMO_REVISIONI_MAX", REVISIONI_MAX)


def byte_max() -> int:
    """How many bytes of text one sandbox may hold: its revisions and both its pages
    (`SERENA_DEMO_BYTE_MAX`, default 2 MiB; a new sandbox holds about 19 KB)."""
    return _intero("SERENA_DEMO_BYTE_MAX", BYTE_MAX)


def scritture_max() -> int:
    """How many changes one sandbox may take in any `FINESTRA_SCRITTURE` (10 s)
    (`SERENA_DEMO_SCRITTURE_MAX`, default 20)."""
    return _intero("SERENA_DEMO_SCRITTURE_MAX", SCRITTURE_MAX)


def indirizzo() -> str:
    """The address phones in the room open (`SERENA_DEMO_INDIRIZZO`), "" if not known."""
    return os.environ.get("SERENA_DEMO_INDIRIZZO", "")


def _inattivita_sandbox() -> timedelta | None:
    """A sandbox's session lives only on a demo server, for the demo's idle limit."""
    return inattivita() if attiva() else None


sessioni.regole_sandbox(_inattivita_sandbox)
