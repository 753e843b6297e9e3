"""Staff edit the page in place: save, live update, add/reorder/delete, bad input, conflicts."""

import re
from datetime import date, timedelta

import httpx
import pytest
from playwright.sync_api import Browser, Dialog, Page, expect
from sqlmodel import Session, select

from serena_app.contenuto.istantanea import paragrafi
from serena_app.contenuto.pagina import BOZZA, PUBBLICATA, Pagina, aggiungi, leggi_elenco, quanti
from serena_app.contenuto.tipi import TAPPA, VALORE
from serena_app.models import Sezione, Tappa, Valore
from serena_app.pubblicazione.archivio import Archivio
from tests.e2e.conftest import attendi_build, html_pubblicato
from tests.e2e.pages.staff import PaginaInModifica, accedi
from tests.support.axe import violazioni, violazioni_alle_due_misure
from tests.support.server import Server

PUBBLICA_DALLA_BARRA = "pubblica dalla barra in alto."


@pytest.fixture
def redattore(pagina: Page, staff, contenuto, db) -> PaginaInModifica:
    accedi(pagina, "anna", staff["anna"])
    return PaginaInModifica(pagina, contenuto).apri().attiva_modifica()


def _testo_salvato(db: Session, chiave: str, pagina: Pagina = BOZZA) -> str:
    """A section's text on the working copy (or on `pagina`)."""
    db.expire_all()
    return db.get(Sezione, (pagina.nome, chiave)).testo


def test_a_saved_mission_is_a_draft_until_pubblica_then_visitors_see_it_live(
    redattore: PaginaInModifica, browser: Browser, server: Server, contenuto, db
):
    visitatore = browser.new_context(base_url=server.url).new_page()
    visitatore.goto("/")
    expect(visitatore.locator("main")).to_have_attribute("data-idratata", "true")

    nuovo = "La nostra mission, riscritta dallo staff.\n\nSecondo paragrafo."
    redattore.page.get_by_role("button", name="Modifica mission").click()
    redattore.campo("Testo: mission").fill(nuovo)
    redattore.salva()
    expect(redattore.annuncio).to_have_text("Testo della mission salvato.")
    expect(redattore.sezione("mission")).to_contain_text("Secondo paragrafo.")
    expect(redattore.sezione("mission").get_by_text("Bozza di anna ·")).to_be_visible()
    expect(redattore.page.get_by_role("button", name="Modifica mission")).to_be_focused()
    expect(redattore.barra).to_contain_text("1 modifica in bozza, non ancora pubblicata.")
    assert _testo_salvato(db, "mission") == nuovo
    assert _testo_salvato(db, "mission", PUBBLICATA) == contenuto["sezioni"]["mission"]

    nuova_visita = browser.new_context(base_url=server.url).new_page()
    nuova_visita.goto("/")
    expect(nuova_visita.locator("main")).to_have_attribute("data-idratata", "true")
    expect(nuova_visita.locator("#mission")).not_to_contain_text("Secondo paragrafo.")
    expect(visitatore.locator("#mission")).not_to_contain_text("Secondo paragrafo.")
    nuova_visita.context.close()

    redattore.page.get_by_role("button", name="Pubblica", exact=True).click()
    conferma = redattore.page.get_by_role("button", name="Pubblica ora")
    expect(conferma).to_be_focused()
    # The change, and under it the English it leaves out of date (publishing is allowed).
    expect(redattore.elenco_conferma).to_have_text(
        ["Testo della mission: modificato", "Testo della mission: traduzione da aggiornare"]
    )
    conferma.click()
    expect(redattore.annuncio).to_have_text("Pubblicata 1 modifica.")
    expect(redattore.stato).to_contain_text("Nessuna modifica in bozza")
    expect(redattore.stato).to_be_focused()  # "Pubblica" is disabled: focus is not lost
    expect(redattore.sezione("mission").get_by_text("Bozza di anna ·")).to_have_count(0)
    assert _testo_salvato(db, "mission", PUBBLICATA) == nuovo
    expect(visitatore.get_by_text("Secondo paragrafo.")).to_be_visible(timeout=2000)
    visitatore.context.close()

    redattore.page.reload()
    for paragrafo in paragrafi(nuovo):
        expect(redattore.sezione("mission").get_by_text(paragrafo)).to_be_visible()


def test_scarta_bozze_drops_every_draft(redattore: PaginaInModifica, contenuto, db):
    redattore.page.get_by_role("button", name="Modifica vision").click()
    redattore.campo("Testo: vision").fill("Una vision da scartare.")
    redattore.salva()
    expect(redattore.sezione("vision")).to_contain_text("Una vision da scartare.")
    redattore.strumento("Scarta bozze").click()
    conferma = redattore.page.get_by_role("button", name="Scarta le bozze")
    expect(conferma).to_be_focused()
    conferma.click()
    expect(redattore.annuncio).to_contain_text("Bozze scartate")
    expect(redattore.sezione("vision")).not_to_contain_text("Una vision da scartare.")
    expect(redattore.page.locator(".bozza")).to_have_count(0)  # no marker, not even empty
    assert _testo_salvato(db, "vision") == contenuto["sezioni"]["vision"]


def test_anteprima_shows_the_draft_without_edit_controls(redattore: PaginaInModifica, db):
    redattore.page.get_by_role("button", name="Modifica vision").click()
    redattore.campo("Testo: vision").fill("Una vision in anteprima.")
    redattore.salva()
    redattore.strumento("Anteprima").click()
    expect(redattore.sezione("vision")).to_contain_text("Una vision in anteprima.")
    expect(redattore.page.get_by_text("Bozza di anna ·")).to_have_count(0)
    expect(redattore.page.get_by_role("button", name="Modifica vision")).to_have_count(0)
    expect(redattore.page.get_by_role("button", name="Aggiungi tappa")).to_have_count(0)
    redattore.strumento("Chiudi anteprima").click()
    expect(redattore.page.get_by_role("button", name="Modifica vision")).to_be_visible()
    expect(redattore.sezione("vision").get_by_text("Bozza di anna ·")).to_be_visible()


def test_escape_and_annulla_save_nothing(redattore: PaginaInModifica, db):
    prima = _testo_salvato(db, "vision")
    apri = redattore.page.get_by_role("button", name="Modifica vision")
    apri.click()
    redattore.campo("Testo: vision").fill("Testo che non va salvato.")
    redattore.page.once("dialog", lambda dialogo: dialogo.accept())  # typed text: it asks
    redattore.page.keyboard.press("Escape")
    expect(redattore.campo("Testo: vision")).to_be_hidden()
    expect(apri).to_be_focused()
    apri.click()
    expect(redattore.campo("Testo: vision")).to_have_value(prima)
    redattore.page.get_by_role("button", name="Annulla", exact=True).click()
    assert _testo_salvato(db, "vision") == prima


def test_add_move_and_delete_a_milestone(redattore: PaginaInModifica, db):
    tappe = redattore.elementi("storia")
    n = tappe.count()
    redattore.page.get_by_role("button", name="Aggiungi tappa").click()
    redattore.campo("Titolo").fill("Una nuova tappa")
    redattore.campo("Testo").fill("Il testo della nuova tappa.")
    redattore.salva()
    expect(redattore.annuncio).to_have_text(
        f"Tappa «Una nuova tappa» aggiunta, posizione {n + 1} di {n + 1}."
    )
    expect(tappe).to_have_count(n + 1)
    expect(tappe.last.get_by_role("heading", level=3)).to_have_text("Una nuova tappa")
    # Said where she works too, under the item, not only in the bar at the top.
    expect(tappe.last.get_by_role("status")).to_have_text(
        f"Aggiunta come bozza: {PUBBLICA_DALLA_BARRA}"
    )
    _controlli_grandi_e_raccolti(redattore.page, tappe)

    redattore.page.get_by_role("button", name=f"Modifica tappa {n + 1}").click()
    redattore.campo("Testo").fill("Il testo della nuova tappa, corretto.")
    redattore.salva()
    expect(tappe.last.get_by_role("status")).to_have_text(
        f"Salvata come bozza: {PUBBLICA_DALLA_BARRA}"
    )
    expect(redattore.esiti).to_have_count(1)

    redattore.page.get_by_role("button", name=f"Sposta su tappa {n + 1}").click()
    expect(redattore.annuncio).to_have_text(
        f"Tappa «Una nuova tappa» spostata in posizione {n} di {n + 1}."
    )
    expect(tappe.nth(n - 1).get_by_role("heading", level=3)).to_have_text("Una nuova tappa")
    expect(redattore.page.get_by_role("button", name=f"Sposta su tappa {n}")).to_be_focused()
    expect(tappe.nth(n - 1).get_by_role("status")).to_have_text(
        f"Spostata in posizione {n} di {n + 1}, come bozza: {PUBBLICA_DALLA_BARRA}"
    )
    expect(redattore.esiti).to_have_count(1)  # one item at a time

    redattore.page.get_by_role("button", name=f"Elimina tappa {n}").press("Enter")
    conferma = redattore.page.get_by_role("button", name="Conferma eliminazione")
    expect(conferma).to_be_focused()  # a keyboard user lands on the question
    conferma.press("Enter")
    expect(redattore.annuncio).to_have_text("Tappa «Una nuova tappa» eliminata.")
    expect(tappe).to_have_count(n)
    # The item is gone: said by "Aggiungi tappa", where the focus is.
    expect(redattore.page.get_by_role("button", name="Aggiungi tappa")).to_be_focused()
    expect(redattore.esiti).to_have_text(
        [f"Tappa «Una nuova tappa» eliminata dalla bozza: {PUBBLICA_DALLA_BARRA}"]
    )
    expect(redattore.sezione("storia").locator(".esito-voce:not(:empty)")).to_have_count(1)
    db.expire_all()
    assert db.exec(select(Tappa).where(Tappa.titolo == "Una nuova tappa")).first() is None


def _controlli_grandi_e_raccolti(page: Page, tappe) -> None:
    """Every item control shown is at least 44 px tall, and sits inside its item's visible
    frame."""
    altezze = page.locator(".controlli button").evaluate_all(
        "(pulsanti) => pulsanti.filter((p) => p.getClientRects().length)"
        ".map((p) => p.getBoundingClientRect().height)"
    )
    assert min(altezze) >= 44, altezze
    for i in (0, tappe.count() - 1):
        cornice = tappe.nth(i).evaluate(
            """(li) => { const r = li.getBoundingClientRect();
                 const c = li.querySelector(':scope > .controlli').getBoundingClientRect();
                 return {bordo: getComputedStyle(li).borderTopStyle,
                         dentro: c.top >= r.top && c.bottom <= r.bottom
                                 && c.left >= r.left && c.right <= r.right}; }"""
        )
        assert cornice == {"bordo": "solid", "dentro": True}


def test_a_move_that_breaks_year_order_is_not_offered(redattore: PaginaInModifica, contenuto):
    """1994 moves up past the undated milestones, not past 1986: that button is disabled and
    says why (the server refuses it anyway: tests/security/test_attacchi.py)."""
    ultima = len(contenuto["tappe"])  # 1994, just below undated milestones
    for posizione in range(ultima, ultima - 3, -1):  # each move lands before the next click
        redattore.page.get_by_role("button", name=f"Sposta su tappa {posizione}").click()
        expect(redattore.annuncio).to_contain_text(
            f"spostata in posizione {posizione - 1} di {ultima}"
        )
    su = redattore.page.get_by_role("button", name="Sposta su tappa 2", exact=True)
    expect(su).to_be_disabled()
    expect(su).to_have_accessible_description(re.compile("ordine degli anni"))
    anni = redattore.timeline.locator("time").all_inner_texts()
    assert anni == sorted(anni)


def test_a_full_list_says_so_where_the_staff_member_is(redattore: PaginaInModifica, db):
    """At 30 values "Aggiungi valore", far down the page, opens no editor; the reason shows in
    the window, not only at the top of the page, until "Chiudi"."""
    campi = {"titolo": "Un valore in più", "testo": "Testo."}
    while quanti(session=db, pagina=BOZZA, tipo=VALORE) < VALORE.massimo:
        aggiungi(session=db, pagina=BOZZA, tipo=VALORE, campi=campi)
    redattore.page.get_by_role("button", name="Aggiungi valore").click()
    avviso = redattore.barra.get_by_role("alert")
    expect(avviso).to_have_text(
        "La pagina ha già 30 valori, il numero massimo: per aggiungerne uno, "
        "eliminane prima un altro."
    )
    expect(avviso).to_be_in_viewport()
    expect(redattore.page.get_by_role("button", name="Salva", exact=True)).to_have_count(0)
    redattore.page.get_by_role("button", name="Chiudi").click()
    expect(avviso).to_have_count(0)


def test_add_move_and_delete_a_value(redattore: PaginaInModifica, contenuto, db):
    n = len(contenuto["valori"])
    valori = redattore.elementi("valori")
    redattore.page.get_by_role("button", name="Aggiungi valore").click()
    redattore.campo("Titolo breve").fill("Un valore nuovo")
    redattore.campo("Testo").fill("La frase completa del valore nuovo.")
    redattore.salva()
    expect(redattore.annuncio).to_contain_text(f"posizione {n + 1} di {n + 1}")
    nuovo = redattore.valore("Un valore nuovo")
    nuovo.click()
    expect(redattore.pannello(nuovo)).to_have_text("La frase completa del valore nuovo.")

    redattore.page.get_by_role("button", name=f"Sposta su valore {n + 1}").click()
    expect(redattore.annuncio).to_have_text(
        f"Valore «Un valore nuovo» spostato in posizione {n} di {n + 1}."
    )
    expect(valori.nth(n - 1).get_by_role("heading", level=3)).to_have_text("Un valore nuovo")

    redattore.page.get_by_role("button", name=f"Modifica valore {n}").click()
    redattore.campo("Titolo breve").fill("Un valore rinominato")
    redattore.salva()
    expect(redattore.valore("Un valore rinominato")).to_be_visible()

    redattore.page.get_by_role("button", name=f"Elimina valore {n}").click()
    redattore.page.get_by_role("button", name="Conferma eliminazione").click()
    expect(valori).to_have_count(n)
    db.expire_all()
    assert len(db.exec(select(Valore).where(Valore.pagina == BOZZA.nome)).all()) == n


def test_invalid_input_shows_the_message_and_saves_nothing(redattore: PaginaInModifica, db):
    db.expire_all()
    prima = [
        (t.anno, t.titolo, t.testo) for t in leggi_elenco(session=db, pagina=BOZZA, modello=Tappa)
    ]
    redattore.page.get_by_role("button", name="Modifica tappa 2").click()
    redattore.campo("Anno (facoltativo)").fill("1800")
    redattore.campo("Titolo").fill("")
    redattore.campo("Testo").fill("x" * 2001)
    redattore.salva()
    expect(redattore.campo("Anno (facoltativo)")).to_have_attribute("aria-invalid", "true")
    expect(redattore.page.locator("#errore-anno")).to_contain_text("compreso tra 1900")
    expect(redattore.page.locator("#errore-titolo")).to_have_text("Questo campo è obbligatorio.")
    expect(redattore.page.locator("#errore-testo")).to_have_text(
        "Al massimo 2.000 caratteri (ora sono 2.001)."
    )
    db.expire_all()
    tappe = leggi_elenco(session=db, pagina=BOZZA, modello=Tappa)
    assert [(t.anno, t.titolo, t.testo) for t in tappe] == prima


def test_markup_is_shown_as_text_and_never_runs(redattore: PaginaInModifica, db):
    attacco = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">'
    dialoghi: list[str] = []
    redattore.page.on("dialog", lambda d: (dialoghi.append(d.message), d.dismiss()))
    redattore.page.get_by_role("button", name="Modifica vision").click()
    redattore.campo("Testo: vision").fill(attacco)
    redattore.salva()
    expect(redattore.sezione("vision").get_by_text(attacco)).to_be_visible()
    redattore.page.reload()
    expect(redattore.sezione("vision").get_by_text(attacco)).to_be_visible()
    assert redattore.page.evaluate("() => window.__xss") is None
    assert redattore.sezione("vision").locator("img, script").count() == 0
    assert dialoghi == []


def test_two_staff_members_conflict_and_nothing_is_lost(
    redattore: PaginaInModifica, browser: Browser, server: Server, staff, contenuto, db
):
    altra = browser.new_context(base_url=server.url, viewport={"width": 1280, "height": 800})
    try:
        bruno = PaginaInModifica(altra.new_page(), contenuto)
        accedi(bruno.page, "bruno", staff["bruno"])
        bruno.apri().attiva_modifica()

        redattore.page.get_by_role("button", name="Modifica mission").click()
        bruno.apri_lo_stesso("Modifica mission", "Anna")  # she has it open: he is asked first
        redattore.campo("Testo: mission").fill("La versione di Anna.")
        bruno.campo("Testo: mission").fill("La versione di Bruno.")
        redattore.salva()
        expect(redattore.annuncio).to_have_text("Testo della mission salvato.")

        bruno.salva()
        conflitto = bruno.sezione("mission").get_by_role("alert")
        expect(conflitto).to_contain_text("un’altra persona ha salvato questa versione")
        expect(conflitto).to_contain_text("La versione di Anna.")
        expect(bruno.campo("Testo: mission")).to_have_value("La versione di Bruno.")
        assert _testo_salvato(db, "mission") == "La versione di Anna."

        bruno.salva()  # having seen Anna's text, Bruno chooses to replace it
        expect(bruno.annuncio).to_have_text("Testo della mission salvato.")
        assert _testo_salvato(db, "mission") == "La versione di Bruno."

        # Now Anna's save meets Bruno's: she starts from his version and merges by hand. His
        # editor closed with his save: once her page says so, opening asks nothing.
        expect(redattore.page.get_by_text("Bruno sta modificando…")).to_have_count(0)
        redattore.page.get_by_role("button", name="Modifica mission").click()
        redattore.campo("Testo: mission").fill("Anna aggiunge una frase.")
        bruno.apri_lo_stesso("Modifica mission", "Anna")
        bruno.campo("Testo: mission").fill("La versione di Bruno, corretta.")
        bruno.salva()
        # The announcement says the same as after his previous save: wait for the text itself.
        expect(bruno.campo("Testo: mission")).to_have_count(0)
        expect(bruno.sezione("mission")).to_contain_text("La versione di Bruno, corretta.")
        redattore.salva()
        conflitto = redattore.sezione("mission").get_by_role("alert")
        expect(conflitto).to_contain_text("La versione di Bruno, corretta.")
        conflitto.get_by_role("button", name="Usa la loro versione").click()
        campo = redattore.campo("Testo: mission")
        expect(campo).to_have_value("La versione di Bruno, corretta.")
        expect(campo).to_be_focused()
        expect(conflitto).to_have_count(0)
        campo.press("End")
        campo.type(" Anna aggiunge una frase.")
        redattore.salva()
        expect(redattore.sezione("mission")).to_contain_text(
            "La versione di Bruno, corretta. Anna aggiunge una frase."
        )
        assert _testo_salvato(db, "mission") == (
            "La versione di Bruno, corretta. Anna aggiunge una frase."
        )
    finally:
        altra.close()  # his tab in edit mode would stay present for the next tests


def test_logout_removes_the_edit_controls(redattore: PaginaInModifica):
    expect(redattore.page.get_by_role("button", name="Modifica mission")).to_be_visible()
    redattore.strumento("Esci").click()
    expect(redattore.barra).to_have_count(0)
    expect(redattore.page.get_by_role("button", name="Modifica mission")).to_have_count(0)
    redattore.page.reload()
    expect(redattore.page.locator("main")).to_have_attribute("data-idratata", "true")
    expect(redattore.page.get_by_role("button", name="Modifica pagina")).to_have_count(0)


def test_the_subtitle_is_edited_in_place_and_published(
    redattore: PaginaInModifica, browser: Browser, server: Server, db
):
    nuovo = "Servizi alla persona a Ferrara, dal 1986."
    redattore.page.get_by_role("button", name="Modifica sottotitolo").click()
    redattore.campo("Testo: sottotitolo").fill(nuovo)
    redattore.salva()
    expect(redattore.annuncio).to_have_text("Testo del sottotitolo salvato.")
    expect(redattore.page.locator(".apertura")).to_contain_text(nuovo)
    redattore.page.get_by_role("button", name="Pubblica", exact=True).click()
    expect(redattore.elenco_conferma).to_have_text(
        ["Testo del sottotitolo: modificato", "Testo del sottotitolo: traduzione da aggiornare"]
    )
    redattore.page.get_by_role("button", name="Pubblica ora").click()
    expect(redattore.annuncio).to_have_text("Pubblicata 1 modifica.")
    assert _testo_salvato(db, "sottotitolo", PUBBLICATA) == nuovo
    html_pubblicato(server, nuovo)
    attendi_build(server, db)
    Archivio(server.build).dimentica()  # `db` puts the content file back


def test_the_page_description_is_edited_from_the_staff_bar_and_reaches_the_meta_tags(
    redattore: PaginaInModifica, server: Server, db
):
    nuova = "Cooperativa Serena di Ferrara: assistenza domiciliare, servizi educativi."
    barra = redattore.strumenti().barra
    barra.get_by_text("Descrizione per motori di ricerca e condivisioni").click()
    expect(barra).to_contain_text("caratteri: i motori di ricerca ne mostrano circa 155.")
    barra.get_by_role("button", name="Modifica descrizione della pagina").click()
    redattore.campo("Testo: descrizione della pagina").fill(nuova)
    redattore.salva()
    expect(redattore.annuncio).to_have_text("Testo della descrizione della pagina salvato.")
    expect(barra).to_contain_text(f"{len(nuova)} caratteri")
    assert nuova not in httpx.get(f"{server.url}/").text  # a draft
    redattore.page.get_by_role("button", name="Pubblica", exact=True).click()
    redattore.page.get_by_role("button", name="Pubblica ora").click()
    expect(redattore.annuncio).to_have_text("Pubblicata 1 modifica.")
    html = html_pubblicato(server, f'<meta content="{nuova}" name="description"/>')
    assert f'<meta content="{nuova}" property="og:description"/>' in html
    assert f'"description": "{nuova}"' in html
    attendi_build(server, db)
    Archivio(server.build).dimentica()  # `db` puts the content file back


CHIEDE_ANNULLA = "Hai del testo non salvato: se annulli andrà perso. Annullare lo stesso?"


def _tappe(db: Session) -> list[tuple]:
    db.expire_all()
    return [
        (t.anno, t.titolo, t.testo) for t in leggi_elenco(session=db, pagina=BOZZA, modello=Tappa)
    ]


@pytest.mark.parametrize("server", ["run"], indirect=True)
@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_cancelling_with_typed_text_asks_first_from_every_field(redattore: PaginaInModifica, db):
    page = redattore.page
    prima = _tappe(db)
    domande: list[str] = []
    accetta = [False]

    def rispondi(dialogo: Dialog) -> None:
        domande.append(dialogo.message)
        dialogo.accept() if accetta[0] else dialogo.dismiss()

    page.on("dialog", rispondi)
    apri = page.get_by_role("button", name="Modifica tappa 2")
    titolo = redattore.campo("Titolo")

    # Nothing typed: Escape and "Annulla" close at once.
    apri.click()
    redattore.campo("Anno (facoltativo)").press("Escape")
    expect(titolo).to_have_count(0)
    expect(apri).to_be_focused()
    apri.press("Enter")
    page.get_by_role("button", name="Annulla", exact=True).click()
    expect(titolo).to_have_count(0)
    assert domande == []

    # Typed text: Escape from every field and button of the editor, and "Annulla", ask.
    apri.press("Enter")
    titolo.fill("Un titolo non salvato")
    controlli = [
        redattore.campo("Anno (facoltativo)"),
        titolo,
        redattore.campo("Testo"),
        page.get_by_role("button", name="Salva", exact=True),
    ]
    for i, controllo in enumerate(controlli, start=1):
        controllo.press("Escape")
        expect(titolo).to_have_value("Un titolo non salvato")
        assert domande == [CHIEDE_ANNULLA] * i
    annulla = page.get_by_role("button", name="Annulla", exact=True)
    annulla.press("Enter")  # by keyboard
    expect(titolo).to_have_value("Un titolo non salvato")
    assert domande == [CHIEDE_ANNULLA] * 5
    assert violazioni_alle_due_misure(page) == {}  # the editor kept open, with typed text

    accetta[0] = True
    annulla.press("Enter")
    expect(titolo).to_have_count(0)
    expect(apri).to_be_focused()
    assert len(domande) == 6
    assert _tappe(db) == prima


def _cifre(numero: int) -> str:
    return f"{numero:,}".replace(",", ".")


@pytest.mark.parametrize("server", ["run"], indirect=True)
@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_a_long_paste_is_kept_whole_counted_and_refused_and_errors_are_heard(
    redattore: PaginaInModifica, db
):
    page = redattore.page
    prima = _tappe(db)
    massimo = TAPPA.campo("testo").massimo
    page.get_by_role("button", name="Modifica tappa 2").click()
    testo = redattore.campo("Testo")
    contatore, annuncio = redattore.contatore("testo"), redattore.annuncio_contatore("testo")
    expect(contatore).to_have_text(f"{_cifre(len(prima[1][2]))} / {_cifre(massimo)} caratteri")
    assert "conta-testo" in testo.get_attribute("aria-describedby").split()
    expect(annuncio).to_have_text("")

    # Near the limit the count is said once, not on every key.
    testo.fill("a" * (massimo - 10))
    expect(contatore).to_have_text(f"{_cifre(massimo - 10)} / {_cifre(massimo)} caratteri")
    expect(annuncio).to_have_text(f"Restano 10 caratteri su {_cifre(massimo)}.")
    testo.press("End")
    page.keyboard.type("b")
    expect(contatore).to_have_text(f"{_cifre(massimo - 9)} / {_cifre(massimo)} caratteri")
    expect(annuncio).to_have_text(f"Restano 10 caratteri su {_cifre(massimo)}.")

    # A 5,000-character paste is kept whole: she shortens it herself.
    lungo = ("Una frase lunga, incollata da un documento. " * 120)[:4999] + "."
    redattore.incolla(testo, lungo)
    expect(testo).to_have_value(lungo)
    expect(contatore).to_contain_text(f"5.000 / {_cifre(massimo)} caratteri")
    expect(contatore).to_have_attribute("data-oltre", "true")
    expect(annuncio).to_contain_text(f"limite di {_cifre(massimo)} caratteri")
    page.get_by_role("button", name="Salva", exact=True).press("Enter")  # by keyboard
    expect(page.locator("#errore-testo")).to_have_text(
        f"Al massimo {_cifre(massimo)} caratteri (ora sono 5.000)."
    )
    expect(testo).to_be_focused()  # the one refused field: read with its message
    expect(testo).to_have_attribute("aria-invalid", "true")
    assert "errore-testo" in testo.get_attribute("aria-describedby").split()
    expect(testo).to_have_value(lungo)
    assert _tappe(db) == prima
    assert violazioni(page) == []
    page.set_viewport_size({"width": 390, "height": 844})
    assert violazioni(page) == []
    page.set_viewport_size({"width": 1280, "height": 800})

    # Several refused fields: a summary at the top of the form, focused, links to each.
    redattore.campo("Anno (facoltativo)").fill("1800")
    redattore.campo("Titolo").fill("")
    testo.fill("Un testo corto.")
    redattore.salva()
    riepilogo = page.get_by_role("group", name="2 campi da correggere")
    expect(riepilogo).to_be_focused()
    expect(riepilogo.get_by_role("link")).to_have_text(
        [
            re.compile(r"^Anno \(facoltativo\): L’anno deve essere compreso tra 1900"),
            "Titolo: Questo campo è obbligatorio.",
        ]
    )
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(redattore.campo("Titolo")).to_be_focused()
    riepilogo.get_by_role("link").first.click()
    expect(redattore.campo("Anno (facoltativo)")).to_be_focused()
    for campo in ("anno", "titolo"):
        controllo = page.locator(f"#modifica-{campo}")
        expect(controllo).to_have_attribute("aria-invalid", "true")
        assert f"errore-{campo}" in controllo.get_attribute("aria-describedby").split()
    expect(testo).to_have_attribute("aria-invalid", "false")
    assert violazioni(page) == []
    assert _tappe(db) == prima
    page.once("dialog", lambda dialogo: dialogo.accept())
    page.get_by_role("button", name="Annulla", exact=True).click()
    expect(testo).to_have_count(0)


def _tab_fino_a(page: Page, nome: str, massimo: int = 300) -> None:
    """Press Tab until the focused element's accessible text is `nome`."""
    for _ in range(massimo):
        page.keyboard.press("Tab")
        fermata = page.evaluate(
            "() => { const e = document.activeElement;"
            " return (e.getAttribute('aria-label') || e.textContent || '').trim(); }"
        )
        if fermata == nome:
            return
    pytest.fail(f"«{nome}» not reached by keyboard")


def _riquadro(locator) -> dict:
    """Where an element is in the window, in CSS pixels."""
    return locator.evaluate(
        "(e) => { const r = e.getBoundingClientRect();"
        " return {alto: r.top, basso: r.bottom, altezza: r.height}; }"
    )


@pytest.mark.parametrize("server", ["run"], indirect=True)
def test_the_staff_bar_is_one_line_on_a_phone_and_stays_in_reach(
    redattore: PaginaInModifica, viewport: dict
):
    """Status and "Pubblica" are in the window wherever one is on the page; on a phone the bar
    is one line until "Strumenti" opens it; a field reached by keyboard is not under it."""
    page, barra = redattore.page, redattore.barra
    telefono = viewport["width"] < 600
    pubblica = page.get_by_role("button", name="Pubblica", exact=True)
    if telefono:
        strumenti = redattore.pulsante_strumenti
        expect(strumenti).to_have_attribute("aria-expanded", "false")
        riga = _riquadro(pubblica)["altezza"]
        altezza = _riquadro(barra)["altezza"]
        print(f"phone: staff bar {altezza:.0f} px high, one button {riga:.0f} px")
        assert altezza < 2 * riga
        expect(page.get_by_role("button", name="Scarta bozze")).to_be_hidden()
        strumenti.click()
        expect(strumenti).to_have_attribute("aria-expanded", "true")
        expect(page.get_by_role("button", name="Scarta bozze")).to_be_visible()
        assert page.locator(f"#{strumenti.get_attribute('aria-controls')}").count() == 1
        strumenti.click()
        expect(page.get_by_role("button", name="Scarta bozze")).to_be_hidden()

    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
    expect(redattore.stato).to_be_in_viewport(ratio=1)
    expect(pubblica).to_be_in_viewport(ratio=1)
    print(f"{viewport['width']} px: at the bottom, staff bar at {_riquadro(barra)}")

    page.evaluate("() => window.scrollTo(0, 0)")
    page.locator("body").click(position={"x": 5, "y": 5})
    _tab_fino_a(page, "Modifica vision")
    fuoco = _riquadro(page.get_by_role("button", name="Modifica vision"))
    assert fuoco["alto"] >= _riquadro(barra)["basso"], "the focused button is under the bar"
    redattore.strumenti(True)
    assert violazioni(page) == []


@pytest.mark.parametrize("server", ["run"], indirect=True)
@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_what_would_be_refused_is_disabled_and_says_why(redattore: PaginaInModifica):
    """No drafts: "Pubblica" and "Scarta bozze"; nothing of hers: "Annulla ultima modifica";
    the ends of a list, and dated milestones next to each other: "Sposta su/giù". Each says
    why, in visible text the button is described by; keyboard alone."""
    page = redattore.page
    niente = re.compile("niente da pubblicare", re.IGNORECASE)
    pubblica = page.get_by_role("button", name="Pubblica", exact=True)
    scarta = redattore.strumento("Scarta bozze")
    annulla = redattore.strumento("Annulla ultima modifica")
    for pulsante in (pubblica, scarta):
        expect(pulsante).to_be_disabled()
        expect(pulsante).to_have_accessible_description(niente)
    expect(redattore.stato).to_be_visible()
    expect(redattore.stato).to_contain_text(niente)
    expect(annulla).to_be_disabled()
    expect(annulla).to_have_accessible_description("Nessuna modifica tua da annullare.")
    expect(redattore.barra.get_by_text("Nessuna modifica tua da annullare.")).to_be_visible()

    n = redattore.elementi("storia").count()
    valori = redattore.elementi("valori").count()
    cima = "È in cima all’elenco: non può salire."
    fondo = "È in fondo all’elenco: non può scendere."
    for nome, motivo in (
        ("Sposta su tappa 1", cima),
        (f"Sposta giù tappa {n}", fondo),
        ("Sposta su valore 1", cima),
        (f"Sposta giù valore {valori}", fondo),
    ):
        pulsante = page.get_by_role("button", name=nome, exact=True)
        expect(pulsante).to_be_disabled()
        expect(pulsante).to_have_accessible_description(motivo)
    expect(page.get_by_role("button", name="Sposta giù tappa 1", exact=True)).to_be_enabled()
    expect(page.get_by_text(cima)).to_have_count(2)  # shown once per list, where it applies

    # A milestone of 2000 goes after the one of 1994: neither can pass the other.
    _tab_fino_a(page, "Aggiungi tappa")
    page.keyboard.press("Enter")
    expect(redattore.campo("Anno (facoltativo)")).to_be_focused()
    page.keyboard.type("2000")
    page.keyboard.press("Tab")
    page.keyboard.type("Una tappa del 2000")
    page.keyboard.press("Tab")
    page.keyboard.type("Il testo della tappa.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(redattore.annuncio).to_contain_text(f"posizione {n + 1} di {n + 1}")
    anni = "Le tappe con un anno seguono l’ordine degli anni: cambia l’anno per spostarla."
    for nome in (f"Sposta giù tappa {n}", f"Sposta su tappa {n + 1}"):
        pulsante = page.get_by_role("button", name=nome, exact=True)
        expect(pulsante).to_be_disabled()
        expect(pulsante).to_have_accessible_description(anni)
    expect(page.get_by_text(anni)).to_have_count(2)
    expect(pubblica).to_be_enabled()
    expect(scarta).to_be_enabled()
    expect(annulla).to_be_enabled()
    expect(redattore.stato).not_to_contain_text(niente)

    annulla.focus()
    page.keyboard.press("Enter")
    expect(redattore.annuncio).to_contain_text("Modifica annullata")
    expect(redattore.elementi("storia")).to_have_count(n)
    expect(annulla).to_be_disabled()
    expect(page.locator("#motivo-annulla")).to_be_focused()  # not lost with the button
    expect(pubblica).to_be_disabled()
    assert violazioni_alle_due_misure(page) == {}  # disabled buttons and their reasons


@pytest.mark.parametrize("server", ["run"], indirect=True)
def test_entering_and_leaving_are_said_in_words(redattore: PaginaInModifica):
    """The toggle says what it does; the preview says visitors do not see it yet; the
    confirmation's way back is not one more "Annulla"; "Esci" says how many drafts stay."""
    page = redattore.page
    esci_modifica = redattore.strumento("Esci dalla modifica")
    expect(redattore.barra.get_by_role("button", name="Modifica pagina")).to_have_count(0)
    expect(esci_modifica).not_to_have_attribute("aria-pressed", re.compile(".*"))
    redattore.strumenti(False)

    page.get_by_role("button", name="Modifica vision").click()
    redattore.campo("Testo: vision").fill("Una vision ancora in bozza.")
    redattore.salva()
    expect(redattore.annuncio).to_have_text("Testo della vision salvato.")

    redattore.strumento("Anteprima").click()
    banner = page.get_by_text("Anteprima: i visitatori non vedono ancora queste modifiche.")
    expect(banner).to_be_visible()
    redattore.strumento("Chiudi anteprima").click()
    expect(banner).to_have_count(0)

    redattore.strumento("Scarta bozze").click()
    indietro = redattore.barra.get_by_role("button", name="No, torna indietro")
    expect(indietro).to_be_visible()
    expect(redattore.barra.get_by_role("button", name="Annulla", exact=True)).to_have_count(0)
    indietro.click()
    expect(indietro).to_have_count(0)

    # "Pubblica più tardi…" sits among the same tools as "Annulla ultima modifica": its way
    # back says so in words too, and so does cancelling a scheduled publish.
    redattore.strumento("Pubblica più tardi…").click()
    dialogo = page.get_by_role("dialog", name="Pubblica più tardi")
    expect(dialogo.get_by_role("button", name="No, torna indietro")).to_be_visible()
    expect(redattore.barra.get_by_role("button", name="Annulla", exact=True)).to_have_count(0)
    dialogo.get_by_label("Data", exact=True).fill(f"{date.today() + timedelta(days=30):%Y-%m-%d}")
    dialogo.get_by_label("Ora (ora italiana)").fill("10:00:00")
    dialogo.get_by_role("button", name="Programma").click()
    programmata = redattore.barra.get_by_role("region", name="Pubblicazioni programmate")
    annulla = programmata.get_by_role("button", name="Annulla la pubblicazione programmata:")
    expect(annulla).to_have_text("Annulla la programmazione")
    expect(redattore.barra.get_by_role("button", name="Annulla", exact=True)).to_have_count(0)
    annulla.click()
    expect(annulla).to_have_count(0)
    redattore.strumento("Pubblica più tardi…").click()
    dialogo.get_by_role("button", name="No, torna indietro").press("Enter")
    expect(dialogo).to_have_count(0)

    redattore.strumento("Esci dalla modifica").click()
    expect(page.get_by_role("button", name="Modifica pagina")).to_be_visible()  # one line again
    redattore.attiva_modifica()
    redattore.strumento("Esci").click()
    expect(redattore.barra).to_have_count(0)
    congedo = page.get_by_role("status").filter(has_text="Sei uscita/o dall’area riservata.")
    expect(congedo).to_have_text(
        "Sei uscita/o dall’area riservata. 1 modifica resta in bozza, non pubblicata: "
        "la ritrovi quando rientri."
    )
    expect(congedo).to_be_visible()
