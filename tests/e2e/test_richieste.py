"""Approval: a redattore asks for publication, a responsabile sees the request appear live in
a tab already open, and publishes it or postpones it with a note; the redattore is told, live
or at their next visit."""

import subprocess
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlmodel import Session, delete

from serena_app.models import RichiestaPubblicazione
from serena_app.pubblicazione.archivio import Archivio
from tests.e2e.conftest import STAFF_PASSWORD, attendi_build
from tests.e2e.pages.chi_siamo import PaginaChiSiamo
from tests.e2e.pages.staff import PaginaInModifica, accedi
from tests.support.axe import violazioni_alle_due_misure
from tests.support.chromium import VIEWPORTS
from tests.support.server import BIN, ROOT, Server, ambiente_app

REDATTORE = "marco"
DAL_VIVO_S = 1.5  # a request, or its outcome, reaches an open tab within this


@pytest.fixture(scope="module")
def redattore_creato(server: Server, staff) -> str:
    """A redattore's account, made as the README says: `serena create-staff --ruolo
    redattore`."""
    subprocess.run(
        [
            str(BIN / "serena"),
            "create-staff",
            REDATTORE,
            "--ruolo",
            "redattore",
            "--password-stdin",
        ],
        input=STAFF_PASSWORD + "\n",
        text=True,
        check=True,
        cwd=ROOT,
        env=ambiente_app(0, server.db_url),
        capture_output=True,
    )
    return REDATTORE


@pytest.fixture
def contesti(browser: Browser, server: Server, db: Session) -> Iterator[list[BrowserContext]]:
    """Browser contexts of their own (one per person), closed after the test; the requests
    are dropped and the content put back (`db`)."""
    aperti: list[BrowserContext] = []
    yield aperti
    for contesto in aperti:
        contesto.close()
    db.exec(delete(RichiestaPubblicazione))
    db.commit()
    Archivio(server.build).dimentica()


def _nuova_pagina(browser: Browser, server: Server, contesti: list, misura: str) -> Page:
    contesto = browser.new_context(base_url=server.url, viewport=VIEWPORTS[misura])
    contesti.append(contesto)
    return contesto.new_page()


def _modifica_mission_da_tastiera(pagina: PaginaInModifica, testo: str) -> None:
    pulsante = pagina.page.get_by_role("button", name="Modifica mission")
    pulsante.focus()
    pagina.page.keyboard.press("Enter")
    campo = pagina.campo("Testo: mission")
    expect(campo).to_be_focused()
    pagina.page.keyboard.press("ControlOrMeta+a")
    pagina.page.keyboard.type(testo)
    salva = pagina.page.get_by_role("button", name="Salva", exact=True)
    salva.focus()
    pagina.page.keyboard.press("Enter")
    expect(pagina.sezione("mission")).to_contain_text(testo)


def _chiedi_da_tastiera(pagina: PaginaInModifica, messaggio: str) -> None:
    chiedi = pagina.barra.get_by_role("button", name="Chiedi la pubblicazione")
    chiedi.focus()
    pagina.page.keyboard.press("Enter")
    campo = pagina.page.get_by_label("Messaggio per chi pubblica (facoltativo)")
    expect(campo).to_be_focused()
    expect(pagina.barra.get_by_role("form", name="Richiesta di pubblicazione")).to_contain_text(
        "Testo della mission: modificato"
    )
    pagina.page.keyboard.type(messaggio)
    pagina.page.keyboard.press("Tab")
    expect(pagina.page.get_by_role("button", name="Invia la richiesta")).to_be_focused()


@pytest.mark.parametrize("server", ["run"], indirect=True)
def test_a_request_is_seen_live_published_and_the_redattore_told(
    browser: Browser, server: Server, staff, redattore_creato, contenuto, contesti, db
):
    testo = "Una mission proposta da un redattore, pubblicata dopo l’approvazione."
    messaggio = "Ho aggiornato la mission: controlla, per favore."
    responsabile = _nuova_pagina(browser, server, contesti, "telefono")
    accedi(responsabile, "anna", staff["anna"])
    sua = PaginaInModifica(responsabile, contenuto).apri()
    richieste = sua.barra.get_by_role("button", name="Richieste di pubblicazione (1)")
    expect(richieste).to_have_count(0)

    marco = _nuova_pagina(browser, server, contesti, "desktop")
    accedi(marco, redattore_creato, STAFF_PASSWORD)
    redazione = PaginaInModifica(marco, contenuto).apri().attiva_modifica()
    expect(redazione.barra.get_by_role("button", name="Pubblica", exact=True)).to_have_count(0)
    _modifica_mission_da_tastiera(redazione, testo)
    _chiedi_da_tastiera(redazione, messaggio)
    assert violazioni_alle_due_misure(marco) == {}
    marco.keyboard.press("Enter")
    inviata = time.monotonic()
    expect(redazione.annuncio).to_contain_text("Richiesta inviata")

    # The responsabile's tab, open all along, shows it without a reload.
    expect(richieste).to_be_visible(timeout=DAL_VIVO_S * 1000)
    print(f"\nrequest → responsabile's open tab: {time.monotonic() - inviata:.2f} s")
    richieste.click()
    pannello = sua.barra.get_by_role("region", name="Richieste di pubblicazione")
    expect(pannello).to_contain_text(f"{redattore_creato} chiede di pubblicare")
    expect(pannello).to_contain_text("Testo della mission: modificato")
    expect(pannello).to_contain_text(messaggio)
    assert violazioni_alle_due_misure(responsabile) == {}
    pannello.get_by_role("button", name="Pubblica", exact=True).click()
    deciso = time.monotonic()
    expect(sua.annuncio).to_contain_text(f"Pubblicata la richiesta di {redattore_creato}")

    expect(marco.get_by_text("La tua richiesta è stata pubblicata da anna.")).to_be_visible(
        timeout=DAL_VIVO_S * 1000
    )
    print(f"decision → redattore's open tab: {time.monotonic() - deciso:.2f} s")
    visitatore = _nuova_pagina(browser, server, contesti, "telefono")
    PaginaChiSiamo(visitatore, contenuto).apri()
    expect(visitatore.get_by_text(testo)).to_be_visible()
    attendi_build(server, db)


@pytest.mark.parametrize("server", ["run"], indirect=True)
def test_drafts_changed_after_a_request_are_shown_and_a_postponement_reaches_the_redattore(
    browser: Browser, server: Server, staff, redattore_creato, contenuto, contesti, db
):
    nota = "Manca la data dell’assemblea: aggiungila e richiedi."
    marco = _nuova_pagina(browser, server, contesti, "desktop")
    accedi(marco, redattore_creato, STAFF_PASSWORD)
    redazione = PaginaInModifica(marco, contenuto).apri().attiva_modifica()
    _modifica_mission_da_tastiera(redazione, "Prima proposta della mission.")
    _chiedi_da_tastiera(redazione, "")
    marco.keyboard.press("Enter")
    expect(redazione.annuncio).to_contain_text("Richiesta inviata")
    _modifica_mission_da_tastiera(redazione, "Seconda proposta, scritta dopo la richiesta.")
    marco.close()  # the redattore goes away before the decision

    responsabile = _nuova_pagina(browser, server, contesti, "desktop")
    accedi(responsabile, "anna", staff["anna"])
    sua = PaginaInModifica(responsabile, contenuto).apri()
    sua.barra.get_by_role("button", name="Richieste di pubblicazione (1)").click()
    pannello = sua.barra.get_by_role("region", name="Richieste di pubblicazione")
    pannello.get_by_role("button", name="Pubblica", exact=True).click()
    # Told before anything is published: the drafts are no longer what was asked.
    expect(pannello.get_by_role("alert")).to_contain_text("Le bozze sono cambiate")
    expect(pannello.get_by_role("button", name="Pubblica le modifiche attuali")).to_be_focused()
    visitatore = _nuova_pagina(browser, server, contesti, "telefono")
    PaginaChiSiamo(visitatore, contenuto).apri()
    expect(visitatore.get_by_text("Prima proposta della mission.")).to_have_count(0)

    pannello.get_by_label("Nota per chi ha chiesto (facoltativa)").fill(nota)
    pannello.get_by_role("button", name="Rimanda").click()
    expect(sua.annuncio).to_contain_text(f"Richiesta di {redattore_creato} rimandata")

    # At the next visit the redattore reads the outcome, with the note.
    ritorno = marco.context.new_page()
    PaginaInModifica(ritorno, contenuto).apri()
    expect(ritorno.get_by_text(f"rimandata da anna: {nota}")).to_be_visible()
    expect(visitatore.get_by_text("Seconda proposta")).to_have_count(0)
