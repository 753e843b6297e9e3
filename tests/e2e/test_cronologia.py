"""History in edit mode, as staff use it: an item's "Cronologia" with the word diff, "Ripristina"
then "Pubblica" for visitors, "Annulla ultima modifica" (and Ctrl+Z), a whole-page restore,
by keyboard and with no axe violation."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.e2e.pages.staff import PaginaInModifica, accedi
from tests.support.server import Server

AXE = Axe()


@pytest.fixture
def redattore(pagina: Page, staff, contenuto, db) -> PaginaInModifica:
    accedi(pagina, "anna", staff["anna"])
    return PaginaInModifica(pagina, contenuto).apri().attiva_modifica()


def _salva_mission(redattore: PaginaInModifica, testo: str) -> None:
    redattore.page.get_by_role("button", name="Modifica mission").click()
    redattore.campo("Testo: mission").fill(testo)
    redattore.salva()
    expect(redattore.annuncio).to_have_text("Testo della mission salvato.")


def _pubblica(redattore: PaginaInModifica) -> None:
    redattore.page.get_by_role("button", name="Pubblica", exact=True).click()
    redattore.page.get_by_role("button", name="Pubblica ora").click()
    expect(redattore.stato).to_contain_text("Nessuna modifica in bozza")


def _pannello(page: Page):
    return page.get_by_role("region", name="Cronologia: mission")


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_an_older_published_mission_comes_back_for_visitors(
    redattore: PaginaInModifica, browser: Browser, server: Server
):
    _salva_mission(redattore, "La mission di ottobre, ben scritta.")
    _pubblica(redattore)
    _salva_mission(redattore, "La mission di novembre, con un errore.")
    _pubblica(redattore)
    visitatore = browser.new_context(base_url=server.url).new_page()
    visitatore.goto("/")
    expect(visitatore.locator("#mission")).to_contain_text("con un errore")

    redattore.page.get_by_role("button", name="Cronologia mission").click()
    pannello = _pannello(redattore.page)
    expect(pannello).to_be_focused()
    voci = pannello.get_by_role("listitem")
    expect(voci.first).to_contain_text("Salvata · anna · adesso")
    expect(voci.first.locator("ins")).to_have_text(
        ["aggiunto: novembre,", "aggiunto: con", "aggiunto: un errore."]
    )
    expect(voci.first.locator("del")).to_have_text(
        ["tolto: ottobre,", "tolto: ben", "tolto: scritta."]
    )
    expect(voci.last).to_contain_text("Testo di partenza · file dei contenuti")

    voci.nth(1).get_by_role("button", name="Ripristina la versione di adesso").click()
    expect(redattore.annuncio).to_have_text(
        "Testo della mission: versione ripristinata come bozza, da pubblicare."
    )
    expect(redattore.sezione("mission")).to_contain_text("La mission di ottobre, ben scritta.")
    expect(voci.first).to_contain_text("Ripristinata · anna")
    expect(visitatore.locator("#mission")).to_contain_text("con un errore")  # a draft, so far
    _pubblica(redattore)
    expect(visitatore.locator("#mission")).to_contain_text("ottobre, ben scritta.", timeout=2000)
    visitatore.context.close()


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_annulla_ultima_modifica_and_ctrl_z_undo_ones_own_changes(
    redattore: PaginaInModifica, contenuto
):
    originale = contenuto["sezioni"]["mission"].split("\n\n")[0]
    _salva_mission(redattore, "Prima modifica.")
    _salva_mission(redattore, "Seconda modifica.")
    annulla = redattore.strumento("Annulla ultima modifica")
    annulla.click()
    expect(redattore.annuncio).to_have_text("Modifica annullata: Testo della mission.")
    expect(redattore.sezione("mission")).to_contain_text("Prima modifica.")
    redattore.page.locator("body").click(position={"x": 5, "y": 400})  # focus outside a field
    redattore.page.keyboard.press("Control+z")
    expect(redattore.sezione("mission")).to_contain_text(originale)
    expect(redattore.stato).to_contain_text("Nessuna modifica in bozza")
    expect(annulla).to_be_disabled()  # nothing of hers is left to undo
    expect(annulla).to_have_accessible_description("Nessuna modifica tua da annullare.")


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_the_whole_page_comes_back_as_an_earlier_publish_left_it(
    redattore: PaginaInModifica, contenuto
):
    _salva_mission(redattore, "Mission della prima pubblicazione.")
    _pubblica(redattore)
    _salva_mission(redattore, "Mission della seconda pubblicazione.")
    redattore.page.get_by_role("button", name="Elimina valore 1", exact=True).click()
    redattore.page.get_by_role("button", name="Conferma eliminazione").click()
    _pubblica(redattore)

    redattore.strumento("Cronologia della pagina").click()
    pannello = redattore.page.get_by_role("region", name="Cronologia della pagina")
    expect(pannello).to_be_focused()
    pubblicazioni = pannello.get_by_role("listitem")
    expect(pubblicazioni.first).to_contain_text("Pubblicata · anna")
    # Newest first: the publish before the last one (earlier tests published too).
    pubblicazioni.nth(1).get_by_role("button").click()
    expect(redattore.annuncio).to_contain_text("Pagina ripristinata come bozza: 2 modifiche")
    expect(redattore.sezione("mission")).to_contain_text("Mission della prima pubblicazione.")
    expect(redattore.valore(contenuto["valori"][0]["titolo"])).to_be_visible()
    _pubblica(redattore)


@pytest.mark.parametrize("viewport", ["telefono", "desktop"], indirect=True)
def test_the_history_panel_works_by_keyboard_and_passes_axe(redattore: PaginaInModifica):
    _salva_mission(redattore, "Una modifica da vedere nella cronologia.")
    pulsante = redattore.page.get_by_role("button", name="Cronologia mission")
    pulsante.focus()
    redattore.page.keyboard.press("Enter")
    pannello = _pannello(redattore.page)
    expect(pannello).to_be_focused()
    redattore.page.keyboard.press("Tab")
    quando = pannello.locator("time").first
    expect(quando).to_be_focused()  # the exact time shows on focus, and is in its name
    expect(quando).to_have_attribute(
        "title", redattore.page.locator("time").first.get_attribute("title")
    )
    assert "2026" in (quando.get_attribute("aria-label") or "") or quando.get_attribute("title")
    redattore.page.keyboard.press("Tab")
    expect(pannello.get_by_role("button").first).to_be_focused()
    risultati = AXE.run(redattore.page)
    assert [v["id"] for v in risultati.response["violations"]] == []
    pannello.get_by_role("button", name="Chiudi cronologia").press("Enter")
    expect(pulsante).to_be_focused()
