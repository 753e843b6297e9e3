"""`make prod` for the tests: `serena prod` run from a copy of the tree (its build must not
replace the main test server's), on a free port, with two app processes, and the PostgreSQL
and Redis it starts under the copy's `var/`. The fault tests reach into its parts."""

import os
import pickle
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import redis
from playwright.sync_api import Page, expect
from reflex.utils.token_manager import RedisTokenManager

from serena_app.produzione import impostazioni
from serena_app.produzione.redis_proprio import Redis, redis_server
from serena_app.produzione.servizi import Postgres
from tests.support.copia import copia_albero
from tests.support.registro_server import segui
from tests.support.server import BIN, Server, _attendi_risposta, _stop, ambiente_app, porta_libera

PROCESSI_APP = 2
ATTESA_S = 60.0
SEGRETO = b"SERENA_PROXY_SECRET"
ALTRO_UTENTE = "nobody"  # another local user, who shares the machine but not its secrets


@dataclass
class Produzione(Server):
    """A running `serena prod`: the `Server` the suites use, and its parts."""

    radice: Path
    processo: subprocess.Popen
    avviati: list[Redis] = field(default_factory=list)  # by a test: stopped at the end

    @property
    def var(self) -> Path:
        return self.radice / "var"

    @property
    def redis_url(self) -> str:
        return impostazioni.leggi(self.var / "produzione.env")["REDIS_URL"]

    def porte_app(self) -> list[int]:
        """The ports of the app processes, as the front server knows them (each once: the
        Caddyfile names them in more than one route)."""
        testo = (self.var / "Caddyfile").read_text(encoding="utf-8")
        return list(dict.fromkeys(int(p) for p in re.findall(r"127\.0\.0\.1:(\d+)", testo)))

    def pid_worker(self, porta: int) -> int:
        """The granian worker serving the app process on `porta` (the child of `reflex run`,
        with the same command line)."""
        fine = time.monotonic() + ATTESA_S
        while time.monotonic() < fine:
            app = {p for p, riga in processi() if f"--backend-port {porta} " in riga}
            figli = [p for p in app if _genitore(p) in app]
            if figli:
                return figli[0]
            time.sleep(0.2)
        msg = f"no worker on port {porta}"
        raise TimeoutError(msg)

    def postgres(self) -> Postgres:
        """The PostgreSQL of this run (to stop and start it)."""
        return Postgres(self.var / "postgresql", urlsplit(self.db_url).port)

    def porta_redis(self) -> int:
        return urlsplit(self.redis_url).port

    def segreti(self) -> dict[str, str | None]:
        """What only `serena prod` and its children may know: the passwords in the URLs it
        recorded, and the secret the front server sends the app processes (Caddy's
        environment)."""
        config = str(self.var / "Caddyfile")
        caddy = next(p for p, riga in processi() if "caddy run" in riga and config in riga)
        ambiente = Path(f"/proc/{caddy}/environ").read_bytes().split(b"\0")
        proxy = [v.split(b"=", 1)[1].decode() for v in ambiente if v.startswith(SEGRETO + b"=")]
        return {
            "PostgreSQL": urlsplit(self.db_url).password,
            "Redis": urlsplit(self.redis_url).password,
            "front server": proxy[0] if proxy else None,
        }

    def riavvia_redis(self) -> None:
        """Stop Redis and start it again on the same port and data (it then belongs to the
        test, not to `serena prod`)."""
        self.ferma_redis()
        self.avvia_redis()

    def ferma_redis(self) -> None:
        """Stop Redis (SIGTERM: it writes its append-only file) and wait until it is gone."""
        inizio = f"{redis_server()} 127.0.0.1:{self.porta_redis()}"
        pid = next(p for p, riga in processi() if riga.startswith(inizio))
        os.kill(pid, signal.SIGTERM)
        fine = time.monotonic() + ATTESA_S
        while any(riga.startswith(inizio) for _, riga in processi()):
            assert time.monotonic() < fine, f"{inizio} did not stop"
            time.sleep(0.05)

    def avvia_redis(self) -> None:
        """Start Redis again on its port and data, after `ferma_redis`, and wait until it
        answers."""
        nuovo = Redis(self.var / "redis", self.porta_redis())
        nuovo.avvia()
        self.avviati.append(nuovo)


def processi() -> Iterator[tuple[int, str]]:
    """Every process of the machine: its pid and command line."""
    for cartella in Path("/proc").iterdir():
        if cartella.name.isdigit():
            try:
                riga = (cartella / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            yield int(cartella.name), riga


def discendenti(pid: int) -> set[int]:
    """Every process started by `pid`, by its children, and so on."""
    figli: dict[int, list[int]] = {}
    for numero, _ in processi():
        figli.setdefault(_genitore(numero), []).append(numero)
    trovati, da_vedere = set(), [pid]
    while da_vedere:
        for figlio in figli.get(da_vedere.pop(), []):
            trovati.add(figlio)
            da_vedere.append(figlio)
    return trovati


def _genitore(pid: int) -> int:
    try:
        stato = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    return int(stato.rsplit(")", 1)[1].split()[1])


@contextmanager
def server_produzione(cartella: Path) -> Iterator[Produzione]:
    """Copy the tree and run `serena prod` from it until the end; its output (its app
    processes' and Caddy's too) goes to `cartella` and is followed (`registro_server.py`).
    The copy is in a folder of /tmp that others may enter: as root, PostgreSQL runs as the
    `postgres` user, which must reach its data under `var/`."""
    radice = Path(tempfile.mkdtemp(prefix="serena-prod-")) / "albero"
    radice.parent.chmod(0o755)
    copia_albero(radice)
    porta = porta_libera()
    log = cartella / "server.log"
    env = {
        k: v for k, v in ambiente_app(porta, "").items() if k not in ("DATABASE_URL", "REDIS_URL")
    }
    env["SERENA_WORKERS"] = str(PROCESSI_APP)
    with log.open("w") as uscita:
        processo = subprocess.Popen(
            [str(BIN / "serena"), "prod", "--port", str(porta)],
            cwd=radice,
            env=env,
            stdout=uscita,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://localhost:{porta}"
    server = None
    try:
        with segui(log):
            _attendi_risposta(url + "/", processo, log)
            server = Produzione(
                url=url,
                db_url=impostazioni.leggi(radice / "var" / "produzione.env")["DATABASE_URL"],
                log=log,
                build=radice / "var" / "build",
                radice=radice,
                processo=processo,
            )
            for porta_app in server.porte_app():
                _attendi_risposta(f"http://127.0.0.1:{porta_app}/ping", processo, log)
            yield server
    finally:
        _stop(processo)
        for redis_avviato in server.avviati if server else []:
            redis_avviato.ferma()
        if server is not None:
            server.postgres().ferma()  # one a test started again is not serena prod's child
        shutil.rmtree(radice.parent, ignore_errors=True)


def come_altro_utente(*comando: str) -> subprocess.CompletedProcess:
    """`comando` run as another local user (the tests run as root), from `/`."""
    return subprocess.run(
        ["runuser", "-u", ALTRO_UTENTE, "--", *comando],
        cwd="/",
        capture_output=True,
        text=True,
        timeout=ATTESA_S,
        check=False,
    )


def token_di(page) -> str:
    """The Reflex client token of a browser tab (kept in its sessionStorage)."""
    return page.evaluate("window.sessionStorage.getItem('token')")


def processo_di(redis_url: str, token: str) -> str | None:
    """Which app process holds the socket of client `token` now (Reflex's own record in
    Redis: the process's instance id), or None if it has none."""
    client = redis.Redis.from_url(redis_url)
    try:
        dati = client.get(f"{RedisTokenManager._token_socket_record_prefix}{token}")
    finally:
        client.close()
    return None if dati is None else pickle.loads(dati).instance_id  # noqa: S301 (our Redis)


def attendi_lease_rilasciato(redis_url: str, token: str) -> None:
    """Until no app process holds client `token`'s state (Reflex's lock in Redis is gone: the
    next event of that tab reads the state from Redis)."""
    client = redis.Redis.from_url(redis_url)
    fine = time.monotonic() + ATTESA_S
    try:
        while client.exists(f"{token}_lock"):
            assert time.monotonic() < fine, f"the state of {token} stayed locked"
            time.sleep(0.05)
    finally:
        client.close()


def visitatore_altrove(browser, server: Produzione, processo: str | None, script: str = "") -> Page:
    """A visitor's page, hydrated, whose socket is on another app process than `processo`
    (with `script` run in it first). The front server picks the process: new pages are
    opened until one lands elsewhere; a process just started again may be skipped by it for
    a few seconds."""
    fine = time.monotonic() + ATTESA_S
    while time.monotonic() < fine:
        pagina = browser.new_context(base_url=server.url).new_page()
        if script:
            pagina.add_init_script(script)
        pagina.goto("/")
        expect(pagina.locator("main")).to_have_attribute("data-idratata", "true")
        if processo_di(server.redis_url, token_di(pagina)) not in (processo, None):
            return pagina
        pagina.context.close()
    msg = f"for {ATTESA_S:.0f} s every new visitor landed on process {processo}"
    raise AssertionError(msg)
