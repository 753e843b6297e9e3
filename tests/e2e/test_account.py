"""'Il mio account', by keyboard: a person sees her sessions, ends the other device's, turns
two-step login on (the key read from the page, the code computed here), changes her password,
logs in again with password and code, and a replayed code is refused in Italian. axe at both
widths on the panel and on the code step."""

import time

import pyotp
import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session

from serena_app.auth import due_passaggi
from serena_app.auth.due_passaggi import CODICE_NON_VALIDO
from serena_app.db import crea_engine
from serena_app.state.staff import SESSIONE_TERMINATA
from tests.e2e.conftest import STAFF_PASSWORD, crea_account
from tests.e2e.pages.staff import PaginaInModifica, accedi
from tests.support.axe import violazioni_alle_due_misure

NUOVA = "tazza volante nel giardino blu"


def _premi(pagina: Page, nome: str) -> None:
    """Focus the button `nome` and press Enter, as a keyboard user does."""
    pulsante = pagina.get_by_role("button", name=nome, exact=True)
    pulsante.focus()
    pagina.keyboard.press("Enter")


def _scrivi(pagina: Page, etichetta: str, testo: str, invio: bool = False) -> None:
    campo = pagina.get_by_label(etichetta, exact=True)
    campo.focus()
    pagina.keyboard.type(testo)
    if invio:
        pagina.keyboard.press("Enter")


@pytest.fixture
def obbligo_tolto(server):
    """The requirement of two-step login for responsabili is off again after the test: the
    other tests share the server, and their responsabili log in with a password alone."""
    yield
    engine = crea_engine(server.db_url)
    with Session(engine) as session:
        due_passaggi.imposta_obbligo(session=session, richiesta=False, nome_utente="test")
    engine.dispose()


def _password(pagina: Page, nome: str, password: str) -> None:
    pagina.goto("/accesso/")
    expect(pagina.locator("main")).to_have_attribute("data-idratata", "true")
    _scrivi(pagina, "Nome utente", nome)
    _scrivi(pagina, "Password", password, invio=True)
    expect(pagina.get_by_label("Codice di verifica")).to_be_focused()


def _esci(pagina: Page) -> None:
    PaginaInModifica(pagina, {}).strumenti(True)
    _premi(pagina, "Esci")
    expect(pagina.get_by_role("region", name="Strumenti del personale")).to_have_count(0)


@pytest.mark.parametrize("server", ["run"], indirect=True)
@pytest.mark.parametrize("viewport", ["telefono"], indirect=True)
def test_a_person_manages_her_account_and_logs_in_with_two_steps(
    pagina: Page, browser: Browser, server, obbligo_tolto
):
    crea_account(server.db_url, "giulia")
    altrove = browser.new_context(base_url=server.url, locale="it-IT").new_page()
    accedi(altrove, "giulia", STAFF_PASSWORD)
    accedi(pagina, "giulia", STAFF_PASSWORD)

    # On a phone the bar stays one line: "Il mio account" is among the folded tools.
    barra = pagina.get_by_role("region", name="Strumenti del personale")
    esci = barra.get_by_role("button", name="Esci", exact=True)
    assert barra.bounding_box()["height"] < 2 * esci.bounding_box()["height"]
    _premi(pagina, "Modifica pagina")
    _premi(pagina, "Strumenti")
    _premi(pagina, "Il mio account")
    pannello = pagina.get_by_role("region", name="Il mio account")
    expect(pannello).to_be_focused()
    sessioni = pannello.get_by_role("listitem")
    expect(sessioni).to_have_count(2)
    expect(sessioni.filter(has_text="questo dispositivo")).to_have_count(1)
    expect(sessioni.first).to_contain_text("Chrom")
    assert violazioni_alle_due_misure(pagina) == {}

    # The other device loses its staff powers at once.
    _premi(pagina, "Esci da tutti gli altri dispositivi")
    expect(pannello.get_by_role("status")).to_have_text(
        "Sei uscita/o da tutti gli altri dispositivi."
    )
    expect(altrove.get_by_role("alert")).to_have_text(SESSIONE_TERMINATA, timeout=3000)
    expect(sessioni).to_have_count(1)
    altrove.context.close()

    # Two-step login on: the key from the page's text, the code computed here.
    _premi(pagina, "Attiva la verifica in due passaggi")
    chiave = pannello.locator("#segreto-due-passaggi")
    expect(chiave).to_be_focused()
    segreto = chiave.inner_text().strip()
    expect(
        pannello.get_by_role("img", name="Codice QR per l’app di autenticazione")
    ).to_be_visible()
    _scrivi(pagina, "Codice dell’app (6 cifre)", pyotp.TOTP(segreto).now(), invio=True)
    expect(pannello.get_by_role("status")).to_have_text("Verifica in due passaggi attiva.")
    expect(pannello.locator("#codici-recupero li")).to_have_count(10)
    recupero = pannello.locator("#codici-recupero li").first.inner_text().strip()
    assert violazioni_alle_due_misure(pagina) == {}

    # A weak new password is refused in words; a good one is taken.
    _scrivi(pagina, "Password attuale", STAFF_PASSWORD)
    _scrivi(pagina, "Nuova password", "giulia-giulia-1", invio=True)
    expect(pannello.get_by_role("alert")).to_contain_text("non deve contenere il nome utente")
    _scrivi(pagina, "Password attuale", STAFF_PASSWORD)
    _scrivi(pagina, "Nuova password", NUOVA, invio=True)
    expect(pannello.get_by_role("status")).to_contain_text("Password cambiata")
    _esci(pagina)

    # Password, then code (the next step's: the confirming one cannot log in).
    _password(pagina, "giulia", NUOVA)
    assert violazioni_alle_due_misure(pagina) == {}
    codice = pyotp.TOTP(segreto).at(time.time() + 30)
    _scrivi(pagina, "Codice di verifica", codice, invio=True)
    expect(pagina.get_by_role("region", name="Strumenti del personale")).to_be_visible()
    _esci(pagina)

    # The same code again, in a new login: refused in Italian.
    _password(pagina, "giulia", NUOVA)
    _scrivi(pagina, "Codice di verifica", codice, invio=True)
    expect(pagina.get_by_role("alert")).to_have_text(CODICE_NON_VALIDO)
    expect(pagina.get_by_role("region", name="Strumenti del personale")).to_have_count(0)

    # A recovery code instead; then she requires two-step login of every responsabile.
    _scrivi(pagina, "Codice di verifica", recupero, invio=True)
    expect(pagina.get_by_role("region", name="Strumenti del personale")).to_be_visible()
    _premi(pagina, "Modifica pagina")
    _premi(pagina, "Strumenti")
    _premi(pagina, "Il mio account")
    pannello = pagina.get_by_role("region", name="Il mio account")
    expect(pannello).to_contain_text("Codici di recupero non usati: 9.")
    interruttore = pannello.get_by_role("switch")
    expect(interruttore).to_have_attribute("aria-checked", "false")
    interruttore.focus()
    pagina.keyboard.press("Enter")
    expect(interruttore).to_have_attribute("aria-checked", "true")
    _esci(pagina)

    # Another responsabile without it sets it up at login, before any staff power.
    crea_account(server.db_url, "ugo")
    _password(pagina, "ugo", STAFF_PASSWORD)
    chiave_ugo = pagina.locator(".segreto-due-passaggi").inner_text().strip()
    expect(pagina.get_by_role("img", name="Codice QR per l’app di autenticazione")).to_be_visible()
    assert violazioni_alle_due_misure(pagina) == {}
    _scrivi(pagina, "Codice di verifica", pyotp.TOTP(chiave_ugo).now(), invio=True)
    expect(pagina.locator("main li")).to_have_count(10)
    expect(pagina.locator("main")).to_contain_text("Hai già effettuato l’accesso come ugo")
    assert violazioni_alle_due_misure(pagina) == {}
