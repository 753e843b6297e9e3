"""An app host: `serena prepare`, the first build, the app processes and the host's own Caddy.

`serena prod` (one machine) and `serena prod --role app` (an app host of several) run this. The
processes use the PostgreSQL and the Redis they are given; the build is made here, into this
host's own `var/build`, and so is every later one (`pubblicazione/build.py`): app hosts share
no disk. The host's Caddy serves that build and sends the rest to the processes; it answers
`/_health` with 200 only when this host has a build and its processes reach the database and
Redis, so an edge in front sends nobody here before that (`caddy.py`).
"""

import os
import subprocess
import sys
from pathlib import Path

from serena_app.auth.indirizzo import SEGRETO_PROXY
from serena_app.produzione import impostazioni
from serena_app.produzione.caddy import caddyfile
from serena_app.produzione.processi import Processo, legato
from serena_app.produzione.servizi import porta_libera
from serena_app.pubblicazione.archivio import Archivio

BIN = Path(sys.executable).parent
LOCALI = "127.0.0.1,::1"  # the host's own Caddy


def _numero_workers() -> int:
    return int(os.environ.get("SERENA_WORKERS") or max(2, os.cpu_count() or 1))


def ambiente(porta: int, database: str, redis: str, var: Path, segreto: str) -> dict[str, str]:
    """The environment of the app processes and of the builds (`segreto`: the one the host's
    Caddy sends them). Behind an edge (`SERENA_EDGE`) its address is trusted too: the host's
    Caddy passes on the visitor's address the edge wrote."""
    sito = os.environ.get("SERENA_SITE_URL") or f"http://localhost:{porta}"
    origini = os.environ.get("SERENA_ALLOWED_ORIGINS") or ",".join(
        [sito, f"http://localhost:{porta}", f"http://127.0.0.1:{porta}"]
    )
    fidati = os.environ.get("SERENA_TRUSTED_PROXIES") or ",".join([LOCALI, *impostazioni.bordo()])
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
        "SERENA_TRUSTED_PROXIES": fidati,
        SEGRETO_PROXY: segreto,
        "SERENA_BUILD": str(var / "build"),
        "GRANIAN_WORKERS": "1",  # one worker per process: a crash takes only that one
    }


def esegui(comando: list[str], env: dict[str, str]) -> None:
    """Run `comando` to its end; it dies with this process."""
    subprocess.run(comando, env=env, check=True, preexec_fn=legato())  # noqa: S603


def build_iniziale(env: dict[str, str], var: Path) -> None:
    """Build the frontend from the database and make it the current build."""
    esegui([str(BIN / "reflex"), "export", "--frontend-only", "--no-zip", "--env", "prod"], env)
    client = Path.cwd() / ".web" / "build" / "client"
    Archivio(var / "build").iniziale(client)


def _processo_app(numero: int, porta: int, env: dict[str, str]) -> Processo:
    comando = [str(BIN / "reflex"), "run", "--env", "prod", "--backend-only"]
    comando += ["--backend-host", "127.0.0.1", "--backend-port", str(porta), "--loglevel", "info"]
    return Processo(f"processo dell'app {numero} (porta {porta})", comando, env)


def _caddy(var: Path, porta: int, porte_app: list[int], env: dict[str, str]) -> Processo:
    config = var / "Caddyfile"
    backend = [f"127.0.0.1:{p}" for p in porte_app]
    testo = caddyfile(f"http://:{porta}", var / "build", backend, fidati=impostazioni.bordo())
    config.write_text(testo, "utf-8")
    comando = ["caddy", "run", "--config", str(config), "--adapter", "caddyfile"]
    # Caddy's own state (autosaved config, certificates) under var/ too, not in the home.
    propri = {"XDG_CONFIG_HOME": str(var / "caddy"), "XDG_DATA_HOME": str(var / "caddy")}
    return Processo("Caddy", comando, {**env, **propri})


def processi(var: Path, porta: int, database: str, redis: str, segreto: str) -> list[Processo]:
    """Prepare the database, build, and make (not start) the app processes and the Caddy on
    `porta` in front of them; Caddy last, so that it answers only once they are there."""
    env = ambiente(porta, database, redis, var, segreto)
    esegui([str(BIN / "serena"), "prepare"], env)
    impostazioni.scrivi({"DATABASE_URL": database, "REDIS_URL": redis})
    build_iniziale(env, var)
    porte = [porta_libera() for _ in range(_numero_workers())]
    figli = [_processo_app(n, p, env) for n, p in enumerate(porte, 1)]
    return [*figli, _caddy(var, porta, porte, env)]
