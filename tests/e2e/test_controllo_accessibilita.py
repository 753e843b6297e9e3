""" "Controlla l'accessibilità": axe-core in the staff member's browser, the tests' own
version, its results in Italian with a "Vai all'elemento" link to each element; and visitors
never download it."""

import re
from pathlib import Path

import axe_playwright_python
import pytest
from playwright.sync_api import Browser, Page, Response, expect

from tests.e2e.pages.staff import PaginaInModifica, accedi
from tests.support.axe import violazioni
from tests.support.server import Server

AXE_DEI_TEST = Path(axe_playwright_python.__file__).parent / "axe.min.js"
VERSIONE = re.search(r"axe v(\d+\.\d+\.\d+)", AXE_DEI_TEST.read_text()[:200]).group(1)
# In axe-core's code (every rule's help link), in no file of the site's own.
FIRMA = b"dequeuniversity.com/rules/"
NESSUN_PROBLEMA = f"Nessun problema trovato dalle regole automatiche (axe-core {VERSIONE})."
# An image with no text alternative: axe's rule "image-alt", of impact "critical".
SENZA_ALT = """(dove) => {
  const img = document.createElement('img');
  img.src = 'data:image/svg+xml,' + encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
    + '<rect width="40" height="40" fill="#a3432a"/></svg>');
  img.width = 40; img.height = 40; img.className = 'senza-alt';
  document.querySelector(dove).prepend(img);
}"""


def _controlla(pagina: Page, contenuto: dict) -> PaginaInModifica:
    redattore = PaginaInModifica(pagina, contenuto).apri().attiva_modifica()
    redattore.strumento("Controlla l'accessibilità").click()
    return redattore


def _in_vista(pagina: Page, elemento) -> None:
    """In the window and below the sticky header and staff bar, not behind them (once the
    scroll, smooth without reduced motion, is over)."""
    pagina.wait_for_function(
        """(e) => {
          const cima = document.querySelector('.cima').getBoundingClientRect();
          const r = e.getBoundingClientRect();
          return r.top >= cima.bottom && r.bottom <= window.innerHeight;
        }""",
        arg=elemento.element_handle(),
    )


def _esito(pagina: Page):
    return pagina.locator("#controllo-accessibilita-esito")


def test_a_clean_page_has_no_problem_in_the_tests_own_axe(pagina: Page, contenuto, staff):
    accedi(pagina, "anna", staff["anna"])
    redattore = _controlla(pagina, contenuto)
    esito = _esito(pagina)
    expect(esito).to_contain_text(NESSUN_PROBLEMA)
    # Said once, politely.
    expect(pagina.locator("#controllo-accessibilita-annuncio")).to_have_text(NESSUN_PROBLEMA)
    expect(pagina.locator("#controllo-accessibilita-annuncio")).to_have_attribute("role", "status")
    # The engine that ran is the one the tests use.
    expect(esito).to_have_attribute("data-versione-axe", VERSIONE)
    # The tests' axe, on the whole page with the panel open.
    assert violazioni(pagina) == []
    esito.get_by_role("button", name="Chiudi").click()
    expect(esito).to_be_empty()
    expect(redattore.strumento("Controlla l'accessibilità")).to_be_focused()


def test_a_failing_page_is_reported_in_italian_with_links_to_its_elements(
    pagina: Page, contenuto, staff
):
    """Nothing the editors accept makes axe fail: every field is plain text (titles, texts, a
    year), drawn as text; `contenuto/tipi.py` refuses empty and invisible-looking ones,
    control and direction characters, piled-up marks. So the page is made to fail in the
    browser: an image without a text alternative at the top of <main>, and one in a value's
    panel that is then closed."""
    accedi(pagina, "anna", staff["anna"])
    redattore = PaginaInModifica(pagina, contenuto).apri().attiva_modifica()
    primo = redattore.valore(contenuto["valori"][0]["titolo"])
    primo.click()
    expect(primo).to_have_attribute("aria-expanded", "true")
    pannello = redattore.pannello(primo)
    pagina.evaluate(SENZA_ALT, "#contenuto")
    pagina.evaluate(SENZA_ALT, f"#{pannello.get_attribute('id')}")

    # By keyboard: the button, then the links in the panel right after it.
    pulsante = redattore.strumento("Controlla l'accessibilità")
    pulsante.focus()
    pagina.keyboard.press("Enter")
    esito = _esito(pagina)
    expect(esito).to_contain_text("1 problema trovato:")
    expect(esito).to_contain_text("critico: Le immagini devono avere un testo alternativo")
    expect(pagina.locator("#controllo-accessibilita-annuncio")).to_have_text(
        "Controllo dell'accessibilità: 1 problema trovato."
    )
    link = esito.get_by_role("link", name="Vai all'elemento")
    expect(link).to_have_count(2)
    assert violazioni(pagina) != []  # the tests' axe agrees that there is something

    pagina.keyboard.press("Tab")
    expect(link.first).to_be_focused()
    pagina.keyboard.press("Enter")
    in_cima = pagina.locator("#contenuto > img.senza-alt")
    expect(in_cima).to_be_focused()
    expect(in_cima).to_have_class(re.compile(r"\bevidenziato-accessibilita\b"))
    _in_vista(pagina, in_cima)

    primo.click()  # the value closes: its image is hidden
    expect(pannello).to_be_hidden()
    redattore.strumenti(True)  # folded if they covered half the window: the results are kept
    link.last.focus()
    pagina.keyboard.press("Enter")
    expect(primo).to_have_attribute("aria-expanded", "true")
    nel_valore = pannello.locator("img.senza-alt")
    expect(nel_valore).to_be_focused()
    _in_vista(pagina, nel_valore)
    expect(in_cima).not_to_have_class(re.compile(r"\bevidenziato-accessibilita\b"))


def _risposte(page: Page) -> list[Response]:
    risposte: list[Response] = []
    page.on("response", lambda r: risposte.append(r))
    return risposte


def _con_axe(risposte: list[Response]) -> list[str]:
    return [r.url for r in risposte if r.ok and FIRMA in r.body()]


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_visitors_never_download_axe(
    browser: Browser, server: Server, pagina: Page, contenuto, staff
):
    # Staff: which file brings axe, when the button is pressed (and not before).
    accedi(pagina, "anna", staff["anna"])
    risposte = _risposte(pagina)  # from the page's load on: the login page's are gone
    redattore = PaginaInModifica(pagina, contenuto).apri().attiva_modifica()
    pulsante = redattore.strumento("Controlla l'accessibilità")
    pagina.wait_for_load_state("networkidle")
    assert _con_axe(risposte) == []
    pulsante.click()
    expect(_esito(pagina)).to_contain_text(NESSUN_PROBLEMA)
    file_di_axe = _con_axe(risposte)
    assert len(file_di_axe) == 1, file_di_axe

    for percorso in ("/", "/en/"):
        contesto = browser.new_context(base_url=server.url)
        try:
            visitatore = contesto.new_page()
            risposte = _risposte(visitatore)
            visitatore.goto(percorso)
            expect(visitatore.locator("main")).to_have_attribute("data-idratata", "true")
            visitatore.wait_for_load_state("networkidle")
            assert any(r.url.endswith(".js") for r in risposte)
            assert file_di_axe[0] not in [r.url for r in risposte]
            assert _con_axe(risposte) == []
        finally:
            contesto.close()
