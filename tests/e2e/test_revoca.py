"""A staff tab whose session ends elsewhere shows why, and only what a visitor sees."""

import pytest
from playwright.sync_api import Page, expect

from serena_app.state.staff import SESSIONE_TERMINATA
from tests.e2e.pages.chi_siamo import PaginaChiSiamo
from tests.e2e.pages.staff import PaginaInModifica, accedi


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_a_tab_in_edit_mode_logged_out_from_another_tab_says_so_and_leaves_edit_mode(
    pagina: Page, staff, contenuto, db
):
    """Anna's tab is in edit mode with the mission's editor open; she presses "Esci" in
    another tab of the same browser. The first tab tells her the session ended, and keeps no
    staff control, no editor and no name of hers."""
    accedi(pagina, "anna", staff["anna"])
    redattore = PaginaInModifica(pagina, contenuto).apri().attiva_modifica()
    pagina.get_by_role("button", name="Modifica mission").click()
    expect(redattore.campo("Testo: mission")).to_be_visible()

    altra = PaginaChiSiamo(pagina.context.new_page(), contenuto).apri()
    altra.page.get_by_role("button", name="Esci").click()
    expect(altra.page.get_by_role("button", name="Esci")).to_have_count(0)

    expect(redattore.barra.get_by_role("alert")).to_have_text(SESSIONE_TERMINATA)
    for nome in ("Modifica pagina", "Esci dalla modifica"):
        expect(pagina.get_by_role("button", name=nome, include_hidden=True)).to_have_count(0)
    expect(pagina.get_by_role("button", name="Modifica mission")).to_have_count(0)
    expect(redattore.campo("Testo: mission")).to_have_count(0)
    expect(redattore.barra).not_to_contain_text("anna")
    redattore.barra.get_by_role("button", name="Chiudi").click()
    expect(redattore.barra).to_have_count(0)  # nothing of the staff bar is left


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_text_typed_when_the_session_ended_elsewhere_comes_back_to_her_alone(
    pagina: Page, staff, contenuto, db
):
    """Anna is typing the mission when her session ends in another tab. Her text is not lost:
    when she logs in again and opens the mission, it comes back with the notice. Bruno, who
    uses the same browser meanwhile, never gets it in his editor."""
    scritto = "Una mission scritta a metà quando la sessione è finita altrove."
    accedi(pagina, "anna", staff["anna"])
    redattore = PaginaInModifica(pagina, contenuto).apri().attiva_modifica()
    pagina.get_by_role("button", name="Modifica mission").click()
    redattore.campo("Testo: mission").fill(scritto)

    altra = PaginaChiSiamo(pagina.context.new_page(), contenuto).apri()
    altra.page.get_by_role("button", name="Esci").click()
    expect(redattore.barra.get_by_role("alert")).to_have_text(SESSIONE_TERMINATA)
    expect(redattore.campo("Testo: mission")).to_have_count(0)
    altra.page.close()

    accedi(pagina, "bruno", staff["bruno"])
    redattore = PaginaInModifica(pagina, contenuto).apri().attiva_modifica()
    pagina.get_by_role("button", name="Modifica mission").click()
    expect(redattore.campo("Testo: mission")).to_have_value(contenuto["sezioni"]["mission"])
    expect(pagina.locator(".testo-ripreso")).to_have_count(0)
    pagina.get_by_role("button", name="Annulla", exact=True).click()
    redattore.strumento("Esci").click()
    expect(pagina.get_by_role("button", name="Esci")).to_have_count(0)

    accedi(pagina, "anna", staff["anna"])
    redattore = PaginaInModifica(pagina, contenuto).apri().attiva_modifica()
    pagina.get_by_role("button", name="Modifica mission").click()
    expect(redattore.campo("Testo: mission")).to_have_value(scritto)
    expect(pagina.locator(".testo-ripreso")).to_be_visible()
