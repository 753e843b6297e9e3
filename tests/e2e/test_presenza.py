"""Presence in edit mode, as two staff members live it in two browsers: Bruno sees Anna in
the staff bar, "Anna sta modificando…" beside the mission's edit button within a second of
her opening it, gone when she closes it and within five seconds of her closing the tab; and
opening the mission while she has it asks him first (by keyboard, axe clean at both sizes).
Under `make prod` the two browsers are on different app processes."""

import time

import pytest
from playwright.sync_api import Browser, Page, expect

from serena_app.components.presenza import BATTITO
from tests.e2e.conftest import STAFF_PASSWORD, crea_account
from tests.e2e.pages.staff import PaginaInModifica, accedi
from tests.support.axe import violazioni_alle_due_misure
from tests.support.chromium import VIEWPORTS
from tests.support.produzione import Produzione, processo_di, token_di

ANNA, BRUNO = "anna.rossi", "bruno.bianchi"
TENTATIVI = 12  # new browsers at most to land on another app process
DOMANDA = "Anna Rossi sta già modificando la mission. Vuoi aprirla lo stesso?"


@pytest.fixture(scope="module")
def persone(server) -> list[str]:
    """Two accounts whose names have two parts each."""
    for nome in (ANNA, BRUNO):
        crea_account(server.db_url, nome)
    return [ANNA, BRUNO]


def _processo(server, page: Page) -> str | None:
    if not isinstance(server, Produzione):
        return None
    return processo_di(server.redis_url, token_di(page))


def _in_modifica(
    browser: Browser, server, contenuto, nome: str, errori: list, non_sul: str | None = None
) -> PaginaInModifica:
    """`nome` logged in, in edit mode, in a browser of its own whose socket is not on app
    process `non_sul` (with one process: any)."""
    for _ in range(TENTATIVI):
        context = browser.new_context(
            viewport=VIEWPORTS["desktop"], base_url=server.url, locale="it-IT"
        )
        page = context.new_page()
        page.on("console", lambda m: errori.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errori.append(str(e)))
        accedi(page, nome, STAFF_PASSWORD)
        redattore = PaginaInModifica(page, contenuto).apri()
        if non_sul is None or _processo(server, page) != non_sul:
            return redattore.attiva_modifica()
        context.close()
    raise AssertionError(f"every browser of {nome} landed on process {non_sul}")


def test_two_staff_see_each_other_the_marker_and_the_question(
    browser: Browser, server, contenuto, persone, db
):
    errori: list[str] = []
    bruno = _in_modifica(browser, server, contenuto, BRUNO, errori)
    anna = _in_modifica(
        browser, server, contenuto, ANNA, errori, non_sul=_processo(server, bruno.page)
    )
    try:
        if isinstance(server, Produzione):
            assert _processo(server, anna.page) != _processo(server, bruno.page)

        for persona in (anna, bruno):  # a staff page beats (a demo phone does not)
            expect(persona.page.locator(f"#{BATTITO}")).to_have_count(1)

        # In the bar: Anna's initials, her full name as the badge's name, shown on focus.
        badge = bruno.barra.get_by_role("img", name="Anna Rossi")
        expect(badge).to_have_text("AR")
        expect(bruno.barra).to_contain_text("In modifica ora:")
        dopo = "e => getComputedStyle(e, '::after').content"
        assert badge.evaluate(dopo) in ("none", "normal")
        badge.focus()
        assert badge.evaluate(dopo) == '"Anna Rossi"'
        expect(anna.barra.get_by_role("img", name="Bruno Bianchi")).to_have_text("BB")
        expect(anna.barra.get_by_role("img", name="Anna Rossi")).to_have_count(0)  # never herself

        # Anna opens the mission: Bruno sees it within a second, and is told once.
        marcatore = bruno.page.locator("#apri-sezione-mission + .presenza-voce")
        anna.page.get_by_role("button", name="Modifica mission").click()
        expect(anna.campo("Testo: mission")).to_be_visible()
        inizio = time.perf_counter()
        expect(marcatore).to_have_text("Anna sta modificando…", timeout=1000)
        print(f"\nmarker seen {time.perf_counter() - inizio:.3f} s after Anna's editor opened")
        expect(bruno.page.locator(".annuncio-presenza")).to_have_text(
            "Anna Rossi ha aperto la mission."
        )
        expect(anna.page.locator(".presenza-voce")).to_have_count(0)

        # She closes the editor: the marker goes at once.
        anna.page.get_by_role("button", name="Annulla", exact=True).click()
        expect(marcatore).to_have_count(0, timeout=1500)
        expect(bruno.page.locator(".annuncio-presenza")).to_have_text(
            "Anna Rossi ha chiuso la mission."
        )

        # She opens it again; Bruno, by keyboard, is asked first.
        anna.page.get_by_role("button", name="Modifica mission").click()
        expect(marcatore).to_have_text("Anna sta modificando…", timeout=1000)
        pulsante = bruno.page.get_by_role("button", name="Modifica mission")
        pulsante.focus()
        bruno.page.keyboard.press("Enter")
        domanda = bruno.page.get_by_role("group", name=DOMANDA)
        expect(domanda).to_be_visible()
        expect(domanda.get_by_text(DOMANDA)).to_be_focused()
        assert violazioni_alle_due_misure(bruno.page) == {}
        bruno.page.keyboard.press("Escape")
        expect(domanda).to_have_count(0)
        expect(pulsante).to_be_focused()
        expect(bruno.campo("Testo: mission")).to_have_count(0)

        bruno.page.keyboard.press("Enter")
        expect(domanda.get_by_text(DOMANDA)).to_be_focused()
        bruno.page.keyboard.press("Tab")
        bruno.page.keyboard.press("Tab")
        expect(domanda.get_by_role("button", name="No, torna indietro")).to_be_focused()
        bruno.page.keyboard.press("Enter")
        expect(domanda).to_have_count(0)
        expect(pulsante).to_be_focused()
        expect(bruno.campo("Testo: mission")).to_have_count(0)

        bruno.page.keyboard.press("Enter")
        expect(domanda.get_by_text(DOMANDA)).to_be_focused()
        bruno.page.keyboard.press("Tab")
        expect(domanda.get_by_role("button", name="Apri lo stesso")).to_be_focused()
        bruno.page.keyboard.press("Enter")
        expect(bruno.campo("Testo: mission")).to_be_visible()
        expect(domanda).to_have_count(0)
        bruno.page.get_by_role("button", name="Annulla", exact=True).click()

        # Anna closes her tab with the editor open: gone from Bruno's view within five seconds.
        anna.page.context.close()
        inizio = time.perf_counter()
        expect(marcatore).to_have_count(0, timeout=5000)
        expect(badge).to_have_count(0, timeout=max(1, 5000 - (time.perf_counter() - inizio) * 1000))
        print(f"tab closed: presence gone after {time.perf_counter() - inizio:.2f} s")
        expect(bruno.page.locator(".presenza")).to_have_count(0)  # nobody: no empty label
    finally:
        for persona in (anna, bruno):
            persona.page.context.close()  # a tab left in edit mode stays present
    assert errori == []
