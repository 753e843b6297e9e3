"""Screenshots for the README, at phone (390x844) and desktop (1280x800) size, into
`docs/screenshots/`: the visitor page, a value expanded, the page in English (`/en/`, also with
a value expanded), edit mode, a field open, the staff bar with a draft, an item's history, an
English text out of date (its marker, and its editor with what changed in the Italian), the
"Persone" panel after an invitation, a responsabile viewing a publication request, the live
demo's banner and a phone's copy, presence in edit mode (who else edits, the marker beside
an item, the question before opening it), the writing help (an editor's figures, the page
summary). Look at them before committing them. Reduced motion: no
smooth scroll is caught half-way.

Starts the production app and a demo server, each from a private copy of the tree.

Usage: python scripts/screenshots.py [--solo-inglese | --solo-presenza | --solo-leggibilita]
(or `make screenshots`; with --solo-inglese only the English page's, with --solo-presenza only
presence's, with --solo-leggibilita only the writing help's, without the demo server)
"""

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Browser, Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from serena_app.auth.personale import crea_staff  # noqa: E402
from serena_app.auth.ruoli import REDATTORE, RESPONSABILE  # noqa: E402
from serena_app.contenuto.pagina import SITO  # noqa: E402
from serena_app.db import session as sessione_db  # noqa: E402
from serena_app.pubblicazione import richieste  # noqa: E402
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS, VIEWPORTS  # noqa: E402
from tests.support.copia import copia_albero  # noqa: E402
from tests.support.demo import server_demo  # noqa: E402
from tests.support.server import avvia_app  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
PASSWORD = "una password per le immagini"  # noqa: S105 (a throwaway account)


def _pagina(browser: Browser, url: str, size: str, percorso: str = "/") -> Page:
    page = browser.new_page(
        viewport=VIEWPORTS[size],
        base_url=url,
        locale="en-GB" if percorso.startswith("/en/") else "it-IT",
        reduced_motion="reduce",
    )
    page.goto(percorso)
    expect(page.locator("main")).to_have_attribute("data-idratata", "true")
    return page


def visitatore(browser: Browser, url: str, percorso: str = "/", nome: str = "visitatore") -> None:
    """The page at `percorso` as a visitor first sees it (`<nome>-<size>.png`), and with a
    value expanded (`valore-aperto-<size>.png`, or `<nome>-valore-aperto-<size>.png`)."""
    aperto = "valore-aperto" if nome == "visitatore" else f"{nome}-valore-aperto"
    for size in VIEWPORTS:
        page = _pagina(browser, url, size, percorso)
        page.screenshot(path=OUT / f"{nome}-{size}.png")
        valore = page.locator("#valore-pulsante-2")
        valore.click()
        expect(valore).to_have_attribute("aria-expanded", "true")
        page.locator("#valori-2").scroll_into_view_if_needed()
        page.evaluate("window.scrollBy(0, -120)")
        page.screenshot(path=OUT / f"{aperto}-{size}.png")
        page.close()


def entra(browser: Browser, url: str, size: str) -> Page:
    """Logged in as anna, in edit mode."""
    page = browser.new_page(
        viewport=VIEWPORTS[size], base_url=url, locale="it-IT", reduced_motion="reduce"
    )
    page.goto("/accesso/")
    expect(page.locator("main")).to_have_attribute("data-idratata", "true")
    page.get_by_label("Nome utente").fill("anna")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    page.get_by_role("button", name="Modifica pagina").click()
    expect(page.get_by_role("button", name="Strumenti")).to_be_visible()
    return page


def redazione(browser: Browser, url: str) -> None:
    """Edit mode at both sizes: the mission's editor open, the staff bar with one draft, and
    the mission's history."""
    for size in VIEWPORTS:
        page = entra(browser, url, size)
        page.screenshot(path=OUT / f"modifica-{size}.png")
        page.get_by_role("button", name="Modifica mission").click()
        campo = page.get_by_label("Testo: mission", exact=True)
        campo.evaluate("(c) => c.closest('form').scrollIntoView({block: 'center'})")
        page.screenshot(path=OUT / f"modifica-campo-{size}.png")
        campo.fill(campo.input_value().strip() + "\n\nUn paragrafo nuovo, ancora in bozza.")
        page.get_by_role("button", name="Salva", exact=True).click()
        expect(page.get_by_text("Salvato come bozza")).to_be_visible()
        page.screenshot(path=OUT / f"bozze-{size}.png")
        page.get_by_role("button", name="Cronologia mission").click()
        pannello = page.get_by_role("region", name="Cronologia: mission")
        expect(pannello).to_be_focused()
        page.screenshot(path=OUT / f"cronologia-{size}.png")
        page.close()


def leggibilita(browser: Browser, url: str) -> None:
    """The writing help at both sizes: the mission's editor with its figures and a long
    sentence listed, and "Leggibilità della pagina" opened from the tools."""
    for size in VIEWPORTS:
        page = entra(browser, url, size)
        page.get_by_role("button", name="Modifica mission").click()
        figure = page.locator("form.editor .leggibilita")
        expect(figure.locator(".leggibilita-indice")).to_be_visible()
        figure.evaluate("(f) => f.scrollIntoView({block: 'end'})")
        page.screenshot(path=OUT / f"leggibilita-editor-{size}.png")
        page.get_by_role("button", name="Annulla", exact=True).click()
        page.get_by_role("button", name="Strumenti").click()
        page.get_by_role("button", name="Leggibilità della pagina").click()
        pannello = page.get_by_role("region", name="Leggibilità della pagina")
        expect(pannello.locator(".leggibilita-indice")).to_be_visible()
        pannello.scroll_into_view_if_needed()
        page.screenshot(path=OUT / f"leggibilita-pagina-{size}.png")
        page.close()


def traduzione(browser: Browser, url: str) -> None:
    """The English page in edit mode after `redazione` changed the Italian mission: its English
    marked out of date, and its editor showing what changed in the Italian since."""
    for size in VIEWPORTS:
        page = entra(browser, url, size)
        page.goto("/en/")
        expect(page.locator("main")).to_have_attribute("data-idratata", "true")
        modifica = page.get_by_role("button", name="Modifica pagina")
        if modifica.is_visible():
            modifica.click()
        marcatore = page.locator("#mission .traduzione")
        expect(marcatore).to_have_text("Traduzione da aggiornare")
        marcatore.evaluate("(m) => m.scrollIntoView({block: 'center'})")
        page.screenshot(path=OUT / f"traduzione-{size}.png")
        page.get_by_role("button", name="Modifica mission").click()
        cambiato = page.locator(".originale details")
        expect(cambiato).to_be_visible()
        cambiato.evaluate("(d) => d.scrollIntoView({block: 'start'})")
        page.evaluate("window.scrollBy(0, -140)")
        page.screenshot(path=OUT / f"traduzione-editor-{size}.png")
        page.close()


def persone(browser: Browser, url: str) -> None:
    """The "Persone" panel at both sizes, after inviting a redattore (the link and its QR)."""
    for numero, size in enumerate(VIEWPORTS, start=1):
        page = entra(browser, url, size)
        strumenti = page.get_by_role("button", name="Strumenti")
        if strumenti.is_visible() and strumenti.get_attribute("aria-expanded") != "true":
            strumenti.click()
        page.get_by_role("button", name="Persone", exact=True).click()
        pannello = page.get_by_role("region", name="Persone")
        pannello.get_by_label("Nome utente", exact=True).fill(f"marco-{numero}")
        pannello.get_by_role("button", name="Crea invito").click()
        qr = pannello.get_by_role("img", name=f"Codice QR del link per marco-{numero}")
        expect(qr).to_be_visible()
        # The new link and its QR code at the bottom of the window, the rows above them.
        pannello.locator(".link-persona").evaluate("(l) => l.scrollIntoView({block: 'end'})")
        page.screenshot(path=OUT / f"persone-{size}.png")


def richiesta(browser: Browser, url: str, db_url: str) -> None:
    """A redattore's request for the drafts `redazione` left, as a responsabile sees it."""
    with sessione_db(db_url) as session:
        crea_staff(session=session, nome_utente="marco", password=PASSWORD, ruolo=REDATTORE)
        richieste.chiedi(
            session=session,
            spazio=SITO,
            autore="marco",
            messaggio="Ho aggiunto l’assemblea di dicembre alla mission: controlla, per favore.",
        )
    for size in VIEWPORTS:
        page = entra(browser, url, size)
        strumenti = page.get_by_role("button", name="Strumenti", exact=True)
        expect(strumenti).to_have_accessible_description("1 richiesta di pubblicazione in attesa")
        strumenti.click()
        page.get_by_role("button", name="Richieste di pubblicazione (1)").click()
        pannello = page.get_by_role("region", name="Richieste di pubblicazione")
        expect(pannello).to_contain_text("marco chiede di pubblicare")
        strumenti.click()  # folded again: the first line, with its badge, and the request
        page.screenshot(path=OUT / f"richiesta-{size}.png")
        page.close()


def demo(browser: Browser, url: str) -> None:
    """The demo banner at both sizes (the QR code on a large screen), and a phone in its own
    copy."""
    for size in VIEWPORTS:
        page = _pagina(browser, url, size)
        page.screenshot(path=OUT / f"demo-{size}.png")
        if size == "telefono":
            page.get_by_role("button", name="Prova la modalità modifica").click()
            expect(page.get_by_text("La tua copia di prova è aperta")).to_be_focused()
            page.screenshot(path=OUT / "demo-copia-telefono.png")
        page.close()


def _accedi(browser: Browser, url: str, size: str, nome: str) -> Page:
    """Logged in as `nome`, in edit mode."""
    page = browser.new_page(
        viewport=VIEWPORTS[size], base_url=url, locale="it-IT", reduced_motion="reduce"
    )
    page.goto("/accesso/")
    expect(page.locator("main")).to_have_attribute("data-idratata", "true")
    page.get_by_label("Nome utente").fill(nome)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    page.get_by_role("button", name="Modifica pagina").click()
    expect(page.get_by_role("button", name="Strumenti")).to_be_visible()
    return page


def presenza(browser: Browser, url: str, db_url: str) -> None:
    """Presence at both sizes: Bruno's staff bar with Anna and Carla in edit mode and the
    marker beside the mission, which Anna has open; then the question he is asked before
    opening it."""
    with sessione_db(db_url) as session:
        for nome in ("anna.rossi", "bruno.bianchi", "carla.verdi"):
            crea_staff(session=session, nome_utente=nome, password=PASSWORD, ruolo=RESPONSABILE)
    anna = _accedi(browser, url, "desktop", "anna.rossi")
    carla = _accedi(browser, url, "desktop", "carla.verdi")
    anna.get_by_role("button", name="Modifica mission").click()
    for size in VIEWPORTS:
        page = _accedi(browser, url, size, "bruno.bianchi")
        marcatore = page.locator("#apri-sezione-mission + .presenza-voce")
        expect(marcatore).to_have_text("Anna sta modificando…")
        expect(page.get_by_role("img", name="Carla Verdi")).to_be_visible()
        # Her name, shown on focus; then the mission's button and its marker in view.
        page.get_by_role("img", name="Anna Rossi").evaluate("(b) => b.focus({preventScroll: true})")
        marcatore.evaluate("(m) => m.scrollIntoView({block: 'center'})")
        page.screenshot(path=OUT / f"presenza-{size}.png")
        page.get_by_role("button", name="Modifica mission").click()
        expect(page.locator("#domanda-presenza")).to_be_focused()
        page.screenshot(path=OUT / f"presenza-domanda-{size}.png")
        page.close()
    anna.close()
    carla.close()


def main() -> int:
    if "--solo-presenza" in sys.argv[1:]:
        return _solo("presenza")
    if "--solo-leggibilita" in sys.argv[1:]:
        return _solo("leggibilita")
    solo_inglese = "--solo-inglese" in sys.argv[1:]
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as cartella, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        sito, prova = Path(cartella) / "sito", Path(cartella) / "demo"
        copia_albero(sito / "albero")
        with avvia_app(sito, root=sito / "albero") as server:
            with sessione_db(server.db_url) as session:
                crea_staff(
                    session=session, nome_utente="anna", password=PASSWORD, ruolo=RESPONSABILE
                )
            visitatore(browser, server.url, "/en/", "inglese")  # the page in English
            if not solo_inglese:
                visitatore(browser, server.url)
                leggibilita(browser, server.url)
                redazione(browser, server.url)
                traduzione(browser, server.url)
                persone(browser, server.url)
                richiesta(browser, server.url, server.db_url)
                presenza(browser, server.url, server.db_url)
        if not solo_inglese:
            prova.mkdir()
            with server_demo(prova) as server:
                demo(browser, server.url)
        browser.close()
    for immagine in sorted(OUT.glob("*.png")):
        print(immagine.relative_to(ROOT))
    return 0


def _solo(nome: str) -> int:
    """Only the pictures of presence or of the writing help (`--solo-presenza`,
    `--solo-leggibilita`), without the demo server."""
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as cartella, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        sito = Path(cartella) / "sito"
        copia_albero(sito / "albero")
        with avvia_app(sito, root=sito / "albero") as server:
            if nome == "presenza":
                presenza(browser, server.url, server.db_url)
            else:
                with sessione_db(server.db_url) as session:
                    crea_staff(
                        session=session, nome_utente="anna", password=PASSWORD, ruolo=RESPONSABILE
                    )
                leggibilita(browser, server.url)
        browser.close()
    for immagine in sorted(OUT.glob(f"{nome}*.png")):
        print(immagine.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
