"""Two machines that share only the database and Redis: a publish made through one is served,
complete, by the other. Each app server runs from its own copy of the tree and keeps its
builds in its own folder; each builds the HTML it serves when the publish is notified
(`pubblicazione/notifica.py`, `pubblicazione/build.py`). Neither server may log an error,
from its start on (`tests/support/registro_server.py`). One pair of servers for the module:
starting one takes a minute or two."""

import contextlib
import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from serena_app.produzione.redis_proprio import Redis
from serena_app.pubblicazione.archivio import Archivio
from tests.support.asincrono import esegui
from tests.support.cliente import ClienteGrezzo
from tests.support.copia import copia_albero
from tests.support.postgres import server_postgres
from tests.support.redazione import in_modifica, pubblica, salva, sessione_staff
from tests.support.server import Server, avvia_app, porta_libera

ATTESA_S = 60.0  # a bound: the other machine's build takes a few seconds
ASSET = re.compile(r"/assets/[\w.-]+\.(?:js|css)")


@contextlib.contextmanager
def redis_usa_e_getta(cartella: Path) -> Iterator[str]:
    """A Redis server from Debian's binary on a free port, stopped at the end; its URL."""
    redis = Redis(cartella, porta_libera())
    try:
        yield redis.avvia()
    finally:
        redis.ferma()


@pytest.fixture(scope="module")
def macchine(tmp_path_factory) -> Iterator[tuple[Server, Server]]:
    """Two app servers, each from its own copy of the tree with its own build folder, sharing
    a PostgreSQL database and a Redis."""
    with contextlib.ExitStack() as pila:
        db_url = pila.enter_context(server_postgres())
        redis_url = pila.enter_context(redis_usa_e_getta(tmp_path_factory.mktemp("redis")))
        avviati = []
        for nome in ("a", "b"):
            radice = tmp_path_factory.mktemp(f"macchina-{nome}")
            copia_albero(radice / "albero")
            (radice / "lavoro").mkdir()
            avviati.append(
                pila.enter_context(
                    avvia_app(
                        radice / "lavoro",
                        db_url,
                        root=radice / "albero",
                        extra_env={"REDIS_URL": redis_url},
                    )
                )
            )
        yield avviati[0], avviati[1]


async def _pubblica(url: str, segreto: str, testo: str) -> None:
    """Through the app at `url`, as its staff page does: edit mode, the vision saved as a
    draft, then published."""
    async with ClienteGrezzo(url) as staff:
        await staff.connetti(segreto=segreto)
        await in_modifica(staff)
        await salva(staff, "vision", testo)
        await pubblica(staff)


def test_a_publish_made_through_one_machine_is_served_complete_by_the_other(macchine):
    a, b = macchine
    assert not a.build.is_relative_to(b.build.parent)  # nothing shared on disk
    testo = "Una vision pubblicata da una macchina e servita dall’altra."
    assert testo not in httpx.get(f"{b.url}/").text
    esegui(_pubblica(a.url, sessione_staff(a.db_url), testo))
    inizio = time.monotonic()
    while testo not in (html := httpx.get(f"{b.url}/").text):
        assert time.monotonic() - inizio < ATTESA_S, b.log_text()[-3000:]
        time.sleep(0.1)
    print(f"\npublish through A → served by B: {time.monotonic() - inizio:.1f} s")
    assets = set(ASSET.findall(html))
    assert assets
    assert {r: httpx.get(f"{b.url}{r}").status_code for r in assets} == dict.fromkeys(assets, 200)
    indirizzo_b = b.url.replace("http", "ws", 1) + "/_event"  # what B's pages connect to
    assert Archivio(b.build, indirizzo_b).corrente() is not None  # B built it, in its folder
