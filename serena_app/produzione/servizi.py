"""A PostgreSQL and a Redis (`redis_proprio.py`) of `make prod`'s own, from Debian's packages,
with their data under `var/` (kept from one run to the next), listening on 127.0.0.1 (or, on a
data host of several machines, on its address, for the app hosts' network). Also used by the
fault tests, which stop and start them. Under `serena prod` each runs as its child, which dies
with it; the helpers both share are here.

Other users of the machine reach those ports too, so neither lets anyone in without a
password: each has a random one, made at the first start and kept in `password` in its
folder (the folder 0700, the file 0600), and it goes into the URLs the app is given.

- PostgreSQL: over TCP only the app role `serena` into the database `serena`, by password
  (scram-sha-256; pg_hba.conf names nothing else). The role is no superuser and owns only the
  schema `serena`, where its tables are. The superuser (named after the OS user that runs the
  server: `postgres` as root, since PostgreSQL refuses to run as root) has no password: it
  logs in only over the Unix socket in the private folder, by peer authentication, to set up.
- Redis (`redis_proprio.py`): `requirepass`, in a configuration file (never on a command line,
  which every user can read in `/proc`).
"""

import contextlib
import getpass
import os
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from serena_app.produzione.processi import Processo

UTENTE = "serena"  # the app's role and database
ATTESA_S = 30.0
PRIVATA = 0o700
# Whom PostgreSQL lets in: the local superuser over the socket (peer: the OS user must have its
# name), the app role into its database over TCP with its password. Nobody else, nothing else.
LOCALI = ("127.0.0.1/32", "::1/128")
# A client whose link is cut is let go within seconds (its locks with it), not after hours.
VIVI = "-c tcp_keepalives_idle=5 -c tcp_keepalives_interval=2 -c tcp_keepalives_count=3"


def pg_hba(clienti: tuple[str, ...] = LOCALI) -> str:
    """Who PostgreSQL lets in: the app role from the networks `clienti`, by password."""
    righe = "".join(f"host\t{UTENTE}\t{UTENTE}\t{rete}\tscram-sha-256\n" for rete in clienti)
    intestazione = "# Written by serena prod (serena_app/produzione/servizi.py) at every start.\n"
    return f"{intestazione}local\tall\tall\t\t\tpeer\n{righe}"


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


def superutente() -> str:
    """The PostgreSQL superuser: the OS user that runs the server (peer authentication)."""
    return "postgres" if os.geteuid() == 0 else getpass.getuser()


def password_custodita(percorso: Path) -> str:
    """The password kept in `percorso`, made the first time (random; the file readable by
    its owner only)."""
    try:
        return percorso.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        pass
    valore = secrets.token_urlsafe(32)  # letters, digits, - and _: as is in a URL or in SQL
    descrittore = os.open(percorso, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descrittore, "w", encoding="utf-8") as file:
        file.write(valore + "\n")
    return valore


def cartella_privata(cartella: Path, proprietario: str | None = None) -> None:
    cartella.mkdir(parents=True, exist_ok=True)
    cartella.chmod(PRIVATA)
    if proprietario is not None and os.geteuid() == 0:
        shutil.chown(cartella, proprietario, proprietario)


def _impostazione(password_app: str) -> str:
    """The set-up script (psql, as the superuser): the app role with its password, its
    database (owned by the superuser, open to the role only) and its schema. Run at every
    start: it changes nothing that is already so.

    The role may create schemas in its database (CREATE): `serena restore` restores a copy
    into a schema beside `serena` and swaps the two by renaming them, which needs it. It owns
    nothing outside its database either way."""
    return rf"""\set ON_ERROR_STOP on
SELECT 'CREATE ROLE {UTENTE}' WHERE NOT EXISTS
  (SELECT FROM pg_roles WHERE rolname = '{UTENTE}') \gexec
ALTER ROLE {UTENTE} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  PASSWORD '{password_app}';
SELECT 'CREATE DATABASE {UTENTE}' WHERE NOT EXISTS
  (SELECT FROM pg_database WHERE datname = '{UTENTE}') \gexec
REVOKE ALL ON DATABASE {UTENTE} FROM PUBLIC;
GRANT CONNECT, TEMPORARY, CREATE ON DATABASE {UTENTE} TO {UTENTE};
\connect {UTENTE}
CREATE SCHEMA IF NOT EXISTS {UTENTE} AUTHORIZATION {UTENTE};
ALTER ROLE {UTENTE} IN DATABASE {UTENTE} SET search_path = {UTENTE};
"""  # noqa: S608 (our names; the password is letters, digits, - and _)


VECCHIO_CLUSTER = (
    "{cartella} è stato creato da una versione precedente di `serena prod`, che faceva entrare "
    "chiunque senza password. Salva i dati (pg_dump), sposta o cancella la cartella e avvia "
    "di nuovo: ne verrà creata una protetta da password."
)


class Postgres:
    """A PostgreSQL server with its data in `cartella`, on `porta`."""

    def __init__(
        self,
        cartella: Path,
        porta: int,
        *,
        veloce: bool = False,
        host: str = "127.0.0.1",
        clienti: tuple[str, ...] = LOCALI,
    ) -> None:
        self.cartella = cartella
        self.porta = porta
        self.host, self.clienti = host, clienti
        self.veloce = veloce  # no fsync: for throwaway test data only
        binari = binari_postgres()
        if binari is None:
            msg = "PostgreSQL non è installato: esegui scripts/install-services.sh (make install)."
            raise RuntimeError(msg)
        self.bin = binari

    @property
    def dati(self) -> Path:
        return self.cartella / "dati"

    @property
    def password(self) -> str:
        """The app role's password (made at the first start)."""
        return password_custodita(self.cartella / "password")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://{UTENTE}:{self.password}@{self.host}:{self.porta}/{UTENTE}"

    @property
    def indirizzo(self) -> str:
        """Where it listens (for messages: the URL holds the password)."""
        return f"{self.host}:{self.porta}"

    def _esegui(self, *comando: str, input: str | None = None) -> None:
        fatto = subprocess.run(  # noqa: S603 (Debian's binaries)
            come_postgres([str(self.bin / comando[0]), *comando[1:]]),
            check=False,
            capture_output=True,
            text=True,
            input=input,
            cwd=self.cartella,  # the postgres user may not enter the caller's folder
        )
        if fatto.returncode != 0:
            utente = " (come utente postgres: deve poter raggiungere la cartella)"
            msg = (
                f"PostgreSQL, {comando[0]} in {self.cartella}{utente if os.geteuid() == 0 else ''}"
            )
            errore = fatto.stderr.strip().replace(self.password, "***")
            raise RuntimeError(f"{msg}:\n{errore}")

    def _hba(self) -> None:
        """Write who may log in (see `pg_hba`), owned by the server's user."""
        hba = self.dati / "pg_hba.conf"
        hba.write_text(pg_hba(self.clienti), encoding="utf-8")
        hba.chmod(0o600)
        if os.geteuid() == 0:
            shutil.chown(hba, "postgres", "postgres")

    def _vecchio(self) -> bool:
        """Whether the cluster is one that let anyone in (`trust`): its superuser is the app's."""
        righe = (self.dati / "pg_hba.conf").read_text(encoding="utf-8").splitlines()
        return any(r.split()[-1:] == ["trust"] for r in righe if not r.lstrip().startswith("#"))

    def _prepara(self) -> str:
        """Create the cluster if missing and write who may log in; the server's options."""
        cartella_privata(self.cartella, "postgres")
        if not (self.dati / "PG_VERSION").exists():
            extra = ["--no-sync"] if self.veloce else []
            self._esegui(
                "initdb", "-D", str(self.dati), "-U", superutente(),
                "--auth-local=peer", "--auth-host=scram-sha-256", *extra,
            )  # fmt: skip
        elif self._vecchio():
            raise RuntimeError(VECCHIO_CLUSTER.format(cartella=self.cartella))
        self._hba()
        opzioni = f"-p {self.porta} -k {self.cartella} -c listen_addresses={self.host}"
        opzioni += f" -c timezone=UTC -c password_encryption=scram-sha-256 {VIVI}"
        return opzioni + (" -c fsync=off" if self.veloce else "")

    def _imposta(self) -> str:
        """Create the app role and its database if missing; the URL."""
        self._esegui(
            "psql", "-X", "-q", "-h", str(self.cartella), "-p", str(self.porta),
            "-U", superutente(), "-d", "postgres", input=_impostazione(self.password),
        )  # fmt: skip
        return self.url

    def avvia(self) -> str:
        """Create the cluster, the app role and its database if missing, start it in the
        background (`pg_ctl`); the URL."""
        opzioni = self._prepara()
        log = str(self.cartella / "postgresql.log")
        self._esegui("pg_ctl", "-D", str(self.dati), "-o", opzioni, "-l", log, "-w", "start")
        return self._imposta()

    def processo(self) -> tuple[Processo, str]:
        """The same, as a child of this process that dies with it (`serena prod`): the
        running child and the URL. SIGQUIT when its parent dies: PostgreSQL's immediate
        stop, which ends its backends too; SIGINT to stop it: the fast one."""
        comando = [str(self.bin / "postgres"), "-D", str(self.dati), *shlex.split(self._prepara())]
        log = (self.cartella / "postgresql.log").open("a")
        if os.geteuid() == 0:  # the server's own file, as `pg_ctl -l` would have made it
            shutil.chown(log.name, "postgres", "postgres")
        utente = {"user": "postgres", "group": "postgres", "extra_groups": []}
        figlio = Processo(
            "PostgreSQL",
            comando,
            dict(os.environ),
            alla_morte=signal.SIGQUIT,
            per_fermare=signal.SIGINT,
            cwd=self.cartella,
            stdout=log,
            stderr=subprocess.STDOUT,
            **(utente if os.geteuid() == 0 else {}),
        )
        figlio.avvia()
        fine = time.monotonic() + ATTESA_S
        while not self._pronto():
            if not figlio.vivo() or time.monotonic() > fine:
                coda = (self.cartella / "postgresql.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"PostgreSQL non è partito:\n{coda}")
            time.sleep(0.1)
        return figlio, self._imposta()

    def _pronto(self) -> bool:
        fatto = subprocess.run(  # noqa: S603 (Debian's binary)
            [str(self.bin / "pg_isready"), "-q", "-h", str(self.cartella), "-p", str(self.porta)],
            check=False,
        )
        return fatto.returncode == 0

    def ferma(self, modo: str = "fast") -> None:
        """Stop the server (`immediate`: as if it crashed)."""
        with contextlib.suppress(RuntimeError):  # not running
            self._esegui("pg_ctl", "-D", str(self.dati), "-m", modo, "-w", "stop")
