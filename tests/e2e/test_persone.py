"""The "Persone" panel, as a responsabile uses it: she invites a redattore by keyboard, the
invitee opens the link in another browser, chooses a password and is in as a redattore; she
disables them and their open tab loses staff powers within a second."""

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from serena_app.state.staff import SESSIONE_TERMINATA
from tests.e2e.pages.staff import PaginaInModifica, accedi
from tests.support.axe import violazioni_alle_due_misure

INVITATA = "marta-invitata"
SCELTA = "lampade gialle lungo il fiume Po"
ENTRO_MS = 1000


def _persone(pagina: Page, contenuto) -> PaginaInModifica:
    """Anna's page with the "Persone" panel opened from the keyboard."""
    anna = PaginaInModifica(pagina, contenuto).apri().attiva_modifica()
    pulsante = anna.strumento("Persone")
    pulsante.focus()
    pagina.keyboard.press("Enter")
    expect(pagina.get_by_role("region", name="Persone")).to_be_visible()
    return anna


@pytest.mark.parametrize("server", ["run"], indirect=True)
@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_invite_accept_and_disable_a_redattore(
    pagina: Page, browser: Browser, server, staff, contenuto, db
):
    accedi(pagina, "anna", staff["anna"])
    anna = _persone(pagina, contenuto)
    pannello = pagina.get_by_role("region", name="Persone")
    expect(pannello).to_contain_text("anna")

    # The invitation, by keyboard: name, role (redattore is the first choice), "Crea invito".
    pannello.get_by_label("Nome utente", exact=True).focus()
    pagina.keyboard.type(INVITATA)
    pagina.keyboard.press("Tab")
    expect(pannello.get_by_label("Ruolo", exact=True)).to_be_focused()
    pagina.keyboard.press("Tab")
    expect(pannello.get_by_role("button", name="Crea invito")).to_be_focused()
    pagina.keyboard.press("Enter")
    link = pannello.get_by_label(f"Link da dare a {INVITATA}")
    expect(link).to_be_visible()
    indirizzo = link.input_value()
    assert indirizzo.startswith(f"{server.url}/accesso/invito/#")
    assert len(indirizzo.split("#", 1)[1]) >= 43
    expect(pannello.get_by_role("img", name=f"Codice QR del link per {INVITATA}")).to_be_visible()
    expect(anna.annuncio).to_contain_text(f"Invito per «{INVITATA}» (redattore) creato")
    assert violazioni_alle_due_misure(pagina) == {}

    # The invitee, in another browser: the link, the password twice, and in.
    altro = browser.new_context(base_url=server.url, locale="it-IT")
    try:
        invitata = altro.new_page()
        invitata.goto(indirizzo)
        expect(invitata.locator("main")).to_have_attribute("data-idratata", "true")
        assert violazioni_alle_due_misure(invitata) == {}
        invitata.get_by_label("Nuova password (almeno 12 caratteri)").fill(SCELTA)
        invitata.get_by_label("Ripeti la password").fill(SCELTA)
        invitata.get_by_role("button", name="Scegli la password ed entra").click()
        sua = PaginaInModifica(invitata, contenuto)
        expect(sua.barra).to_contain_text(INVITATA)
        # The code was in the link's fragment: no request carried it, no log line holds it.
        assert indirizzo.split("#", 1)[1] not in server.log_text()
        sua.attiva_modifica().strumenti(True)
        expect(invitata.get_by_role("button", name="Pubblica", exact=True)).to_have_count(0)
        expect(invitata.get_by_role("button", name="Chiedi la pubblicazione")).to_be_visible()
        expect(invitata.get_by_role("button", name="Persone", exact=True)).to_have_count(0)

        # The same link again is refused, in words.
        terza = altro.new_page()
        terza.goto(indirizzo)
        expect(terza.locator("main")).to_have_attribute("data-idratata", "true")
        terza.get_by_label("Nuova password (almeno 12 caratteri)").fill(SCELTA)
        terza.get_by_label("Ripeti la password").fill(SCELTA)
        terza.get_by_role("button", name="Scegli la password ed entra").click()
        expect(terza.get_by_role("alert")).to_contain_text("già stato usato")
        assert violazioni_alle_due_misure(terza) == {}
        terza.close()

        # Anna disables them: asked first, then their open tab loses staff powers.
        pagina.get_by_role("button", name=f"Disattiva {INVITATA}").click()
        conferma = pagina.get_by_role("button", name="Sì, procedi")
        expect(conferma).to_be_focused()
        pagina.keyboard.press("Enter")
        expect(sua.barra.get_by_role("alert")).to_have_text(SESSIONE_TERMINATA, timeout=ENTRO_MS)
        expect(invitata.get_by_role("button", name="Esci dalla modifica")).to_have_count(0)
        esito = pannello.get_by_text(f"«{INVITATA}» è disattivata/o")
        expect(esito).to_be_focused()
        expect(anna.annuncio).to_contain_text(f"«{INVITATA}» è disattivata/o")
    finally:
        altro.close()


@pytest.mark.parametrize("server", ["run", "prod"], indirect=True)
def test_the_invitation_page_is_served_and_the_code_never_reaches_the_server(server):
    risposta = httpx.get(f"{server.url}/accesso/invito/", follow_redirects=True, timeout=30)
    assert risposta.status_code == 200
    assert "Scegli la password ed entra" in risposta.text


@pytest.mark.parametrize("server", ["run"], indirect=True)
@pytest.mark.parametrize("viewport", ["telefono"], indirect=True)
def test_with_persone_the_bar_is_still_one_line_on_a_phone(pagina: Page, staff, contenuto):
    """A responsabile's bar on a 390 px phone, out of edit mode and in it (tools folded): one
    line; "Persone" is among the tools "Strumenti" opens in edit mode."""
    accedi(pagina, "anna", staff["anna"])
    anna = PaginaInModifica(pagina, contenuto).apri()
    for passo in ("fuori", "in modifica"):
        if passo == "in modifica":
            anna.attiva_modifica()
        riga = anna.barra.locator(".pulsante:visible").first.bounding_box()["height"]
        altezza = anna.barra.bounding_box()["height"]
        assert altezza < 2 * riga, (passo, altezza, riga)
    expect(anna.strumento("Persone")).to_be_visible()
