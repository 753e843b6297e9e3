"""The visitors of `carico.py` played by Locust, to compare the load generators' own CPU.

Each Locust user is one visitor: it loads `/` and the same assets (Locust's FastHttpUser, one
after the other: fetched six at a time through a gevent pool, a fifth of the visits stalled
for about 27 s), then opens the websocket and hydrates with the project's raw Socket.IO
client (`tests.support.cliente.ClienteGrezzo`, asyncio). Locust runs on gevent, the client on
asyncio: the client's coroutines run on one asyncio loop in a thread of its own, and each user
waits for its visit's coroutine without blocking the other greenlets. Prints the load
generator's CPU per simulated visitor, measured as `carico.py` measures it (psutil, from the
first arrival until every visitor has hydrated or failed).

Not part of `make bench`, and Locust is not a dependency of the project: run it from a
separate venv holding Locust, python-socketio and aiohttp, which finds the project's other
packages in `.venv` after its own:

    python3 -m venv /work/venv-locust
    /work/venv-locust/bin/pip install locust python-socketio aiohttp
    /work/venv-locust/bin/python scripts/locust_visitatori.py --url http://127.0.0.1:3000 \\
        --visitors 300 --arrival-rate 100
"""

import locust  # noqa: F401, I001 (first: it patches the standard library for gevent)

import argparse
import asyncio
import site
import sys
import time
from pathlib import Path

import aiohttp
import gevent
import gevent.event
import psutil
from gevent import monkey
from locust import FastHttpUser, task
from locust.env import Environment

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
site.addsitedir(str(ROOT / ".venv" / "lib" / f"python{sys.version[:4]}" / "site-packages"))

from scripts.carico import ATTESA_S, Avvio, leggi_avvio, riassunto  # noqa: E402
from tests.support.cliente import ClienteGrezzo  # noqa: E402

_HUB = gevent.get_hub()
_LOOP = asyncio.SelectorEventLoop(monkey.get_original("selectors", "EpollSelector")())
_SVEGLIA = _HUB.loop.async_()  # keeps the hub waiting for the asyncio thread's callbacks
_SVEGLIA.start(lambda: None)


def esegui(coro):
    """Run `coro` on the asyncio thread; this greenlet waits, the others run meanwhile."""
    esito = gevent.event.AsyncResult()

    async def avvolta():
        try:
            risultato = await coro
        except BaseException as errore:  # handed to the waiting greenlet
            _HUB.loop.run_callback_threadsafe(esito.set_exception, errore)
        else:
            _HUB.loop.run_callback_threadsafe(esito.set, risultato)

    _LOOP.call_soon_threadsafe(lambda: _LOOP.create_task(avvolta()))
    return esito.get()


class Visitatore(FastHttpUser):
    """One visitor: the page and its assets, then the websocket until the run ends."""

    avvio = Avvio()
    fine = gevent.event.Event()
    tempi: list[float] = []
    errori: list[str] = []
    tab: list[ClienteGrezzo] = []
    ws: aiohttp.ClientSession

    @task
    def visita(self) -> None:
        inizio = time.perf_counter()
        try:
            self.client.get("/", headers={"Accept-Encoding": "br, gzip"})
            for percorso in self.avvio.assets:  # one after the other (see the docstring)
                self.client.get(percorso, headers={"Accept-Encoding": "br, gzip"})
            cliente = ClienteGrezzo(self.host, http=self.ws)
            Visitatore.tab.append(cliente)
            esegui(
                cliente.connetti(
                    intestazioni={"Accept-Encoding": "gzip, deflate, br"},
                    hashes=self.avvio.hashes,
                    schema=self.avvio.schema,
                    attesa=ATTESA_S,
                )
            )
            Visitatore.tempi.append(time.perf_counter() - inizio)
        except Exception as errore:
            Visitatore.errori.append(f"{type(errore).__name__}: {errore}"[:100])
        self.fine.wait()  # stay on the page until the run ends


async def chiudi_tutti() -> None:
    """Close every visitor's websocket, then the shared HTTP session."""
    await asyncio.gather(*(c.chiudi() for c in Visitatore.tab), return_exceptions=True)
    await Visitatore.ws.close()


async def sessione_ws() -> aiohttp.ClientSession:
    """The HTTP session every websocket shares, as in `carico.Folla`."""
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=0), cookie_jar=aiohttp.DummyCookieJar()
    )


def cpu_s() -> float:
    """CPU seconds this process (every thread) has used so far."""
    t = psutil.Process().cpu_times()
    return t.user + t.system


def main() -> int:
    """Play the visitors with Locust and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="a running app (127.0.0.1: no DNS)")
    parser.add_argument("--visitors", type=int, default=300)
    parser.add_argument("--arrival-rate", type=float, default=100.0)
    args = parser.parse_args()
    url = args.url.rstrip("/")
    monkey.get_original("_thread", "start_new_thread")(_LOOP.run_forever, ())
    Visitatore.avvio = esegui(leggi_avvio(url))
    Visitatore.ws = esegui(sessione_ws())
    Visitatore.host = url
    ambiente = Environment(user_classes=[Visitatore])
    corridore = ambiente.create_local_runner()
    prima, inizio = cpu_s(), time.monotonic()
    corridore.start(args.visitors, spawn_rate=args.arrival_rate)
    scadenza = inizio + args.visitors / args.arrival_rate + 120
    while len(Visitatore.tempi) + len(Visitatore.errori) < args.visitors:
        if time.monotonic() > scadenza:
            break
        gevent.sleep(0.05)
    cpu = cpu_s() - prima
    Visitatore.fine.set()
    corridore.quit()
    esegui(chiudi_tutti())
    print(f"visitors                        {args.visitors}")
    print(f"page_to_hydrated                {riassunto(Visitatore.tempi)}")
    print(f"errors                          {len(Visitatore.errori)} {Visitatore.errori[:3]}")
    print(f"generator_cpu_ms_per_visitor    {cpu * 1000 / args.visitors}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
