"""After "Pubblica" the HTML the server sends carries the new content, without a restart, and
nobody loading the page in the meantime gets an error or a page with missing assets."""

import os
import re
import subprocess
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from serena_app.contenuto import bozze
from serena_app.pubblicazione.build import Archivio
from tests.e2e.conftest import ATTESA_BUILD_S, attendi_build, html_pubblicato
from tests.e2e.pages.chi_siamo import PaginaChiSiamo
from tests.e2e.pages.staff import PaginaInModifica, accedi
from tests.factories import salva_mission
from tests.support.produzione import Produzione
from tests.support.server import BIN, Server


@pytest.fixture
def redattore(pagina: Page, staff, contenuto, db, server: Server) -> Iterator[PaginaInModifica]:
    accedi(pagina, "anna", staff["anna"])
    yield PaginaInModifica(pagina, contenuto).apri().attiva_modifica()
    # `db` puts the content file back; the startup build, made from it, is served again.
    Archivio(server.pubblicazioni).dimentica()


def _pubblica(redattore: PaginaInModifica, chiave: str, testo: str) -> None:
    redattore.page.get_by_role("button", name=f"Modifica {chiave}").click()
    redattore.campo(f"Testo: {chiave}").fill(testo)
    redattore.salva()
    expect(redattore.sezione(chiave)).to_contain_text(testo)
    redattore.page.get_by_role("button", name="Pubblica", exact=True).click()
    redattore.page.get_by_role("button", name="Pubblica ora").click()
    expect(redattore.annuncio).to_contain_text("Pubblicata")


def test_after_pubblica_the_served_html_carries_the_new_text(
    redattore: PaginaInModifica, browser: Browser, server: Server, db
):
    """The served HTML carries the new text: under `make run` from the first GET after
    "Pubblica" (a page asked for while the new build runs waits for it), behind `make prod`'s
    front server within the target."""
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


def test_pages_and_assets_answer_200_during_five_publishes(
    redattore: PaginaInModifica, server: Server, db
):
    """A visitor reloads `/` and every asset it names in a loop meanwhile; a page opened
    before the publishes can still load every asset it named."""
    risposte: list[tuple[str, int]] = []
    basta = threading.Event()
    prima = set(re.findall(r'"(/assets/[\w.-]+)"', httpx.get(f"{server.url}/").text))

    def visitatore() -> None:
        with httpx.Client(base_url=server.url, timeout=10) as client:
            while not basta.is_set():
                html = client.get("/")
                risposte.append(("/", html.status_code))
                for risorsa in set(re.findall(r'"(/assets/[\w.-]+)"', html.text)):
                    risposte.append((risorsa, client.get(risorsa).status_code))

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
    falliti = [r for r in risposte if r[1] != 200]
    assert falliti == []
    assert len(risposte) > 20
    assert prima
    assert [r for r in prima if httpx.get(f"{server.url}{r}").status_code != 200] == []


def _serena_publish(server: Server, cartella) -> subprocess.CompletedProcess:
    """`serena publish` as someone at the server's terminal runs it: in `make prod`'s project
    folder (its settings file names the database and Redis), or with `DATABASE_URL`."""
    ambiente = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    if isinstance(server, Produzione):
        cartella = server.radice
    else:
        ambiente["DATABASE_URL"] = server.db_url
    return subprocess.run(
        [str(BIN / "serena"), "publish"],
        cwd=cartella,
        env=ambiente,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_serena_publish_reaches_open_pages_and_the_served_html(
    pagina: Page, contenuto, server: Server, db, tmp_path
):
    """`serena publish` from a terminal does what "Pubblica ora" does: the open page shows
    the drafts live, and the served HTML carries them; with no draft left it refuses."""
    visitatore = PaginaChiSiamo(pagina, contenuto).apri()
    testo = "La mission pubblicata dal terminale, senza aprire il sito."
    bozze.apri(session=db, spazio=bozze.SITO)
    salva_mission(db, testo)
    try:
        uscita = _serena_publish(server, tmp_path)
        assert uscita.returncode == 0, uscita.stderr
        assert "Pubblicata 1 modifica" in uscita.stdout
        assert "Mission" in uscita.stdout or "mission" in uscita.stdout
        expect(visitatore.sezione("mission")).to_contain_text(testo)
        fine = time.monotonic() + ATTESA_BUILD_S
        while testo not in httpx.get(f"{server.url}/").text:
            assert time.monotonic() < fine, "the served HTML never carried the publish"
            time.sleep(0.2)
        ancora = _serena_publish(server, tmp_path)
        assert ancora.returncode == 1
        assert "niente da pubblicare" in ancora.stderr
        attendi_build(server, db)
    finally:
        Archivio(server.pubblicazioni).dimentica()
