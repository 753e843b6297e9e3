"""Load test: N visitors open the page while a staff member saves the mission.

Each visitor does what a first-time browser does: GET `/` and every `/assets/*.js|css` the HTML
references (Accept-Encoding: br, gzip), then opens the event websocket with the hydrate event in
the Socket.IO CONNECT packet (as `state.js` does, with the compiled state hashes and schema read
from the downloaded assets) and waits until the page is hydrated (the delta that sets
`is_hydrated`; the server then has run the on_load events `ContenutoState.aggiorna` and
`AccessoState.verifica`). Then it sends `ContenutoState.aggiorna` once more to time an event
round trip, and stays connected until the end of the run.

Every tab is the project's raw Socket.IO client, `tests.support.cliente.ClienteGrezzo`, which
the security tests use too. A handler that changes nothing sends no answer, so every timed
event carries a new `?barriera=<n>` in its router data (`ClienteGrezzo.chiedi`): the URL change
always comes back, in the same message as the handler's own changes, and marks the answer.

While all visitors are connected, a staff client (an account and session made directly in the
database, the secret sent as the page sends its `serena_sessione` from local storage: in the
hydrate event's `vars`) opens the mission (`RedazioneState.apri`), saves it (`salva`, a draft)
and publishes it (`chiedi_pubblicazione`, `pubblica`) K times; every publish is pushed to every
visitor (`diffondi`), whose arrival is timed too, by the content `versione` it carries, and
starts a rebuild of the served HTML on the same machine. The mission text is put back at the
end.

Usage (from the project folder, with the venv's Python):
    python scripts/carico.py --visitors 500 --arrival-rate 50
    python scripts/carico.py --visitors 500 --arrival-rate 0      # all at once
    python scripts/carico.py --sweep 100,250,500,750,1000
    python scripts/carico.py --visitors 200 --http keep   # keep-alive HTTP, as browsers do
    python scripts/carico.py --url http://localhost:3000 --db-url sqlite:///serena.db

Needs aiohttp (python-socketio's websocket client; its `asyncio_client` extra no longer pulls
it in). Without `--url` it serves the production app (`tests.support.server.avvia_app`) with a new
database in a temporary folder, a fresh one for each step of a sweep. Only loopback URLs are
accepted. `run()` is the entry point for other scripts.
"""

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import re
import resource
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reflex_base.constants.state import FIELD_MARKER  # noqa: E402
from sqlmodel import Session  # noqa: E402

from serena_app.auth.personale import crea_staff, disabilita_staff  # noqa: E402
from serena_app.auth.sessioni import crea_sessione  # noqa: E402
from serena_app.contenuto.pagina import PUBBLICATA, versione_pagina  # noqa: E402
from serena_app.contenuto.tipi import NESSUNA  # noqa: E402
from serena_app.db import crea_engine  # noqa: E402
from tests.support.cliente import ClienteGrezzo, vista  # noqa: E402
from tests.support.protocollo import ACCESSO, AGGIORNA, CONTENUTO, REDAZIONE  # noqa: E402

APRI = f"{REDAZIONE}.apri"
SALVA = f"{REDAZIONE}.salva"
ALTERNA = f"{REDAZIONE}.alterna_modifica"
CHIEDI_PUBBLICAZIONE = f"{REDAZIONE}.chiedi_pubblicazione"
PUBBLICA = f"{REDAZIONE}.pubblica"
MISSIONE = {"tipo": "sezione", "chiave": "mission"}  # `apri`'s payload
CHIUSO = asdict(NESSUNA)  # an editor slot with nothing open, as sent: {"tipo": "", ...}
ACCEPT_ENCODING = "br, gzip"
ASSET = re.compile(r"""/assets/[^"'\s>)]+\.(?:js|css)""")
HASHES = re.compile(r"initialStateHashes\s*=\s*\[([^\]]*)\]")
SCHEMA = re.compile(r"""stateSchema\s*=\s*[`"']([0-9a-f]+)[`"']""")
SOGLIA_SWEEP_S = 1.0
OBIETTIVO_IDRATAZIONE_S = 0.5
OBIETTIVO_SALVA_S = 0.2


def campo(nome: str) -> str:
    """The key of a var in a delta, e.g. "versione" -> "versione_rx_state_"."""
    return f"{nome}{FIELD_MARKER}"


@dataclass
class Processi:
    """Where a multi-process server spends: the app processes, the front server, Redis."""

    app: list[int]
    fronte: list[int]
    redis_url: str | None = None


@dataclass
class Limiti:
    """Timeouts, in seconds: every wait of the run has one."""

    http: float = 30.0
    idratazione: float = 30.0
    evento: float = 30.0
    diffusione: float = 20.0
    totale: float = 600.0


@dataclass
class Avvio:
    """What the page's JavaScript sends on connect besides the event name."""

    hashes: list[str] | None = None
    schema: str | None = None


@dataclass
class Visita:
    """One visitor's timings (seconds) and outcome."""

    pagina_s: float | None = None
    idratazione_s: float | None = None
    totale_s: float | None = None
    andata_ritorno_s: float | None = None
    byte_http: int = 0
    errore: str | None = None
    scheda: "Scheda | None" = None
    http: aiohttp.ClientSession | None = None

    async def chiudi(self) -> None:
        """Close the visitor's websocket and HTTP connections."""
        if self.scheda is not None:
            await self.scheda.chiudi()
        if self.http is not None:
            await self.http.close()


# --- measuring ---------------------------------------------------------------------------


def percentile(valori: list[float], p: float) -> float | None:
    """The p-th percentile (nearest rank) of `valori`, None if empty."""
    if not valori:
        return None
    ordinati = sorted(valori)
    indice = max(0, min(len(ordinati) - 1, round(p / 100 * len(ordinati) + 0.5) - 1))
    return ordinati[indice]


def riassunto(valori: list[float]) -> dict[str, Any]:
    """Count, p50, p95, p99 and max of durations in seconds, reported in milliseconds."""
    ms = [v * 1000 for v in valori]
    return {
        "n": len(ms),
        **{f"p{p}_ms": percentile(ms, p) for p in (50, 95, 99)},
        "max_ms": max(ms) if ms else None,
        "media_ms": statistics.fmean(ms) if ms else None,
    }


def _porta(url: str) -> int:
    parti = urllib.parse.urlsplit(url)
    return parti.port or (443 if parti.scheme == "https" else 80)


def _inode_in_ascolto(porta: int) -> set[str]:
    inode = set()
    for tabella in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(tabella) as righe:
            for riga in itertools.islice(righe, 1, None):
                campi = riga.split()
                if campi[3] == "0A" and int(campi[1].rsplit(":", 1)[1], 16) == porta:
                    inode.add(campi[9])
    return inode


def connessioni(url: str) -> int:
    """Established TCP connections to `url`'s port, as the kernel counts them (server side)."""
    porta, totale = _porta(url), 0
    for tabella in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(tabella) as righe:
            for riga in itertools.islice(righe, 1, None):
                campi = riga.split()
                totale += campi[3] == "01" and int(campi[1].rsplit(":", 1)[1], 16) == porta
    return totale


def pid_backend(url: str) -> int | None:
    """The process that serves `url`'s port: the listener none of whose children also listens.

    Reads /proc (Linux), so no extra package is needed. None if no such process is visible.
    """
    bersagli = {f"socket:[{i}]" for i in _inode_in_ascolto(_porta(url))}
    titolari = set()
    for voce in Path("/proc").iterdir():
        if not voce.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            if any(os.readlink(fd) in bersagli for fd in (voce / "fd").iterdir()):
                titolari.add(int(voce.name))
    genitori = {_stat(pid)[1] for pid in titolari}
    foglie = [pid for pid in titolari if pid not in genitori]
    return max(foglie, key=rss_mib, default=None)


def _stat(pid: int) -> list[int]:
    """(pid, ppid, utime+stime ticks) from /proc/PID/stat."""
    testo = Path(f"/proc/{pid}/stat").read_text()
    dopo = testo.rsplit(")", 1)[1].split()
    return [pid, int(dopo[1]), int(dopo[11]) + int(dopo[12])]


def cpu_tutti(pids: list[int]) -> float | None:
    """CPU seconds the processes `pids` have used so far, together."""
    valori = [cpu_s(p) for p in pids]
    return None if not valori or None in valori else sum(valori)


def rss_tutti(pids: list[int]) -> float | None:
    """Resident memory of the processes `pids`, together, in MiB."""
    valori = [rss_mib(p) for p in pids]
    return None if not valori or None in valori else sum(valori)


def redis_mib(redis_url: str | None) -> float | None:
    """Memory Redis uses for data (`used_memory`), in MiB; None without Redis."""
    if redis_url is None:
        return None
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        return client.info("memory")["used_memory"] / 2**20
    finally:
        client.close()


def rss_mib(pid: int | None) -> float | None:
    """Resident memory of `pid` in MiB (None if unknown)."""
    if pid is None:
        return None
    with contextlib.suppress(OSError):
        for riga in Path(f"/proc/{pid}/status").read_text().splitlines():
            if riga.startswith("VmRSS:"):
                return int(riga.split()[1]) / 1024
    return None


def cpu_s(pid: int | None) -> float | None:
    """CPU seconds (user + system) `pid` has used so far."""
    if pid is None:
        return None
    try:
        return _stat(pid)[2] / os.sysconf("SC_CLK_TCK")
    except OSError:
        return None


def alza_limite_file() -> int:
    """Raise the soft RLIMIT_NOFILE to the hard limit (sockets are files); return it."""
    _morbido, duro = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (duro, duro))
    return duro


# --- HTTP: the page and its assets ----------------------------------------------------------


async def scarica(http: aiohttp.ClientSession, url: str, limiti: Limiti) -> bytes:
    """GET `url` as a browser does (compressed); the body as sent, not decompressed."""
    async with http.get(
        url,
        headers={"Accept-Encoding": ACCEPT_ENCODING},
        timeout=aiohttp.ClientTimeout(total=limiti.http),
    ) as risposta:
        if risposta.status != 200:
            msg = f"GET {url}: HTTP {risposta.status}"
            raise RuntimeError(msg)
        return await risposta.read()


def sessione_browser() -> aiohttp.ClientSession:
    """One browser's HTTP/1.1 connections: at most six to the host, no cookies, no decoding."""
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=6),
        auto_decompress=False,
        cookie_jar=aiohttp.DummyCookieJar(),
    )


async def scarica_pagina(http: aiohttp.ClientSession, url: str, limiti: Limiti) -> int:
    """GET `/`, then every asset it references, in parallel over `http`'s connections.

    Returns:
        The bytes transferred.
    """
    html = await scarica(http, f"{url}/", limiti)
    assets = sorted(set(ASSET.findall(_testo(html))))
    corpi = await asyncio.gather(*(scarica(http, url + a, limiti) for a in assets))
    return len(html) + sum(map(len, corpi))


def _testo(corpo: bytes) -> str:
    """Decode a body that may be brotli- or gzip-compressed (we asked for both)."""
    for decomprimi in (_brotli, _gzip, lambda b: b):
        with contextlib.suppress(Exception):
            return decomprimi(corpo).decode()
    return ""


def _brotli(corpo: bytes) -> bytes:
    import brotli

    return brotli.decompress(corpo)


def _gzip(corpo: bytes) -> bytes:
    import gzip

    return gzip.decompress(corpo)


def leggi_avvio(url: str, limiti: Limiti) -> Avvio:
    """Read the compiled state hashes and schema the page sends on its first connect."""

    async def leggi() -> Avvio:
        async with aiohttp.ClientSession(auto_decompress=False) as http:
            html = _testo(await scarica(http, f"{url}/", limiti))
            for percorso in sorted(set(ASSET.findall(html))):
                js = _testo(await scarica(http, url + percorso, limiti))
                if (hashes := HASHES.search(js)) and (schema := SCHEMA.search(js)):
                    return Avvio(re.findall(r"[0-9a-f]{16}", hashes.group(1)), schema.group(1))
        return Avvio()

    return asyncio.run(leggi())


# --- the websocket: one browser tab -----------------------------------------------------------


class Scheda:
    """One browser tab: the project's raw client (`ClienteGrezzo`) and the timings it reports.

    Timing only: the packets are `ClienteGrezzo`'s. Each message is seen as it arrives (with
    its arrival time), so the live updates are timed even while nobody waits for them.
    """

    def __init__(self, url: str, http: aiohttp.ClientSession | None = None) -> None:
        """A tab of `url`, not yet connected; `http` shared (the tab's own if None)."""
        self.cliente = ClienteGrezzo(url, http=http, al_messaggio=self._al_messaggio)
        self.versioni: dict[int, float] = {}  # content versione -> when it arrived (perf_counter)
        self.byte_ricevuti = 0

    def _al_messaggio(self, messaggio: dict, arrivo: float) -> None:
        contenuto = (messaggio.get("delta") or {}).get(CONTENUTO) or {}
        if (versione := contenuto.get(campo("versione"))) is not None:
            self.versioni.setdefault(versione, arrivo)

    @property
    def stato(self) -> dict[str, dict[str, Any]]:
        """Every var received so far: state full name -> var name -> last value."""
        return self.cliente.stato

    @property
    def chiusa(self) -> bool:
        """Whether the websocket is not open (never opened, or closed by the server)."""
        return not self.cliente.connesso

    async def connetti(
        self,
        avvio: Avvio,
        limite: float,
        *,
        segreto: str | None = None,
        misura_byte: bool = False,
    ) -> float:
        """Open the websocket with the hydrate event in the CONNECT packet; wait for hydration.

        Args:
            avvio: The compiled hashes and schema the page sends.
            limite: Seconds to wait, in all.
            segreto: The staff session secret, sent where the page sends it; None for none.
            misura_byte: Record the size of the hydration messages in `byte_ricevuti`.

        Returns:
            Seconds from the connect call to the hydrated state.
        """
        inizio = time.perf_counter()
        async with asyncio.timeout(limite):
            ricevuti = await self.cliente.connetti(
                segreto=segreto,
                intestazioni={"Accept-Encoding": "gzip, deflate, br"},
                hashes=avvio.hashes,
                schema=avvio.schema,
                attesa=limite,
            )
        if misura_byte:
            self.byte_ricevuti = sum(len(json.dumps(m, separators=(",", ":"))) for m in ricevuti)
        return self.cliente.arrivo - inizio

    async def chiedi(
        self, nome: str, payload: dict[str, Any], limite: float
    ) -> tuple[float, list[dict]]:
        """Emit one event from the home page and wait for its answer (`ClienteGrezzo.chiedi`).

        Returns:
            The round trip in seconds, and the messages received, the answer last.
        """
        inizio = time.perf_counter()
        messaggi = await self.cliente.chiedi(nome, payload, limite)
        return self.cliente.arrivo - inizio, messaggi

    async def chiudi(self) -> None:
        """Close the websocket (a shared HTTP session stays open)."""
        with contextlib.suppress(Exception):
            await self.cliente.chiudi()


# --- visitors --------------------------------------------------------------------------------


@dataclass
class Contesto:
    """What every visitor of a run shares, and the count of visitors that have arrived."""

    url: str
    http: aiohttp.ClientSession
    avvio: Avvio
    limiti: Limiti
    modo_http: str  # "close", "keep" or "none": see `--http`
    attesi: int
    arrivati: int = 0
    tutti_arrivati: asyncio.Event = field(default_factory=asyncio.Event)
    fine: asyncio.Event = field(default_factory=asyncio.Event)

    def arrivato(self) -> None:
        """One more visitor hydrated and timed its event, or failed."""
        self.arrivati += 1
        if self.arrivati >= self.attesi:
            self.tutti_arrivati.set()


async def arriva(ctx: Contesto, visita: Visita, primo: bool) -> None:
    """Load the page, hydrate, time one event; a failure is recorded in `visita.errore`."""
    fase, inizio = "http", time.perf_counter()
    try:
        if ctx.modo_http != "none":
            visita.http = sessione_browser()
            async with asyncio.timeout(ctx.limiti.http):
                visita.byte_http = await scarica_pagina(visita.http, ctx.url, ctx.limiti)
            if ctx.modo_http == "close":
                await visita.http.close()
        visita.pagina_s = time.perf_counter() - inizio
        fase, visita.scheda = "idratazione", Scheda(ctx.url, ctx.http)
        visita.idratazione_s = await visita.scheda.connetti(
            ctx.avvio, ctx.limiti.idratazione, misura_byte=primo
        )
        visita.totale_s = time.perf_counter() - inizio
        fase = "evento"
        visita.andata_ritorno_s, _ = await visita.scheda.chiedi(AGGIORNA, {}, ctx.limiti.evento)
    except (Exception, TimeoutError) as errore:
        visita.errore = f"{fase}: {type(errore).__name__}: {str(errore)[:120]}"


async def visitatore(ctx: Contesto, visita: Visita, ritardo: float, primo: bool) -> None:
    """Arrive after `ritardo` s, then stay connected until the end of the run."""
    try:
        await asyncio.sleep(ritardo)
        await arriva(ctx, visita, primo)
    finally:
        ctx.arrivato()
    if visita.errore is None and visita.scheda is not None:
        await ctx.fine.wait()
        if visita.scheda.chiusa:
            visita.errore = "connessione: closed by the server while connected"


# --- the staff member ---------------------------------------------------------------------


@dataclass
class Staff:
    """A staff account made for the run, and its session secret."""

    nome_utente: str
    token: str
    db_url: str


def crea_credenziali(db_url: str) -> Staff:
    """Create a staff account and a live session directly in the app's database."""
    engine = crea_engine(db_url)
    try:
        with Session(engine) as session:
            staff = crea_staff(
                session=session,
                nome_utente=f"carico-{secrets.token_hex(4)}",
                password=secrets.token_urlsafe(24),
            )
            token = crea_sessione(session=session, staff=staff)
            return Staff(staff.nome_utente, token, db_url)
    finally:
        engine.dispose()


def rimuovi_credenziali(db_url: str, staff: Staff) -> None:
    """Disable the run's account (its sessions end with it)."""
    engine = crea_engine(db_url)
    try:
        with Session(engine) as session:
            disabilita_staff(session=session, nome_utente=staff.nome_utente)
    finally:
        engine.dispose()


def _salvato(messaggi: list[dict]) -> bool:
    """Whether `salva`'s answer closed the editor without errors or conflicts."""
    redazione = vista(messaggi).get(REDAZIONE, {})
    return (
        redazione.get("aperto") == CHIUSO
        and not redazione.get("errori")
        and not redazione.get("conflitto")
    )


@dataclass
class MisureStaff:
    """The staff tab's measurements: round trips in seconds, send times by content versione."""

    aperture: list[float] = field(default_factory=list)
    salvataggi: list[float] = field(default_factory=list)
    inviati: dict[int, float] = field(default_factory=dict)
    errori: list[str] = field(default_factory=list)


class Redattore:
    """The staff tab: logs in with its session secret, then opens and saves the mission K times."""

    def __init__(self, url: str, staff: Staff, limiti: Limiti) -> None:
        self.url, self.staff, self.limiti = url, staff, limiti
        self.misurate = MisureStaff()
        self._db = crea_engine(staff.db_url)  # to read the published page's counter
        self._scheda: Scheda | None = None
        self._originale: str | None = None

    async def entra(self, avvio: Avvio) -> None:
        """Open the staff tab (with an HTTP session of its own, apart from the visitors')."""
        self._scheda = Scheda(self.url)
        await self._scheda.connetti(avvio, self.limiti.idratazione, segreto=self.staff.token)
        if not self._scheda.stato.get(ACCESSO, {}).get("nome_staff"):
            msg = "the staff session was not recognised"
            raise RuntimeError(msg)
        await self._scheda.chiedi(ALTERNA, None, self.limiti.evento)  # edit mode: drafts

    async def salva(self, testo: str) -> tuple[float, list[dict]]:
        """Open the mission's editor, save `testo` and publish it; the save's round trip and
        answer."""
        assert self._scheda is not None  # noqa: S101
        apertura, _ = await self._scheda.chiedi(APRI, MISSIONE, self.limiti.evento)
        self.misurate.aperture.append(apertura)
        if self._originale is None:
            self._originale = self._scheda.stato.get(REDAZIONE, {}).get("campi", {}).get("testo")
        durata, messaggi = await self._scheda.chiedi(
            SALVA, {"form_data": {"testo": testo}}, self.limiti.evento
        )
        if not _salvato(messaggi):
            msg = f"save refused: {str(messaggi)[:200]}"
            raise RuntimeError(msg)
        await self._scheda.chiedi(CHIEDI_PUBBLICAZIONE, None, self.limiti.evento)
        inviato = time.perf_counter()
        await self._scheda.chiedi(PUBBLICA, None, self.limiti.evento)
        with Session(self._db) as session:
            versione = versione_pagina(session=session, pagina=PUBBLICATA)
        self.misurate.inviati[versione] = inviato
        return durata, messaggi

    async def lavora(self, volte: int, pausa: float) -> None:
        """Save the mission `volte` times, `pausa` seconds apart; errors are recorded."""
        for numero in range(1, volte + 1):
            try:
                testo = (self._originale or "Missione.") + f"\n\nProva di carico {numero}."
                durata, _ = await self.salva(testo)
                self.misurate.salvataggi.append(durata)
            except (Exception, TimeoutError) as errore:
                self.misurate.errori.append(
                    f"salva {numero}: {type(errore).__name__}: {errore}"[:200]
                )
            await asyncio.sleep(pausa)

    def misure(self) -> MisureStaff:
        """A copy of the measurements so far (the final restore is not measured)."""
        m = self.misurate
        return MisureStaff(list(m.aperture), list(m.salvataggi), dict(m.inviati), list(m.errori))

    async def ripristina_ed_esci(self) -> None:
        """Put the original mission text back, then close the tab."""
        try:
            if self._originale is not None and self._scheda is not None:
                await self.salva(self._originale)
        except (Exception, TimeoutError) as errore:
            self.misurate.errori.append(f"ripristino: {type(errore).__name__}: {errore}"[:200])
        finally:
            self._db.dispose()
            if self._scheda is not None:
                await self._scheda.chiudi()


def ritardi_diffusione(visite: list[Visita], inviati: dict[int, float]) -> tuple[list[float], int]:
    """Seconds from each save to its arrival at each visitor, and how many never arrived."""
    ritardi, mancati = [], 0
    for visita in visite:
        if visita.scheda is None or visita.errore:
            continue
        for versione, inviato in inviati.items():
            if (arrivo := visita.scheda.versioni.get(versione)) is None:
                mancati += 1
            else:
                ritardi.append(arrivo - inviato)
    return ritardi, mancati


async def attendi_diffusione(visite: list[Visita], versione: int | None, limite: float) -> None:
    """Wait (at most `limite` s) until every connected visitor has received `versione`."""
    if versione is None:
        return
    scadenza = time.monotonic() + limite
    schede = [v.scheda for v in visite if v.scheda is not None and not v.errore]
    while time.monotonic() < scadenza:
        if all(s.chiusa or versione in s.versioni for s in schede):
            return
        await asyncio.sleep(0.1)


# --- one run ---------------------------------------------------------------------------------


def _verifica_loopback(url: str) -> None:
    host = urllib.parse.urlsplit(url).hostname or ""
    if host != "localhost" and not host.startswith("127.") and host != "::1":
        msg = f"only loopback targets are allowed, not {host!r}"
        raise SystemExit(msg)


async def _esegui(
    url: str,
    visitors: int,
    arrival_rate: float,
    saves: int,
    staff: Staff | None,
    avvio: Avvio,
    limiti: Limiti,
    modo_http: str,
    pausa_salvataggi: float,
    processi: Processi | None = None,
) -> dict[str, Any]:
    pids = processi.app if processi else [pid_backend(url)]
    fronte = processi.fronte if processi else []
    redis_url = processi.redis_url if processi else None
    connettore = aiohttp.TCPConnector(limit=0, limit_per_host=0)
    async with aiohttp.ClientSession(
        connector=connettore, auto_decompress=False, cookie_jar=aiohttp.DummyCookieJar()
    ) as http:
        ctx = Contesto(url, http, avvio, limiti, modo_http, attesi=visitors)
        redattore = Redattore(url, staff, limiti) if staff and saves else None
        if redattore is not None:
            await redattore.entra(avvio)
        rss_prima, cpu_prima, cpu_client = rss_tutti(pids), cpu_tutti(pids), time.process_time()
        cpu_fronte, redis_prima = cpu_tutti(fronte), redis_mib(redis_url)
        inizio = time.perf_counter()
        visite = [Visita() for _ in range(visitors)]
        compiti = [
            asyncio.create_task(
                visitatore(ctx, v, i / arrival_rate if arrival_rate > 0 else 0.0, i == 0)
            )
            for i, v in enumerate(visite)
        ]
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(ctx.tutti_arrivati.wait(), limiti.totale)
        arrivi_s = time.perf_counter() - inizio
        rss_con, connessioni_con = rss_tutti(pids), connessioni(url)
        redis_con = redis_mib(redis_url)
        if redattore is not None:
            await redattore.lavora(saves, pausa_salvataggi)
            ultima = max(redattore.misurate.inviati, default=None)
            await attendi_diffusione(visite, ultima, limiti.diffusione)
        cpu_server = _differenza(cpu_tutti(pids), cpu_prima)
        cpu_fronte = _differenza(cpu_tutti(fronte), cpu_fronte)
        cpu_client = time.process_time() - cpu_client
        misure = redattore.misure() if redattore is not None else None
        ctx.fine.set()
        if not ctx.tutti_arrivati.is_set():
            _interrompi(compiti, visite)
        await asyncio.gather(*compiti, return_exceptions=True)
        await asyncio.gather(*(v.chiudi() for v in visite))
        if redattore is not None:
            await redattore.ripristina_ed_esci()
        durata_s = time.perf_counter() - inizio
    await asyncio.sleep(1.0)  # let the server drop the sockets before measuring again
    return _risultato(
        visite=visite,
        staff=misure,
        pid=pids[0] if len(pids) == 1 else pids,
        rss=(rss_prima, rss_con, rss_tutti(pids)),
        cpu=(cpu_server, cpu_client, cpu_fronte),
        redis=(redis_prima, redis_con),
        tempi=(arrivi_s, durata_s),
        parametri={
            "url": url,
            "visitors": visitors,
            "arrival_rate": arrival_rate,
            "http": modo_http,
            "server_connections": connessioni_con,
            "load_average": os.getloadavg()[0],
        },
    )


def _interrompi(compiti: list[asyncio.Task], visite: list[Visita]) -> None:
    """The run's time is up: stop the visitors that are still arriving, as errors."""
    for compito in compiti:
        compito.cancel()
    for visita in visite:
        if visita.errore is None and visita.andata_ritorno_s is None:
            visita.errore = "run: still arriving when the run's time was up"


def _differenza(dopo: float | None, prima: float | None) -> float | None:
    return None if dopo is None or prima is None else dopo - prima


def _risultato(*, visite, staff, pid, rss, cpu, redis, tempi, parametri) -> dict[str, Any]:
    staff = staff or MisureStaff()
    errori: dict[str, int] = {}
    for errore in [v.errore for v in visite if v.errore] + staff.errori:
        errori[errore] = errori.get(errore, 0) + 1
    rss_prima, rss_con, rss_dopo = rss
    connessi = sum(1 for v in visite if v.idratazione_s is not None)
    ritardi, mancati = ritardi_diffusione(visite, staff.inviati)
    return {
        **parametri,
        "backend_pid": pid,
        "hydrated": connessi,
        "errors": sum(errori.values()),
        "error_kinds": errori,
        "page_http": riassunto([v.pagina_s for v in visite if v.pagina_s is not None]),
        "hydration": riassunto([v.idratazione_s for v in visite if v.idratazione_s is not None]),
        "page_to_hydrated": riassunto([v.totale_s for v in visite if v.totale_s is not None]),
        "event_round_trip": riassunto(
            [v.andata_ritorno_s for v in visite if v.andata_ritorno_s is not None]
        ),
        "staff_open": riassunto(staff.aperture),
        "staff_save": riassunto(staff.salvataggi),
        "live_update": riassunto(ritardi),
        "live_update_missed": mancati,
        "http_kib_per_visitor": statistics.fmean([v.byte_http / 1024 for v in visite])
        if visite
        else 0,
        "hydrate_bytes": next((v.scheda.byte_ricevuti for v in visite if v.scheda), None),
        "rss_mib": {"before": rss_prima, "connected": rss_con, "after_disconnect": rss_dopo},
        "rss_kib_per_visitor": (rss_con - rss_prima) * 1024 / connessi
        if rss_con is not None and rss_prima is not None and connessi
        else None,
        "cpu_s": {"server": cpu[0], "load_generator": cpu[1], "front": cpu[2]},
        "cpu_ms_per_page_view": cpu[0] * 1000 / connessi
        if cpu[0] is not None and connessi
        else None,
        "redis_kib_per_visitor": (redis[1] - redis[0]) * 1024 / connessi
        if None not in redis and connessi
        else None,
        "arrivals_s": tempi[0],
        "duration_s": tempi[1],
    }


def run(
    url: str,
    visitors: int,
    arrival_rate: float,
    saves: int = 10,
    *,
    db_url: str | None = None,
    http: str = "close",
    save_pause: float = 0.5,
    limiti: Limiti | None = None,
    processi: Processi | None = None,
) -> dict[str, Any]:
    """Play `visitors` visitors (and, with `db_url`, `saves` staff saves) against `url`.

    Args:
        url: The running production app, e.g. "http://localhost:3000" (loopback only).
        visitors: Concurrent visitors.
        arrival_rate: New visitors per second; 0 starts them all at once.
        saves: Staff saves of the mission while everyone is connected (needs `db_url`).
        db_url: The app's database, to make the staff account and session in; None: no saves.
        http: How each visitor loads `/` and its assets before connecting: "close" over its
            own connections (six at most), closed once loaded; "keep" keeps them open while
            on the page, as browsers do; "none" skips the download.
        save_pause: Seconds between two saves.
        limiti: Timeouts; `Limiti()` by default.
        processi: Where the server's CPU and memory are (several app processes, a front
            server, Redis); by default the one process listening on `url`'s port.

    Returns:
        The measurements: durations as p50/p95/p99 in ms, errors, memory, CPU (see keys).
    """
    _verifica_loopback(url)
    limiti = limiti or Limiti()
    alza_limite_file()
    avvio = leggi_avvio(url, limiti)
    staff = crea_credenziali(db_url) if db_url and saves else None
    try:
        return asyncio.run(
            asyncio.wait_for(
                _esegui(
                    url,
                    visitors,
                    arrival_rate,
                    saves,
                    staff,
                    avvio,
                    limiti,
                    http,
                    save_pause,
                    processi,
                ),
                timeout=limiti.totale + 120,
            )
        )
    finally:
        if staff is not None and db_url:
            rimuovi_credenziali(db_url, staff)


# --- profiling ----------------------------------------------------------------------------------


@contextlib.contextmanager
def profilo(url: str, uscita: Path | None) -> Iterator[None]:
    """Record the backend with py-spy (speedscope format) while the block runs, if asked."""
    programma = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    pid = pid_backend(url)
    if uscita is None or pid is None or not Path(programma).exists():
        if uscita is not None:
            print(f"profile skipped: py-spy at {programma!r}, backend pid {pid}")
        yield
        return
    # --nonblocking: sample without pausing the server, so its timings stay close to normal.
    comando = [programma, "record", "-p", str(pid), "-o", str(uscita), "--format", "speedscope"]
    processo = subprocess.Popen(  # noqa: S603
        [*comando, "--nonblocking"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        processo.send_signal(signal.SIGINT)
        try:
            processo.wait(timeout=60)
        except subprocess.TimeoutExpired:
            processo.kill()
            processo.wait()
        print(f"profile of pid {pid}: {uscita}")


# --- the command line ----------------------------------------------------------------------------


def _ms(valore: float | None) -> str:
    return "-" if valore is None else f"{valore:.0f}"


def stampa(risultato: dict[str, Any]) -> None:
    """Print one run's results as a short table."""
    r = risultato
    rate = f"{r['arrival_rate']:g}/s" if r["arrival_rate"] else "all at once"
    print(
        f"\n== {r['visitors']} visitors, arrival {rate}, http {r['http']}, "
        f"backend pid {r['backend_pid']} =="
    )
    print(f"{'':22}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for chiave, nome in (
        ("page_http", "GET / + assets"),
        ("hydration", "ws connect->hydrated"),
        ("page_to_hydrated", "page start->hydrated"),
        ("event_round_trip", "event round trip"),
        ("staff_open", "staff apri"),
        ("staff_save", "staff salva"),
        ("live_update", "publish->visitor update"),
    ):
        s = r[chiave]
        valori = "".join(f"{_ms(s[k]):>9}" for k in ("p50_ms", "p95_ms", "p99_ms", "max_ms"))
        print(f"{nome:22}{s['n']:>6}{valori}")
    print(
        f"hydrated {r['hydrated']}/{r['visitors']}, errors {r['errors']}, "
        f"server TCP connections while connected {r['server_connections']}"
    )
    for errore, quante in sorted(r["error_kinds"].items(), key=lambda e: -e[1])[:8]:
        print(f"  {quante:5} x {errore}")
    print(f"live updates missed: {r['live_update_missed']}")
    rss = r["rss_mib"]
    print(
        f"backend RSS MiB: before {_ms(rss['before'])}, connected {_ms(rss['connected'])}, "
        f"after disconnect {_ms(rss['after_disconnect'])}; "
        f"per visitor {_ms(r['rss_kib_per_visitor'])} KiB"
    )
    cpu = r["cpu_s"]
    if r["redis_kib_per_visitor"] is not None:
        print(f"Redis memory per visitor: {r['redis_kib_per_visitor']:.1f} KiB")
    print(
        f"CPU s: app {cpu['server'] or 0:.1f} ({_ms(r['cpu_ms_per_page_view'])} ms per page "
        f"view), front server {cpu['front'] or 0:.1f}, load generator "
        f"{cpu['load_generator']:.1f}; "
        f"arrivals {r['arrivals_s']:.1f} s, run {r['duration_s']:.1f} s; "
        f"HTTP {r['http_kib_per_visitor']:.0f} KiB/visitor, hydrate {r['hydrate_bytes']} B; "
        f"machine load average {r['load_average']:.1f} (2 cores)"
    )
    verdetto(r)


def verdetto(r: dict[str, Any]) -> None:
    """Print the run against the targets (p95 hydration, zero errors, p95 save)."""
    idr, tot, salva = (r[k]["p95_ms"] for k in ("hydration", "page_to_hydrated", "staff_save"))
    limite_idr, limite_salva = OBIETTIVO_IDRATAZIONE_S * 1000, OBIETTIVO_SALVA_S * 1000
    obiettivi = (
        ("p95 ws hydration < 500 ms", None if idr is None else idr < limite_idr),
        ("p95 page->hydrated < 500 ms", None if tot is None else tot < limite_idr),
        ("zero errors", r["errors"] == 0 and r["hydrated"] == r["visitors"]),
        ("p95 staff save < 200 ms", None if salva is None else salva < limite_salva),
    )
    esiti = {True: "PASS", False: "FAIL", None: "n/a"}
    print("targets: " + "; ".join(f"{nome}: {esiti[ok]}" for nome, ok in obiettivi))


@contextlib.contextmanager
def server(url: str | None, db_url: str | None) -> Iterator[tuple[str, str | None]]:
    """The target: `url` as given, or the production app started in a temporary folder."""
    if url is not None:
        yield url, db_url
        return
    from tests.support.server import avvia_app

    with (
        tempfile.TemporaryDirectory(prefix="carico-") as cartella,
        avvia_app(Path(cartella)) as avviato,
    ):
        yield avviato.url, avviato.db_url


def _argomenti(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visitors", type=int, default=100)
    parser.add_argument("--arrival-rate", type=float, default=50.0, help="per second; 0 = all")
    parser.add_argument("--sweep", help="visitor counts, e.g. 100,250,500,750,1000")
    parser.add_argument("--saves", type=int, default=10, help="staff saves during the load")
    parser.add_argument("--save-pause", type=float, default=0.5, help="seconds between saves")
    parser.add_argument("--url", help="a running server (loopback); default: start one")
    parser.add_argument("--db-url", help="with --url: its database, for the staff session")
    parser.add_argument(
        "--http",
        choices=("close", "keep", "none"),
        default="close",
        help="page and assets over each visitor's own connections, closed once loaded "
        "(close), kept open while on the page like a browser (keep), or not at all (none)",
    )
    parser.add_argument("--max-seconds", type=float, default=600.0, help="bound of each run")
    parser.add_argument("--profile", type=Path, help="py-spy speedscope output (one run)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run once, or sweep visitor counts until p95 hydration crosses 1 s."""
    args = _argomenti(argv)
    limiti = Limiti(totale=args.max_seconds)
    conteggi = [int(n) for n in args.sweep.split(",")] if args.sweep else [args.visitors]
    risultati = []
    print(f"open files limit: {alza_limite_file()}")
    for visitatori in conteggi:
        with (
            server(args.url, args.db_url) as (url, db_url),
            profilo(url, None if args.sweep else args.profile),
        ):
            risultato = run(
                url,
                visitatori,
                args.arrival_rate,
                args.saves,
                db_url=db_url,
                http=args.http,
                save_pause=args.save_pause,
                limiti=limiti,
            )
        stampa(risultato)
        risultati.append(risultato)
        if args.sweep and (risultato["hydration"]["p95_ms"] or 0) > SOGLIA_SWEEP_S * 1000:
            break
    if args.sweep:
        stampa_sweep(risultati)
    if args.json:
        args.json.write_text(json.dumps(risultati, indent=2))
    return 0


def stampa_sweep(risultati: list[dict[str, Any]]) -> None:
    """Print p95 hydration by visitor count, and where it first exceeds one second."""
    print("\n== sweep: p95 hydration by concurrent visitors ==")
    for r in risultati:
        print(
            f"{r['visitors']:>6} visitors: p95 ws hydration {_ms(r['hydration']['p95_ms'])} ms, "
            f"page->hydrated {_ms(r['page_to_hydrated']['p95_ms'])} ms, errors {r['errors']}"
        )
    oltre = next(
        (r for r in risultati if (r["hydration"]["p95_ms"] or 0) > SOGLIA_SWEEP_S * 1000), None
    )
    if oltre is None:
        print(
            f"p95 hydration stayed under {SOGLIA_SWEEP_S:.0f} s up to {risultati[-1]['visitors']}"
        )
    else:
        print(f"p95 hydration crosses {SOGLIA_SWEEP_S:.0f} s at {oltre['visitors']} visitors")


if __name__ == "__main__":
    sys.exit(main())
