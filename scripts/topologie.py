"""`make run` against `make prod`: the same loads, repeated, on one server per topology.

Each repetition, on the same server (the load generator on the same two cores):

1. 500 visitors arrive at once (each loads `/` and its assets, then hydrates over the
   websocket): p95 page → hydrated.
2. 1,000 visitors arrive at 100/s and keep their pages open: CPU per page view of the app
   processes, of the front server (Caddy) and of Redis + PostgreSQL (psutil, load generator
   excluded), and the load generator's own CPU per visitor; with all pages open, Redis memory
   per page (`MEMORY USAGE` of the keys holding one page's state, `<token>_<state>`) and
   whether any holds page text; then 2 publishes, each timed to every open page.
3. `GET /` at 50/s while publishing 5 times: the slowest request, failures, and the time
   from each publish to a `GET /` returning its text.

Usage: python scripts/topologie.py [--repetitions 3]   (part of `make bench`)
"""

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts import carico, pubblicazioni  # noqa: E402
from scripts.carico import Folla, Processi, in_ascolto, radice  # noqa: E402
from tests.support.copia import copia_albero  # noqa: E402
from tests.support.dati import frasi_del_sito, staff_temporaneo  # noqa: E402
from tests.support.produzione import server_produzione  # noqa: E402
from tests.support.server import avvia_app  # noqa: E402

INSIEME = 500
FOLLA, RITMO_FOLLA, DIFFUSIONI = 1000, 100.0, 2
PUBBLICAZIONI, RITMO_GET = 5, 50.0
CAMPIONE_REDIS = 20  # open pages whose Redis keys are measured
PAUSA_S = 2.0  # between phases: the server drops the closed sockets


@dataclass
class Topologia:
    """A running topology: its URL, database, processes, and Redis (None: state in memory)."""

    nome: str
    url: str
    db_url: str
    processi: Processi
    redis_url: str | None = None


def _porta(url: str) -> int:
    return urlsplit(url).port or 80


@contextmanager
def make_run(cartella: Path) -> Iterator[Topologia]:
    """`make run` (one `reflex run --env prod --single-port`) from a copy of the tree."""
    albero = cartella / "albero"
    copia_albero(albero)
    with avvia_app(cartella, root=albero) as server:
        app = radice(in_ascolto(_porta(server.url)), "reflex")
        yield Topologia("make run", server.url, server.db_url, Processi({"app": [app]}))


@contextmanager
def make_prod(cartella: Path) -> Iterator[Topologia]:
    """`make prod`: Caddy, two app processes, Redis and PostgreSQL (`serena prod`)."""
    with server_produzione(cartella) as server:
        app = [radice(in_ascolto(p), "--backend-port") for p in server.porte_app()]
        postgres = radice(in_ascolto(_porta(server.db_url)), "postgres")
        processi = Processi(
            {
                "app": app,
                "front": [in_ascolto(_porta(server.url))],
                "redis": [in_ascolto(server.porta_redis())],
                "postgres": [postgres],
            }
        )
        yield Topologia("make prod", server.url, server.db_url, processi, server.redis_url)


TOPOLOGIE: dict[str, Callable[[Path], Any]] = {"make run": make_run, "make prod": make_prod}


def redis_per_pagina(redis_url: str, token: list[str], frasi: list[str]) -> dict[str, Any]:
    """`MEMORY USAGE` summed over the keys of each page's client `token` (median over the
    pages), and which of those keys hold any of `frasi` (the page's text)."""
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        chiavi: dict[str, list[bytes]] = {t: [] for t in token}
        for chiave in client.scan_iter(count=1000):
            nome = chiave.decode()  # "<token>_<state>", or Reflex's "..._record_<token>"
            for t in (nome.split("_", 1)[0], nome.rsplit("_", 1)[-1]):
                if t in chiavi:
                    chiavi[t].append(chiave)
                    break
        byte, con_testo = [], set()
        for t, sue in chiavi.items():
            byte.append(sum(client.memory_usage(c, samples=0) or 0 for c in sue))
            for c in sue:
                valore = client.get(c) if client.type(c) == b"string" else b""
                if any(f.encode() in valore for f in frasi):
                    con_testo.add(c.decode().replace(t, "<token>"))
        return {
            "kib_per_page": statistics.median(byte) / 1024,
            "keys_per_page": statistics.median(len(s) for s in chiavi.values()),
            "keys_with_page_text": sorted(con_testo),
        }
    finally:
        client.close()


async def ripetizione(t: Topologia, segreto: str, frasi: list[str]) -> dict[str, Any]:
    """One repetition of the three phases (see the module's docstring)."""
    r: dict[str, Any] = {"phase_s": {}}
    inizio = time.monotonic()
    async with Folla(t.url) as folla:
        r["all_at_once"] = carico.tempi(await folla.arriva(INSIEME, 0))
    await asyncio.sleep(PAUSA_S)
    r["phase_s"]["all at once"], inizio = time.monotonic() - inizio, time.monotonic()

    async with (
        Folla(t.url) as folla,
        pubblicazioni.Redattore(t.url, t.db_url, segreto, folla.avvio) as staff,
    ):
        cpu, generatore = t.processi.cpu_s(), carico.cpu_generatore_s()
        r["crowd"] = carico.tempi(await folla.arriva(FOLLA, RITMO_FOLLA))
        cpu = carico.differenza(t.processi.cpu_s(), cpu)
        generatore = carico.cpu_generatore_s() - generatore
        viste = max(1, r["crowd"]["page_to_hydrated"]["n"])
        r["cpu_ms_per_view"] = {nome: s * 1000 / viste for nome, s in cpu.items()}
        r["generator_cpu_ms_per_visitor"] = generatore * 1000 / FOLLA
        r["rss_mib_open_pages"] = t.processi.rss_mib()
        r["generator_rss_mib"] = psutil.Process().memory_info().rss / 2**20
        if t.redis_url:
            token = [v.cliente.token_nuovo or v.cliente.token_client for v in folla.aperti()]
            r["redis"] = redis_per_pagina(t.redis_url, token[:CAMPIONE_REDIS], frasi)
        r["fan_out"] = await pubblicazioni.diffusione(folla, staff, DIFFUSIONI)
        # The next phase times its own publishes: wait until these are served.
        r["fan_out"]["served_after_s"] = await pubblicazioni.attendi_servita(t.url, staff.ultimo)
    await asyncio.sleep(PAUSA_S)
    r["phase_s"]["crowd and fan-out"], inizio = time.monotonic() - inizio, time.monotonic()

    async with pubblicazioni.Redattore(t.url, t.db_url, segreto, carico.Avvio()) as staff:
        r["publish_under_get"] = await pubblicazioni.sotto_richieste(
            t.url, staff, PUBBLICAZIONI, RITMO_GET
        )
    await asyncio.sleep(PAUSA_S)
    r["phase_s"]["publishes under GET"] = time.monotonic() - inizio
    return r


def misura(t: Topologia, ripetizioni: int) -> list[dict[str, Any]]:
    """`ripetizioni` repetitions on the running topology `t`."""
    carico.alza_limite_file()
    frasi = frasi_del_sito()
    risultati = []
    with staff_temporaneo(t.db_url) as segreto:
        for numero in range(1, ripetizioni + 1):
            inizio = time.monotonic()
            try:
                risultati.append(asyncio.run(ripetizione(t, segreto, frasi)))
            except Exception:  # the other repetitions still count
                traceback.print_exc()
            print(
                f"  {t.nome}: repetition {numero}/{ripetizioni} in "
                f"{time.monotonic() - inizio:.0f} s",
                flush=True,
            )
    return risultati


# --- the table ---------------------------------------------------------------------------------


def _fronte(r: dict) -> float | None:
    return r["cpu_ms_per_view"].get("front")


def _basi(r: dict) -> float | None:
    cpu = r["cpu_ms_per_view"]
    return cpu["redis"] + cpu["postgres"] if "redis" in cpu else None


def _servita(r: dict) -> float | None:
    secondi = r["publish_under_get"]["publish_to_html_s"]
    return None if None in secondi else max(secondi)


def _testo_redis(r: dict) -> float | None:
    return len(r["redis"]["keys_with_page_text"]) if "redis" in r else None


RIGHE: list[tuple[str, str, Callable[[dict], float | None], Callable[[float], bool] | None]] = [
    # (figure, target, value of one repetition, whether a value meets the target)
    ("app CPU per page view, ms", "≤ 2", lambda r: r["cpu_ms_per_view"]["app"], lambda v: v <= 2),
    ("front (Caddy) CPU per page view, ms", "≤ 1.5", _fronte, lambda v: v <= 1.5),
    (
        "Redis+PostgreSQL CPU per page view, ms",
        "",
        _basi,
        None,
    ),
    (
        "Redis per open page, KiB",
        "≤ 2.5",
        lambda r: r["redis"]["kib_per_page"] if "redis" in r else None,
        lambda v: v <= 2.5,
    ),
    ("Redis keys per page holding page text", "0", _testo_redis, lambda v: v == 0),
    (
        f"{INSIEME} at once: p95 page → hydrated, ms",
        "< 700",
        lambda r: r["all_at_once"]["page_to_hydrated"]["p95_ms"],
        lambda v: v < 700,
    ),
    (
        f"{FOLLA:,} at {RITMO_FOLLA:g}/s: p95 page → hydrated, ms",
        "",
        lambda r: r["crowd"]["page_to_hydrated"]["p95_ms"],
        None,
    ),
    (
        "visitors failed (both crowds)",
        "0",
        lambda r: r["all_at_once"]["errors"] + r["crowd"]["errors"],
        lambda v: v == 0,
    ),
    (
        f"publish → {FOLLA:,} open pages: p95, ms",
        "< 500",
        lambda r: r["fan_out"]["publish_to_page"]["p95_ms"],
        lambda v: v < 500,
    ),
    ("open pages that missed a publish", "0", lambda r: r["fan_out"]["missed"], lambda v: v == 0),
    (
        f"GET / during {PUBBLICAZIONI} publishes at {RITMO_GET:g}/s: max, ms",
        "< 300",
        lambda r: r["publish_under_get"]["get"]["max_ms"],
        lambda v: v < 300,
    ),
    (
        "  ... GET / failed",
        "0",
        lambda r: r["publish_under_get"]["failed"],
        lambda v: v == 0,
    ),
    ("publish → served HTML, slowest of 5, s", "≤ 2", _servita, lambda v: v <= 2),
    ("app RSS with 1,000 pages open, MiB", "", lambda r: r["rss_mib_open_pages"]["app"], None),
    (
        "load generator CPU per visitor, ms",
        "",
        lambda r: r["generator_cpu_ms_per_visitor"],
        None,
    ),
]


def spread(valori: list[float | None]) -> dict[str, float] | None:
    """Min, median and max of the repetitions' values (None if any is missing)."""
    if not valori or None in valori:
        return None
    return {"min": min(valori), "median": statistics.median(valori), "max": max(valori)}


def _numero(v: float) -> str:
    return (
        f"{v:.0f}" if abs(v) >= 100 or v == int(v) else f"{v:.1f}" if abs(v) >= 10 else f"{v:.2f}"
    )


def riepilogo(risultati: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Each figure's spread by topology: {figure: {"target", topology: spread}}."""
    tabella: dict[str, dict[str, Any]] = {}
    for nome, obiettivo, valore, _ok in RIGHE:
        riga = tabella.setdefault(nome, {"target": obiettivo})
        for topologia, ripetizioni in risultati.items():
            riga[topologia] = spread([valore(r) for r in ripetizioni])
    return tabella


def stampa(risultati: dict[str, list[dict[str, Any]]]) -> None:
    """The figures of both topologies side by side: min–median–max over the repetitions; a
    mark says whether the median meets the target."""
    tabella = riepilogo(risultati)
    nomi = list(risultati)
    n = min(len(r) for r in risultati.values())
    print(f"\n== make run against make prod: min–median–max of {n} repetitions ==")
    print(f"{'':46}{'target':>8}" + "".join(f"{nome:>24}" for nome in nomi))
    for nome, _obiettivo, _valore, ok in RIGHE:
        riga = tabella[nome]
        celle = []
        for topologia in nomi:
            s = riga[topologia]
            if s is None:
                celle.append(f"{'-':>24}")
                continue
            segno = "" if ok is None else (" ✓" if ok(s["median"]) else " ✗")
            testo = "–".join(_numero(s[k]) for k in ("min", "median", "max")) + segno
            celle.append(f"{testo:>24}")
        print(f"{nome:46}{riga['target']:>8}" + "".join(celle))


def main() -> int:
    """Both topologies, one after the other, and the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repetitions", type=int, default=3)
    args = parser.parse_args()
    risultati = {}
    for nome, avvia in TOPOLOGIE.items():
        with tempfile.TemporaryDirectory() as cartella, avvia(Path(cartella)) as t:
            risultati[nome] = misura(t, args.repetitions)
    stampa(risultati)
    return 0


if __name__ == "__main__":
    sys.exit(main())
