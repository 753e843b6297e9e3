"""Login limits: after five failures for a name from one address, further attempts are refused
with a clear message."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, delete

from serena_app.auth.limiti import MAX_PER_NOME_E_CLIENT, TROPPI_TENTATIVI
from serena_app.db import crea_engine
from serena_app.models import TentativoAccesso
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


def _prova(page: Page, password: str) -> None:
    page.get_by_label("Nome utente").fill("carla")
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
