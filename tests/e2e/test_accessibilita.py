"""Accessibility as a visitor and as staff: axe finds nothing, the keyboard reaches everything,
focus is always visible, and text can grow to 200% without loss."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.pages.chi_siamo import PaginaChiSiamo
from tests.e2e.pages.staff import PaginaInModifica, accedi
from tests.support.axe import violazioni


def test_axe_visitor_page_collapsed_and_expanded(pagina: Page, contenuto):
    chi_siamo = PaginaChiSiamo(pagina, contenuto).apri()
    assert violazioni(pagina) == []
    pagina.get_by_role("button", name="Espandi tutti").click()
    chi_siamo.scopri_di_piu.click()
    expect(chi_siamo.scopri_di_piu).to_have_attribute("aria-expanded", "true")
    assert violazioni(pagina) == []


def test_axe_phone_menu_open(browser, server, contenuto):
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=server.url)
    chi_siamo = PaginaChiSiamo(context.new_page(), contenuto).apri()
    chi_siamo.pulsante_menu.click()
    expect(chi_siamo.pulsante_menu).to_have_attribute("aria-expanded", "true")
    assert violazioni(chi_siamo.page) == []
    context.close()


def test_axe_login_page_with_an_error(pagina: Page):
    pagina.goto("/accesso")
    expect(pagina.locator("main")).to_have_attribute("data-idratata", "true")
    pagina.get_by_label("Nome utente").fill("nessuno")
    pagina.get_by_label("Password").fill("password-sbagliata")
    pagina.get_by_role("button", name="Accedi").click()
    expect(pagina.get_by_role("alert")).to_contain_text("non validi")
    assert violazioni(pagina) == []


def test_axe_edit_mode_with_a_field_open_and_an_error(pagina: Page, contenuto, staff):
    accedi(pagina, "anna", staff["anna"])
    redattore = PaginaInModifica(pagina, contenuto).apri().attiva_modifica()
    assert violazioni(pagina) == []
    pagina.get_by_role("button", name="Modifica tappa 1").click()
    redattore.campo("Titolo").fill("")
    redattore.salva()
    expect(pagina.locator("#errore-titolo")).to_have_text("Questo campo è obbligatorio.")
    assert violazioni(pagina) == []
    pagina.get_by_role("button", name="Annulla", exact=True).click()


def _tab_fino_a(page: Page, nome: str, massimo: int = 200) -> list[str]:
    """Press Tab until the focused element's accessible text is `nome`; returns the stops."""
    fermate = []
    for _ in range(massimo):
        page.keyboard.press("Tab")
        fermata = page.evaluate(
            "() => { const e = document.activeElement;"
            " return (e.getAttribute('aria-label') || e.textContent || '').trim(); }"
        )
        fermate.append(fermata)
        if fermata == nome:
            return fermate
    pytest.fail(f"«{nome}» not reached by keyboard; stops: {fermate}")


def _contorno_visibile(page: Page) -> bool:
    return page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
          return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2)
                 || s.boxShadow !== 'none'; }"""
    )


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_keyboard_alone_reaches_every_control_with_visible_focus(pagina: Page, contenuto):
    PaginaChiSiamo(pagina, contenuto).apri()
    fermate = _tab_fino_a(pagina, "Area riservata")
    attese = [
        "Vai al contenuto",
        "Storia",
        "Mission",
        "Vision",
        "Valori",
        "Scopri di più",
        "Espandi tutti",
        "Comprimi tutti",
        *[v["titolo"] for v in contenuto["valori"]],
    ]
    mancanti = [a for a in attese if a not in fermate]
    assert mancanti == []
    pagina.keyboard.press("Shift+Tab")
    for _ in range(len(fermate) - 1):
        assert _contorno_visibile(pagina), pagina.evaluate("document.activeElement.outerHTML")
        pagina.keyboard.press("Shift+Tab")


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_one_edit_by_keyboard_alone(pagina: Page, contenuto, staff, db):
    accedi(pagina, "anna", staff["anna"])
    redattore = PaginaInModifica(pagina, contenuto).apri()
    _tab_fino_a(pagina, "Modifica pagina")
    pagina.keyboard.press("Enter")
    expect(redattore.pulsante_strumenti).to_be_focused()  # which now holds that button
    _tab_fino_a(pagina, "Modifica vision")
    pagina.keyboard.press("Enter")
    campo = redattore.campo("Testo: vision")
    expect(campo).to_be_focused()
    pagina.keyboard.press("End")
    pagina.keyboard.type(" Scritto da tastiera.")
    pagina.keyboard.press("Tab")
    expect(pagina.get_by_role("button", name="Salva", exact=True)).to_be_focused()
    pagina.keyboard.press("Enter")
    expect(redattore.annuncio).to_have_text("Testo della vision salvato.")
    expect(redattore.sezione("vision")).to_contain_text("Scritto da tastiera.")
    expect(pagina.get_by_role("button", name="Modifica vision")).to_be_focused()


@pytest.mark.parametrize("larghezza", [390, 1280])
def test_text_at_200_percent_loses_nothing(browser, server, contenuto, larghezza):
    context = browser.new_context(viewport={"width": larghezza, "height": 800}, base_url=server.url)
    chi_siamo = PaginaChiSiamo(context.new_page(), contenuto).apri()
    chi_siamo.page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
    chi_siamo.page.get_by_role("button", name="Espandi tutti").click()
    misure = chi_siamo.page.evaluate(
        """() => ({
          scorrimento: document.documentElement.scrollWidth - document.documentElement.clientWidth,
          tagliati: [...document.querySelectorAll('h1, h2, h3, p, a, button, time')]
            .filter((e) => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1
                           && getComputedStyle(e).overflowX === 'hidden')
            .map((e) => e.textContent.slice(0, 40)),
        })"""
    )
    context.close()
    assert misure == {"scorrimento": 0, "tagliati": []}
