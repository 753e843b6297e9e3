"""A PostgreSQL and a Redis of `make prod`'s own, from Debian's packages, with their data under
`var/` (kept from one run to the next), listening on 127.0.0.1 only. Also used by the tests,
with throwaway folders.

PostgreSQL refuses to run as root: as root it runs as the `postgres` user the package creates.
"""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

UTENTE = "serena"
ATTESA_S = 30.0


def porta_libera() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def binari_postgres() -> Path | None:
    """The folder of PostgreSQL's server binaries, the newest installed; None if none is."""
    cartelle = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    return cartelle[-1] if cartelle and (cartelle[-1] / "pg_ctl").exists() else None


def come_postgres(comando: list[str]) -> list[str]:
    """`comando`, run as the `postgres` user when we are root."""
    return ["runuser", "-u", "postgres", "--", *comando] if os.geteuid() == 0 else comando


class Postgres:
    """A PostgreSQL server with its data in `cartella`, on `porta`."""

    def __init__(self, cartella: Path, porta: int, *, veloce: bool = False) -> None:
        self.cartella = cartella
        self.porta = porta
        self.veloce = veloce  # no fsync: for throwaway test data only
        self.bin = binari_postgres()
        if self.bin is None:
            msg = "PostgreSQL non è installato: esegui scripts/install-services.sh (make install)."
            raise RuntimeError(msg)

    @property
    def dati(self) -> Path:
        return self.cartella / "dati"

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://{UTENTE}@127.0.0.1:{self.porta}/serena"

    def _esegui(self, *comando: str, controlla: bool = True) -> subprocess.CompletedProcess:
        fatto = subprocess.run(  # noqa: S603 (Debian's binaries)
            come_postgres([str(self.bin / comando[0]), *comando[1:]]),
            check=False,
            capture_output=True,
            text=True,
        )
        if controlla and fatto.returncode != 0:
            utente = " (come utente postgres: deve poter raggiungere la cartella)"
            msg = (
                f"PostgreSQL, {comando[0]} in {self.cartella}{utente if os.geteuid() == 0 else ''}"
            )
            raise RuntimeError(f"{msg}:\n{fatto.stderr.strip()}")
        return fatto

    def avvia(self) -> str:
        """Create the cluster and the `serena` database if missing, start; the URL."""
        self.cartella.mkdir(parents=True, exist_ok=True)
        self.cartella.chmod(0o755)
        if os.geteuid() == 0:
            shutil.chown(self.cartella, "postgres", "postgres")
        if not (self.dati / "PG_VERSION").exists():
            extra = ["--no-sync"] if self.veloce else []
            self._esegui("initdb", "-D", str(self.dati), "-A", "trust", "-U", UTENTE, *extra)
        opzioni = f"-p {self.porta} -k {self.cartella} -c listen_addresses=127.0.0.1"
        opzioni += " -c timezone=UTC" + (" -c fsync=off" if self.veloce else "")
        log = str(self.cartella / "postgresql.log")
        self._esegui("pg_ctl", "-D", str(self.dati), "-o", opzioni, "-l", log, "-w", "start")
        creato = self._esegui(
            "createdb", "-h", "127.0.0.1", "-p", str(self.porta), "-U", UTENTE, "serena",
            controlla=False,
        )  # fmt: skip
        if creato.returncode != 0 and "already exists" not in creato.stderr:
            raise RuntimeError(creato.stderr)
        return self.url

    def ferma(self, modo: str = "fast") -> None:
        """Stop the server (`immediate`: as if it crashed)."""
        self._esegui("pg_ctl", "-D", str(self.dati), "-m", modo, "-w", "stop", controlla=False)


def redis_server() -> str:
    """The Redis server binary (Debian's)."""
    return shutil.which("redis-server") or "/usr/bin/redis-server"


class Redis:
    """A Redis server with its data in `cartella` (append-only file), on `porta`."""

    def __init__(self, cartella: Path, porta: int) -> None:
        self.cartella = cartella
        self.porta = porta
        self.processo: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.porta}/0"

    def avvia(self) -> str:
        """Start it and wait until it answers; the URL."""
        self.cartella.mkdir(parents=True, exist_ok=True)
        self.processo = subprocess.Popen(  # noqa: S603
            [
                redis_server(),
                "--port", str(self.porta),
                "--bind", "127.0.0.1",
                "--dir", str(self.cartella),
                "--appendonly", "yes",
                "--save", "",
                "--logfile", str(self.cartella / "redis.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        fine = time.monotonic() + ATTESA_S
        while not _risponde(self.porta):
            if self.processo.poll() is not None or time.monotonic() > fine:
                log = (self.cartella / "redis.log").read_text(errors="replace")[-2000:]
                msg = f"Redis non è partito:\n{log}"
                raise RuntimeError(msg)
            time.sleep(0.05)
        return self.url

    def ferma(self) -> None:
        """Stop it (its data is on disk)."""
        if self.processo is not None and self.processo.poll() is None:
            self.processo.terminate()
            self.processo.wait(timeout=ATTESA_S)


def _risponde(porta: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", porta), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False
