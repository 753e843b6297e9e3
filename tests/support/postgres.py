"""A throwaway PostgreSQL server for the tests, started from Debian's installed binaries
(`scripts/install-services.sh` installs them where missing): its data in a temporary folder,
on a free local port, stopped and removed at the end. PostgreSQL refuses to run as root, so
as root it runs as the `postgres` user the package creates. Also one set up exactly as `make prod`
sets it up (`serena_app/produzione/servizi.py`), for the backup and restore tests."""

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import text
from sqlmodel import Session, func, select

from serena_app.contenuto import istantanea, pagina
from serena_app.contenuto.pagina import BOZZA, PUBBLICATA
from serena_app.db import crea_engine
from serena_app.models import Revisione
from serena_app.produzione.servizi import Postgres
from tests.factories import MISSION
from tests.support.server import porta_libera

UTENTE = "serena"


def binari() -> Path | None:
    """The folder of PostgreSQL's server binaries, the newest installed; None if none is."""
    cartelle = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    return cartelle[-1] if cartelle and (cartelle[-1] / "pg_ctl").exists() else None


def _come_postgres(comando: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *comando] if os.geteuid() == 0 else comando


@contextlib.contextmanager
def server_postgres() -> Iterator[str]:
    """Start a PostgreSQL server; yields the SQLAlchemy URL of its empty `serena` database."""
    bin_dir = binari()
    if bin_dir is None:
        msg = "PostgreSQL is not installed: run scripts/install-services.sh (make install does)"
        raise RuntimeError(msg)
    cartella = Path(tempfile.mkdtemp(prefix="serena-pg-"))
    cartella.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(cartella, "postgres", "postgres")
    dati, porta = cartella / "dati", porta_libera()
    esegui = lambda *c: subprocess.run(_come_postgres(list(c)), check=True, capture_output=True)  # noqa: E731
    try:
        esegui(str(bin_dir / "initdb"), "-D", str(dati), "-A", "trust", "-U", UTENTE, "--no-sync")
        opzioni = (
            f"-p {porta} -k {cartella} -c listen_addresses=127.0.0.1 -c fsync=off -c timezone=UTC"
        )
        esegui(
            str(bin_dir / "pg_ctl"),
            "-D",
            str(dati),
            "-o",
            opzioni,
            "-l",
            str(cartella / "log"),
            "-w",
            "start",
        )
        esegui(
            str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(porta), "-U", UTENTE, "serena"
        )
        yield f"postgresql+psycopg://{UTENTE}@127.0.0.1:{porta}/serena"
    finally:
        subprocess.run(
            _come_postgres([str(bin_dir / "pg_ctl"), "-D", str(dati), "-m", "immediate", "stop"]),
            check=False,
            capture_output=True,
        )
        shutil.rmtree(cartella, ignore_errors=True)


@contextlib.contextmanager
def cartella_per_postgres() -> Iterator[Path]:
    """A folder the `postgres` user can reach (PostgreSQL runs as it when the tests are root)."""
    cartella = Path(tempfile.mkdtemp(prefix="serena-backup-pg-"))
    cartella.chmod(0o755)
    try:
        yield cartella
    finally:
        shutil.rmtree(cartella, ignore_errors=True)


@contextlib.contextmanager
def server_come_in_produzione(cartella: Path) -> Iterator[str]:
    """A PostgreSQL server set up as `make prod` sets it up (the app role no superuser, owning
    only schema `serena`); the app role's URL."""
    server = Postgres(cartella, porta_libera(), veloce=True)
    try:
        yield server.avvia()
    finally:
        server.ferma("immediate")


def impronta(url: str) -> tuple:
    """What a refused restore must leave as it was: the schemas, the draft's mission, the
    count of history rows, and the published page a visitor reads."""
    engine = crea_engine(url)
    try:
        with Session(engine) as session:
            schemi = session.exec(text("SELECT nspname FROM pg_namespace ORDER BY 1")).all()
            missione = pagina.leggi_elemento(session=session, pagina=BOZZA, voce=MISSION)
            storia = session.exec(select(func.count()).select_from(Revisione)).one()
            istantanea.dimentica_tutte()
            pubblicata = istantanea.leggi_istantanea(session=session, pagina=PUBBLICATA)
            return (list(schemi), missione.testo, missione.versione, storia, pubblicata.sezioni)
    finally:
        engine.dispose()
