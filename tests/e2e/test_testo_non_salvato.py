"""No typing is lost: text typed in an open editor survives a reload, and leaving the page or
edit mode with unsaved text asks first."""

import pytest
from playwright.sync_api import Dialog, Page, expect

from tests.e2e.pages.staff import PaginaInModifica, accedi

RIPRESO = "Ripreso il testo che non avevi ancora salvato: controllalo e premi Salva."
CHIEDE = "Hai del testo non salvato: se esci andrà perso. Uscire lo stesso?"


@pytest.fixture
def redattore(pagina: Page, staff, contenuto, db) -> PaginaInModifica:
    accedi(pagina, "anna", staff["anna"])
    return PaginaInModifica(pagina, contenuto).apri().attiva_modifica()


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_typed_text_survives_a_reload_and_is_forgotten_once_saved(redattore: PaginaInModifica):
    page = redattore.page
    page.get_by_role("button", name="Modifica vision").click()
    campo = redattore.campo("Testo: vision")
    campo.fill("Una vision scritta a metà, poi la pagina si ricarica.")
    page.reload()  # a reload, as after a crash or a dropped connection
    expect(page.locator("main")).to_have_attribute("data-idratata", "true")
    campo = redattore.campo("Testo: vision")
    expect(campo).to_have_value("Una vision scritta a metà, poi la pagina si ricarica.")
    expect(page.locator(".testo-ripreso")).to_have_text(RIPRESO)

    redattore.salva()
    expect(redattore.annuncio).to_have_text("Testo della vision salvato.")
    page.reload()
    expect(page.locator("main")).to_have_attribute("data-idratata", "true")
    page.get_by_role("button", name="Modifica vision").click()
    expect(redattore.campo("Testo: vision")).to_have_value(
        "Una vision scritta a metà, poi la pagina si ricarica."
    )
    expect(page.locator(".testo-ripreso")).to_have_count(0)  # saved: nothing to bring back
    page.get_by_role("button", name="Annulla", exact=True).click()


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_leaving_edit_mode_with_unsaved_text_asks_first(redattore: PaginaInModifica):
    page = redattore.page
    page.get_by_role("button", name="Modifica mission").click()
    redattore.campo("Testo: mission").fill("Testo non ancora salvato.")
    domande: list[str] = []

    def rifiuta(dialogo: Dialog) -> None:
        domande.append(dialogo.message)
        dialogo.dismiss()

    page.once("dialog", rifiuta)
    pulsante = redattore.strumento("Esci dalla modifica")
    pulsante.click()
    expect(redattore.campo("Testo: mission")).to_have_value("Testo non ancora salvato.")
    expect(pulsante).to_be_visible()
    assert domande == [CHIEDE]

    page.once("dialog", lambda dialogo: dialogo.accept())
    pulsante.click()
    expect(page.get_by_role("button", name="Modifica pagina")).to_be_visible()


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_closing_the_page_with_unsaved_text_asks_first(redattore: PaginaInModifica):
    page = redattore.page
    page.get_by_role("button", name="Modifica mission").click()
    redattore.campo("Testo: mission").fill("Testo non ancora salvato.")
    page.locator("body").click(position={"x": 5, "y": 5})  # the page needs a user gesture
    tipi: list[str] = []

    def resta(dialogo: Dialog) -> None:
        tipi.append(dialogo.type)
        dialogo.dismiss()

    page.once("dialog", resta)
    page.close(run_before_unload=True)
    expect(redattore.campo("Testo: mission")).to_have_value("Testo non ancora salvato.")
    assert tipi == ["beforeunload"]
    page.once("dialog", lambda dialogo: dialogo.accept())
