"""A scheduled publish, end to end: a responsabile schedules one a few seconds ahead by
keyboard ("Pubblica più tardi…"), closes the tab; at that time an open visitor page shows the
new text and the served HTML carries it, published once however many app processes run
(`make run` and `make prod`), signed "anna (programmata)". axe finds nothing in the dialog
and the list, at both widths."""

import re
import time
from datetime import timedelta

from playwright.sync_api import Browser, expect
from sqlmodel import Session, col, select

from serena_app.auth.sessioni import adesso
from serena_app.lingue.tempo import FUSO
from serena_app.models import Programmata, Revisione
from serena_app.pubblicazione.archivio import Archivio
from serena_app.pubblicazione.programmate import FATTA
from tests.e2e.conftest import attendi_build, html_pubblicato
from tests.e2e.pages.chi_siamo import PaginaChiSiamo
from tests.e2e.pages.staff import PaginaInModifica, accedi
from tests.support.axe import violazioni_alle_due_misure
from tests.support.chromium import VIEWPORTS
from tests.support.server import Server

# How an Italian reads a day, to check the page's words against (the app asks Babel).
GIORNI = ["lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"]
MESI = "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre"
MESI = [*MESI.split(), "dicembre"]

ANTICIPO = timedelta(seconds=12)  # ahead of now: the typing must end before it


def test_a_scheduled_publish_runs_once_with_no_browser_open(
    browser: Browser, server: Server, staff, contenuto, db: Session
):
    testo = f"La vision pubblicata all’ora programmata ({server.url[-5:]})."
    # Another responsabile's tab stays open in edit mode: it is told how the run went.
    collega = browser.new_context(base_url=server.url, locale="it-IT")
    accedi(collega.new_page(), "bruno", staff["bruno"])
    bruno = PaginaInModifica(collega.pages[0], contenuto).apri().attiva_modifica().strumenti()
    elenco_bruno = bruno.barra.get_by_role("region", name="Pubblicazioni programmate")
    expect(elenco_bruno).to_be_visible()
    redazione = browser.new_context(
        viewport=VIEWPORTS["telefono"], base_url=server.url, locale="it-IT"
    )
    pagina = redazione.new_page()
    accedi(pagina, "anna", staff["anna"])
    anna = PaginaInModifica(pagina, contenuto).apri().attiva_modifica()
    pagina.get_by_role("button", name="Modifica vision").click()
    anna.campo("Testo: vision").fill(testo)
    anna.salva()
    expect(anna.sezione("vision")).to_contain_text(testo)

    # By keyboard: focus "Pubblica più tardi…", Enter opens the dialog with focus on the date.
    anna.strumento("Pubblica più tardi…").focus()
    pagina.keyboard.press("Enter")
    dialogo = pagina.get_by_role("dialog", name="Pubblica più tardi")
    data = dialogo.get_by_label("Data", exact=True)
    expect(data).to_be_focused()
    assert violazioni_alle_due_misure(pagina) == {}
    # A time that does not exist in Rome, refused in words; nothing scheduled.
    data.fill("2027-03-28")
    ora = dialogo.get_by_label("Ora (ora italiana)")
    ora.fill("02:30:00")
    ora.press("Enter")
    expect(dialogo.get_by_role("alert")).to_contain_text("non esiste in Italia")
    assert violazioni_alle_due_misure(pagina) == {}
    # One for tomorrow, then cancelled from the list by keyboard.
    domani = (adesso() + timedelta(days=1)).astimezone(FUSO)
    data.fill(f"{domani:%Y-%m-%d}")
    ora.fill("10:00:00")
    ora.press("Enter")
    elenco = anna.barra.get_by_role("region", name="Pubblicazioni programmate")
    annulla = elenco.get_by_role("button", name="Annulla la pubblicazione programmata:")
    expect(annulla).to_have_count(1)
    expect(annulla).to_have_accessible_name(re.compile(r"alle 10:00 · programmata da anna$"))
    annulla.focus()
    pagina.keyboard.press("Enter")
    expect(anna.annuncio).to_have_text("Pubblicazione programmata annullata.")
    expect(annulla).to_have_count(0)
    anna.strumento("Pubblica più tardi…").focus()
    pagina.keyboard.press("Enter")
    expect(data).to_be_focused()

    alle = (adesso() + ANTICIPO).astimezone(FUSO).replace(microsecond=0)
    data.fill(f"{alle:%Y-%m-%d}")
    ora.fill(f"{alle:%H:%M:%S}")
    ora.press("Enter")
    alle_parole = f"{alle:%H:%M:%S}" if alle.second else f"{alle:%H:%M}"
    giorno = f"{GIORNI[alle.weekday()]} {alle.day} {MESI[alle.month - 1]} {alle.year}"
    expect(anna.annuncio).to_have_text(
        f"Pubblicazione programmata per {giorno} alle {alle_parole}: saranno pubblicate le "
        "bozze come saranno in quel momento."
    )
    expect(elenco).to_contain_text(f"alle {alle_parole} · programmata da anna")
    expect(annulla).to_have_count(1)
    assert violazioni_alle_due_misure(pagina) == {}

    visitatore = browser.new_context(base_url=server.url, locale="it-IT")
    chi_siamo = PaginaChiSiamo(visitatore.new_page(), contenuto).apri()
    expect(chi_siamo.sezione("vision")).not_to_contain_text(testo)
    redazione.close()  # anna's tab is gone; bruno's only listens

    secondi = (alle - adesso()).total_seconds() + 15
    expect(chi_siamo.sezione("vision")).to_contain_text(testo, timeout=secondi * 1000)
    arrivo = time.monotonic()
    print(f"\nscheduled → open page: {(adesso() - alle).total_seconds():.1f} s after the time")
    html_pubblicato(server, testo)
    print(f"open page → served HTML: {time.monotonic() - arrivo:.1f} s")
    visitatore.close()
    expect(elenco_bruno).to_contain_text(f"alle {alle_parole}: pubblicata 1 modifica")
    expect(bruno.annuncio).to_contain_text("Pubblicazione programmata: ")
    collega.close()

    db.expire_all()
    firmate = db.exec(
        select(Revisione).where(
            Revisione.azione == "pubblicata", col(Revisione.autore) == "anna (programmata)"
        )
    ).all()
    assert len(firmate) == 1  # once, however many app processes run
    riga = db.exec(select(Programmata).order_by(col(Programmata.id).desc())).first()
    assert (riga.stato, riga.esito) == (FATTA, "pubblicata 1 modifica")
    attendi_build(server, db)
    # `db` puts the content file back; the startup build, made from it, is served again.
    Archivio(server.build).dimentica()
