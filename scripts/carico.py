"""Simulated visitors, and where the machine's CPU and memory go while they arrive.

A visitor does what a first-time browser does: GET `/` and every `/assets/*.js|css` the HTML
references, with their static imports (Accept-Encoding: br, gzip; at most six connections,
closed once loaded), then opens the event websocket with the hydrate event in the Socket.IO
CONNECT packet (the compiled state's hashes read from the page and its schema from the assets,
as `state.js` sends them) and waits until the page is hydrated. It stays connected, recording
when each new content `versione` reaches it (a publish pushed to open pages), until the crowd
leaves. Every tab is the project's raw Socket.IO client,
`tests.support.cliente.ClienteGrezzo`, which the security tests use too.

While a crowd is open, the generator's cyclic garbage collector is off (`Folla`): a full
collection over a thousand simulated tabs took up to 280 ms here, and it stalls every tab at
once, which no crowd of real browsers does. It made one publish in three reach the open pages
200–300 ms later than the others.

`Processi` measures CPU times and resident memory of process trees with psutil: the app's,
the front server's, Redis, and the load generator's own (`psutil.Process()`, all its threads).

Usage: python scripts/carico.py --url http://localhost:3000 --visitors 200 --arrival-rate 50
(0 = all at once; loopback only). `scripts/topologie.py` drives it for `make bench`.
"""

import argparse
import asyncio
import contextlib
import gc
import re
import resource
import statistics
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.cliente import ClienteGrezzo, vista  # noqa: E402
from tests.support.protocollo import CONTENUTO, hashes_della_pagina  # noqa: E402

ASSET = re.compile(r"""/assets/[^"'\s>)]+\.(?:js|css)""")
IMPORT = re.compile(r"""(?:from|import)\s*["'`]\./([^"'`]+\.(?:js|css))""")  # static imports
# The state schema, as the context module names it, or as Vite minifies it (beside the hashes).
SCHEMA = re.compile(r"""(?:stateSchema\s*=\s*|\.hashes,\w+=)[`"']([0-9a-f]{32})[`"']""")
ATTESA_S = 30.0  # every wait of a visitor (page, hydration) is bounded by this


# --- figures -----------------------------------------------------------------------------------


def riassunto(secondi: list[float]) -> dict[str, Any]:
    """Count, median, p95 and max of durations in seconds, in milliseconds (None if empty)."""
    ms = sorted(s * 1000 for s in secondi)
    if len(ms) < 2:
        return {"n": len(ms), "p50_ms": ms[0] if ms else None, "p95_ms": None, "max_ms": None}
    centili = statistics.quantiles(ms, n=100, method="inclusive")
    return {"n": len(ms), "p50_ms": centili[49], "p95_ms": centili[94], "max_ms": ms[-1]}


# --- processes ---------------------------------------------------------------------------------


def in_ascolto(porta: int) -> psutil.Process:
    """The process listening on TCP `porta` of this machine."""
    for conn in psutil.net_connections(kind="tcp"):
        if conn.status == psutil.CONN_LISTEN and conn.laddr.port == porta and conn.pid:
            return psutil.Process(conn.pid)
    msg = f"nobody listens on port {porta}"
    raise LookupError(msg)


def radice(processo: psutil.Process, parola: str) -> psutil.Process:
    """The topmost ancestor of `processo` (itself included) whose command line has `parola`."""
    for genitore in processo.parents():
        if parola not in " ".join(genitore.cmdline()):
            break
        processo = genitore
    return processo


@dataclass
class Processi:
    """Named process trees (each root with all its descendants, found anew at each reading)."""

    radici: dict[str, list[psutil.Process]] = field(default_factory=dict)

    def _alberi(self, nome: str) -> list[psutil.Process]:
        """The processes of the trees named `nome`, each once even if two roots share it."""
        tutti: dict[int, psutil.Process] = {}
        for r in self.radici[nome]:
            with contextlib.suppress(psutil.NoSuchProcess):
                tutti |= {p.pid: p for p in [r, *r.children(recursive=True)]}
        return list(tutti.values())

    def cpu_s(self) -> dict[str, float]:
        """CPU seconds used so far by each tree (user + system, reaped children included)."""
        cpu = {}
        for nome in self.radici:
            cpu[nome] = 0.0
            for p in self._alberi(nome):
                with contextlib.suppress(psutil.NoSuchProcess):
                    t = p.cpu_times()
                    cpu[nome] += t.user + t.system + t.children_user + t.children_system
        return cpu

    def rss_mib(self) -> dict[str, float]:
        """Resident memory of each tree, in MiB."""
        rss = {}
        for nome in self.radici:
            rss[nome] = 0.0
            for p in self._alberi(nome):
                with contextlib.suppress(psutil.NoSuchProcess):
                    rss[nome] += p.memory_info().rss / 2**20
        return rss


def cpu_generatore_s() -> float:
    """CPU seconds this process (the load generator, all its threads) has used so far."""
    t = psutil.Process().cpu_times()
    return t.user + t.system


def differenza(dopo: dict[str, float], prima: dict[str, float]) -> dict[str, float]:
    """`dopo - prima`, name by name."""
    return {nome: dopo[nome] - prima.get(nome, 0.0) for nome in dopo}


# --- one visitor -------------------------------------------------------------------------------


@dataclass
class Avvio:
    """What the page's JavaScript sends on connect besides the event."""

    hashes: list[str] | None = None
    schema: str | None = None
    assets: list[str] = field(default_factory=list)  # what a browser loads: HTML's and imports


async def scarica(http: aiohttp.ClientSession, url: str) -> bytes:
    """GET `url` as a browser does (compressed); the body as sent."""
    async with http.get(url, headers={"Accept-Encoding": "br, gzip"}) as risposta:
        if risposta.status != 200:
            msg = f"GET {url}: HTTP {risposta.status}"
            raise RuntimeError(msg)
        return await risposta.read()


def testo(corpo: bytes) -> str:
    """Decode a body that may be brotli- or gzip-compressed (we asked for both)."""
    import gzip

    import brotli

    for decomprimi in (brotli.decompress, gzip.decompress, lambda b: b):
        with contextlib.suppress(Exception):
            return decomprimi(corpo).decode()
    return ""


def sessione_http(connessioni: int = 6) -> aiohttp.ClientSession:
    """A browser's HTTP/1.1 connections (at most `connessioni`, 0: no limit): no cookies,
    bodies left compressed."""
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=connessioni),
        auto_decompress=False,
        cookie_jar=aiohttp.DummyCookieJar(),
        timeout=aiohttp.ClientTimeout(total=ATTESA_S),
    )


async def leggi_avvio(url: str) -> Avvio:
    """The assets a browser loads for `/` (those the HTML references and their static
    imports), and the compiled state hashes and schema the page sends on its first connect."""
    avvio = Avvio()
    async with sessione_http() as http:
        pagina = testo(await scarica(http, f"{url}/"))
        avvio.hashes = hashes_della_pagina(pagina)
        da_leggere = sorted(set(ASSET.findall(pagina)))
        while da_leggere:
            percorso = da_leggere.pop()
            avvio.assets.append(percorso)
            js = testo(await scarica(http, url + percorso))
            for importato in IMPORT.findall(js):
                nuovo = percorso.rsplit("/", 1)[0] + "/" + importato
                if nuovo not in avvio.assets and nuovo not in da_leggere:
                    da_leggere.append(nuovo)
            if schema := SCHEMA.search(js):
                avvio.schema = schema.group(1)
    return avvio


@dataclass
class Visitatore:
    """One visitor's tab, its timings (seconds) and what went wrong."""

    cliente: ClienteGrezzo = field(init=False)
    pagina_s: float | None = None
    idratazione_s: float | None = None
    totale_s: float | None = None
    errore: str | None = None
    versioni: dict[int, float] = field(default_factory=dict)  # versione -> arrival

    def al_messaggio(self, messaggio: dict, arrivo: float) -> None:
        """Note when each content versione arrives."""
        if (versione := vista([messaggio]).get(CONTENUTO, {}).get("versione")) is not None:
            self.versioni.setdefault(versione, arrivo)

    @property
    def aperto(self) -> bool:
        """Whether the visitor's page is hydrated and its websocket still open."""
        return self.errore is None and self.totale_s is not None and self.cliente.connesso


async def visita(url: str, avvio: Avvio, ws: aiohttp.ClientSession, ritardo: float) -> Visitatore:
    """Wait `ritardo` s, load the page and its assets, open the websocket and hydrate."""
    await asyncio.sleep(ritardo)
    v = Visitatore()
    v.cliente = ClienteGrezzo(url, http=ws, al_messaggio=v.al_messaggio)
    fase, inizio = "page", time.perf_counter()
    try:
        async with sessione_http() as http:
            await scarica(http, f"{url}/")
            await asyncio.gather(*(scarica(http, url + p) for p in avvio.assets))
        v.pagina_s, fase = time.perf_counter() - inizio, "hydration"
        await v.cliente.connetti(
            intestazioni={"Accept-Encoding": "gzip, deflate, br"},
            hashes=avvio.hashes,
            schema=avvio.schema,
            attesa=ATTESA_S,
        )
        v.totale_s = v.cliente.arrivo - inizio
        v.idratazione_s = v.totale_s - v.pagina_s
    except (Exception, TimeoutError) as errore:
        v.errore = f"{fase}: {type(errore).__name__}: {str(errore)[:100]}"
    return v


# --- a crowd -----------------------------------------------------------------------------------


class Folla:
    """Visitors that arrive and keep their pages open until the crowd leaves.

    Use as `async with Folla(url) as folla: await folla.arriva(500, 0)`.
    """

    def __init__(self, url: str) -> None:
        verifica_loopback(url)
        self.url = url
        self.visitatori: list[Visitatore] = []
        self._ws = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0), cookie_jar=aiohttp.DummyCookieJar()
        )
        self.avvio = Avvio()

    async def __aenter__(self) -> "Folla":
        self.avvio = await leggi_avvio(self.url)
        gc.collect()
        gc.disable()  # see the module's docstring
        return self

    async def __aexit__(self, *_errore) -> None:
        try:
            await asyncio.gather(
                *(v.cliente.chiudi() for v in self.visitatori), return_exceptions=True
            )
            await self._ws.close()
        finally:
            gc.enable()

    async def arriva(self, quanti: int, ritmo: float) -> list[Visitatore]:
        """`quanti` more visitors, `ritmo` a second (0: all at once); when all have hydrated
        (or failed), the new ones."""
        nuovi = await asyncio.gather(
            *(
                visita(self.url, self.avvio, self._ws, i / ritmo if ritmo else 0.0)
                for i in range(quanti)
            )
        )
        self.visitatori += nuovi
        return nuovi

    def aperti(self) -> list[Visitatore]:
        """The visitors whose page is open and hydrated."""
        return [v for v in self.visitatori if v.aperto]

    async def attendi_versione(self, versione: int, limite: float = 30.0) -> None:
        """Wait (at most `limite` s) until every open page has received `versione`."""
        fine = time.monotonic() + limite
        while time.monotonic() < fine and any(versione not in v.versioni for v in self.aperti()):
            await asyncio.sleep(0.05)


def tempi(visitatori: list[Visitatore]) -> dict[str, Any]:
    """The crowd's figures: page → hydrated, and errors by kind."""
    errori: dict[str, int] = {}
    for v in visitatori:
        if v.errore:
            errori[v.errore] = errori.get(v.errore, 0) + 1
    return {
        "visitors": len(visitatori),
        "page_to_hydrated": riassunto([v.totale_s for v in visitatori if v.totale_s is not None]),
        "page": riassunto([v.pagina_s for v in visitatori if v.pagina_s is not None]),
        "errors": sum(errori.values()),
        "error_kinds": errori,
    }


def verifica_loopback(url: str) -> None:
    """Refuse any target that is not this machine."""
    host = urllib.parse.urlsplit(url).hostname or ""
    if host != "localhost" and not host.startswith("127.") and host != "::1":
        msg = f"only loopback targets are allowed, not {host!r}"
        raise SystemExit(msg)


def alza_limite_file() -> None:
    """Raise the soft limit of open files to the hard one (every socket is a file)."""
    _morbido, duro = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (duro, duro))


# --- the command line -------------------------------------------------------------------------


async def _una_folla(url: str, quanti: int, ritmo: float) -> dict[str, Any]:
    porta = urllib.parse.urlsplit(url).port or 80
    server = Processi({"server": [radice(in_ascolto(porta), "reflex")]})
    async with Folla(url) as folla:
        cpu, generatore = server.cpu_s(), cpu_generatore_s()
        visitatori = await folla.arriva(quanti, ritmo)
        cpu, generatore = differenza(server.cpu_s(), cpu), cpu_generatore_s() - generatore
        figure = tempi(visitatori)
        figure["rss_mib"] = server.rss_mib()
    idratati = max(1, figure["page_to_hydrated"]["n"])
    figure["server_cpu_ms_per_view"] = cpu["server"] * 1000 / idratati
    figure["generator_cpu_ms_per_visitor"] = generatore * 1000 / quanti
    return figure


def main() -> int:
    """Play one crowd against a running app and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="a running app on this machine")
    parser.add_argument("--visitors", type=int, default=100)
    parser.add_argument("--arrival-rate", type=float, default=50.0, help="per second; 0 = all")
    args = parser.parse_args()
    alza_limite_file()
    figure = asyncio.run(_una_folla(args.url.rstrip("/"), args.visitors, args.arrival_rate))
    for chiave, valore in figure.items():
        print(f"{chiave:32}{valore}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
