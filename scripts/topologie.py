"""`make run` against `make prod`, side by side: the same loads (`carico.py`) on this machine,
the load generator included, one topology after the other.

For each topology: 1,000 visitors arriving at 100, 200 and 300 per second (each loads `/` and
its assets, hydrates, sends one event), 500 visitors at once, and one more run at 100/s with
staff publishing once all are connected (each publish timed until it reaches every open
page). It reports the app processes' CPU per page view, the highest rate whose p95 page →
hydrated stays under 500 ms, the p95 hydration of 500 at once, the p95 of a publish reaching
1,000 open pages, and Redis memory per visitor.

Usage: python scripts/topologie.py   (part of `make bench`)
"""

import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts import carico  # noqa: E402
from tests.support.copia import copia_albero  # noqa: E402
from tests.support.produzione import Produzione, processi, server_produzione  # noqa: E402
from tests.support.server import Server, avvia_app  # noqa: E402

VISITATORI = 1000
RITMI = (100.0, 200.0, 300.0)  # arrivals per second
CON_PUBBLICAZIONI = 100.0  # the publishing run: a rate the machine keeps up with
PUBBLICAZIONI = 3
TUTTI_INSIEME = 500
SOGLIA_MS = 500.0


@contextmanager
def _make_run(cartella: Path) -> Iterator[tuple[Server, carico.Processi | None]]:
    albero = cartella / "albero"
    copia_albero(albero)
    with avvia_app(cartella, root=albero) as server:
        yield server, None  # one process: carico finds it by its port


@contextmanager
def _make_prod(cartella: Path) -> Iterator[tuple[Server, carico.Processi | None]]:
    with server_produzione(cartella) as server:
        yield server, _processi(server)


def _processi(server: Produzione) -> carico.Processi:
    porte = server.porte_app()
    app = [p for p, riga in processi() if any(f"--backend-port {n} " in riga for n in porte)]
    config = str(server.var / "Caddyfile")
    fronte = [p for p, riga in processi() if "caddy run" in riga and config in riga]
    return carico.Processi(app=app, fronte=fronte, redis_url=server.redis_url)


TOPOLOGIE: dict[str, Callable] = {"make run": _make_run, "make prod": _make_prod}


def misura() -> dict[str, dict[str, Any]]:
    """Every run, by topology: "rate <r>" and "all at once"."""
    risultati: dict[str, dict[str, Any]] = {}
    for nome, avvia in TOPOLOGIE.items():
        print(f"\nTopology {nome}: starting ...", flush=True)
        with tempfile.TemporaryDirectory() as cartella, avvia(Path(cartella)) as (server, proc):
            corse = risultati.setdefault(nome, {})
            for ritmo in RITMI:
                corse[f"rate {ritmo:g}"] = carico.run(
                    server.url, VISITATORI, ritmo, 0, processi=proc
                )
            corse["all at once"] = carico.run(server.url, TUTTI_INSIEME, 0, 0, processi=proc)
            corse["publishing"] = carico.run(
                server.url,
                VISITATORI,
                CON_PUBBLICAZIONI,
                PUBBLICAZIONI,
                db_url=server.db_url,
                processi=proc,
            )
    return risultati


ms = carico._ms  # "-" for a figure that could not be measured


def _uno(valore: float | None) -> str:
    return "-" if valore is None else f"{valore:.1f}"


def _regge(corsa: dict[str, Any]) -> bool:
    p95 = corsa["page_to_hydrated"]["p95_ms"]
    return p95 is not None and p95 < SOGLIA_MS and corsa["errors"] == 0


def _cifre(corse: dict[str, Any]) -> dict[str, str]:
    """The figures of one topology, by name."""
    per_ritmo = {r: corse[f"rate {r:g}"] for r in RITMI}
    lento, insieme = per_ritmo[RITMI[0]], corse["all at once"]
    pubblica = corse["publishing"]["live_update"]
    retti = [r for r, corsa in per_ritmo.items() if _regge(corsa)]
    fronte = lento["cpu_s"]["front"]
    redis = lento["redis_kib_per_visitor"]
    cifre = {
        "app CPU per page view with hydration": f"{_uno(lento['cpu_ms_per_page_view'])} ms",
        "front server CPU per page view": "-"
        if fronte is None
        else f"{fronte * 1000 / VISITATORI:.1f} ms",
        "page views/s, p95 page → hydrated < 500 ms": f"{max(retti):g}/s"
        if retti
        else f"< {RITMI[0]:g}/s",
    }
    for ritmo, corsa in per_ritmo.items():
        p95 = corsa["page_to_hydrated"]["p95_ms"]
        cifre[f"p95 page → hydrated at {ritmo:g}/s"] = f"{ms(p95)} ms, {corsa['errors']} err"
    cifre["p95 hydration, 500 at once"] = (
        f"{ms(insieme['hydration']['p95_ms'])} ms "
        f"(page→hydr. {ms(insieme['page_to_hydrated']['p95_ms'])})"
    )
    cifre["publish → 1,000 open pages, p95"] = (
        f"{ms(pubblica['p95_ms'])} ms (max {ms(pubblica['max_ms'])})"
    )
    cifre["Redis memory per visitor"] = "-" if redis is None else f"{redis:.1f} KiB"
    return cifre


def stampa(risultati: dict[str, dict[str, Any]]) -> None:
    """The figures of both topologies side by side, then every run in full."""
    cifre = {nome: _cifre(corse) for nome, corse in risultati.items()}
    nomi = list(cifre)
    print(f"\n== make run against make prod, on this machine ({VISITATORI} visitors) ==")
    print(f"{'':56}" + "".join(f"{n:>30}" for n in nomi))
    for chiave in cifre[nomi[0]]:
        print(f"{chiave:56}" + "".join(f"{cifre[n][chiave]:>30}" for n in nomi))
    for nome, corse in risultati.items():
        print(f"\n-- {nome}: every run --")
        for corsa in corse.values():
            carico.stampa(corsa)


if __name__ == "__main__":
    stampa(misura())
