"""`serena prod` (`make prod`): start the production topology, watch it, stop it cleanly.

1. PostgreSQL and Redis: those of `DATABASE_URL` and `REDIS_URL`, or its own (`servizi.py`,
   each with a password), under `var/`, which only the user running this may enter.
2. `serena prepare` (migrations, seed) and the settings file `var/produzione.env`.
3. The frontend, built once (`reflex export`) into the archive of builds
   (`var/build`), which every later publish updates (`pubblicazione/build.py`).
4. `SERENA_WORKERS` app processes (default: the number of cores, at least 2), each Reflex's
   backend on granian on a port of its own, with the states in Redis.
5. Caddy in front, on `SERENA_PORT` (default 8080). It sends the app processes a secret made
   at each start (`SERENA_PROXY_SECRET`, given to them and to Caddy in their environment),
   without which they ignore `X-Forwarded-For`: other local users can reach their ports, but
   cannot choose the address the login limits count (`auth/indirizzo.py`).

A process that exits on its own (a crash, a kill) is started again; the others go on serving.
Ctrl+C (or SIGTERM) stops everything this command started; data stays under `var/`.
"""

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from serena_app.auth.indirizzo import SEGRETO_PROXY
from serena_app.produzione import impostazioni
from serena_app.produzione.caddy import caddyfile
from serena_app.produzione.servizi import Postgres, Redis, porta_libera
from serena_app.pubblicazione.archivio import Archivio

PORTA = 8080
BIN = Path(sys.executable).parent
RIAVVIO_S = 1.0  # between a process's exit and its restart


def _numero_workers() -> int:
    return int(os.environ.get("SERENA_WORKERS") or max(2, os.cpu_count() or 1))


def ambiente(porta: int, database: str, redis: str, var: Path, segreto: str) -> dict[str, str]:
    """The environment of the app processes and of the builds (`segreto`: the one the front
    server sends them)."""
    sito = os.environ.get("SERENA_SITE_URL") or f"http://localhost:{porta}"
    origini = os.environ.get("SERENA_ALLOWED_ORIGINS") or ",".join(
        [sito, f"http://localhost:{porta}", f"http://127.0.0.1:{porta}"]
    )
    return {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "REFLEX_USE_NPM": "1",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "DATABASE_URL": database,
        "REDIS_URL": redis,
        "SERENA_SITE_URL": sito,
        "REFLEX_API_URL": sito,  # the built page opens its websocket at the site itself
        "SERENA_ALLOWED_ORIGINS": origini,
        "SERENA_TRUSTED_PROXIES": os.environ.get("SERENA_TRUSTED_PROXIES", "127.0.0.1,::1"),
        SEGRETO_PROXY: segreto,
        "SERENA_BUILD": str(var / "build"),
        "GRANIAN_WORKERS": "1",  # one worker per process: a crash takes only that one
    }


class Processo:
    """A child process that is started again when it exits on its own."""

    def __init__(self, nome: str, comando: list[str], env: dict[str, str]) -> None:
        self.nome, self.comando, self.env = nome, comando, env
        self.popen: subprocess.Popen | None = None

    def avvia(self) -> None:
        self.popen = subprocess.Popen(  # noqa: S603
            self.comando, env=self.env, start_new_session=True
        )

    def controlla(self) -> None:
        """Start it again if it exited."""
        if self.popen is not None and self.popen.poll() is not None:
            print(
                f"serena prod: {self.nome} è uscito ({self.popen.returncode}): lo riavvio.",
                flush=True,
            )
            time.sleep(RIAVVIO_S)
            self.avvia()

    def ferma(self) -> None:
        if self.popen is None or self.popen.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait()


def _var_privata(var: Path) -> None:
    """`var/` holds the data and the passwords: for its owner only. As root, PostgreSQL runs
    as the `postgres` user, which may pass through (not read) it to reach its own folder."""
    var.mkdir(parents=True, exist_ok=True)
    var.chmod(0o700)
    if os.geteuid() == 0:
        with contextlib.suppress(LookupError):  # no `postgres` group: PostgreSQL not installed
            shutil.chown(var, group="postgres")
            var.chmod(0o710)


@contextlib.contextmanager
def _proprio(nome: str, servizio: Postgres | Redis) -> Iterator[str]:
    """Run a server of this command's own while the block runs; its URL."""
    url = servizio.avvia()
    print(f"serena prod: avviato {nome} su {servizio.indirizzo}, dati in var/", flush=True)
    try:
        yield url
    finally:
        servizio.ferma()


def _esegui(comando: list[str], env: dict[str, str]) -> None:
    subprocess.run(comando, env=env, check=True)  # noqa: S603


def _build_iniziale(env: dict[str, str], var: Path) -> None:
    """Build the frontend from the database and make it the current build."""
    _esegui([str(BIN / "reflex"), "export", "--frontend-only", "--no-zip", "--env", "prod"], env)
    client = Path.cwd() / ".web" / "build" / "client"
    Archivio(var / "build").iniziale(client)


def _processo_app(numero: int, porta: int, env: dict[str, str]) -> Processo:
    comando = [str(BIN / "reflex"), "run", "--env", "prod", "--backend-only"]
    comando += ["--backend-host", "127.0.0.1", "--backend-port", str(porta), "--loglevel", "info"]
    return Processo(f"processo dell'app {numero} (porta {porta})", comando, env)


def _caddy(var: Path, porta: int, porte_app: list[int], env: dict[str, str]) -> Processo:
    config = var / "Caddyfile"
    backend = [f"127.0.0.1:{p}" for p in porte_app]
    config.write_text(caddyfile(f"http://:{porta}", var / "build", backend), "utf-8")
    comando = ["caddy", "run", "--config", str(config), "--adapter", "caddyfile"]
    # Caddy's own state (autosaved config, certificates) under var/ too, not in the home.
    propri = {"XDG_CONFIG_HOME": str(var / "caddy"), "XDG_DATA_HOME": str(var / "caddy")}
    return Processo("Caddy", comando, {**env, **propri})


def _interrompi(*_) -> None:
    raise KeyboardInterrupt  # SIGTERM stops everything as Ctrl+C does


def avvia(porta: int = PORTA) -> int:
    """Serve the production topology until Ctrl+C or SIGTERM; the exit code."""
    var = impostazioni.var()
    _var_privata(var)
    segreto = os.environ.get(SEGRETO_PROXY) or secrets.token_urlsafe(32)
    signal.signal(signal.SIGTERM, _interrompi)
    with contextlib.ExitStack() as pila:
        try:
            database = os.environ.get("DATABASE_URL") or pila.enter_context(
                _proprio("PostgreSQL", Postgres(var / "postgresql", porta_libera()))
            )
            redis = os.environ.get("REDIS_URL") or pila.enter_context(
                _proprio("Redis", Redis(var / "redis", porta_libera()))
            )
            env = ambiente(porta, database, redis, var, segreto)
            _esegui([str(BIN / "serena"), "prepare"], env)
            impostazioni.scrivi({"DATABASE_URL": database, "REDIS_URL": redis})
            pila.callback(impostazioni.rimuovi)
            _build_iniziale(env, var)

            porte = [porta_libera() for _ in range(_numero_workers())]
            processi = [_processo_app(n, p, env) for n, p in enumerate(porte, 1)]
            processi.append(_caddy(var, porta, porte, env))
            for processo in processi:
                processo.avvia()
                pila.callback(processo.ferma)
            print(
                f"serena prod: http://localhost:{porta}/ (Caddy), {len(porte)} processi "
                f"dell'app, impostazioni in var/produzione.env. Ctrl+C per fermare.",
                flush=True,
            )
            while True:
                time.sleep(0.5)
                for processo in processi:
                    processo.controlla()
        except KeyboardInterrupt:
            return 0
        except (subprocess.CalledProcessError, RuntimeError) as errore:
            print(f"serena prod: {errore}", file=sys.stderr)
            return 1
