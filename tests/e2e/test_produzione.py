"""`make prod`'s own properties: a publish reaches the visitors of every app process, the page
is built again once per publish whoever handled it, and `serena` from the project folder works
on the production database."""

import re
import subprocess
import time
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, expect
from sqlmodel import Session

from serena_app.db import crea_engine
from serena_app.pubblicazione.archivio import Archivio
from tests.e2e.conftest import STAFF_PASSWORD, VIEWPORTS, crea_account
from tests.e2e.pages.staff import PaginaInModifica, accedi
from tests.factories import ripristina_contenuto
from tests.support.produzione import Produzione, processo_di, token_di, visitatore_altrove
from tests.support.server import BIN

ENTRO_S = 1.0  # a publish reaches every open page within this
PUBBLICAZIONE_IN_HTML_S = 10.0


@pytest.fixture
def redattore(browser: Browser, produzione: Produzione, contenuto) -> Iterator[PaginaInModifica]:
    crea_account(produzione.db_url, "carla")
    contesto = browser.new_context(base_url=produzione.url, viewport=VIEWPORTS["desktop"])
    pagina = contesto.new_page()
    accedi(pagina, "carla", STAFF_PASSWORD)
    yield PaginaInModifica(pagina, contenuto).apri().attiva_modifica()
    contesto.close()
    engine = crea_engine(produzione.db_url)
    with Session(engine) as session:
        ripristina_contenuto(session, contenuto)
    engine.dispose()
    Archivio(produzione.build).dimentica()


def test_a_publish_reaches_a_visitor_on_another_process_within_a_second_and_builds_once(
    redattore: PaginaInModifica, browser: Browser, produzione: Produzione
):
    processo_staff = processo_di(produzione.redis_url, token_di(redattore.page))
    visitatore = visitatore_altrove(browser, produzione, processo_staff)
    processo_visitatore = processo_di(produzione.redis_url, token_di(visitatore))
    assert processo_staff and processo_visitatore and processo_staff != processo_visitatore
    # `make bench` sums the CPU of these processes: each is named once.
    assert len(produzione.porte_app()) == len(set(produzione.porte_app())) == 2

    testo = "La vision, pubblicata da un processo e letta su un altro."
    redattore.page.get_by_role("button", name="Modifica vision").click()
    redattore.campo("Testo: vision").fill(testo)
    redattore.salva()
    expect(redattore.sezione("vision")).to_contain_text(testo)
    redattore.page.get_by_role("button", name="Pubblica", exact=True).click()
    redattore.page.get_by_role("button", name="Pubblica ora").click()
    expect(redattore.annuncio).to_contain_text("Pubblicata")
    inizio = time.monotonic()
    expect(visitatore.locator("#vision")).to_contain_text(testo, timeout=ENTRO_S * 1000)
    print(f"\npublish → visitor on the other process: {time.monotonic() - inizio:.2f} s")

    fine = time.monotonic() + PUBBLICAZIONE_IN_HTML_S
    while testo not in httpx.get(f"{produzione.url}/").text:
        assert time.monotonic() < fine, "the front server still serves the older page"
        time.sleep(0.2)
    print(f"publish → HTML served by Caddy: {time.monotonic() - inizio:.1f} s")
    costruzioni = re.findall(r"pagina servita aggiornata al contenuto (\d+)", produzione.log_text())
    assert len(costruzioni) == len(set(costruzioni)), costruzioni  # no content built twice
    visitatore.context.close()


def test_serena_from_the_project_folder_works_on_the_production_database(produzione):
    crea_account(produzione.db_url, "dario")
    elenco = subprocess.run(
        [str(BIN / "serena"), "list-staff"],
        cwd=produzione.radice,
        env={"PATH": f"{BIN}:/usr/bin:/bin"},  # no DATABASE_URL: the settings file says
        capture_output=True,
        text=True,
        check=True,
    )
    assert "dario\tresponsabile\tattivo" in elenco.stdout
    assert "Database di produzione" in elenco.stderr
