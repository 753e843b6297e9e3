"""The live demo: every browser that presses "Prova la modalità modifica" edits a private
sandbox; visitors, other sandboxes and the served HTML never see it. Each test starts with
every place free."""

import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, col, func, select

from serena_app.components.presenza import BATTITO
from serena_app.contenuto import bozze
from serena_app.contenuto import pagina as pagine
from serena_app.contenuto.pagina import Pagina, Spazio
from serena_app.contenuto.tipi import SEZIONE, Voce
from serena_app.db import crea_engine
from serena_app.demo import sandbox
from serena_app.models import SessioneStaff, Valore
from tests.e2e.conftest import VIEWPORTS
from tests.e2e.pages.staff import PaginaInModifica
from tests.support.axe import violazioni
from tests.support.demo import INATTIVITA_S, SANDBOX_MAX, chiudi_sandbox
from tests.support.server import Server

MISSION = Voce(SEZIONE.nome, "mission")
PIENA = "La demo è al completo: riprova tra qualche minuto."


@pytest.fixture(autouse=True)
def _posti_liberi(demo: Server) -> None:
    chiudi_sandbox(demo.db_url)


@pytest.fixture
def db_demo(demo: Server) -> Iterator[Session]:
    """A session on the demo server's database."""
    engine = crea_engine(demo.db_url)
    with Session(engine) as session:
        yield session
    engine.dispose()


def _apri(browser: Browser, demo: Server, viewport: dict | None = None) -> Page:
    context = browser.new_context(base_url=demo.url, viewport=viewport, locale="it-IT")
    page = context.new_page()
    page.goto("/")
    expect(page.locator("main")).to_have_attribute("data-idratata", "true")
    return page


def _prova(page: Page, contenuto: dict) -> PaginaInModifica:
    page.get_by_role("button", name="Prova la modalità modifica").click()
    redattore = PaginaInModifica(page, contenuto)
    expect(redattore.stato).to_be_visible()  # edit mode: the staff bar shows the drafts
    expect(redattore.annuncio).to_have_text(
        "Modalità modifica attiva: quello che cambi resta nella tua copia di prova."
    )
    expect(page.get_by_text("La tua copia di prova è aperta")).to_be_focused()
    _senza_sandbox(page)
    return redattore


def _senza_sandbox(page: Page) -> None:
    """The page's text as she reads it (and a screen reader hears it) says "la tua copia di
    prova", never the jargon "sandbox"."""
    expect(page.locator("body")).not_to_contain_text(
        "sandbox", ignore_case=True, use_inner_text=True
    )


def _pubblica(redattore: PaginaInModifica) -> None:
    redattore.page.get_by_role("button", name="Pubblica", exact=True).click()
    redattore.page.get_by_role("button", name="Pubblica ora").click()
    expect(redattore.stato).to_contain_text("Nessuna modifica in bozza")


def _html(demo: Server) -> str:
    with urllib.request.urlopen(demo.url + "/") as risposta:  # noqa: S310 (local test server)
        return risposta.read().decode("utf-8")


def test_the_qr_code_is_open_on_a_large_screen_and_absent_on_a_phone(
    browser: Browser, demo: Server
):
    grande = _apri(browser, demo, VIEWPORTS["desktop"])
    banner = grande.get_by_role("region", name="Modalità demo")
    expect(banner.get_by_role("button", name="Prova la modalità modifica")).to_be_in_viewport()
    codice = banner.get_by_role("img", name=f"Codice QR dell’indirizzo {demo.url}/")
    expect(codice).to_be_visible()  # no click needed
    assert codice.bounding_box()["width"] >= 300  # scannable from a projection
    grande.context.close()

    telefono = _apri(browser, demo, VIEWPORTS["telefono"])
    banner = telefono.get_by_role("region", name="Modalità demo")
    expect(banner.get_by_role("button", name="Prova la modalità modifica")).to_be_in_viewport()
    expect(banner.get_by_role("img")).to_be_hidden()
    telefono.context.close()


@pytest.mark.parametrize("viewport", ["telefono", "desktop"], indirect=True)
def test_a_double_tap_on_prova_opens_a_copy_and_ripristina_asks_first(
    browser: Browser, demo: Server, contenuto, viewport: dict
):
    page = _apri(browser, demo, viewport)
    prova = page.get_by_role("button", name="Prova la modalità modifica")
    riquadro = prova.bounding_box()
    page.mouse.dblclick(riquadro["x"] + riquadro["width"] / 2, riquadro["y"] + 10)
    redattore = PaginaInModifica(page, contenuto)
    expect(redattore.annuncio).to_contain_text("nella tua copia di prova")
    ripristina = page.get_by_role("button", name="Ripristina demo")
    expect(ripristina).to_be_visible()
    expect(page.get_by_text("La tua copia di prova è aperta")).to_be_focused()
    # Under the finger now: not "Ripristina demo" (the staff bar that appears above the
    # banner may put "Strumenti" there, which only opens the tools).
    sotto_il_dito = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y)?.closest('button')?.textContent ?? ''",
        [riquadro["x"] + riquadro["width"] / 2, riquadro["y"] + 10],
    )
    assert "ripristina" not in sotto_il_dito.lower(), sotto_il_dito
    expect(page.get_by_text("Ripristinare la demo?")).to_have_count(0)

    # Keyboard alone: "Ripristina demo" asks; "No, torna indietro" keeps the copy.
    redattore.page.get_by_role("button", name="Modifica mission").click()
    redattore.campo("Testo: mission").fill("Una mission che resta.")
    redattore.salva()
    expect(redattore.annuncio).to_have_text("Testo della mission salvato.")
    ripristina.focus()
    page.keyboard.press("Enter")
    no = page.get_by_role("button", name="No, torna indietro")
    expect(no).to_be_focused()
    assert violazioni(page) == []
    page.keyboard.press("Enter")
    expect(ripristina).to_be_focused()
    expect(redattore.sezione("mission")).to_contain_text("Una mission che resta.")

    ripristina.press("Enter")
    page.get_by_role("button", name="Sì, ripristina la demo").press("Enter")
    expect(redattore.annuncio).to_have_text(
        "Demo ripristinata: la pagina è di nuovo quella di partenza."
    )
    expect(redattore.sezione("mission")).not_to_contain_text("Una mission che resta.")
    page.context.close()


def test_publishing_in_a_copy_says_only_this_phone_will_see_it(
    browser: Browser, demo: Server, contenuto
):
    redattore = _prova(_apri(browser, demo), contenuto)
    redattore.page.get_by_role("button", name="Modifica vision").click()
    redattore.campo("Testo: vision").fill("Una vision di prova.")
    redattore.salva()
    redattore.page.get_by_role("button", name="Pubblica", exact=True).click()
    expect(redattore.barra).to_contain_text(
        "Pubblicare queste modifiche? Le vedrai solo tu, su questo telefono:"
    )
    expect(redattore.barra).not_to_contain_text("I visitatori")
    _senza_sandbox(redattore.page)
    redattore.strumenti(True)
    _senza_sandbox(redattore.page)
    redattore.page.context.close()


def test_a_phone_in_its_sandbox_beats_no_presence_heartbeat(
    browser: Browser, demo: Server, contenuto
):
    """Nobody else is ever in a phone's sandbox: its page has no heartbeat to press, so a
    room of phones costs presence nothing (a staff page has one: tests/e2e/test_presenza.py)."""
    redattore = _prova(_apri(browser, demo), contenuto)
    redattore.page.get_by_role("button", name="Modifica vision").click()
    expect(redattore.campo("Testo: vision")).to_be_visible()
    expect(redattore.page.locator(f"#{BATTITO}")).to_have_count(0)
    redattore.page.context.close()


def test_three_sandboxes_edit_the_same_value_and_each_sees_only_its_own(
    browser: Browser, demo: Server, contenuto
):
    visitatore = _apri(browser, demo)
    primo = contenuto["valori"][0]
    redattori = [_prova(_apri(browser, demo), contenuto) for _ in range(3)]
    for n, redattore in enumerate(redattori, start=1):
        redattore.page.get_by_role("button", name="Modifica valore 1", exact=True).click()
        redattore.campo("Testo").fill(f"Il primo valore, scritto dal telefono {n}.")
        redattore.salva()
        expect(redattore.sezione("valori")).to_contain_text("Bozza di demo ·")
        _pubblica(redattore)
    for n, redattore in enumerate(redattori, start=1):
        redattore.page.reload()
        expect(redattore.page.locator("main")).to_have_attribute("data-idratata", "true")
        sezione = redattore.sezione("valori")
        expect(sezione).to_contain_text(f"scritto dal telefono {n}.")
        for altro in {1, 2, 3} - {n}:
            expect(sezione).not_to_contain_text(f"scritto dal telefono {altro}.")

    # Someone who never pressed the button: the seed, live and after a reload, and in the HTML.
    for pagina in (visitatore, _apri(browser, demo)):
        expect(pagina.locator("#valori")).to_contain_text(primo["testo"])
        expect(pagina.locator("#valori")).not_to_contain_text("scritto dal telefono")
    visitatore.reload()
    expect(visitatore.locator("#valori")).to_contain_text(primo["testo"])
    assert "scritto dal telefono" not in _html(demo)
    for redattore in redattori:
        redattore.page.context.close()
    visitatore.context.close()


def test_a_sandbox_survives_a_reload_and_ripristina_demo_restores_the_seed(
    browser: Browser, demo: Server, contenuto
):
    redattore = _prova(_apri(browser, demo), contenuto)
    redattore.page.get_by_role("button", name="Modifica mission").click()
    redattore.campo("Testo: mission").fill("Una mission di prova.")
    redattore.salva()
    _pubblica(redattore)
    redattore.page.reload()
    expect(redattore.page.locator("main")).to_have_attribute("data-idratata", "true")
    expect(redattore.sezione("mission")).to_contain_text("Una mission di prova.")
    expect(redattore.barra).to_be_visible()

    redattore.page.get_by_role("button", name="Ripristina demo").click()
    redattore.page.get_by_role("button", name="Sì, ripristina la demo").click()
    expect(redattore.annuncio).to_have_text(
        "Demo ripristinata: la pagina è di nuovo quella di partenza."
    )
    expect(redattore.sezione("mission")).not_to_contain_text("Una mission di prova.")
    expect(redattore.sezione("mission")).to_contain_text(contenuto["sezioni"]["mission"][:60])
    redattore.page.context.close()


def test_an_idle_sandbox_is_removed_with_its_data(
    browser: Browser, demo: Server, contenuto, db_demo: Session
):
    redattore = _prova(_apri(browser, demo), contenuto)
    redattore.page.get_by_role("button", name="Modifica valore 2").click()
    redattore.campo("Titolo breve").fill("Un titolo che scadrà")
    redattore.salva()
    expect(redattore.valore("Un titolo che scadrà")).to_be_visible()

    def righe() -> int:
        db_demo.expire_all()
        return db_demo.exec(
            select(func.count()).select_from(Valore).where(Valore.titolo == "Un titolo che scadrà")
        ).one()

    assert righe() == 1
    # Nothing happens in the tab: past the idle limit the server removes the sandbox. No
    # event to wait on: the database is polled, with a bound.
    inizio = time.monotonic()
    while righe() and time.monotonic() < inizio + INATTIVITA_S + 30:
        time.sleep(0.5)
    assert righe() == 0
    print(f"sandbox removed {time.monotonic() - inizio:.1f} s after its last event")
    redattore.page.reload()
    expect(redattore.page.locator("main")).to_have_attribute("data-idratata", "true")
    expect(redattore.page.get_by_role("button", name="Prova la modalità modifica")).to_be_visible()
    expect(redattore.sezione("valori")).not_to_contain_text("Un titolo che scadrà")
    redattore.page.context.close()


def test_past_the_cap_the_next_phone_is_told_to_try_again_later(
    browser: Browser, demo: Server, contenuto, db_demo: Session, monkeypatch
):
    # Other phones in the room hold every place (opened here as the server would).
    monkeypatch.setenv("SERENA_DEMO", str(Path(db_demo.get_bind().url.database).parent))
    monkeypatch.setenv("DATABASE_URL", demo.db_url)
    monkeypatch.setenv("SERENA_DEMO_SANDBOX_MAX", str(SANDBOX_MAX))
    for n in range(SANDBOX_MAX):
        sandbox.apri(session=db_demo, client=f"192.168.1.{n + 10}")
    page = _apri(browser, demo)
    page.get_by_role("button", name="Prova la modalità modifica").click()
    expect(page.get_by_role("alert")).to_have_text(PIENA)
    expect(page.get_by_role("button", name="Modifica pagina")).to_have_count(0)
    expect(page.get_by_role("button", name="Prova la modalità modifica")).to_be_visible()
    db_demo.expire_all()
    aperte = db_demo.exec(
        select(func.count())
        .select_from(SessioneStaff)
        .where(SessioneStaff.sandbox.is_not(None), SessioneStaff.revocata == False)  # noqa: E712
    ).one()
    assert aperte == SANDBOX_MAX
    page.context.close()


def test_history_and_undo_work_in_a_sandbox_and_stay_in_it(
    browser: Browser, demo: Server, contenuto
):
    redattore = _prova(_apri(browser, demo), contenuto)
    redattore.page.get_by_role("button", name="Modifica vision").click()
    redattore.campo("Testo: vision").fill("Una vision provata nella sandbox.")
    redattore.salva()
    redattore.page.get_by_role("button", name="Cronologia vision").click()
    storia = redattore.page.get_by_role("region", name="Cronologia: vision")
    expect(storia.get_by_role("listitem").first).to_contain_text("Salvata · demo")
    storia.get_by_role("button", name="Chiudi cronologia").click()
    redattore.strumento("Annulla ultima modifica").click()
    expect(redattore.annuncio).to_have_text("Modifica annullata: Testo della vision.")
    expect(redattore.sezione("vision")).not_to_contain_text("provata nella sandbox")

    altro = _prova(_apri(browser, demo), contenuto)  # another phone's sandbox
    altro.page.get_by_role("button", name="Cronologia vision").click()
    storia_altrui = altro.page.get_by_role("region", name="Cronologia: vision")
    expect(storia_altrui.get_by_role("listitem")).to_have_count(1)  # the seed's text only
    expect(storia_altrui).not_to_contain_text("provata nella sandbox")
    redattore.page.context.close()
    altro.page.context.close()


def _sandbox_aperta(db_demo: Session) -> Spazio:
    """The one sandbox open now (each test starts with none)."""
    db_demo.expire_all()
    (nome,) = db_demo.exec(
        select(SessioneStaff.sandbox).where(
            col(SessioneStaff.sandbox).is_not(None),
            SessioneStaff.revocata == False,  # noqa: E712
        )
    ).all()
    return Spazio.di(Pagina(nome))


def test_a_phone_on_the_english_page_gets_its_sandbox_in_english(
    browser: Browser, demo: Server, contenuto, db_demo: Session
):
    context = browser.new_context(base_url=demo.url, viewport=VIEWPORTS["telefono"], locale="en-GB")
    page = context.new_page()
    page.goto("/en/")
    expect(page.locator("main")).to_have_attribute("data-idratata", "true")
    # The banner speaks the page's language; the staff bar stays Italian.
    expect(page.get_by_role("region", name="Demo mode")).to_be_visible()
    page.get_by_role("button", name="Try edit mode").click()
    redattore = PaginaInModifica(page, contenuto)
    expect(redattore.stato).to_be_visible()
    expect(page.get_by_text("Your trial copy is open")).to_be_focused()
    mission_en = contenuto["sezioni_en"]["mission"]
    expect(page.locator("#mission")).to_contain_text(mission_en[:60])
    expect(page.locator("#mission")).not_to_contain_text(contenuto["sezioni"]["mission"][:60])

    # An English draft in the sandbox's working copy: this phone, in edit mode in its sandbox,
    # sees it after a reload; the site's English page does not.
    spazio = _sandbox_aperta(db_demo)
    bozze.apri(session=db_demo, spazio=spazio)
    mission = pagine.leggi_elemento(session=db_demo, pagina=spazio.bozza, voce=MISSION)
    pagine.salva(
        session=db_demo,
        pagina=spazio.bozza,
        voce=MISSION,
        campi={"testo_en": "Only this phone's English mission."},
        versione=mission.versione,
    )
    page.reload()
    expect(page.locator("main")).to_have_attribute("data-idratata", "true")
    expect(page.locator("#mission")).to_contain_text("Only this phone's English mission.")
    expect(page.get_by_role("button", name="Reset demo")).to_be_visible()
    expect(redattore.barra).to_be_visible()

    visitatore = browser.new_context(base_url=demo.url, locale="en-GB").new_page()
    visitatore.goto("/en/")
    expect(visitatore.locator("main")).to_have_attribute("data-idratata", "true")
    expect(visitatore.locator("#mission")).to_contain_text(mission_en[:60])
    expect(visitatore.locator("#mission")).not_to_contain_text("Only this phone's")
    assert violazioni(page) == []
    visitatore.context.close()
    context.close()
