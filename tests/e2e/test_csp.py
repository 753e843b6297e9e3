"""The Content-Security-Policy holds while the page is used: nothing the page or the staff
tools do is refused by it, and a script that is not the site's own is."""

from playwright.sync_api import Browser, Page, expect

from tests.e2e.pages.chi_siamo import PaginaChiSiamo
from tests.e2e.pages.staff import PaginaInModifica, accedi
from tests.support.server import Server

# Collects every violation the browser reports, from the first byte of each page.
OSSERVA = """
window.__violazioni = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__violazioni.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


def _violazioni(page: Page) -> list[str]:
    return page.evaluate("window.__violazioni")


def test_visiting_and_editing_break_no_rule_of_the_policy(pagina: Page, staff, contenuto, db):
    pagina.add_init_script(OSSERVA)
    PaginaChiSiamo(pagina, contenuto).apri()
    pagina.get_by_role("button", name="Espandi tutti").click()
    assert _violazioni(pagina) == []

    accedi(pagina, "anna", staff["anna"])
    redattore = PaginaInModifica(pagina, contenuto).apri().attiva_modifica()
    pagina.get_by_role("button", name="Modifica mission").click()
    campo = redattore.campo("Testo: mission")
    # Focus moved there by the page's own script, not by an evaluated one.
    expect(campo).to_be_focused()
    pagina.keyboard.press("Escape")
    expect(pagina.get_by_role("button", name="Modifica mission")).to_be_focused()
    assert _violazioni(pagina) == []


def test_an_injected_inline_script_is_refused(browser: Browser, server: Server, contenuto):
    # Not the `pagina` fixture: the refusal is logged as a console error, on purpose.
    contesto = browser.new_context(base_url=server.url)
    pagina = contesto.new_page()
    pagina.add_init_script(OSSERVA)
    PaginaChiSiamo(pagina, contenuto).apri()
    eseguito = pagina.evaluate(
        """() => {
          window.__iniettato = false;
          const s = document.createElement('script');
          s.textContent = 'window.__iniettato = true';
          document.body.appendChild(s);
          return window.__iniettato;
        }"""
    )
    assert eseguito is False
    assert any(v.startswith("script-src") for v in _violazioni(pagina))
    contesto.close()
