"""Faults under `make prod`, each on the real topology (its own `serena prod`): an app process
killed, Redis restarted, PostgreSQL stopped during saves and publishes, the front server
restarted. In each, nothing that was acknowledged is lost."""

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, WebSocket, expect
from sqlmodel import Session, select

from serena_app.contenuto.pagina import BOZZA, PUBBLICATA
from serena_app.db import crea_engine
from serena_app.models import Sezione
from serena_app.state.guardia import DATABASE_NON_RISPONDE
from tests.e2e.conftest import STAFF_PASSWORD, VIEWPORTS, crea_account
from tests.e2e.pages.staff import PaginaInModifica, accedi
from tests.factories import ripristina_contenuto
from tests.support.interruzioni import INTERROTTA, OSSERVA_INTERRUZIONI
from tests.support.produzione import (
    Produzione,
    attendi_lease_rilasciato,
    discendenti,
    processi,
    processo_di,
    server_produzione,
    token_di,
    visitatore_altrove,
)
from tests.support.registro_server import LEASE_BREAKER

RICONNESSIONE_S = 5.0  # visitors of a killed process are back (hydrated) within this
AVVIO_S = 90.0  # an app process started again answers within this
WORKER_UCCISO = r"\[ERROR\] Unexpected exit from worker-\d+"  # granian, on the kill
pytestmark = pytest.mark.errori_attesi(LEASE_BREAKER)  # these tests stop Redis on purpose


@pytest.fixture(scope="module")
def guasti(tmp_path_factory) -> Iterator[Produzione]:
    with server_produzione(tmp_path_factory.mktemp("guasti")) as running:
        crea_account(running.db_url, "elena")
        yield running


@pytest.fixture
def db(guasti: Produzione, contenuto) -> Iterator[Session]:
    engine = crea_engine(guasti.db_url)
    with Session(engine) as session:
        yield session
        _attendi_app(guasti)
        ripristina_contenuto(session, contenuto)
    engine.dispose()


@pytest.fixture
def redattore(browser: Browser, guasti: Produzione, contenuto, db) -> Iterator[PaginaInModifica]:
    contesto = browser.new_context(base_url=guasti.url, viewport=VIEWPORTS["desktop"])
    pagina = contesto.new_page()
    pagina.add_init_script(OSSERVA_INTERRUZIONI)
    accedi(pagina, "elena", STAFF_PASSWORD)
    yield PaginaInModifica(pagina, contenuto).apri().attiva_modifica()
    contesto.close()


def _visitatore(browser: Browser, server: Produzione) -> Page:
    pagina = browser.new_context(base_url=server.url).new_page()
    pagina.add_init_script(OSSERVA_INTERRUZIONI)
    pagina.goto("/")
    expect(pagina.locator("main")).to_have_attribute("data-idratata", "true")
    return pagina


def _attendi_app(server: Produzione) -> None:
    """Until every app process answers (one started again after a kill takes seconds)."""
    fine = time.monotonic() + AVVIO_S
    for porta in server.porte_app():
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{porta}/ping", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < fine, f"the app process on {porta} did not come back"
            time.sleep(0.2)


def _testo(db: Session, chiave: str, pagina=BOZZA) -> str:
    db.expire_all()
    return db.exec(
        select(Sezione.testo).where(Sezione.pagina == pagina.nome, Sezione.chiave == chiave)
    ).one()


def _salva(redattore: PaginaInModifica, chiave: str, testo: str) -> None:
    redattore.page.get_by_role("button", name=f"Modifica {chiave}").click()
    redattore.campo(f"Testo: {chiave}").fill(testo)
    redattore.salva()
    expect(redattore.sezione(chiave)).to_contain_text(testo)


def _pubblica(redattore: PaginaInModifica) -> None:
    redattore.page.get_by_role("button", name="Pubblica", exact=True).click()
    redattore.page.get_by_role("button", name="Pubblica ora").click()


def _carico(server: Produzione, basta: threading.Event, errori: list[str]) -> None:
    """Visitors loading the page and its assets, and the health route, until `basta`."""
    with httpx.Client(base_url=server.url, timeout=10) as client:
        while not basta.is_set():
            for percorso in ("/", "/ping", "/favicon.svg"):
                try:
                    stato = client.get(percorso).status_code
                except httpx.HTTPError as errore:
                    errori.append(f"{percorso}: {errore!r}")
                    continue
                if stato != 200:
                    errori.append(f"{percorso}: {stato}")


@pytest.mark.errori_attesi(WORKER_UCCISO)
def test_kill_9_of_an_app_process_under_load(
    redattore: PaginaInModifica, browser: Browser, guasti: Produzione, db
):
    _salva(redattore, "mission", "Mission pubblicata prima del guasto.")
    _pubblica(redattore)
    expect(redattore.annuncio).to_contain_text("Pubblicat")
    _salva(redattore, "vision", "Vision in bozza prima del guasto.")

    visitatori = [_visitatore(browser, guasti) for _ in range(6)]
    pagine = [redattore.page, *visitatori]
    prima = {id(p): processo_di(guasti.redis_url, token_di(p)) for p in pagine}
    assert len(set(prima.values())) == 2, "every page landed on one process"

    basta, errori = threading.Event(), []
    carico = threading.Thread(target=_carico, args=(guasti, basta, errori))
    carico.start()
    try:
        vittima = guasti.pid_worker(guasti.porte_app()[0])
        inizio = time.monotonic()
        os.kill(vittima, signal.SIGKILL)
        # The pages of the killed process find another; the others stay where they are.
        spostate: set[int] = set()
        while time.monotonic() - inizio < RICONNESSIONE_S * 2:
            for p in pagine:
                ora = processo_di(guasti.redis_url, token_di(p))
                if ora not in (prima[id(p)], None):
                    spostate.add(id(p))
            persi = {prima[id(p)] for p in pagine if id(p) in spostate}
            if persi and all(id(p) in spostate for p in pagine if prima[id(p)] in persi):
                break
            time.sleep(0.1)
        riconnesse_in = time.monotonic() - inizio
    finally:
        basta.set()
        carico.join()
    print(f"\nkill -9 → its visitors on another process: {riconnesse_in:.1f} s")
    assert len(persi) == 1, "no page moved off the killed process"
    assert riconnesse_in <= RICONNESSIONE_S
    for p in pagine:
        expect(p.locator("main")).to_have_attribute("data-idratata", "true")
        expect(p.get_by_text(INTERROTTA)).to_have_count(0)
        if prima[id(p)] not in persi:  # on the other process: nothing happened to them
            assert p.evaluate("window.__interruzioni") == 0
    assert errori == []

    # Staff stay logged in, and what they were told was saved is there. A staff tab that
    # moved is a new state, out of edit mode: Reflex gives a new client token when the dead
    # process's record of the old one is still in Redis. Until that state is drawn the page
    # shows edit mode as it was, and a click there would reach the new state, which draws no
    # editor out of edit mode: "Modifica pagina" appears only once it is drawn.
    if prima[id(redattore.page)] in persi:
        redattore.attiva_modifica()
    else:
        expect(redattore.stato).to_be_visible()
    assert _testo(db, "mission", PUBBLICATA) == "Mission pubblicata prima del guasto."
    assert _testo(db, "vision") == "Vision in bozza prima del guasto."
    _salva(redattore, "vision", "Vision salvata dopo il guasto.")
    assert _testo(db, "vision") == "Vision salvata dopo il guasto."
    # Every visitor, moved or not, is live: the next publish reaches each within a second.
    _pubblica(redattore)
    expect(redattore.annuncio).to_contain_text("Pubblicat")
    for p in visitatori:
        expect(p.locator("#vision")).to_contain_text("dopo il guasto", timeout=1000)
    print(f"kill -9 → a publish reached every visitor again: {time.monotonic() - inizio:.1f} s")
    for p in visitatori:
        p.context.close()


def test_a_redis_restart_loses_no_content_and_logs_no_one_out(
    redattore: PaginaInModifica, browser: Browser, guasti: Produzione, db
):
    _salva(redattore, "mission", "Mission salvata prima del riavvio di Redis.")
    processo_staff = processo_di(guasti.redis_url, token_di(redattore.page))
    altrove = visitatore_altrove(browser, guasti, processo_staff, OSSERVA_INTERRUZIONI)

    guasti.riavvia_redis()

    # Changes notified after the restart still reach the other process's visitors.
    _salva(redattore, "vision", "Vision pubblicata dopo il riavvio di Redis.")
    _pubblica(redattore)
    expect(redattore.annuncio).to_contain_text("Pubblicat")
    expect(altrove.locator("#vision")).to_contain_text("Vision pubblicata dopo il riavvio")
    assert _testo(db, "mission") == "Mission salvata prima del riavvio di Redis."
    assert _testo(db, "vision", PUBBLICATA) == "Vision pubblicata dopo il riavvio di Redis."
    redattore.page.reload()
    expect(redattore.barra).to_be_visible()
    altrove.context.close()


def test_a_save_sent_while_redis_is_down_waits_for_it_and_lands(
    browser: Browser, guasti: Produzione, contenuto, db
):
    """A Redis restart is a short wait for the person on the page, not an error: the save
    sent while it is down (the tab's state cannot be read) waits for it, then is made."""
    testo = "Mission salvata mentre Redis ripartiva."
    contesto = browser.new_context(base_url=guasti.url, viewport=VIEWPORTS["desktop"])
    pagina = contesto.new_page()
    socket: list[WebSocket] = []
    pagina.on("websocket", lambda aperto: socket.append(aperto))
    accedi(pagina, "elena", STAFF_PASSWORD)
    redattore = PaginaInModifica(pagina, contenuto).apri().attiva_modifica()
    redattore.page.get_by_role("button", name="Modifica mission").click()
    redattore.campo("Testo: mission").fill(testo)
    # The app process keeps a tab's state a moment after its last event (Reflex's lease, 1 s):
    # the save must be the one that asks Redis for it.
    attendi_lease_rilasciato(guasti.redis_url, token_di(pagina))
    guasti.ferma_redis()
    try:
        with socket[-1].expect_event("framesent", lambda dati: ".salva" in str(dati)):
            redattore.salva()
    finally:
        guasti.avvia_redis()
    expect(redattore.annuncio).to_have_text("Testo della mission salvato.")
    expect(pagina.get_by_text("errore imprevisto")).to_have_count(0)
    assert _testo(db, "mission") == testo
    contesto.close()


def test_postgresql_down_during_saves_a_clear_message_nothing_changed_then_it_works(
    redattore: PaginaInModifica, guasti: Produzione, contenuto, db
):
    postgres = guasti.postgres()
    redattore.page.get_by_role("button", name="Modifica mission").click()
    campo = redattore.campo("Testo: mission")
    campo.fill("Mission scritta mentre il database è fermo.")
    postgres.ferma()
    try:
        redattore.salva()
        expect(redattore.barra.get_by_text(DATABASE_NON_RISPONDE)).to_be_visible()
        expect(campo).to_have_value("Mission scritta mentre il database è fermo.")
    finally:
        postgres.avvia()
    assert _testo(db, "mission") == contenuto["sezioni"]["mission"]
    redattore.salva()
    expect(redattore.annuncio).to_have_text("Testo della mission salvato.")
    assert _testo(db, "mission") == "Mission scritta mentre il database è fermo."


def test_postgresql_killed_during_a_publish_applies_all_of_it_or_none(
    redattore: PaginaInModifica, guasti: Produzione, contenuto, db
):
    nuovi = {c: f"{c.capitalize()}: pubblicazione interrotta." for c in ("mission", "vision")}
    for chiave, testo in nuovi.items():
        _salva(redattore, chiave, testo)
    postgres = guasti.postgres()
    redattore.page.get_by_role("button", name="Pubblica", exact=True).click()
    conferma = redattore.page.get_by_role("button", name="Pubblica ora")
    fermo = threading.Thread(target=postgres.ferma, args=("immediate",))
    conferma.click()
    fermo.start()
    fermo.join()
    try:
        esito = redattore.barra.get_by_text("Pubblicate 2 modifiche").or_(
            redattore.barra.get_by_text(DATABASE_NON_RISPONDE)
        )
        expect(esito).to_be_visible()
    finally:
        postgres.avvia()
    pubblicati = {chiave: _testo(db, chiave, PUBBLICATA) for chiave in nuovi}
    assert pubblicati in (nuovi, {c: contenuto["sezioni"][c] for c in nuovi}), pubblicati
    print(f"\nPostgreSQL killed during a publish: {'all' if pubblicati == nuovi else 'none'} of it")


def test_a_restart_of_the_front_server_and_open_pages_reconnect_by_themselves(
    redattore: PaginaInModifica, browser: Browser, guasti: Produzione, db
):
    visitatore = _visitatore(browser, guasti)
    config = str(guasti.var / "Caddyfile")
    caddy = next(p for p, riga in processi() if "caddy run" in riga and config in riga)
    os.kill(caddy, signal.SIGKILL)
    for p in (redattore.page, visitatore):
        p.wait_for_function("() => window.__interruzioni >= 1", timeout=10_000)
        expect(p.get_by_text(INTERROTTA)).to_have_count(0, timeout=20_000)
    _salva(redattore, "vision", "Vision salvata dopo il riavvio del server web.")
    _pubblica(redattore)
    expect(visitatore.locator("#vision")).to_contain_text("dopo il riavvio del server web")
    visitatore.context.close()


def test_kill_9_of_serena_prod_ends_every_process_it_started(browser: Browser, guasti: Produzione):
    """Last in this module: `make prod`'s `serena prod` killed with `kill -9` while visitors
    are connected takes PostgreSQL, Redis, Caddy, the app processes and granian's workers with
    it within 10 s (each is bound to it, `produzione/processi.py`); a new start on its port is
    then possible."""
    visitatori = [_visitatore(browser, guasti) for _ in range(3)]
    albero = discendenti(guasti.processo.pid)
    assert len(albero) >= 6, albero  # PostgreSQL (and its backends), Redis, Caddy, 2 × app
    inizio = time.monotonic()
    os.kill(guasti.processo.pid, signal.SIGKILL)
    while vivi := [p for p in albero if Path(f"/proc/{p}").exists() and not _zombie(p)]:
        assert time.monotonic() - inizio < 10, f"still running: {vivi}"
        time.sleep(0.05)
    print(f"\nkill -9 of serena prod → its {len(albero)} processes gone: "
          f"{time.monotonic() - inizio:.1f} s")  # fmt: skip
    for pagina in visitatori:
        expect(pagina.get_by_text(INTERROTTA)).to_be_visible()  # and they say so
        pagina.context.close()


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return False
