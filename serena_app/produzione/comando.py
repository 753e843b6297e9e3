"""`serena prod` (`make prod`): start the production topology, watch it, stop it cleanly.

On one machine (no `--role`):
1. PostgreSQL and Redis: those of `DATABASE_URL` and `REDIS_URL`, or its own (`ruolo_dati.py`,
   each with a password), under `var/`, which only the user running this may enter.
2. `serena prepare` (migrations, seed), the settings file `var/produzione.env`, the first
   build into `var/build`, which every later publish updates (`ruolo_app.py`).
3. `SERENA_WORKERS` app processes (default: the number of cores, at least 2), each Reflex's
   backend on granian on a port of its own, with the states in Redis.
4. Caddy in front, on `--port` (default 8080). It sends the app processes a secret made at
   each start (`SERENA_PROXY_SECRET`, given to them and to Caddy in their environment),
   without which they ignore `X-Forwarded-For`: other local users can reach their ports, but
   cannot choose the address the login limits count (`auth/indirizzo.py`).

On several machines, each host runs one part: `--role data` (1), `--role app` (2–4, with the
URLs of the data host), `--role edge` (HTTPS in front of the app hosts, `ruolo_bordo.py`).

A process that exits on its own (a crash, a kill) is started again; the others go on serving.
Ctrl+C or SIGTERM stops everything this command started within 10 s; a `kill -9` of it takes
its children with it (`processi.py`). Data stays under `var/`.
"""

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time

from serena_app.auth.indirizzo import SEGRETO_PROXY
from serena_app.produzione import impostazioni, ruolo_app, ruolo_bordo, ruolo_dati
from serena_app.produzione.processi import PortaOccupata, Processo, ferma_tutti, verifica_porta

PORTA = 8080
RUOLI = ("data", "app", "edge")
CONTROLLO_S = 0.5


def _var_privata() -> None:
    """`var/` holds the data and the passwords: for its owner only. As root, PostgreSQL runs
    as the `postgres` user, which may pass through (not read) it to reach its own folder."""
    var = impostazioni.var()
    var.mkdir(parents=True, exist_ok=True)
    var.chmod(0o700)
    if os.geteuid() == 0:
        with contextlib.suppress(LookupError):  # no `postgres` group: PostgreSQL not installed
            shutil.chown(var, group="postgres")
            var.chmod(0o710)


def _interrompi(*_) -> None:
    raise KeyboardInterrupt  # SIGTERM stops everything as Ctrl+C does


def _url(nome: str) -> str:
    valore = os.environ.get(nome)
    if not valore:
        msg = f"manca {nome}: un host dell'app lo legge dalle impostazioni (vedi deploy/)."
        raise RuntimeError(msg)
    return valore


def _avvia(ruolo: str | None, porta: int, figli: list[Processo]) -> list[Processo]:
    """Start the part of `ruolo` (everything if None), adding each child to `figli` as soon
    as it runs; the ones to watch and start again (those not yet running are started next).
    On one machine PostgreSQL and Redis are not started again: the fault tests stop and
    start them themselves."""
    var = impostazioni.var()
    if ruolo == "edge":
        return ruolo_bordo.processi(var)
    if ruolo == "data":
        database, redis = ruolo_dati.avvia(var, figli, ospite=True)
        impostazioni.scrivi({"DATABASE_URL": database, "REDIS_URL": redis})
        print("serena prod: gli URL per gli host dell'app sono in var/produzione.env.", flush=True)
        return list(figli)  # a data host starts them again if they exit
    verifica_porta(porta)
    if ruolo == "app":
        database, redis = _url("DATABASE_URL"), _url("REDIS_URL")
    else:  # those named in the environment, else its own
        database, redis = ruolo_dati.avvia(
            var,
            figli,
            ospite=False,
            database=os.environ.get("DATABASE_URL") or None,
            redis=os.environ.get("REDIS_URL") or None,
        )
    segreto = os.environ.get(SEGRETO_PROXY) or secrets.token_urlsafe(32)
    return ruolo_app.processi(var, porta, database, redis, segreto)


def avvia(porta: int = PORTA, ruolo: str | None = None) -> int:
    """Serve `ruolo`'s part of the production topology (all of it if None) until Ctrl+C or
    SIGTERM; the exit code."""
    _var_privata()
    signal.signal(signal.SIGTERM, _interrompi)
    figli: list[Processo] = []
    try:
        try:
            sorvegliati = _avvia(ruolo, porta, figli)
            for processo in sorvegliati:
                if processo not in figli:
                    processo.avvia()
                    figli.append(processo)
            print(f"serena prod{f' --role {ruolo}' if ruolo else ''}: pronto.", flush=True)
            if ruolo != "data" and ruolo != "edge":
                print(
                    f"serena prod: http://localhost:{porta}/ (Caddy), impostazioni in "
                    f"var/produzione.env. Ctrl+C per fermare.",
                    flush=True,
                )
            while True:
                time.sleep(CONTROLLO_S)
                for processo in sorvegliati:
                    processo.controlla()
        finally:
            # The front server first, so no new visitor arrives while the rest stops.
            ferma_tutti(reversed(figli))
            if ruolo != "edge":
                impostazioni.rimuovi()
    except KeyboardInterrupt:
        return 0
    except (PortaOccupata, subprocess.CalledProcessError, RuntimeError) as errore:
        print(f"serena prod: {errore}", file=sys.stderr)
        return 1
