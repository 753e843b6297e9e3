"""The visitor page in a real browser, at phone and desktop size."""

import re

import pytest
from playwright.sync_api import Page, expect

from serena_app.contenuto.istantanea import paragrafi
from tests.e2e.pages.chi_siamo import PaginaChiSiamo


@pytest.fixture
def chi_siamo(pagina: Page, contenuto: dict) -> PaginaChiSiamo:
    return PaginaChiSiamo(pagina, contenuto).apri()


def test_landmarks_headings_and_title(chi_siamo: PaginaChiSiamo, contenuto):
    page = chi_siamo.page
    expect(page).to_have_title(re.compile("Cooperativa Serena"))
    expect(page.locator("html")).to_have_attribute("lang", "it")
    for ruolo in ("banner", "main", "contentinfo"):
        expect(page.get_by_role(ruolo)).to_have_count(1)
    expect(chi_siamo.navigazione).to_have_count(1)
    expect(page.get_by_role("heading", level=1)).to_have_text(contenuto["nome"])
    for chiave, titolo in contenuto["titoli"].items():
        expect(chi_siamo.sezione(chiave).get_by_role("heading", level=2)).to_have_text(titolo)


def test_skip_link_is_the_first_focusable_element(chi_siamo: PaginaChiSiamo):
    chi_siamo.page.keyboard.press("Tab")
    salta = chi_siamo.page.get_by_role("link", name="Vai al contenuto")
    expect(salta).to_be_focused()
    expect(salta).to_be_visible()
    chi_siamo.page.keyboard.press("Enter")
    chi_siamo.page.keyboard.press("Tab")  # the next stop is the first control of the content
    expect(chi_siamo.scopri_di_piu).to_be_focused()


def test_sections_show_the_content_file_text(chi_siamo: PaginaChiSiamo, contenuto):
    for chiave in ("mission", "vision"):
        for paragrafo in paragrafi(contenuto["sezioni"][chiave]):
            expect(chi_siamo.sezione(chiave)).to_contain_text(paragrafo)
    expect(chi_siamo.sezione("valori")).to_contain_text(contenuto["sezioni"]["valori_intro"])


def test_timeline_lists_milestones_in_order_with_years(chi_siamo: PaginaChiSiamo, contenuto):
    tappe = chi_siamo.timeline.get_by_role("listitem")
    expect(tappe).to_have_count(len(contenuto["tappe"]))
    expect(tappe.get_by_role("heading", level=3)).to_have_text(
        [t["titolo"] for t in contenuto["tappe"]]
    )
    for i, tappa in enumerate(contenuto["tappe"]):
        tempo = tappe.nth(i).locator("time")
        if "anno" in tappa:
            expect(tempo).to_have_attribute("datetime", str(tappa["anno"]))
            expect(tempo).to_have_text(str(tappa["anno"]))
        else:
            expect(tempo).to_have_count(0)
        expect(tappe.nth(i)).to_contain_text(tappa["testo"])
    anni = [int(a) for a in chi_siamo.timeline.locator("time").all_inner_texts()]
    assert anni == sorted(anni) and len(anni) == sum("anno" in t for t in contenuto["tappe"])
    assert chi_siamo.timeline.evaluate("el => el.tagName") == "OL"


def test_scopri_di_piu_expands_and_collapses_the_full_history(chi_siamo: PaginaChiSiamo, contenuto):
    pulsante = chi_siamo.scopri_di_piu
    testo = chi_siamo.page.locator(f"#{pulsante.get_attribute('aria-controls')}")
    primo_paragrafo = paragrafi(contenuto["sezioni"]["storia_testo"])[0]
    expect(pulsante).to_have_attribute("aria-expanded", "false")
    expect(testo).to_be_hidden()
    pulsante.click()
    expect(pulsante).to_have_attribute("aria-expanded", "true")
    expect(testo).to_be_visible()
    expect(testo).to_contain_text(primo_paragrafo)
    pulsante.click()
    expect(pulsante).to_have_attribute("aria-expanded", "false")
    expect(testo).to_be_hidden()


def test_each_value_expands_and_collapses_by_mouse(chi_siamo: PaginaChiSiamo, contenuto):
    pulsanti = chi_siamo.sezione("valori").get_by_role("heading", level=3).get_by_role("button")
    expect(pulsanti).to_have_count(len(contenuto["valori"]))
    for valore in contenuto["valori"]:
        pulsante = chi_siamo.valore(valore["titolo"])
        pannello = chi_siamo.pannello(pulsante)
        expect(pulsante).to_have_attribute("aria-expanded", "false")
        expect(pannello).to_be_hidden()
        pulsante.click()
        expect(pulsante).to_have_attribute("aria-expanded", "true")
        expect(pannello).to_be_visible()
        expect(pannello).to_have_text(valore["testo"])
        expect(pannello).to_have_attribute("aria-labelledby", pulsante.get_attribute("id"))
        pulsante.click()
        expect(pannello).to_be_hidden()


def test_each_value_toggles_with_enter_and_space(chi_siamo: PaginaChiSiamo, contenuto):
    for valore in contenuto["valori"]:
        pulsante = chi_siamo.valore(valore["titolo"])
        pulsante.focus()
        chi_siamo.page.keyboard.press("Enter")
        expect(pulsante).to_have_attribute("aria-expanded", "true")
        expect(chi_siamo.pannello(pulsante)).to_be_visible()
        chi_siamo.page.keyboard.press("Space")
        expect(pulsante).to_have_attribute("aria-expanded", "false")
        expect(chi_siamo.pannello(pulsante)).to_be_hidden()


def test_expand_all_and_collapse_all(chi_siamo: PaginaChiSiamo, contenuto):
    pulsanti = chi_siamo.sezione("valori").get_by_role("heading", level=3).get_by_role("button")
    n = len(contenuto["valori"])
    chi_siamo.page.get_by_role("button", name="Espandi tutti").click()
    expect(pulsanti.and_(chi_siamo.page.locator("[aria-expanded=true]"))).to_have_count(n)
    expect(chi_siamo.sezione("valori").get_by_role("region")).to_have_count(n)
    chi_siamo.page.get_by_role("button", name="Comprimi tutti").click()
    expect(pulsanti.and_(chi_siamo.page.locator("[aria-expanded=false]"))).to_have_count(n)
    expect(chi_siamo.sezione("valori").get_by_role("region")).to_have_count(0)


def test_a_value_is_linkable(pagina: Page, contenuto):
    chi_siamo = PaginaChiSiamo(pagina, contenuto).apri("/#valori-3")
    terzo = chi_siamo.valore(contenuto["valori"][2]["titolo"])
    expect(terzo).to_have_attribute("aria-expanded", "true")
    expect(chi_siamo.pannello(terzo)).to_be_in_viewport()
    expect(chi_siamo.valore(contenuto["valori"][0]["titolo"])).to_have_attribute(
        "aria-expanded", "false"
    )


@pytest.mark.parametrize("viewport", ["telefono"], indirect=True)
def test_phone_menu_opens_and_reaches_every_section(chi_siamo: PaginaChiSiamo, contenuto):
    voci = chi_siamo.navigazione.get_by_role("link")
    for chiave in contenuto["titoli"]:
        expect(voci.first).to_be_hidden()
        expect(chi_siamo.pulsante_menu).to_have_attribute("aria-expanded", "false")
        chi_siamo.pulsante_menu.click()
        expect(chi_siamo.pulsante_menu).to_have_attribute("aria-expanded", "true")
        expect(voci).to_have_count(len(contenuto["titoli"]) + 1)  # and "Area riservata"
        expect(voci.last).to_have_text("Area riservata")
        voce = chi_siamo.navigazione.locator(f"a[href='/#{chiave}']")
        voce.click()
        expect(chi_siamo.sezione(chiave).get_by_role("heading", level=2)).to_be_in_viewport()
        expect(chi_siamo.pulsante_menu).to_have_attribute("aria-expanded", "false")


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_desktop_navigation_is_always_visible(chi_siamo: PaginaChiSiamo, contenuto):
    expect(chi_siamo.pulsante_menu).to_be_hidden()
    for chiave in contenuto["titoli"]:
        voce = chi_siamo.navigazione.locator(f"a[href='/#{chiave}']")
        expect(voce).to_be_visible()
        voce.click()
        expect(chi_siamo.sezione(chiave).get_by_role("heading", level=2)).to_be_in_viewport()


@pytest.mark.parametrize("larghezza", [320, 1920])
def test_no_horizontal_scroll(browser, server, contenuto, larghezza):
    context = browser.new_context(viewport={"width": larghezza, "height": 800}, base_url=server.url)
    chi_siamo = PaginaChiSiamo(context.new_page(), contenuto).apri()
    chi_siamo.page.get_by_role("button", name="Espandi tutti").click()
    chi_siamo.scopri_di_piu.click()
    larghezze = chi_siamo.page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    context.close()
    assert larghezze[0] <= larghezze[1]


def test_touch_targets_are_at_least_24px(chi_siamo: PaginaChiSiamo):
    chi_siamo.page.get_by_role("button", name="Espandi tutti").click()
    piccoli = chi_siamo.page.evaluate(
        """() => [...document.querySelectorAll('a, button')]
          .filter((el) => el.offsetParent !== null && !el.classList.contains('salta'))
          .map((el) => [el.textContent.trim(), el.getBoundingClientRect()])
          .filter(([, r]) => r.width < 24 || r.height < 24)
          .map(([t, r]) => `${t}: ${r.width}x${r.height}`)"""
    )
    assert piccoli == []


def test_reaching_the_header_by_keyboard_leaves_the_page_where_it_was(
    chi_siamo: PaginaChiSiamo,
):
    """Halfway down the page, Shift+Tab back into the sticky header (its links, the language
    switch, the menu button) shows the focused control where it is: the text being read stays."""
    page = chi_siamo.page
    page.emulate_media(reduced_motion="reduce")  # every scroll instant: done when focus is
    page.locator("#vision").evaluate("(e) => e.scrollIntoView()")
    prima = page.evaluate("scrollY")
    assert prima > 300
    controlli = page.get_by_role("banner").locator("a:visible, button:visible")
    assert controlli.count() >= 2
    for i in range(controlli.count()):
        controlli.nth(i).focus()
        expect(controlli.nth(i)).to_be_focused()
        assert page.evaluate("scrollY") == prima, controlli.nth(i).inner_text()
