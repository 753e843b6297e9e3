"""History in edit mode, as staff use it: an item's "Cronologia" with the word diff, "Ripristina"
then "Pubblica" for visitors, "Annulla ultima modifica" (and Ctrl+Z), a whole-page restore,
by keyboard and with no axe violation."""

import json
import re
import time
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import func, select

from serena_app.contenuto import bozze
from serena_app.contenuto.cronologia import GIA_PUBBLICATA
from serena_app.contenuto.pagina import PUBBLICATA, SITO
from serena_app.models import Revisione
from tests.e2e.pages.staff import PaginaInModifica, accedi
from tests.factories import salva_mission
from tests.support.axe import violazioni, violazioni_alle_due_misure
from tests.support.server import Server

RIPRISTINA = re.compile(r"^Ripristina la (versione|pagina) del")


@pytest.fixture
def redattore(pagina: Page, staff, contenuto, db) -> PaginaInModifica:
    accedi(pagina, "anna", staff["anna"])
    return PaginaInModifica(pagina, contenuto).apri().attiva_modifica()


def _salva_mission(redattore: PaginaInModifica, testo: str) -> None:
    redattore.page.get_by_role("button", name="Modifica mission").click()
    redattore.campo("Testo: mission").fill(testo)
    redattore.salva()
    expect(redattore.annuncio).to_have_text("Testo della mission salvato.")


def _pubblica(redattore: PaginaInModifica) -> None:
    redattore.page.get_by_role("button", name="Pubblica", exact=True).click()
    redattore.page.get_by_role("button", name="Pubblica ora").click()
    expect(redattore.stato).to_contain_text("Nessuna modifica in bozza")


def _pannello(page: Page):
    return page.get_by_role("region", name="Cronologia: mission")


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_an_older_published_mission_comes_back_for_visitors(
    redattore: PaginaInModifica, browser: Browser, server: Server
):
    _salva_mission(redattore, "La mission di ottobre, ben scritta.")
    _pubblica(redattore)
    _salva_mission(redattore, "La mission di novembre, con un errore.")
    _pubblica(redattore)
    visitatore = browser.new_context(base_url=server.url).new_page()
    visitatore.goto("/")
    expect(visitatore.locator("#mission")).to_contain_text("con un errore")

    redattore.page.get_by_role("button", name="Cronologia mission").click()
    pannello = _pannello(redattore.page)
    expect(pannello).to_be_focused()
    voci = pannello.get_by_role("listitem")
    expect(voci.first).to_contain_text("Salvata · anna · adesso")
    expect(voci.first.locator("ins")).to_have_text(
        ["aggiunto: novembre,", "aggiunto: con", "aggiunto: un errore."]
    )
    expect(voci.first.locator("del")).to_have_text(
        ["tolto: ottobre,", "tolto: ben", "tolto: scritta."]
    )
    expect(voci.first.get_by_role("button", name=RIPRISTINA)).to_have_count(0)  # the current

    voci.nth(1).get_by_role("button", name=RIPRISTINA).click()
    expect(redattore.annuncio).to_have_text(
        "Testo della mission: versione ripristinata come bozza, da pubblicare."
    )
    expect(redattore.sezione("mission")).to_contain_text("La mission di ottobre, ben scritta.")
    expect(redattore.esiti).to_have_text(["Ripristinato come bozza: pubblica dalla barra in alto."])
    expect(redattore.sezione("mission").locator(".esito-voce:not(:empty)")).to_have_count(1)
    expect(voci.first).to_contain_text("Ripristinata · anna")
    expect(visitatore.locator("#mission")).to_contain_text("con un errore")  # a draft, so far
    _pubblica(redattore)
    expect(visitatore.locator("#mission")).to_contain_text("ottobre, ben scritta.", timeout=2000)
    visitatore.context.close()


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_annulla_ultima_modifica_and_ctrl_z_undo_ones_own_changes(
    redattore: PaginaInModifica, contenuto
):
    originale = contenuto["sezioni"]["mission"].split("\n\n")[0]
    _salva_mission(redattore, "Prima modifica.")
    _salva_mission(redattore, "Seconda modifica.")
    annulla = redattore.strumento("Annulla ultima modifica")
    annulla.click()
    expect(redattore.annuncio).to_have_text("Modifica annullata: Testo della mission.")
    expect(redattore.sezione("mission")).to_contain_text("Prima modifica.")
    redattore.page.locator("body").click(position={"x": 5, "y": 400})  # focus outside a field
    redattore.page.keyboard.press("Control+z")
    expect(redattore.sezione("mission")).to_contain_text(originale)
    expect(redattore.stato).to_contain_text("Nessuna modifica in bozza")
    expect(annulla).to_be_disabled()  # nothing of hers is left to undo
    expect(annulla).to_have_accessible_description("Nessuna modifica tua da annullare.")


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_the_whole_page_comes_back_as_an_earlier_publish_left_it(
    redattore: PaginaInModifica, contenuto
):
    _salva_mission(redattore, "Mission della prima pubblicazione.")
    _pubblica(redattore)
    _salva_mission(redattore, "Mission della seconda pubblicazione.")
    redattore.page.get_by_role("button", name="Elimina valore 1", exact=True).click()
    redattore.page.get_by_role("button", name="Conferma eliminazione").click()
    _pubblica(redattore)

    redattore.strumento("Cronologia della pagina").click()
    pannello = redattore.page.get_by_role("region", name="Cronologia della pagina")
    expect(pannello).to_be_focused()
    pubblicazioni = pannello.get_by_role("listitem")
    expect(pubblicazioni.first).to_contain_text("Pubblicata · anna")
    # Newest first: the publish before the last one (earlier tests published too).
    expect(pubblicazioni.first.get_by_role("button", name=RIPRISTINA)).to_have_count(0)
    pubblicazioni.nth(1).get_by_role("button", name=RIPRISTINA).click()
    expect(redattore.annuncio).to_contain_text("Pagina ripristinata come bozza: 2 modifiche")
    expect(redattore.sezione("mission")).to_contain_text("Mission della prima pubblicazione.")
    expect(redattore.valore(contenuto["valori"][0]["titolo"])).to_be_visible()
    _pubblica(redattore)


@pytest.mark.parametrize("viewport", ["telefono", "desktop"], indirect=True)
def test_the_history_panel_works_by_keyboard_and_passes_axe(redattore: PaginaInModifica):
    _salva_mission(redattore, "Una modifica da vedere nella cronologia.")
    pulsante = redattore.page.get_by_role("button", name="Cronologia mission")
    pulsante.focus()
    redattore.page.keyboard.press("Enter")
    pannello = _pannello(redattore.page)
    expect(pannello).to_be_focused()
    redattore.page.keyboard.press("Tab")
    quando = pannello.locator("time").first
    expect(quando).to_be_focused()  # the exact time shows on focus, and is in its name
    expect(quando).to_have_attribute(
        "title", redattore.page.locator("time").first.get_attribute("title")
    )
    assert "2026" in (quando.get_attribute("aria-label") or "") or quando.get_attribute("title")
    # On through the entries, in order, to the first "Ripristina" (the newest entry is the
    # current text: it has none; a long one has "Mostra tutto").
    fermate = pannello.locator("time, summary, button")
    ripristina = pannello.get_by_role("button", name=RIPRISTINA).first
    for numero in range(1, 8):
        redattore.page.keyboard.press("Tab")
        expect(fermate.nth(numero)).to_be_focused()
        if fermate.nth(numero).text_content() == ripristina.text_content():
            break
    expect(ripristina).to_be_focused()
    assert violazioni(redattore.page) == []
    pannello.get_by_role("button", name="Chiudi cronologia").press("Enter")
    expect(pulsante).to_be_focused()


def _versione(numero: int) -> str:
    """A long mission (folded in the history) where one sentence changes with `numero`."""
    frasi = [f"La frase numero {n} della mission resta uguale in ogni versione." for n in range(8)]
    frasi[3] = f"Questa è la versione {numero} della frase che cambia."
    return " ".join(frasi)


def _nomi(pannello) -> list[str]:
    """The accessible names of the panel's controls (no aria-label: their text, read out)."""
    return pannello.locator("button, summary").evaluate_all(
        "els => els.map(e => e.getAttribute('aria-label') || e.textContent)"
    )


@pytest.mark.parametrize("server", ["run"], indirect=True)
@pytest.mark.parametrize("viewport", ["telefono", "desktop"], indirect=True)
def test_the_history_shows_each_version_pages_compares_and_restores_by_keyboard(
    pagina: Page, staff, contenuto, db
):
    bozze.apri(session=db, spazio=SITO)
    for numero in range(1, 13):
        salva_mission(db, _versione(numero))
    voci_mission = db.exec(
        select(func.count()).select_from(Revisione).where(Revisione.chiave == "mission")
    ).one()
    accedi(pagina, "anna", staff["anna"])
    redattore = PaginaInModifica(pagina, contenuto).apri().attiva_modifica()
    expect(redattore.sezione("mission")).to_contain_text("la versione 12 della")

    pagina.get_by_role("button", name="Cronologia mission").press("Enter")
    pannello = _pannello(pagina)
    expect(pannello).to_be_focused()
    voci = pannello.get_by_role("listitem")
    expect(voci).to_have_count(10)
    expect(voci.first.get_by_role("button", name=RIPRISTINA)).to_have_count(0)  # the current
    expect(voci.nth(1).get_by_role("button", name=RIPRISTINA)).to_have_text(
        re.compile(r"^Ripristina la versione delle \d\d:\d\d")
    )
    # Long: only the changed sentence, and the whole version on request.
    expect(voci.nth(1).locator(".differenza ins")).to_have_text(["aggiunto: 11"])
    expect(voci.nth(1).locator(".differenza")).not_to_contain_text("numero 6")
    voci.nth(1).get_by_text("Mostra tutto").press("Enter")
    expect(voci.nth(1).get_by_text(_versione(11))).to_be_visible()

    pannello.get_by_role("button", name="Mostra versioni precedenti").press("Enter")
    expect(voci).to_have_count(min(20, voci_mission))
    expect(voci.nth(10)).to_be_focused()  # the first entry just shown

    voci.nth(2).get_by_role("button", name=re.compile("^Confronta con la versione attuale")).press(
        "Enter"
    )
    confronto = pannello.get_by_role("group", name=re.compile("alla versione attuale"))
    expect(confronto.locator("del")).to_have_text(["tolto: 10"])
    expect(confronto.locator("ins")).to_have_text(["aggiunto: 12"])

    nomi = _nomi(pannello)
    assert len(nomi) == len(set(nomi)), nomi
    assert violazioni(pagina) == []

    ripristina = voci.nth(2).get_by_role("button", name=RIPRISTINA)
    nome = ripristina.text_content()
    ripristina.press("Enter")
    expect(redattore.annuncio).to_have_text(
        "Testo della mission: versione ripristinata come bozza, da pubblicare."
    )
    expect(redattore.sezione("mission")).to_contain_text("la versione 10 della")
    expect(voci.first).to_contain_text("Ripristinata · anna")
    expect(pannello.get_by_role("button", name=nome, exact=True)).to_have_count(0)  # now current


@pytest.mark.parametrize("server", ["run"], indirect=True)
def test_a_thousand_revisions_open_as_ten_quickly_and_send_little(
    browser: Browser, server: Server, staff, contenuto, db
):
    ora = datetime.now(UTC)
    for numero in range(1000):
        db.add(
            Revisione(
                spazio=PUBBLICATA.nome,
                tipo="sezione",
                chiave="vision",
                azione="salvata",
                autore="anna",
                quando=ora,
                prima=json.dumps({"testo": f"Vision {numero}."}),
                dopo=json.dumps({"testo": f"Vision {numero + 1}."}),
            )
        )
    db.commit()
    pagina = browser.new_context(base_url=server.url, viewport={"width": 1280, "height": 800})
    page = pagina.new_page()
    ricevuti: list[int] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda dati: ricevuti.append(len(dati))))
    accedi(page, "anna", staff["anna"])
    PaginaInModifica(page, contenuto).apri().attiva_modifica()
    prima = len(ricevuti)
    inizio = time.monotonic()
    page.get_by_role("button", name="Cronologia vision").press("Enter")
    voci = page.get_by_role("region", name="Cronologia: vision").get_by_role("listitem")
    expect(voci).to_have_count(10)
    durata = time.monotonic() - inizio
    byte = sum(ricevuti[prima:])
    print(f"1000 revisioni: pannello in {durata:.2f} s, {byte} byte ricevuti")
    assert byte < 20_000, (durata, byte)  # the time is bounded by expect's wait; it is printed
    pagina.close()


@pytest.mark.parametrize("server", ["run"], indirect=True)
@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_after_a_publish_and_a_reload_undo_leaves_the_public_page_and_the_draft_alone(
    redattore: PaginaInModifica, browser: Browser, server: Server
):
    testo = "Mission pubblicata: annullare non la rimette in bozza."
    _salva_mission(redattore, testo)
    _pubblica(redattore)  # at once, the publish itself says why undo has nothing left:
    expect(redattore.strumento("Annulla ultima modifica")).to_have_accessible_description(
        GIA_PUBBLICATA
    )
    redattore.page.reload()
    expect(redattore.page.locator("main")).to_have_attribute("data-idratata", "true")
    expect(redattore.stato).to_be_visible()  # still in edit mode
    expect(redattore.sezione("mission")).to_contain_text(testo)

    # Nothing of hers is left to undo: it is published. The button says so by being disabled
    # (the server refuses the event sent anyway: tests/state/test_annulla.py).
    # Its reason says why, and where to go instead: history, not undo.
    annulla = redattore.strumento("Annulla ultima modifica")
    expect(annulla).to_be_disabled()
    expect(annulla).to_have_accessible_description(GIA_PUBBLICATA)
    expect(redattore.barra.get_by_text(GIA_PUBBLICATA)).to_be_visible()
    assert violazioni_alle_due_misure(redattore.page) == {}
    # By keyboard, Ctrl+Z outside a field and Enter on the button change nothing either.
    redattore.page.locator("body").click(position={"x": 5, "y": 400})  # focus outside a field
    redattore.page.keyboard.press("Control+z")
    annulla.press("Enter")
    expect(redattore.sezione("mission")).to_contain_text(testo)
    expect(redattore.stato).to_contain_text("Nessuna modifica in bozza")
    expect(redattore.sezione("mission").get_by_text("Bozza di anna")).to_have_count(0)
    expect(redattore.barra.get_by_role("alert")).to_have_count(0)
    visitatore = browser.new_context(base_url=server.url).new_page()
    visitatore.goto("/")
    expect(visitatore.locator("#mission")).to_contain_text(testo)
    visitatore.context.close()
