"""After "Pubblica" the HTML the server sends carries the new content, without a restart, and
nobody loading the page in the meantime gets an error or a page with missing assets."""

import re
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from serena_app.pubblicazione import Archivio
from tests.e2e.conftest import attendi_build, html_pubblicato
from tests.e2e.pages.staff import PaginaInModifica, accedi
from tests.support.server import Server


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
    errori: list[Exception] = []  # the visitor's: a request that timed out or failed
    basta = threading.Event()
    prima = set(re.findall(r'"(/assets/[\w.-]+)"', httpx.get(f"{server.url}/").text))

    def visitatore() -> None:
        try:
            with httpx.Client(base_url=server.url, timeout=10) as client:
                while not basta.is_set():
                    html = client.get("/")
                    risposte.append(("/", html.status_code))
                    for risorsa in set(re.findall(r'"(/assets/[\w.-]+)"', html.text)):
                        risposte.append((risorsa, client.get(risorsa).status_code))
        except Exception as errore:  # the test raises it: a visitor left without an answer
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
    falliti = [r for r in risposte if r[1] != 200]
    assert falliti == []
    assert len(risposte) > 20
    assert prima
    assert [r for r in prima if httpx.get(f"{server.url}{r}").status_code != 200] == []
