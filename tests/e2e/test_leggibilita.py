"""Writing help in the real app: an editor's figures follow her typing and list the long
sentences, "Leggi i suggerimenti" reads them to a screen reader (and nothing else does), the
page summary names the hardest text and opens it, the publish confirmation says how the
figures change, and the English editors measure with Flesch."""

import re

import pytest
from playwright.sync_api import Page, expect

from serena_app.leggibilita.figure import indice as indice_di
from serena_app.leggibilita.indici import misura
from serena_app.lingue import INGLESE
from tests.e2e.pages.staff import PaginaInModifica, accedi
from tests.support.axe import violazioni_alle_due_misure

FACILE = "Siamo qui. Vi aiutiamo. Ogni giorno."
LUNGA = (
    "Questa frase troppo lunga continua a scorrere senza mai fermarsi perché chi la scrive "
    "vuole dire tutto in una volta sola e non lascia respirare chi legge fino alla fine."
)  # 30 words


@pytest.fixture
def redattrice(pagina: Page, staff, contenuto, db) -> PaginaInModifica:
    accedi(pagina, "anna", staff["anna"])
    return PaginaInModifica(pagina, contenuto).apri().attiva_modifica()


def _figure(page: Page):
    return page.locator("form.editor .leggibilita")


def test_typing_changes_the_figures_and_lists_a_long_sentence(redattrice: PaginaInModifica):
    page = redattrice.page
    page.get_by_role("button", name="Modifica mission").click()
    figure = _figure(page)
    indice = figure.locator(".leggibilita-indice")
    # The wiring, not the formula (tests/unit/test_leggibilita.py checks that by hand).
    expect(indice).to_have_text(indice_di(misura(redattrice.contenuto["sezioni"]["mission"])))
    expect(figure.get_by_role("list", name="Frasi da dividere")).to_be_visible()

    campo = redattrice.campo("Testo: mission")
    campo.fill(FACILE)
    expect(indice).to_have_text("Gulpease 100: facile (si legge con la licenza elementare)")
    expect(figure).to_contain_text("6 parole · lettura meno di 5 secondi")
    expect(figure.get_by_role("list", name="Frasi da dividere")).to_have_count(0)

    campo.press("End")
    campo.press_sequentially(" " + LUNGA, delay=5)  # typed, key by key
    lunghe = figure.get_by_role("list", name="Frasi da dividere (più di 25 parole):")
    expect(lunghe.get_by_role("listitem")).to_have_text(
        ["«Questa frase troppo lunga continua a scorrere senza mai fermarsi…» (30 parole)"]
    )
    # Never a live region: figures that change with each pause are not read out.
    assert figure.evaluate("(el) => el.closest('[aria-live], [role=status]')") is None
    assert page.evaluate(
        "() => [...document.querySelectorAll('.leggibilita [aria-live]')]"
        ".every((el) => el.classList.contains('solo-lettori'))"
    )
    assert violazioni_alle_due_misure(page) == {}


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_typing_brought_back_after_a_reload_has_its_figures(redattrice: PaginaInModifica):
    page = redattrice.page
    page.get_by_role("button", name="Modifica mission").click()
    redattrice.campo("Testo: mission").fill(LUNGA)
    lunghe = _figure(page).get_by_role("list", name="Frasi da dividere (più di 25 parole):")
    una = ["«Questa frase troppo lunga continua a scorrere senza mai fermarsi…» (30 parole)"]
    expect(lunghe.get_by_role("listitem")).to_have_text(una)
    page.reload()  # the editor opens again with her text (`salvaguardie.py`)
    expect(page.locator("main")).to_have_attribute("data-idratata", "true")
    expect(redattrice.campo("Testo: mission")).to_have_value(LUNGA)
    expect(lunghe.get_by_role("listitem")).to_have_text(una)  # not the stored mission's two


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_leggi_i_suggerimenti_reads_the_figures_once_per_press(redattrice: PaginaInModifica):
    page = redattrice.page
    page.get_by_role("button", name="Modifica vision").click()
    letto = _figure(page).locator("[aria-live=polite]")
    expect(letto).to_have_text("")  # typing and opening say nothing
    expect(_figure(page)).to_contain_text("Testo: 1 spazio doppio (dopo «avere»)")  # the seed's
    page.get_by_role("button", name="Leggi i suggerimenti").click()
    vision = indice_di(misura(redattrice.contenuto["sezioni"]["vision"]))
    expect(letto).to_contain_text(vision)
    expect(letto).to_contain_text("Suggerimenti: Testo: 1 spazio doppio (dopo «avere»)")
    primo = letto.text_content() or ""
    page.get_by_role("button", name="Leggi i suggerimenti").press("Enter")
    # A change (a no-break space more), so the same figures are read again.
    expect(letto).to_have_js_property("textContent", primo + "\u00a0")
    page.get_by_role("button", name="Annulla", exact=True).click()


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_the_page_summary_names_the_hardest_text_and_opens_it(redattrice: PaginaInModifica):
    page = redattrice.page
    redattrice.strumento("Leggibilità della pagina").click()
    pannello = page.get_by_role("region", name="Leggibilità della pagina")
    expect(pannello.locator(".leggibilita-indice")).to_have_text(re.compile(r"^Gulpease \d+: "))
    expect(pannello).to_contain_text(
        "Il testo più difficile: Valore «Pari opportunità»: Gulpease 28"
    )
    expect(pannello).to_contain_text("frasi oltre 25 parole")
    pannello.get_by_role("button", name="Apri il testo").click()
    campo = redattrice.campo("Testo")
    expect(campo).to_be_focused()
    expect(campo).to_have_value(redattrice.contenuto["valori"][0]["testo"])
    assert violazioni_alle_due_misure(page) == {}


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_the_publish_confirmation_shows_how_gulpease_changes(redattrice: PaginaInModifica):
    page = redattrice.page
    page.get_by_role("button", name="Modifica mission").click()
    redattrice.campo("Testo: mission").fill(FACILE)
    redattrice.salva()
    expect(redattrice.annuncio).to_have_text("Testo della mission salvato.")
    page.get_by_role("button", name="Pubblica", exact=True).click()
    confronto = page.get_by_role("list", name="Leggibilità dopo la pubblicazione:")
    italiano = confronto.get_by_role("listitem").first
    expect(italiano).to_have_text(re.compile(r"^Italiano: Gulpease \d+ → \d+; frasi oltre 25 "))
    prima, dopo = re.findall(r"Gulpease (\d+) → (\d+)", italiano.text_content() or "")[0]
    assert int(dopo) > int(prima)  # an easier mission makes the page easier
    page.get_by_role("button", name="No, torna indietro").click()


@pytest.mark.parametrize("viewport", ["telefono"], indirect=True)
def test_an_english_editor_measures_with_flesch(pagina: Page, staff, contenuto, db):
    accedi(pagina, "anna", staff["anna"])
    redattrice = PaginaInModifica(pagina, contenuto).apri("/en/").attiva_modifica()
    pagina.get_by_role("button", name="Modifica mission").click()
    indice = _figure(pagina).locator(".leggibilita-indice")
    expect(indice).to_have_text(indice_di(misura(contenuto["sezioni_en"]["mission"], INGLESE)))
    redattrice.campo("Testo in inglese: mission").fill("The cat sat on the mat.")
    expect(indice).to_have_text("Flesch 116: molto facile (per un ragazzo di 11 anni)")
    pagina.get_by_role("button", name="Annulla", exact=True).click()
