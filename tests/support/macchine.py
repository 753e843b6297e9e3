"""The site on several machines, for the tests: a data host, two app hosts and an edge, each
a network namespace (`rete.py`) running `serena prod --role …` with the settings of
`deploy/<role>.env.example` (addresses changed), and nothing on disk shared: each app host runs
from its own copy of the tree and builds into its own `var/build`.

The tests' own addresses (`Rete.nostro` on the front network, `.1` on the data one) let them
open pages through the edge, reach each app host's Caddy, and read the database.
"""

import contextlib
import os
import re
import shutil
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from serena_app.produzione import impostazioni
from tests.support.copia import copia_albero
from tests.support.registro_server import segui
from tests.support.rete import RETI, Ospite, Rete, ip, rete
from tests.support.server import BIN, ambiente_app

NOME = "serena.test"
SITO = f"https://{NOME}"
PORTA_APP = 8080
ATTESA_S = 600.0  # a bound for a start: an app host builds the frontend first
ESEMPI = Path(__file__).resolve().parents[2] / "deploy"


def impostazioni_di(ruolo: str, **valori: str) -> dict[str, str]:
    """The settings of `deploy/<ruolo>.env.example`, with `valori` in place of its example
    values; a key the example does not have is refused (the example must name it)."""
    righe = (ESEMPI / f"{ruolo}.env.example").read_text(encoding="utf-8").splitlines()
    esempio = dict(r.split("=", 1) for r in righe if "=" in r and not r.startswith("#"))
    ignote = set(valori) - set(esempio) - {"SERENA_TLS"}
    assert not ignote, f"deploy/{ruolo}.env.example does not name {ignote}"
    return {**esempio, **valori}


@dataclass
class Macchine:
    """The running hosts."""

    rete: Rete
    cartella: Path
    processi: dict[str, subprocess.Popen]
    database_url: str  # as the tests (and the app hosts) reach it
    redis_url: str

    def ospite(self, nome: str) -> Ospite:
        return self.rete.ospiti[nome]

    def url(self, nome: str) -> str:
        """An app host's own Caddy, plain HTTP on the front network."""
        return f"http://{self.ospite(nome).indirizzi['fronte']}:{PORTA_APP}"

    def radice(self, nome: str) -> Path:
        return self.cartella / nome

    def build(self, nome: str) -> Path:
        return self.radice(nome) / "var" / "build"

    def log(self, nome: str) -> str:
        return (self.cartella / f"{nome}.log").read_text(encoding="utf-8", errors="replace")

    @property
    def ca(self) -> Path:
        """The root certificate of the edge's own CA (Caddy's `tls internal`)."""
        return self.radice("bordo") / "var/caddy/caddy/pki/authorities/local/root.crt"

    @property
    def regola_nomi(self) -> str:
        """Chromium's flag that sends the site's name to the edge."""
        return f"--host-resolver-rules=MAP {NOME} {self.ospite('bordo').indirizzi['fronte']}"

    def get(self, percorso: str = "/", **opzioni) -> httpx.Response:
        """A request to the site through the edge, over HTTPS, trusting its CA."""
        bordo = self.ospite("bordo").indirizzi["fronte"]
        with httpx.Client(verify=ssl.create_default_context(cafile=self.ca)) as client:
            return client.get(
                f"https://{bordo}{percorso}",
                headers={"Host": NOME},
                extensions={"sni_hostname": NOME},
                **opzioni,
            )

    def sano(self, nome: str) -> bool:
        """Whether the app host tells the edge it can serve (`/_health` 200)."""
        try:
            return httpx.get(f"{self.url(nome)}/_health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def avvio(self, nome: str) -> tuple[list[str], Path, dict[str, str]]:
        """How host `nome` starts `serena prod`: its command, folder and environment."""
        ambiente = {**ambiente_app(PORTA_APP, self.database_url), **self._impostazioni(nome)}
        ambiente.pop("SERENA_ALLOWED_ORIGINS", None)
        ruolo = {"a": "app", "b": "app", "dati": "data", "bordo": "edge"}[nome]
        cwd = self.radice(nome) / ("albero" if ruolo == "app" else "")
        return (
            [str(BIN / "serena"), "prod", "--role", ruolo, "--port", str(PORTA_APP)],
            cwd,
            ambiente,
        )

    def avvia(self, nome: str) -> subprocess.Popen:
        """Start the host's `serena prod` (again), its output appended to `<nome>.log`."""
        comando, cwd, ambiente = self.avvio(nome)
        with (self.cartella / f"{nome}.log").open("a") as uscita:
            processo = self.ospite(nome).avvia(
                comando, cwd=cwd, env=ambiente, stdout=uscita, stderr=subprocess.STDOUT
            )
        self.processi[nome] = processo
        return processo

    def _impostazioni(self, nome: str) -> dict[str, str]:
        fronte = {n: o.indirizzi.get("fronte", "") for n, o in self.rete.ospiti.items()}
        if nome == "dati":
            rete_dati = re.sub(r"\.\d+$", ".0/24", self.ospite("dati").indirizzi["dati"])
            return impostazioni_di(
                "data",
                SERENA_DATA_HOST=self.ospite("dati").indirizzi["dati"],
                SERENA_DATA_CLIENTS=rete_dati,
            )
        if nome == "bordo":
            ospiti = ",".join(f"{fronte[h]}:{PORTA_APP}" for h in ("a", "b"))
            return impostazioni_di(
                "edge", SERENA_SITE_URL=SITO, SERENA_APP_HOSTS=ospiti, SERENA_TLS="internal"
            )
        return impostazioni_di(
            "app",
            DATABASE_URL=self.database_url,
            REDIS_URL=self.redis_url,
            SERENA_SITE_URL=SITO,
            SERENA_EDGE=fronte["bordo"],
        ) | {"SERENA_WORKERS": "1"}  # one app process per host: the hosts are what is tested

    def attendi(self, nome: str, pronto, attesa: float = ATTESA_S) -> None:
        """Wait until `pronto()` holds, failing with the host's log if it exits first."""
        fine = time.monotonic() + attesa
        while not pronto():
            processo = self.processi[nome]
            if processo.poll() is not None or time.monotonic() > fine:
                msg = f"{nome} ({processo.returncode}):\n{self.log(nome)[-4000:]}"
                raise RuntimeError(msg)
            time.sleep(0.2)


def _dati_pronti(macchine: Macchine) -> dict[str, str]:
    file = macchine.radice("dati") / "var" / "produzione.env"
    macchine.attendi("dati", file.exists, 120)
    return impostazioni.leggi(file)


@contextlib.contextmanager
def macchine() -> Iterator[Macchine]:
    """Start the four hosts; stop and remove everything at the end."""
    cartella = Path(tempfile.mkdtemp(prefix="serena-macchine-"))
    cartella.chmod(0o755)  # PostgreSQL runs as `postgres`: it must reach its folder
    try:
        with rete() as hosts, contextlib.ExitStack() as logs:
            for nome in ("dati", "a", "b", "bordo"):  # an error in a host's log fails the test
                logs.enter_context(segui(cartella / f"{nome}.log"))
            # The tests reach the data host over its network, as the app hosts do.
            n = hosts.nostro.split(".")[2]
            ip("addr", "add", f"{RETI['dati'].network_address + int(n) * 256 + 1}/24", "dev",
               hosts.ponti["dati"])  # fmt: skip
            insieme = Macchine(hosts, cartella, {}, "", "")
            for nome in ("dati", "bordo"):
                insieme.radice(nome).mkdir()
                insieme.radice(nome).chmod(0o755)
            insieme.avvia("dati")
            url = _dati_pronti(insieme)
            insieme.database_url, insieme.redis_url = url["DATABASE_URL"], url["REDIS_URL"]
            for nome in ("a", "b"):
                copia_albero(insieme.radice(nome) / "albero")
                insieme.avvia(nome)
            hosts.ospiti["bordo"].nomi(**{NOME: hosts.ospiti["bordo"].indirizzi["fronte"]})
            insieme.avvia("bordo")
            for nome in ("a", "b"):
                insieme.attendi(nome, lambda nome=nome: insieme.sano(nome))
            insieme.attendi("bordo", lambda: _risponde(insieme), 60)
            yield insieme
    finally:
        shutil.rmtree(cartella, ignore_errors=True)


def _risponde(macchine: Macchine) -> bool:
    try:
        return macchine.get("/", timeout=2).status_code == 200
    except (httpx.HTTPError, OSError):
        return False


def termina(processo: subprocess.Popen) -> None:
    """SIGTERM, as a service manager stops `serena prod`; wait for it."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(processo.pid, 15)
    processo.wait(timeout=30)
