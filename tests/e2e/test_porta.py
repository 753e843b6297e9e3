"""Finding the door, by keyboard: the phone menu leads to "Area riservata" and closes on
Escape or a tap outside it; /accesso starts in "Nome utente"; after the login, focus is on
the staff bar; the year field opens a numeric keyboard."""

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import VIEWPORTS
from tests.e2e.pages.chi_siamo import PaginaChiSiamo
from tests.e2e.pages.staff import PaginaInModifica
from tests.support.axe import violazioni
from tests.support.server import Server


@pytest.mark.parametrize("server", ["run"], indirect=True)
def test_the_phone_menu_leads_to_the_staff_login_and_closes_on_escape_or_outside(
    browser: Browser, server: Server, contenuto
):
    context = browser.new_context(
        viewport=VIEWPORTS["telefono"], base_url=server.url, locale="it-IT"
    )
    chi_siamo = PaginaChiSiamo(context.new_page(), contenuto).apri()
    page, menu = chi_siamo.page, chi_siamo.pulsante_menu

    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    porta = page.get_by_role("navigation").get_by_role("link", name="Area riservata")
    expect(porta).to_be_visible()
    assert violazioni(page) == []  # the open menu, at phone width (only phones have it)
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()  # the keyboard is not left on a hidden link

    menu.click()
    expect(porta).to_be_visible()
    page.mouse.click(200, 600)  # on the page, outside the menu
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(porta).to_be_hidden()

    menu.click()
    porta.click()
    expect(page.get_by_role("heading", name="Area riservata")).to_be_visible()
    context.close()


@pytest.mark.parametrize("server", ["run"], indirect=True)
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_login_starts_in_the_name_field_and_ends_on_the_staff_bar(
    browser: Browser, server: Server, staff: dict, contenuto, viewport: str
):
    context = browser.new_context(viewport=VIEWPORTS[viewport], base_url=server.url, locale="it-IT")
    page = context.new_page()
    page.goto("/accesso/")
    expect(page.locator("main")).to_have_attribute("data-idratata", "true")
    expect(page.get_by_label("Nome utente")).to_be_focused()
    page.keyboard.type("anna")
    page.keyboard.press("Tab")
    page.keyboard.type(staff["anna"])
    page.keyboard.press("Enter")
    barra = page.get_by_role("region", name="Strumenti del personale")
    expect(barra).to_be_focused()
    assert violazioni(page) == []

    # Focus was not moved by a reload: only right after a login.
    page.reload()
    expect(page.locator("main")).to_have_attribute("data-idratata", "true")
    expect(barra).to_be_visible()
    expect(barra).not_to_be_focused()

    redattore = PaginaInModifica(page, contenuto).attiva_modifica()
    redattore.page.get_by_role("button", name="Aggiungi tappa").click()
    expect(redattore.campo("Anno (facoltativo)")).to_have_attribute("inputmode", "numeric")
    context.close()
