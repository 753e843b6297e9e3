"""The builds made after each publish (`serena_app/pubblicazione/build.py`, `archivio.py`),
on real folders: which one is served, that an older one never replaces a newer one, that
publishes made during a build are gathered into one more, and that a failed build keeps the
previous one, is reported and tried again. Here a stand-in for the build writes a page naming
the content it was asked for; the e2e tests run the real one."""

import asyncio
import gzip
import logging
import os
import time
from datetime import UTC, datetime
from pathlib import Path

import brotli
import httpx

from serena_app.pubblicazione.archivio import RIPOSO_S, Archivio
from serena_app.pubblicazione.build import (
    RICOSTRUZIONE_FALLITA,
    TENTATIVI,
    Ricostruzione,
    ricostruzione,
)
from serena_app.web.servizio import intestazioni
from tests.support.asincrono import esegui


def _client(cartella: Path, testo: str) -> Path:
    """A build's `client` folder: a page and one hashed asset named after `testo`."""
    client = cartella / "client"
    (client / "assets").mkdir(parents=True)
    (client / "index.html").write_text(f"<p>{testo}</p>", encoding="utf-8")
    (client / "assets" / f"pagina-{testo}.js").write_text("//", encoding="utf-8")
    return client


def _servita(archivio: Archivio) -> str:
    corrente = archivio.corrente()
    return "" if corrente is None else (corrente[1] / "index.html").read_text(encoding="utf-8")


def test_a_build_becomes_current_and_an_older_one_never_replaces_it(tmp_path):
    archivio = Archivio(tmp_path / "build")
    assert archivio.corrente() is None  # the startup build is served
    assert archivio.aggiungi(_client(tmp_path / "a", "v5"), 5)
    assert not archivio.aggiungi(_client(tmp_path / "b", "v4"), 4)
    assert _servita(archivio) == "<p>v5</p>"
    assert archivio.aggiungi(_client(tmp_path / "c", "v6"), 6)
    assert _servita(archivio) == "<p>v6</p>"
    # Every build's assets stay reachable for pages opened earlier.
    assert {p.name for p in archivio.assets.iterdir()} == {
        "pagina-v5.js",
        "pagina-v4.js",
        "pagina-v6.js",
    }
    archivio.dimentica()
    assert archivio.corrente() is None


def test_a_replaced_build_stays_for_requests_already_on_their_way(tmp_path):
    """A request finds the current build's file, then a publish makes another build current:
    the server still opens the file it found (granian opens it after Starlette's check), so
    the replaced build is removed only once it has rested `RIPOSO_S`."""
    archivio = Archivio(tmp_path / "build")
    archivio.aggiungi(_client(tmp_path / "a", "v1"), 1)
    trovata = archivio.corrente()[1] / "index.html"  # a request on its way
    archivio.aggiungi(_client(tmp_path / "b", "v2"), 2)
    assert trovata.read_text(encoding="utf-8") == "<p>v1</p>"
    assert _servita(archivio) == "<p>v2</p>"
    riposata = time.time() - RIPOSO_S - 1
    os.utime(trovata.parent, (riposata, riposata))
    archivio.aggiungi(_client(tmp_path / "c", "v3"), 3)
    assert not trovata.parent.exists()
    assert len([p for p in archivio.radice.iterdir() if p.name[0].isdigit()]) == 2


def test_a_build_is_served_only_at_the_address_it_was_made_for(tmp_path):
    """A build's page opens its websocket at the address it was built for: a server started
    at another one in the same checkout (without `serena prepare`) serves the build it made at
    start instead, and the next build it makes replaces the other's."""
    a_3000 = Archivio(tmp_path / "build", "ws://localhost:3000/_event")
    a_3001 = Archivio(tmp_path / "build", "ws://localhost:3001/_event")
    assert a_3000.aggiungi(_client(tmp_path / "a", "v5"), 5)
    assert _servita(a_3000) == "<p>v5</p>"
    assert a_3001.corrente() is None
    # Its own build is served, though made from an older content counter (another database).
    assert a_3001.aggiungi(_client(tmp_path / "b", "v4"), 4)
    assert _servita(a_3001) == "<p>v4</p>"
    assert a_3000.corrente() is None
    assert (a_3001.attuale / "index.html").read_text() == "<p>v4</p>"
    assert len([p for p in a_3001.radice.iterdir() if p.name[0].isdigit()]) == 2  # one rests
    # A build recorded without its address (made before they were recorded): never served.
    cartella = a_3001.corrente()[1]
    (a_3001.radice / "corrente").write_text(f"4 {cartella.name}\n", encoding="utf-8")
    assert a_3001.corrente() is None
    assert Archivio(a_3001.radice).corrente() is None  # this process's address: no other


def test_publishes_made_during_a_build_are_gathered_into_one_more(tmp_path):
    archivio = Archivio(tmp_path / "build")
    chieste: list[int] = []
    ricostruzione: Ricostruzione

    async def costruisci(lavoro: Path) -> Path:
        versione = ricostruzione._voluta  # what the database holds when the build reads it
        chieste.append(versione)
        if len(chieste) == 1:
            iniziata.set()
            await via.wait()  # the first build is slow: three publishes come meanwhile
        return _client(lavoro, f"v{versione}")

    async def prova() -> None:
        nonlocal ricostruzione, via, iniziata
        via, iniziata = asyncio.Event(), asyncio.Event()
        ricostruzione = Ricostruzione(archivio, costruisci)
        ricostruzione.richiedi(1)
        await iniziata.wait()
        for versione in (2, 3, 4):
            ricostruzione.richiedi(versione)
        via.set()
        await ricostruzione.attendi()

    via: asyncio.Event
    iniziata: asyncio.Event
    esegui(prova())
    assert chieste == [1, 4]
    assert _servita(archivio) == "<p>v4</p>"


def test_a_failed_build_keeps_the_page_served_is_reported_and_tried_again(tmp_path, caplog):
    archivio = Archivio(tmp_path / "build")
    archivio.aggiungi(_client(tmp_path / "prima", "v1"), 1)
    avvisi: list[str] = []
    tentativi = 0
    servita_durante_il_guasto = ""

    async def costruisci(lavoro: Path) -> Path:
        nonlocal tentativi, servita_durante_il_guasto
        tentativi += 1
        if tentativi == 1:
            raise RuntimeError("npm: out of memory")
        servita_durante_il_guasto = _servita(archivio)
        return _client(lavoro, "v2")

    async def avviso(testo: str) -> None:
        avvisi.append(testo)

    async def prova() -> None:
        ricostruzione = Ricostruzione(archivio, costruisci, attesa_riprova_s=0.01)
        ricostruzione.richiedi(2, avviso)
        await ricostruzione.attendi()

    with caplog.at_level(logging.WARNING, logger="serena_app.pubblicazione.build"):
        esegui(prova())
    assert servita_durante_il_guasto == "<p>v1</p>"
    # A failure that is tried again is a warning of one line; only giving up is an error.
    (riga,) = [r for r in caplog.records if "npm: out of memory" in r.getMessage()]
    assert riga.levelno == logging.WARNING
    assert riga.exc_info is None
    assert avvisi == [RICOSTRUZIONE_FALLITA]
    assert tentativi == 2
    assert _servita(archivio) == "<p>v2</p>"


def test_a_build_that_keeps_failing_gives_up_and_the_next_publish_tries_again(tmp_path, caplog):
    guasti = TENTATIVI
    archivio = Archivio(tmp_path / "build")
    tentativi = 0

    async def costruisci(lavoro: Path) -> Path:
        nonlocal tentativi
        tentativi += 1
        if tentativi <= guasti:
            raise RuntimeError("guasto")
        return _client(lavoro, f"tentativo {tentativi}")

    async def prova() -> None:
        ricostruzione = Ricostruzione(archivio, costruisci, attesa_riprova_s=0.01)
        ricostruzione.richiedi(1)
        await ricostruzione.attendi()
        assert archivio.corrente() is None
        ricostruzione.richiedi(2)
        await ricostruzione.attendi()

    with caplog.at_level(logging.WARNING, logger="serena_app.pubblicazione.build"):
        esegui(prova())
    assert _servita(archivio) == f"<p>tentativo {guasti + 1}</p>"
    livelli = [r.levelno for r in caplog.records if "non riuscita" in r.getMessage()]
    assert livelli == [logging.WARNING] * (guasti - 1) + [logging.ERROR]


def test_the_sitemap_of_a_build_says_when_it_was_published(tmp_path):
    client = _client(tmp_path / "a", "v1")
    sitemap = client / "sitemap.xml"
    sitemap.write_text("<urlset><url><loc>https://esempio.it/</loc></url></urlset>", "utf-8")
    (client / "sitemap.xml.gz").write_bytes(gzip.compress(b"vecchia"))
    archivio = Archivio(tmp_path / "build")
    archivio.aggiungi(client, 1, datetime(2026, 11, 30, 18, 5, tzinfo=UTC))
    servita = archivio.corrente()[1] / "sitemap.xml"
    atteso = (
        "<urlset><url><loc>https://esempio.it/</loc>"
        "<lastmod>2026-11-30T18:05:00+00:00</lastmod></url></urlset>"
    )
    assert servita.read_text(encoding="utf-8") == atteso
    assert gzip.decompress(servita.with_name("sitemap.xml.gz").read_bytes()).decode() == atteso


def test_processes_sharing_the_archive_build_one_at_a_time_and_each_content_once(tmp_path):
    """Two app processes (two `Ricostruzione`s, each with its own handle on the lock file)
    told of publishes at the same moment: their builds never overlap, and content already
    built by one is not built again by the other."""
    in_corso, sovrapposte, costruite = 0, 0, []

    async def costruisci(lavoro: Path) -> Path:
        nonlocal in_corso, sovrapposte
        in_corso += 1
        sovrapposte = max(sovrapposte, in_corso)
        await asyncio.sleep(0.05)
        costruite.append(lavoro)
        in_corso -= 1
        return _client(lavoro, "v3")

    async def prova() -> None:
        processi = [Ricostruzione(Archivio(tmp_path / "build"), costruisci) for _ in "ab"]
        for processo in processi:
            processo.richiedi(3)
        for processo in processi:
            await processo.attendi()

    esegui(prova())
    assert sovrapposte == 1
    assert len(costruite) == 1
    assert _servita(Archivio(tmp_path / "build")) == "<p>v3</p>"
    # What the front server of `make prod` serves:
    assert (tmp_path / "build" / "attuale" / "index.html").read_text() == "<p>v3</p>"


def test_a_front_server_serving_from_the_archive_always_finds_a_build(tmp_path):
    """`make prod`'s Caddy serves `attuale`: the startup build, each publish's build, and the
    startup build again once it is current again."""
    archivio = Archivio(tmp_path / "build")
    servita = lambda: (archivio.attuale / "index.html").read_text()  # noqa: E731
    archivio.iniziale(_client(tmp_path / "avvio", "avvio"))
    assert servita() == "<p>avvio</p>"
    archivio.aggiungi(_client(tmp_path / "uno", "v1"), 1)
    assert servita() == "<p>v1</p>"
    archivio.dimentica()
    assert servita() == "<p>avvio</p>"
    archivio.iniziale(_client(tmp_path / "riavvio", "riavvio"))  # the next `make prod`
    assert servita() == "<p>riavvio</p>"
    assert not list(archivio.radice.glob(".*-*"))  # no half-made or replaced folder is left


def test_a_page_asked_for_during_a_build_is_answered_at_once_with_the_previous_build(
    tmp_path, monkeypatch
):
    """Nobody waits for a build: while it runs, `/` is the previous publish's page, at once;
    once it is complete, the new one."""
    monkeypatch.setenv("SERENA_BUILD", str(tmp_path / "build"))
    ricostruzione.cache_clear()
    Archivio(tmp_path / "build").aggiungi(_client(tmp_path / "prima", "v1"), 1)
    via, iniziata = asyncio.Event(), asyncio.Event()

    async def costruisci(lavoro: Path) -> Path:
        iniziata.set()
        await via.wait()
        return _client(lavoro, "v2")

    async def app(scope, receive, send) -> None:  # what the app would answer
        await send({"type": "http.response.start", "status": 404, "headers": []})
        await send({"type": "http.response.body", "body": b"app"})

    async def prova() -> tuple[str, str]:
        processo = ricostruzione()
        processo._costruttore = costruisci
        trasporto = httpx.ASGITransport(app=intestazioni(app))
        async with httpx.AsyncClient(transport=trasporto, base_url="http://sito") as client:
            processo.richiedi(2)
            await asyncio.wait_for(iniziata.wait(), timeout=5)  # the build runs, and waits
            # The build cannot end before `via` is set, after this answer: a request held
            # for the build would time out here instead of being answered.
            durante = await asyncio.wait_for(client.get("/"), timeout=5)
            via.set()
            await processo.attendi()
            dopo = await client.get("/")
        return durante.text, dopo.text

    try:
        durante, dopo = esegui(prova())
    finally:
        ricostruzione.cache_clear()
    assert durante == "<p>v1</p>"
    assert dopo == "<p>v2</p>"


def test_a_build_serves_every_file_compressed_and_writes_known_assets_only_once(tmp_path):
    """The `.br` and `.gz` copies a browser gets hold the file's bytes, for the pages and for
    a new asset; an asset an earlier build already brought (same hashed name) is not written
    again."""
    archivio = Archivio(tmp_path / "build")
    codice = "export const testo = 'condiviso';\n" * 20
    for nome, testo in (("uno", "v1"), ("due", "v2")):
        client = _client(tmp_path / nome, testo)
        (client / "assets" / "condiviso-abc123.js").write_text(codice, encoding="utf-8")
        (client / "assets" / f"contesto-{testo}.js").write_text(codice + testo, encoding="utf-8")
        if nome == "uno":
            archivio.aggiungi(client, 1)
            condiviso = (archivio.assets / "condiviso-abc123.js.br").stat()
        else:
            archivio.aggiungi(client, 2)
    pagina = archivio.corrente()[1] / "index.html"
    assert brotli.decompress(pagina.with_name("index.html.br").read_bytes()) == b"<p>v2</p>"
    assert gzip.decompress(pagina.with_name("index.html.gz").read_bytes()) == b"<p>v2</p>"
    nuovo = archivio.assets / "contesto-v2.js"
    assert brotli.decompress(Path(f"{nuovo}.br").read_bytes()).decode() == codice + "v2"
    assert gzip.decompress(Path(f"{nuovo}.gz").read_bytes()).decode() == codice + "v2"
    rimasto = (archivio.assets / "condiviso-abc123.js.br").stat()
    assert (rimasto.st_ino, rimasto.st_mtime_ns) == (condiviso.st_ino, condiviso.st_mtime_ns)
    assert not list(archivio.assets.glob(".*"))  # no half-written copy is left
