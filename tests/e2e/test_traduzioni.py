"""Staff translate on the English page: the English mission edited and published (live on an
open `/en/`, not on `/`), a translation marked out of date when the Italian changes (with what
changed) and current again once the English is saved, the bar's count, the publish
confirmation's list, undo and history of an English change, the staff interface marked as
Italian on the English page, and a milestone with no English shown there as its Italian."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from serena_app.contenuto.pagina import BOZZA, leggi_elemento
from serena_app.contenuto.tipi import SEZIONE, Voce
from tests.e2e.pages.staff import PaginaInModifica, accedi
from tests.support.axe import violazioni_alle_due_misure
from tests.support.chromium import VIEWPORTS
from tests.support.server import Server

INGLESE = "/en/"
CAMPO_INGLESE = "Testo in inglese: mission"
DA_AGGIORNARE = "Traduzione da aggiornare"


@pytest.fixture
def redattore(pagina: Page, staff, contenuto, db) -> PaginaInModifica:
    """Anna, logged in, in edit mode on the English page."""
    accedi(pagina, "anna", staff["anna"])
    return PaginaInModifica(pagina, contenuto).apri(INGLESE).attiva_modifica()


def _mission(page: Page):
    return page.locator("#mission")


def _salva_inglese(redattore: PaginaInModifica, testo: str) -> None:
    redattore.page.get_by_role("button", name="Modifica mission").click()
    redattore.campo(CAMPO_INGLESE).fill(testo)
    redattore.salva()
    expect(redattore.annuncio).to_have_text("Testo della mission salvato.")
    expect(_mission(redattore.page)).to_contain_text(testo)


def _pubblica(redattore: PaginaInModifica) -> None:
    redattore.page.get_by_role("button", name="Pubblica", exact=True).click()
    redattore.page.get_by_role("button", name="Pubblica ora").click()
    expect(redattore.stato).to_contain_text("Nessuna modifica in bozza")


@pytest.mark.parametrize("server", ["run"], indirect=True)
@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_staff_translate_the_mission_and_only_the_english_page_changes(
    redattore: PaginaInModifica, browser: Browser, server: Server, contenuto
):
    italiana, inglese = contenuto["sezioni"]["mission"], contenuto["sezioni_en"]["mission"]
    visite = browser.new_context(base_url=server.url)
    su_en, su_it = visite.new_page(), visite.new_page()
    for pagina, percorso in ((su_en, INGLESE), (su_it, "/")):
        pagina.goto(percorso)
        expect(pagina.locator("main")).to_have_attribute("data-idratata", "true")

    page = redattore.page
    # On /en/ the lists are translated, not reshaped: no add, move or delete.
    expect(page.get_by_role("button", name="Aggiungi tappa")).to_have_count(0)
    expect(page.get_by_role("button", name="Sposta su tappa 2")).to_have_count(0)
    expect(page.get_by_role("button", name="Modifica tappa 1")).to_be_visible()
    expect(page.locator("#storia").get_by_role("link", name="pagina in italiano")).to_be_visible()

    page.get_by_role("button", name="Modifica mission").click()
    campo = redattore.campo(CAMPO_INGLESE)
    expect(campo).to_be_focused()
    expect(campo).to_have_value(inglese)  # it starts from the English
    originale = page.locator(".originale")
    expect(originale).to_contain_text("Testo italiano da tradurre:")
    expect(originale).to_contain_text(italiana.split("\n\n")[0][:40])
    campo.fill("Our new English mission.")
    campo.press("Tab")
    page.keyboard.press("Enter")  # "Salva", by keyboard
    expect(redattore.annuncio).to_have_text("Testo della mission salvato.")
    expect(_mission(page)).to_contain_text("Our new English mission.")
    expect(_mission(su_en)).to_contain_text(inglese.split("\n\n")[0][:40])  # a draft, so far

    _pubblica(redattore)
    expect(_mission(su_en)).to_contain_text("Our new English mission.")
    expect(_mission(su_it)).to_contain_text(italiana.split("\n\n")[0][:40])
    expect(_mission(su_it)).not_to_contain_text("Our new English mission.")
    su_it.reload()
    expect(su_it.locator("main")).to_have_attribute("data-idratata", "true")
    expect(_mission(su_it)).not_to_contain_text("Our new English mission.")
    visite.close()


@pytest.mark.parametrize("server", ["run"], indirect=True)
@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_a_changed_italian_marks_the_english_out_of_date_until_it_is_saved(
    redattore: PaginaInModifica, contenuto, tmp_path
):
    page = redattore.page
    expect(page.locator(".traduzione")).to_have_count(0)  # the seed is all translated
    expect(redattore.stato).not_to_contain_text("traduzion")

    # The Italian mission changes, from a tab of the Italian page.
    italiana = PaginaInModifica(page.context.new_page(), contenuto).apri().attiva_modifica()
    italiana.page.get_by_role("button", name="Modifica mission").click()
    italiana.campo("Testo: mission").fill("Una mission tutta nuova.")
    italiana.salva()
    expect(italiana.annuncio).to_have_text("Testo della mission salvato.")
    expect(italiana.stato).to_contain_text("1 traduzione da aggiornare.")  # on / too

    # The English tab is told live: its marker, and the bar's count.
    marcatore = _mission(page).locator(".traduzione")
    expect(marcatore).to_have_text(DA_AGGIORNARE)
    expect(redattore.stato).to_contain_text("1 traduzione da aggiornare.")

    # "Pubblica" lists it, and still publishes.
    page.get_by_role("button", name="Pubblica", exact=True).click()
    da_fare = page.get_by_role("list", name="Traduzioni in inglese ancora da fare")
    expect(da_fare).to_have_text("Testo della mission: traduzione da aggiornare")
    expect(page.get_by_role("button", name="Pubblica ora")).to_be_enabled()
    page.get_by_role("button", name="No, torna indietro").click()

    # Axe, with the marker, at both sizes; and the pictures.
    assert violazioni_alle_due_misure(page) == {}
    for nome, misura in VIEWPORTS.items():
        page.set_viewport_size(misura)
        marcatore.scroll_into_view_if_needed()
        page.screenshot(path=tmp_path / f"traduzione-da-aggiornare-{nome}.png")
    page.set_viewport_size(VIEWPORTS["desktop"])

    # The editor says what changed in the Italian since the English was saved.
    page.get_by_role("button", name="Modifica mission").click()
    cambiato = page.locator(".originale details")
    expect(cambiato.locator("summary")).to_contain_text(DA_AGGIORNARE)
    expect(cambiato.locator("ins").last).to_contain_text("nuova.")
    expect(cambiato.locator("del").first).to_be_attached()
    page.screenshot(path=tmp_path / "traduzione-da-aggiornare-editor.png")
    print(f"\nscreenshots of the marker: {tmp_path}")
    redattore.campo(CAMPO_INGLESE).fill("An all new mission.")
    redattore.salva()
    expect(redattore.annuncio).to_have_text("Testo della mission salvato.")
    expect(marcatore).to_have_count(0)
    expect(redattore.stato).not_to_contain_text("traduzion")
    italiana.page.close()


@pytest.mark.parametrize("server", ["run"], indirect=True)
@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_undo_and_history_of_an_english_change_touch_only_the_english(
    redattore: PaginaInModifica, contenuto, db
):
    page = redattore.page
    _salva_inglese(redattore, "The first English mission.")
    _salva_inglese(redattore, "The second English mission.")
    redattore.strumento("Annulla ultima modifica").click()
    expect(redattore.annuncio).to_have_text("Modifica annullata: Testo della mission.")
    expect(_mission(page)).to_contain_text("The first English mission.")
    db.expire_all()
    bozza = leggi_elemento(session=db, pagina=BOZZA, voce=Voce(SEZIONE.nome, chiave="mission"))
    assert (bozza.testo, bozza.testo_en) == (
        contenuto["sezioni"]["mission"],
        "The first English mission.",
    )

    page.get_by_role("button", name="Cronologia mission").click()
    voci = page.get_by_role("region", name="Cronologia: mission").get_by_role("listitem")
    expect(voci.first).to_contain_text("Modifica annullata in inglese · anna")
    expect(voci.nth(1)).to_contain_text("Salvata in inglese · anna")


# The staff-only interface (as `components/accessibilita.py` lists it); a visible text in it
# whose language comes from `<html lang="en">` would be read with an English voice.
SENZA_LANG_IT = """() => {
  const staff = '#barra-staff, .controlli, .conferma, .pulsante-piccolo, form.editor, .bozza,'
    + ' .esito-voce, .cronologia, [id^="aggiungi-"], .nota-struttura, .presenza-voce';
  const testo = (e) => [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
  return [...document.querySelectorAll(staff)]
    .flatMap((c) => [c, ...c.querySelectorAll('*')])
    .filter((e) => e.checkVisibility() && testo(e))
    .filter((e) => e.closest('[lang]') === document.documentElement)
    .map((e) => e.textContent.trim().slice(0, 60));
}"""


def _lingua(elemento) -> str:
    """The language a screen reader reads `elemento` in: that of its closest `lang`."""
    return elemento.evaluate("(e) => e.closest('[lang]').lang")


@pytest.mark.parametrize("server", ["run"], indirect=True)
@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_on_the_english_page_the_staff_interface_says_it_is_italian(
    redattore: PaginaInModifica,
):
    page = redattore.page
    expect(page.locator("html")).to_have_attribute("lang", "en")
    for controllo in (
        redattore.barra,
        redattore.stato,
        redattore.barra.get_by_role("button", name="Pubblica", exact=True),
        page.get_by_role("button", name="Modifica mission"),
        page.get_by_role("button", name="Cronologia mission"),
        page.get_by_role("button", name="Modifica tappa 1"),
    ):
        assert _lingua(controllo) == "it", controllo
    assert page.evaluate(SENZA_LANG_IT) == []
    # No dead buttons: the lists are reshaped on `/` only (the server refuses it from here).
    rimodella = re.compile(r"^(Sposta su|Sposta giù|Elimina) ")
    expect(page.get_by_role("button", name=rimodella)).to_have_count(0)

    # An open editor: Italian around an English field.
    page.get_by_role("button", name="Modifica mission").click()
    campo = redattore.campo(CAMPO_INGLESE)
    expect(campo).to_be_focused()
    assert _lingua(page.locator("label[for=modifica-testo_en]")) == "it"
    assert _lingua(page.get_by_role("button", name="Salva", exact=True)) == "it"
    assert _lingua(campo) == "en"  # what she types there is English
    assert page.evaluate(SENZA_LANG_IT) == []
    page.get_by_role("button", name="Annulla", exact=True).click()

    # The history panel of an item.
    page.get_by_role("button", name="Cronologia mission").click()
    pannello = page.get_by_role("region", name="Cronologia: mission")
    expect(pannello).to_be_visible()
    assert _lingua(pannello.get_by_role("button", name="Chiudi cronologia")) == "it"
    assert page.evaluate(SENZA_LANG_IT) == []
    pannello.get_by_role("button", name="Chiudi cronologia").click()

    # A milestone's: its English title, named in English inside the Italian panel.
    page.get_by_role("button", name="Cronologia tappa 1").click()
    titolo = page.locator("#cronologia-pannello h3")
    expect(titolo).to_have_text(re.compile(r"^Cronologia: \S"))
    assert _lingua(titolo) == "it"
    assert _lingua(titolo.locator("span")) == "en"
    nome = titolo.locator("span").inner_text()
    expect(page.get_by_role("region", name=f"Cronologia: {nome}")).to_be_visible()


@pytest.mark.parametrize("server", ["run"], indirect=True)
@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_a_milestone_without_english_shows_its_italian_marked_as_italian(
    redattore: PaginaInModifica, browser: Browser, server: Server, contenuto
):
    """Added on `/`, published: `/en/` shows its Italian with `lang="it"`, and nothing else."""
    titolo, testo = "Una tappa nuova", "Il testo della tappa nuova."
    italiana = PaginaInModifica(redattore.page.context.new_page(), contenuto)
    italiana.apri().attiva_modifica()
    italiana.page.get_by_role("button", name="Aggiungi tappa").click()
    italiana.campo("Titolo").fill(titolo)
    italiana.campo("Testo").fill(testo)
    italiana.salva()
    expect(italiana.annuncio).to_contain_text(f"Tappa «{titolo}» aggiunta")
    italiana.page.close()

    expect(redattore.stato).to_contain_text("1 traduzione mancante.")  # told live on /en/
    nuova_in_modifica = redattore.page.locator("#storia li.tappa").filter(has_text=titolo)
    expect(nuova_in_modifica).to_contain_text("Traduzione mancante")
    _pubblica(redattore)

    visite = browser.new_context(base_url=server.url)
    try:
        page = visite.new_page()
        page.goto(INGLESE)
        expect(page.locator("main")).to_have_attribute("data-idratata", "true")
        nuova = page.locator("#storia li").filter(has_text=titolo)
        expect(nuova).to_have_attribute("lang", "it")
        assert [r for r in nuova.inner_text().split("\n") if r.strip()] == [titolo, testo]
        altre = page.locator("#storia li").filter(has_not_text=titolo)
        expect(altre.first).to_have_attribute("lang", "en")  # control: the translated ones
    finally:
        visite.close()
