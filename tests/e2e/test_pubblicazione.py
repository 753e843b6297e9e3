"""After "Pubblica" the HTML the server sends carries the new content, without a restart;
nobody loading the page in the meantime waits, gets an error or a page with missing assets,
and a page opened before the new HTML is served shows the new text once it is hydrated."""

import contextlib
import fcntl
import re
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from serena_app.contenuto import bozze
from serena_app.contenuto.pagina import SITO
from serena_app.pubblicazione.archivio import Archivio
from tests.e2e.conftest import (
    ATTESA_BUILD_S,
    attendi_build,
    html_pubblicato,
    serena_publish,
)
from tests.e2e.pages.chi_siamo import PaginaChiSiamo
from tests.e2e.pages.staff import PaginaInModifica, accedi
from tests.factories import salva_mission
from tests.support.server import Server

RISPOSTA_S = 1.0  # the longest a visitor's request may take while builds run
DOPO_IDRATAZIONE_S = 1.0  # from hydration to the new text, on a page served before the build


@pytest.fixture
def redattore(pagina: Page, staff, contenuto, db, server: Server) -> Iterator[PaginaInModifica]:
    accedi(pagina, "anna", staff["anna"])
    yield PaginaInModifica(pagina, contenuto).apri().attiva_modifica()
    # `db` puts the content file back; the startup build, made from it, is served again.
    Archivio(server.build).dimentica()


def _pubblica(redattore: PaginaInModifica, chiave: str, testo: str) -> None:
    redattore.page.get_by_role("button", name=f"Modifica {chiave}").click()
    redattore.campo(f"Testo: {chiave}").fill(testo)
    redattore.salva()
    expect(redattore.sezione(chiave)).to_contain_text(testo)
    redattore.page.get_by_role("button", name="Pubblica", exact=True).click()
    redattore.page.get_by_role("button", name="Pubblica ora").click()
    expect(redattore.annuncio).to_contain_text("Pubblicata")


@contextlib.contextmanager
def build_trattenuta(server: Server) -> Iterator[None]:
    """Hold the archive's build lock, as another process building would: the server's
    next build waits until the block ends."""
    server.build.mkdir(parents=True, exist_ok=True)
    with (server.build / ".costruzione.lock").open("a") as file:
        fcntl.flock(file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(file, fcntl.LOCK_UN)


def test_after_pubblica_the_served_html_carries_the_new_text(
    redattore: PaginaInModifica, browser: Browser, server: Server, db
):
    """The served HTML carries the new text within the target, also without JavaScript."""
    testo = "La vision pubblicata arriva anche nell’HTML servito."
    assert testo not in httpx.get(f"{server.url}/").text
    _pubblica(redattore, "vision", testo)
    inizio = time.monotonic()
    html_pubblicato(server, testo)
    print(f"\npublish → served HTML: {time.monotonic() - inizio:.1f} s")
    sitemap = httpx.get(f"{server.url}/sitemap.xml").text
    assert f"<lastmod>{datetime.now(UTC):%Y-%m-%d}" in sitemap  # the publish's time
    senza_js = browser.new_context(base_url=server.url, java_script_enabled=False)
    pagina = senza_js.new_page()
    pagina.goto("/")
    expect(pagina.get_by_text(testo)).to_be_visible()
    senza_js.close()
    attendi_build(server, db)


def test_a_page_loaded_before_the_new_html_shows_the_new_text_once_hydrated(
    redattore: PaginaInModifica, browser: Browser, server: Server, contenuto, db
):
    """Between a publish and the end of its build the previous HTML is served at once; a
    browser shows the new text as soon as the page is hydrated (its `on_load` event brings
    it), a browser without JavaScript the previous text until the build is done. Neither
    page, nor the new build's page once served, logs an error."""
    testo = "Una vision pubblicata mentre la pagina si costruisce."
    precedente = contenuto["sezioni"]["vision"].split("\n")[0][:40]
    senza_js = browser.new_context(base_url=server.url, java_script_enabled=False)
    visitatore = browser.new_context(base_url=server.url, locale="it-IT")
    errori: list[str] = []
    try:
        pagina = visitatore.new_page()
        pagina.on("console", lambda m: errori.append(m.text) if m.type == "error" else None)
        pagina.on("pageerror", lambda e: errori.append(str(e)))
        pagina_senza_js = senza_js.new_page()
        with build_trattenuta(server):
            _pubblica(redattore, "vision", testo)
            risposta = pagina.goto("/")
            assert testo not in risposta.text()  # the previous HTML, served during the build
            expect(pagina.locator("main")).to_have_attribute("data-idratata", "true")
            expect(pagina.get_by_text(testo)).to_be_visible(timeout=DOPO_IDRATAZIONE_S * 1000)
            pagina_senza_js.goto("/")
            expect(pagina_senza_js.get_by_text(precedente)).to_be_visible()
            expect(pagina_senza_js.get_by_text(testo)).to_have_count(0)
        html_pubblicato(server, testo)
        pagina_senza_js.goto("/")
        expect(pagina_senza_js.get_by_text(testo)).to_be_visible()
        assert testo in pagina.goto("/").text()
        expect(pagina.locator("main")).to_have_attribute("data-idratata", "true")
        expect(pagina.get_by_text(testo)).to_be_visible()
    finally:
        senza_js.close()
        visitatore.close()
    assert errori == []
    attendi_build(server, db)


def test_pages_and_assets_answer_200_during_five_publishes(
    redattore: PaginaInModifica, server: Server, db
):
    """A visitor reloads `/` and every asset it names in a loop meanwhile: each answer is a
    200 within `RISPOSTA_S` (nobody waits for a build); a page opened before the publishes
    can still load every asset it named."""
    risposte: list[tuple[str, int, float]] = []
    errori: list[BaseException] = []
    basta = threading.Event()
    prima = set(re.findall(r'"(/assets/[\w.-]+)"', httpx.get(f"{server.url}/").text))

    def visitatore() -> None:
        def chiedi(client: httpx.Client, percorso: str) -> httpx.Response:
            inizio = time.monotonic()
            risposta = client.get(percorso)
            risposte.append((percorso, risposta.status_code, time.monotonic() - inizio))
            return risposta

        try:
            with httpx.Client(base_url=server.url, timeout=10) as client:
                while not basta.is_set():
                    html = chiedi(client, "/")
                    for risorsa in set(re.findall(r'"(/assets/[\w.-]+)"', html.text)):
                        chiedi(client, risorsa)
        except BaseException as errore:  # the test fails on it below
            errori.append(errore)

    filo = threading.Thread(target=visitatore)
    filo.start()
    try:
        for numero in range(1, 6):
            _pubblica(redattore, "vision", f"Vision numero {numero}.")
        attendi_build(server, db)
        assert "Vision numero 5." in httpx.get(f"{server.url}/").text
    finally:
        basta.set()
        filo.join(timeout=30)
    assert not filo.is_alive(), "the visitor still waits for an answer"
    if errori:
        raise errori[0]
    assert [r for r in risposte if r[1] != 200] == []
    assert [r for r in risposte if r[2] >= RISPOSTA_S] == []
    assert len(risposte) > 20
    assert prima
    assert [r for r in prima if httpx.get(f"{server.url}{r}").status_code != 200] == []


def test_serena_publish_reaches_open_pages_and_the_served_html(
    pagina: Page, contenuto, server: Server, db, tmp_path
):
    """`serena publish` from a terminal does what "Pubblica ora" does: the open page shows
    the drafts live, and the served HTML carries them; with no draft left it refuses."""
    visitatore = PaginaChiSiamo(pagina, contenuto).apri()
    testo = "La mission pubblicata dal terminale, senza aprire il sito."
    bozze.apri(session=db, spazio=SITO)
    salva_mission(db, testo)
    try:
        uscita = serena_publish(server, tmp_path)
        assert uscita.returncode == 0, uscita.stderr
        assert "Pubblicata 1 modifica" in uscita.stdout
        assert "Mission" in uscita.stdout or "mission" in uscita.stdout
        expect(visitatore.sezione("mission")).to_contain_text(testo)
        fine = time.monotonic() + ATTESA_BUILD_S
        while testo not in httpx.get(f"{server.url}/").text:
            assert time.monotonic() < fine, "the served HTML never carried the publish"
            time.sleep(0.2)
        ancora = serena_publish(server, tmp_path)
        assert ancora.returncode == 1
        assert "niente da pubblicare" in ancora.stderr
        attendi_build(server, db)
    finally:
        Archivio(server.build).dimentica()


SCRIPT = re.compile(r"(/assets/[\w.-]+\.js)")


def _script(server: Server, html: str) -> set[str]:
    """The scripts a page runs: those it names, and those its React Router manifest names
    (every route module and what they import)."""
    nomi = set(SCRIPT.findall(html))
    for manifesto in [nome for nome in nomi if nome.startswith("/assets/manifest-")]:
        nomi |= set(SCRIPT.findall(httpx.get(f"{server.url}{manifesto}").text))
    return nomi


def test_a_publish_serves_new_pages_with_the_same_scripts_and_they_hydrate_cleanly(
    pagina: Page, contenuto, server: Server, db, tmp_path
):
    """A publish renders the pages again and nothing else: the served page names the very
    scripts it named before (a browser's cache of them stays good), no script holds a text of
    the page (the initial state travels in the page), and the new page hydrates without an
    error and shows the publish."""
    script = _script(server, httpx.get(f"{server.url}/").text)
    # Control: the module Reflex compiles the initial state into is among them.
    assert any(nome.startswith("/assets/context-") for nome in script), script
    mission = contenuto["sezioni"]["mission"].split("\n")[-1]
    for indirizzo in script:
        assert mission not in httpx.get(f"{server.url}{indirizzo}").text, indirizzo
    testo = "La mission pubblicata senza ricostruire gli script."
    bozze.apri(session=db, spazio=SITO)
    salva_mission(db, testo)
    try:
        assert serena_publish(server, tmp_path).returncode == 0
        fine = time.monotonic() + ATTESA_BUILD_S
        while testo not in (dopo := httpx.get(f"{server.url}/").text):
            assert time.monotonic() < fine, "the served HTML never carried the publish"
            time.sleep(0.2)
        assert _script(server, dopo) == script
        errori: list[str] = []
        pagina.on("pageerror", lambda errore: errori.append(str(errore)))
        pagina.on("console", lambda m: errori.append(m.text) if m.type == "error" else None)
        visitatore = PaginaChiSiamo(pagina, contenuto).apri()
        expect(visitatore.sezione("mission")).to_contain_text(testo)
        expect(pagina.locator("main")).to_have_attribute("data-idratata", "true")
        assert errori == []
        attendi_build(server, db)
    finally:
        Archivio(server.build).dimentica()
