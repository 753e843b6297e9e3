"""A Redis of `make prod`'s own (or of a data host), from Debian's package, with its data under
`var/redis` (an append-only file, kept from one run to the next) and a password made at the
first start (`servizi.password_custodita`), in its configuration file: never on a command line,
which every user can read in `/proc`. Also used by the tests, which stop and start it.
"""

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import redis
from reflex.istate.manager.redis import NOTIFY_KEYSPACE_EVENTS

from serena_app.produzione.processi import Processo, ferma_tutti
from serena_app.produzione.servizi import ATTESA_S, cartella_privata, password_custodita


def redis_server() -> str:
    """The Redis server binary (Debian's)."""
    return shutil.which("redis-server") or "/usr/bin/redis-server"


class Redis:
    """A Redis server with its data in `cartella` (append-only file), on `porta`."""

    def __init__(self, cartella: Path, porta: int, *, host: str = "127.0.0.1") -> None:
        self.cartella = cartella
        self.porta = porta
        self.host = host
        self.processo: Processo | None = None

    @property
    def password(self) -> str:
        """Its password (made at the first start)."""
        return password_custodita(self.cartella / "password")

    @property
    def url(self) -> str:
        return f"redis://:{self.password}@{self.host}:{self.porta}/0"

    @property
    def indirizzo(self) -> str:
        """Where it listens (for messages: the URL holds the password)."""
        return f"{self.host}:{self.porta}"

    def _configurazione(self) -> Path:
        """Its configuration file, owner-only: it holds the password."""
        config = self.cartella / "redis.conf"
        righe = {
            "port": str(self.porta),
            "bind": self.host,
            "tcp-keepalive": "5",
            "dir": str(self.cartella),
            "appendonly": "yes",
            "save": '""',
            "logfile": str(self.cartella / "redis.log"),
            "requirepass": self.password,
            # What Reflex asks of Redis when an app process starts (its locks' and sockets'
            # notifications), from the start: a Redis restarted under running processes has
            # them too, and a process never waits for a lock release nobody announces.
            "notify-keyspace-events": NOTIFY_KEYSPACE_EVENTS,
        }
        config.unlink(missing_ok=True)
        descrittore = os.open(config, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descrittore, "w", encoding="utf-8") as file:
            file.writelines(f"{chiave} {valore}\n" for chiave, valore in righe.items())
        return config

    def avvia(self) -> str:
        """Start it as a child that dies with this process (SIGTERM: it writes its
        append-only file and ends) and wait until it answers; the URL."""
        cartella_privata(self.cartella)
        self.processo = Processo(
            "Redis",
            [redis_server(), str(self._configurazione())],
            dict(os.environ),
            alla_morte=signal.SIGTERM,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.processo.avvia()
        fine = time.monotonic() + ATTESA_S
        while not self._risponde():
            if not self.processo.vivo() or time.monotonic() > fine:
                log = (self.cartella / "redis.log").read_text(errors="replace")[-2000:]
                msg = f"Redis non è partito:\n{log}"
                raise RuntimeError(msg)
            time.sleep(0.05)
        return self.url

    def ferma(self) -> None:
        """Stop it (its data is on disk)."""
        if self.processo is not None:
            ferma_tutti([self.processo])

    def _risponde(self) -> bool:
        client = redis.Redis(
            host=self.host, port=self.porta, password=self.password, socket_timeout=0.5
        )
        try:
            # redis-py types ping() for its sync and asyncio clients at once; this one is sync.
            return client.ping()  # pyright: ignore[reportReturnType]
        except redis.RedisError:
            return False
        finally:
            client.close()
