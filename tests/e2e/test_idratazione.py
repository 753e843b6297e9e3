"""After hydration the page shows the database's current content, not the build's."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session

from serena_app.contenuto.pagina import PUBBLICATA, incrementa_versione
from serena_app.db import crea_engine
from serena_app.models import Sezione
from tests.e2e.pages.chi_siamo import PaginaChiSiamo
from tests.factories import ripristina_contenuto

NUOVO = "Una mission riscritta dopo la compilazione del sito."


@pytest.fixture
def mission_cambiata(server, contenuto) -> Iterator[str]:
    """The mission changed straight in the database, as another server process would."""
    engine = crea_engine(server.db_url)
    with Session(engine) as session:
        sezione = session.get(Sezione, (PUBBLICATA.nome, "mission"))
        originale = sezione.testo
        sezione.testo = NUOVO
        incrementa_versione(session=session, pagina=PUBBLICATA)
        session.commit()
        yield originale
        ripristina_contenuto(session, contenuto)
    engine.dispose()


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_hydrated_page_shows_the_database_content(pagina: Page, contenuto, mission_cambiata):
    chi_siamo = PaginaChiSiamo(pagina, contenuto).apri()
    expect(chi_siamo.sezione("mission")).to_contain_text(NUOVO)
    expect(chi_siamo.sezione("mission")).not_to_contain_text(mission_cambiata[:40])
