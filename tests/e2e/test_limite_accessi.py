"""Login limits: after five failures for a name from one address, further attempts are refused
with a clear message; a browser that logged in before as that name still gets in."""

import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, delete

from serena_app.auth.limiti import MAX_PER_NOME_E_CLIENT, TROPPI_TENTATIVI
from serena_app.db import crea_engine
from serena_app.models import TentativoAccesso
from tests.e2e.conftest import STAFF_PASSWORD, crea_account
from tests.e2e.pages.staff import accedi
from tests.support.server import Server


@pytest.fixture
def tentativi_azzerati(server: Server) -> Iterator[None]:
    """Forget the failures afterwards: all tests log in from the same address."""
    yield
    engine = crea_engine(server.db_url)
    with Session(engine) as session:
        session.exec(delete(TentativoAccesso))
        session.commit()
    engine.dispose()


def _prova(page: Page, password: str, nome_utente: str = "carla") -> None:
    page.get_by_label("Nome utente").fill(nome_utente)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Accedi").click()


@pytest.mark.parametrize("viewport", ["telefono"], indirect=True)
def test_after_five_failures_logins_are_refused_with_a_clear_message(
    pagina: Page, tentativi_azzerati
):
    pagina.goto("/accesso")
    expect(pagina.locator("main")).to_have_attribute("data-idratata", "true")
    avviso = pagina.get_by_role("alert")
    for _ in range(MAX_PER_NOME_E_CLIENT):
        _prova(pagina, "password-sbagliata")
        expect(avviso).to_have_text("Nome utente o password non validi.")
    _prova(pagina, "un-altra-password-ancora")
    expect(avviso).to_have_text(TROPPI_TENTATIVI)


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_a_guesser_filling_the_limits_does_not_keep_out_a_browser_that_logged_in_before(
    pagina: Page, browser: Browser, server: Server, tentativi_azzerati
):
    """A staff member logged in from this browser once, and logged out. A guesser on the same
    address then fails five times for her name, closing it to the address: another browser is
    refused even with the right password, hers logs in (its device token, kept in local
    storage, exempts it)."""
    nome = f"dora{uuid.uuid4().hex[:6]}"
    crea_account(server.db_url, nome)
    accedi(pagina, nome, STAFF_PASSWORD)
    pagina.get_by_role("button", name="Esci").click()
    expect(pagina.get_by_role("button", name="Modifica pagina")).to_have_count(0)

    indovino = browser.new_context(base_url=server.url, locale="it-IT")
    altra = indovino.new_page()
    altra.goto("/accesso")
    expect(altra.locator("main")).to_have_attribute("data-idratata", "true")
    avviso = altra.get_by_role("alert")
    for _ in range(MAX_PER_NOME_E_CLIENT):
        _prova(altra, "password-sbagliata", nome)
        expect(avviso).to_have_text("Nome utente o password non validi.")
    _prova(altra, STAFF_PASSWORD, nome)
    expect(avviso).to_have_text(TROPPI_TENTATIVI)
    indovino.close()

    accedi(pagina, nome, STAFF_PASSWORD)
