"""The hosts of several machines (`tests/support/macchine.py`), started once for the run of
this folder, and what the tests use on them: a staff account, a Chromium that finds the site's
name at the edge, pages whose websocket a given app host holds."""

import time
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlmodel import Session, select

from serena_app.contenuto.pagina import BOZZA
from serena_app.db import crea_engine
from serena_app.models import Sezione
from serena_app.produzione.caddy import SALUTE_S
from tests.e2e.conftest import crea_account
from tests.support.asincrono import esegui
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS, VIEWPORTS
from tests.support.cliente import ClienteGrezzo
from tests.support.interruzioni import OSSERVA_INTERRUZIONI
from tests.support.macchine import SITO, Macchine, macchine
from tests.support.produzione import processo_di, token_di
from tests.support.redazione import sessione_staff

ATTESA_S = 60.0
ORIGINE = {"Origin": SITO}  # what the built page sends: the only origin the hosts accept


@pytest.fixture(scope="package")  # torn down after this folder's last test
def ospiti() -> Iterator[Macchine]:
    with macchine() as avviate:
        crea_account(avviate.database_url, "elena")
        yield avviate


@pytest.fixture(scope="package")  # torn down after this folder's last test
def browser_macchine(playwright, ospiti: Macchine) -> Iterator[Browser]:
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, ospiti.regola_nomi]
    )
    yield browser
    browser.close()


def istanza(ospiti: Macchine, nome: str) -> str:
    """The Reflex instance id of the app process of host `nome` (one per host here): a raw
    client connected to that host's own Caddy, and Reflex's record of its socket."""

    async def chiedi() -> str | None:
        async with ClienteGrezzo(ospiti.url(nome)) as cliente:
            await cliente.connetti(intestazioni={"Origin": SITO})
            token = cliente.token_nuovo or cliente.token_client
            return processo_di(ospiti.redis_url, token)

    trovata = esegui(chiedi(), ATTESA_S)
    assert trovata is not None
    return trovata


def nuova_pagina(browser: Browser) -> Page:
    """A desktop tab on the site, through the edge (its certificate is Caddy's own CA)."""
    contesto = browser.new_context(
        base_url=SITO, ignore_https_errors=True, viewport=VIEWPORTS["desktop"]
    )
    contesto.add_init_script(OSSERVA_INTERRUZIONI)
    return contesto.new_page()


def pagina_su(
    browser: Browser, ospiti: Macchine, nome: str, contesto: BrowserContext | None = None
) -> Page:
    """A hydrated page, opened through the edge (in `contesto`, or a new one), whose
    websocket is held by host `nome`: the edge chooses, so pages are opened until one lands
    there."""
    voluta = istanza(ospiti, nome)
    fine = time.monotonic() + ATTESA_S
    while time.monotonic() < fine:
        if contesto is not None:
            contesto.clear_cookies()  # the edge's cookie would send it to the same host again
        pagina = nuova_pagina(browser) if contesto is None else contesto.new_page()
        pagina.goto("/")
        expect(pagina.locator("main")).to_have_attribute("data-idratata", "true")
        if processo_di(ospiti.redis_url, token_di(pagina)) == voluta:
            return pagina
        if contesto is None:
            pagina.context.close()
        else:
            pagina.close()
    msg = f"for {ATTESA_S:.0f} s no page landed on host {nome}"
    raise AssertionError(msg)


@pytest.fixture(scope="package")  # torn down after this folder's last test
def segreto(ospiti: Macchine) -> str:
    """The secret of a live staff session, made in the shared database."""
    return sessione_staff(ospiti.database_url)


def nel_database(ospiti: Macchine, chiave: str, pagina=BOZZA) -> str | None:
    """The section's text on `pagina` (None: the working copy has none of its own yet)."""
    engine = crea_engine(ospiti.database_url)
    try:
        with Session(engine) as session:
            return session.exec(
                select(Sezione.testo).where(Sezione.pagina == pagina.nome, Sezione.chiave == chiave)
            ).first()
    finally:
        engine.dispose()


def attendi_html(ospiti: Macchine, nome: str, testo: str, inizio: float) -> float:
    """Until host `nome`'s own Caddy serves `testo` in its page; how long since `inizio`."""
    while testo not in httpx.get(f"{ospiti.url(nome)}/", timeout=5).text:
        assert time.perf_counter() - inizio < ATTESA_S, ospiti.log(nome)[-3000:]
        time.sleep(0.05)
    return time.perf_counter() - inizio


def attendi(condizione, attesa: float = ATTESA_S) -> None:
    """Until `condizione()` holds (bounded)."""
    fine = time.monotonic() + attesa
    while not condizione():
        assert time.monotonic() < fine
        time.sleep(SALUTE_S / 4)
