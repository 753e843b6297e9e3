"""Approval: a redattore asks for publication, a responsabile sees the request appear live in
a tab already open, and publishes it or postpones it with a note; the redattore is told, live
or at their next visit."""

import re
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlmodel import Session, delete, select

from serena_app.auth.ruoli import REDATTORE
from serena_app.db import crea_engine
from serena_app.models import MESSAGGIO_MAX, RichiestaPubblicazione
from serena_app.pubblicazione.archivio import Archivio
from serena_app.state.richieste import MESSAGGIO, RichiesteState
from tests.e2e.conftest import STAFF_PASSWORD, attendi_build
from tests.e2e.pages.chi_siamo import PaginaChiSiamo
from tests.e2e.pages.staff import PaginaInModifica, accedi
from tests.factories import staff_con_sessione
from tests.support.asincrono import esegui
from tests.support.axe import violazioni_alle_due_misure
from tests.support.chromium import VIEWPORTS
from tests.support.cliente import ClienteGrezzo, evento, vista
from tests.support.produzione import Produzione
from tests.support.protocollo import REDAZIONE
from tests.support.server import BIN, ROOT, Server, ambiente_app

MARCO = "marco"  # the redattore the UI tests create
DAL_VIVO_S = 1.5  # a request, or its outcome, reaches an open tab within this
RICHIESTE = RichiesteState.get_full_name()


@pytest.fixture(scope="module")
def redattore_creato(server: Server, staff) -> str:
    """A redattore's account, made as the README says: `serena create-staff --ruolo
    redattore`."""
    subprocess.run(
        [
            str(BIN / "serena"),
            "create-staff",
            MARCO,
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
    return MARCO


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
    # The responsabile, on a phone in edit mode: the tools are folded (the bar is one line),
    # and "Strumenti" says how many requests wait.
    responsabile = _nuova_pagina(browser, server, contesti, "telefono")
    accedi(responsabile, "anna", staff["anna"])
    sua = PaginaInModifica(responsabile, contenuto).apri().attiva_modifica()
    richieste = sua.barra.get_by_role("button", name="Richieste di pubblicazione (1)")
    expect(richieste).to_have_count(0)
    expect(sua.pulsante_strumenti).to_have_attribute("aria-expanded", "false")

    marco = _nuova_pagina(browser, server, contesti, "desktop")
    accedi(marco, redattore_creato, STAFF_PASSWORD)
    redazione = PaginaInModifica(marco, contenuto).apri().attiva_modifica()
    expect(redazione.barra.get_by_role("button", name="Pubblica", exact=True)).to_have_count(0)
    chiedi = redazione.barra.get_by_role("button", name="Chiedi la pubblicazione")
    expect(chiedi).to_be_disabled()  # nothing to ask for yet, and it says why
    expect(chiedi).to_have_accessible_description(re.compile("niente da pubblicare", re.I))
    _modifica_mission_da_tastiera(redazione, testo)
    _chiedi_da_tastiera(redazione, messaggio)
    assert violazioni_alle_due_misure(marco) == {}
    marco.keyboard.press("Enter")
    inviata = time.monotonic()
    expect(redazione.annuncio).to_contain_text("Richiesta inviata")

    # The responsabile's tab, open all along, shows it without a reload.
    expect(sua.pulsante_strumenti).to_have_accessible_description(
        "1 richiesta di pubblicazione in attesa", timeout=DAL_VIVO_S * 1000
    )
    print(f"\nrequest → responsabile's open tab: {time.monotonic() - inviata:.2f} s")
    sua.strumenti(True)
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


def _indirizzi(server: Server) -> tuple[str, str]:
    """Where the responsabile's and the redattore's tabs connect: under `make prod`, two
    different app processes, so the request and its outcome must cross between them."""
    if isinstance(server, Produzione):
        prima, seconda = server.porte_app()[:2]
        return f"http://127.0.0.1:{prima}", f"http://127.0.0.1:{seconda}"
    return server.url, server.url


def _con(stato: str, variabile: str) -> Callable[[dict], bool]:
    return lambda m: bool(vista([m]).get(stato, {}).get(variabile))


def test_a_request_and_its_outcome_cross_app_processes_live(server: Server, contesti, db):
    """The responsabile's tab on one app process sees a request made on another within
    `DAL_VIVO_S`, and the redattore's tab sees the outcome as quickly."""
    with Session(crea_engine(server.db_url)) as session:
        capo = staff_con_sessione(session, f"capo-{uuid.uuid4().hex[:8]}")
        nome = f"redattore-{uuid.uuid4().hex[:8]}"
        redattore = staff_con_sessione(session, nome, ruolo=REDATTORE)
    qui, la = _indirizzi(server)

    async def prova() -> tuple[float, float]:
        async with ClienteGrezzo(qui) as responsabile, ClienteGrezzo(la) as scheda:
            origine = {"Origin": server.url}  # the site's, as the front server passes it on
            await responsabile.connetti(segreto=capo, intestazioni=origine)
            await responsabile.barriera()
            await scheda.connetti(segreto=redattore, intestazioni=origine)
            await scheda.scambia(f"{REDAZIONE}.alterna_modifica")
            await scheda.scambia(f"{REDAZIONE}.apri", {"tipo": "sezione", "chiave": "mission"})
            await scheda.scambia(f"{REDAZIONE}.salva", {"form_data": {"testo": "Dal vivo."}})
            await scheda.scambia(f"{RICHIESTE}.chiedi")
            inizio = time.perf_counter()
            await scheda.emetti(evento(f"{RICHIESTE}.invia", {"form_data": {"messaggio": "Ok?"}}))
            arrivati = await responsabile.attendi(_con(RICHIESTE, "richiesta_id"), DAL_VIVO_S)
            richiesta = responsabile.arrivo - inizio
            assert vista(arrivati)[RICHIESTE]["richiesta_chi"] == nome
            await responsabile.scambia(f"{RICHIESTE}.apri_richieste")
            inizio = time.perf_counter()
            await responsabile.emetti(evento(f"{RICHIESTE}.pubblica"))
            await scheda.attendi(_con(RICHIESTE, "esito_richiesta"), DAL_VIVO_S)
            return richiesta, scheda.arrivo - inizio

    richiesta, esito = esegui(prova(), timeout=120)
    print(f"\nrequest → other process's tab {richiesta:.2f} s; outcome → back {esito:.2f} s")
    attendi_build(server, db)


@pytest.mark.parametrize("server", ["run"], indirect=True)
def test_a_redattore_s_bar_is_one_line_on_a_phone(
    browser: Browser, server: Server, contenuto, redattore_creato, contesti
):
    """Where a responsabile has "Pubblica", a redattore's longer "Chiedi la pubblicazione"
    still leaves the bar one line on a 390 px phone, with no "Pubblica" and no "Scarta bozze"."""
    marco = _nuova_pagina(browser, server, contesti, "telefono")
    accedi(marco, redattore_creato, STAFF_PASSWORD)
    redazione = PaginaInModifica(marco, contenuto).apri().attiva_modifica()
    chiedi = marco.get_by_role("button", name="Chiedi la pubblicazione")
    expect(chiedi).to_be_in_viewport(ratio=1)
    altezza = redazione.barra.evaluate("(e) => e.getBoundingClientRect().height")
    riga = chiedi.evaluate("(e) => e.getBoundingClientRect().height")
    print(f"phone, redattore: staff bar {altezza:.0f} px high, one button {riga:.0f} px")
    assert altezza < 2 * riga
    expect(marco.get_by_role("button", name="Pubblica", exact=True)).to_have_count(0)
    redazione.strumenti(True)
    expect(marco.get_by_role("button", name="Scarta bozze")).to_have_count(0)


@pytest.mark.parametrize("server", ["run"], indirect=True)
def test_the_request_message_counts_as_she_types_and_a_long_one_is_kept_whole_and_refused(
    browser: Browser, server: Server, redattore_creato, contenuto, contesti, db: Session
):
    """The message is a limited field like the editors': a live count, a long paste kept
    whole and refused with the rule's message, never cut and never sent."""
    marco = _nuova_pagina(browser, server, contesti, "desktop")
    accedi(marco, redattore_creato, STAFF_PASSWORD)
    redazione = PaginaInModifica(marco, contenuto).apri().attiva_modifica()
    _modifica_mission_da_tastiera(redazione, "Una mission da far pubblicare.")
    _chiedi_da_tastiera(redazione, "Ciao")
    campo = marco.get_by_label("Messaggio per chi pubblica (facoltativo)")
    contatore = redazione.contatore("messaggio")
    expect(contatore).to_be_visible()
    expect(contatore).to_have_text(f"4 / {MESSAGGIO_MAX} caratteri")
    assert "conta-messaggio" in campo.get_attribute("aria-describedby").split()
    campo.press("End")
    marco.keyboard.type(", grazie")
    expect(contatore).to_have_text(f"12 / {MESSAGGIO_MAX} caratteri")

    lungo = ("Un messaggio lungo, incollato da una mail. " * 20)[:599] + "."
    redazione.incolla(campo, lungo)
    expect(campo).to_have_value(lungo)  # whole: no maxlength cut it
    expect(contatore).to_contain_text(f"600 / {MESSAGGIO_MAX} caratteri: 100 di troppo")
    expect(redazione.annuncio_contatore("messaggio")).to_contain_text(
        f"Oltre il limite di {MESSAGGIO_MAX} caratteri"
    )
    marco.get_by_role("button", name="Invia la richiesta").press("Enter")
    expect(marco.locator(f"#errore-{MESSAGGIO}")).to_have_text(
        f"Al massimo {MESSAGGIO_MAX} caratteri (ora sono 600)."
    )
    expect(campo).to_be_focused()
    expect(campo).to_have_value(lungo)
    assert violazioni_alle_due_misure(marco) == {}
    assert db.exec(select(RichiestaPubblicazione)).all() == []
