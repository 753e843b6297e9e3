"""The page in two languages as a visitor finds it: `/en/` speaks English around the content,
`/` is unchanged, and the language switch in the header leads to the same place of the other
page, by keyboard."""

import html
import re
import urllib.request

import pytest
from playwright.sync_api import Browser, Locator, Page, WebSocketRoute, expect

from tests.e2e.pages.chi_siamo import PaginaChiSiamo
from tests.support.axe import violazioni


def _premi(controllo: Locator, tasto: str = "Enter") -> None:
    """Press `tasto` on `controllo` with the keyboard (the focus put there, as a Tab would)."""
    controllo.focus()
    controllo.press(tasto)


def _dopo_il_salto(page: Page) -> list[str]:
    """The text of the first three controls Tab reaches on a freshly loaded page."""
    testi = []
    for _ in range(3):
        page.keyboard.press("Tab")
        testi.append(page.evaluate("() => document.activeElement.textContent.trim()"))
    return testi


def _cambia_lingua(page: Page) -> Locator:
    return page.locator("header a.cambia-lingua")


def _html(url: str) -> str:
    with urllib.request.urlopen(url) as risposta:  # noqa: S310 (local test server)
        return html.unescape(risposta.read().decode("utf-8"))


def _rifiuta(socket: WebSocketRoute) -> None:
    """Answer a page's socket as a server that refuses it: Engine.IO's open, then Socket.IO's
    CONNECT_ERROR on Reflex's namespace."""
    socket.send(
        '0{"sid":"prova","upgrades":[],"pingInterval":25000,"pingTimeout":20000,'
        '"maxPayload":1000000}'
    )
    socket.on_message(
        lambda messaggio: (
            socket.send('44/_event,{"message":"rifiutata"}')
            if str(messaggio).startswith("40/_event")
            else None
        )
    )


def _su_una_riga(page: Page) -> bool:
    """Whether the name, the language switch and the navigation share the header's line."""
    return page.evaluate(
        """() => {
          const righe = ['.marchio', '.cambia-lingua', '.navigazione']
            .map((s) => document.querySelector(s).getBoundingClientRect());
          return righe.every((r) => r.top < righe[0].bottom && r.bottom > righe[0].top);
        }"""
    )


def _valore(page: Page, titolo: str) -> Locator:
    return page.locator("#valori").get_by_role("button", name=titolo, exact=True)


@pytest.mark.parametrize("server", ["run"], indirect=True)
def test_the_english_page_and_the_switch_that_keeps_the_place(pagina: Page, server, contenuto):
    terzo = contenuto["valori"][2]
    # The switch is the third stop of Tab, after the skip link and the name.
    PaginaChiSiamo(pagina, contenuto).apri("/")
    assert _dopo_il_salto(pagina) == ["Vai al contenuto", contenuto["nome"], "English"]
    # The Italian page, unchanged; its switch says "English", in English.
    italiana = PaginaChiSiamo(pagina, contenuto).apri("/#valori-3")
    expect(pagina.get_by_role("link", name="Vai al contenuto")).to_have_count(1)
    expect(italiana.navigazione).to_be_attached()
    expect(pagina.get_by_role("button", name="Espandi tutti")).to_be_visible()
    expect(pagina.locator("footer").get_by_role("link", name="Area riservata")).to_be_visible()
    switch = _cambia_lingua(pagina)
    assert _su_una_riga(pagina), "name, switch and menu do not fit one line of the header"
    expect(switch).to_have_text("English")
    expect(switch).to_have_attribute("lang", "en")
    expect(switch).to_have_attribute("hreflang", "en")
    expect(switch).to_have_attribute("href", "/en/#valori-3")

    # To the same value in English, open and in view.
    _premi(switch)
    expect(pagina).to_have_url(re.compile(r"/en/#valori-3$"))
    expect(pagina.locator("main")).to_have_attribute("data-idratata", "true")
    inglese = _valore(pagina, terzo["titolo_en"])
    expect(inglese).to_have_attribute("aria-expanded", "true")
    expect(pagina.locator("#valore-pannello-3")).to_be_in_viewport()

    # The English page's own words: skip link, menu, buttons, footer.
    expect(pagina.get_by_role("link", name="Skip to content")).to_have_attribute(
        "href", "#contenuto"
    )
    nav = pagina.get_by_role("navigation", name="Sections of the page")
    expect(nav.locator("a[href='/en/#storia']")).to_have_text("History")
    expect(nav.locator("a[href='/en/#valori']")).to_have_text("Values")
    expect(pagina.locator(".occhiello")).to_have_text("About us")
    expect(pagina.get_by_role("button", name="Find out more")).to_be_visible()
    expect(pagina.locator("footer").get_by_role("link", name="Staff area")).to_be_visible()
    switch = _cambia_lingua(pagina)
    expect(switch).to_have_text("Italiano")
    expect(switch).to_have_attribute("lang", "it")
    expect(switch).to_have_attribute("hreflang", "it")
    n = len(contenuto["valori"])
    aperti = pagina.locator("#valori h3 button[aria-expanded=true]")
    _premi(pagina.get_by_role("button", name="Expand all"))
    expect(aperti).to_have_count(n)
    _premi(pagina.get_by_role("button", name="Collapse all"))
    expect(aperti).to_have_count(0)
    testi = pagina.locator("body").inner_text()
    for italiano in ("Vai al contenuto", "Scopri di più", "Espandi tutti", "Area riservata"):
        assert italiano not in testi
    assert violazioni(pagina) == []

    # A section reached from the menu, and back to it in Italian.
    if pagina.viewport_size and pagina.viewport_size["width"] < 768:
        _premi(pagina.get_by_role("button", name="Menu"))
    _premi(nav.get_by_role("link", name="Mission"))
    expect(pagina).to_have_url(re.compile(r"/en/#mission$"))
    expect(switch).to_have_attribute("href", "/#mission")
    _premi(switch)
    expect(pagina).to_have_url(re.compile(r"/#mission$"))
    expect(pagina.locator("main")).to_have_attribute("data-idratata", "true")
    expect(
        italiana.sezione("mission").get_by_role(
            "heading", level=2, name=contenuto["titoli"]["mission"]
        )
    ).to_be_in_viewport()
    expect(_cambia_lingua(pagina)).to_have_text("English")


@pytest.mark.parametrize("server", ["run"], indirect=True)
def test_without_javascript_the_switch_leads_to_the_other_page(browser: Browser, server):
    """The served HTML of each page has its own words, and the switch is a plain link."""
    inglese, italiana = _html(server.url + "/en/"), _html(server.url + "/")
    for parole in ("Skip to content", "Find out more", "Expand all", "Staff area"):
        assert parole in inglese
    for parole in ("Vai al contenuto", "Scopri di più", "Espandi tutti", "Area riservata"):
        assert parole not in inglese
        assert parole in italiana
    context = browser.new_context(java_script_enabled=False, base_url=server.url)
    page = context.new_page()
    page.goto("/en/")
    page.get_by_role("link", name="Italiano").click()
    expect(page).to_have_url(server.url + "/")
    expect(page.get_by_role("link", name="English")).to_have_attribute("href", "/en/")
    context.close()


@pytest.mark.parametrize("server", ["run"], indirect=True)
def test_the_connection_notice_and_the_missing_page_in_the_pages_language(browser: Browser, server):
    context = browser.new_context(base_url=server.url)
    page = context.new_page()
    # The server refuses every socket: the page says so, in its language.
    page.route_web_socket(lambda indirizzo: "/_event" in indirizzo, _rifiuta)
    page.goto("/en/")
    expect(page.get_by_role("alert")).to_contain_text("Connection to the server lost")
    page.goto("/")
    expect(page.get_by_role("alert")).to_contain_text("Connessione al server interrotta")
    context.close()

    context = browser.new_context(base_url=server.url)
    page = context.new_page()
    page.goto("/non-esiste")
    expect(page.get_by_role("heading", name="Pagina non trovata")).to_be_visible()
    inglese = page.locator("main [lang=en]")
    expect(inglese.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(inglese.get_by_role("link")).to_have_attribute("href", "/en/")
    expect(page.locator("main [lang=it]").get_by_role("link")).to_have_attribute("href", "/")
    context.close()


@pytest.mark.parametrize("server", ["run"], indirect=True)
def test_an_english_browser_stays_on_the_italian_page(browser: Browser, server):
    """No language is chosen for a visitor by their browser: `/` stays `/`, in Italian."""
    context = browser.new_context(
        base_url=server.url,
        locale="en-GB",
        extra_http_headers={"Accept-Language": "en-GB,en;q=0.9"},
    )
    try:
        page = context.new_page()
        risposta = page.goto("/")
        assert risposta is not None
        assert risposta.status == 200
        assert risposta.request.redirected_from is None
        assert page.evaluate("() => navigator.language") == "en-GB"  # control
        expect(page.locator("main")).to_have_attribute("data-idratata", "true")
        expect(page).to_have_url(server.url + "/")
        expect(page.locator("html")).to_have_attribute("lang", "it")
        expect(_cambia_lingua(page)).to_have_text("English")
    finally:
        context.close()


@pytest.mark.parametrize("server", ["run"], indirect=True)
def test_the_switch_keeps_the_place_without_a_hash(pagina: Page, server, contenuto):
    """A section scrolled to, or a value opened by a click, leave the address without a hash:
    the switch still leads to that place of the other page."""
    PaginaChiSiamo(pagina, contenuto).apri("/")
    pagina.locator("#vision").evaluate("(e) => e.scrollIntoView({behavior: 'instant'})")
    expect(pagina).to_have_url(server.url + "/")  # no hash
    _premi(_cambia_lingua(pagina))  # reached by the keyboard, as the value below
    expect(pagina).to_have_url(re.compile(r"/en/#vision$"))
    expect(pagina.locator("main")).to_have_attribute("data-idratata", "true")
    expect(pagina.locator("#vision h2")).to_be_in_viewport()

    secondo = contenuto["valori"][1]
    PaginaChiSiamo(pagina, contenuto).apri("/en/")
    _valore(pagina, secondo["titolo_en"]).click()
    expect(_valore(pagina, secondo["titolo_en"])).to_have_attribute("aria-expanded", "true")
    expect(pagina).to_have_url(re.compile(r"/en/$"))  # no hash
    _premi(_cambia_lingua(pagina))
    expect(pagina).to_have_url(server.url + "/#valori-2")
    expect(pagina.locator("main")).to_have_attribute("data-idratata", "true")
    expect(_valore(pagina, secondo["titolo"])).to_have_attribute("aria-expanded", "true")
    expect(pagina.locator("#valore-pannello-2")).to_be_in_viewport()
