"""The presenter's view of a demo, `/demo/sala`, projected while three phones try the demo:
it counts them, tells what they do without their texts, and ends every sandbox, asked first,
by keyboard alone."""

import time
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from serena_app.demo import presentatore
from tests.e2e.conftest import VIEWPORTS
from tests.e2e.test_demo import _apri, _prova, _pubblica
from tests.support.axe import violazioni
from tests.support.demo import SANDBOX_MAX, chiave_sala, chiudi_sandbox
from tests.support.server import Server

SEGRETO_DEI_TELEFONI = "Parola di un telefono"


def _sala(browser: Browser, demo: Server) -> Page:
    """The presenter's page, opened with the terminal's link (its port is the demo's)."""
    porta = int(demo.url.rsplit(":", 1)[1])
    link = presentatore.link(porta, chiave_sala(demo))
    context = browser.new_context(viewport=VIEWPORTS["desktop"], locale="it-IT")
    page = context.new_page()
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("La sala della demo")
    return page


def _attendi_riga(sala: Page, riga: str) -> float:
    """Seconds from now until `riga` is in the feed."""
    inizio = time.perf_counter()
    expect(sala.locator(".sala-righe li", has_text=riga).first).to_be_visible()
    return time.perf_counter() - inizio


def test_the_presenter_sees_the_room_and_ends_every_sandbox_by_keyboard(
    browser: Browser, demo: Server, contenuto, tmp_path: Path
):
    chiudi_sandbox(demo.db_url)
    sala = _sala(browser, demo)
    conteggio = sala.get_by_role("status").filter(has_text="su")
    expect(conteggio).to_have_text(f"0 telefoni su {SANDBOX_MAX}")
    assert "chiave=" not in sala.url  # the key has left the address bar
    indirizzo = f"{demo.url}/"
    expect(sala.get_by_role("img", name=f"Codice QR per aprire {indirizzo}")).to_be_visible()
    expect(sala.get_by_text(indirizzo, exact=True)).to_be_visible()

    telefoni = [_prova(_apri(browser, demo, VIEWPORTS["telefono"]), contenuto) for _ in range(3)]
    expect(conteggio).to_have_text(f"3 telefoni su {SANDBOX_MAX}")
    expect(sala.locator(".sala-righe")).to_contain_text("aperto una prova")

    ritardi = []
    valore, tappa, pubblica = telefoni
    valore.page.get_by_role("button", name="Modifica valore 2").click()
    valore.campo("Titolo breve").fill(f"{SEGRETO_DEI_TELEFONI} 1")
    valore.salva()
    expect(valore.annuncio).to_contain_text("salvat")
    ritardi.append(_attendi_riga(sala, "Un telefono ha modificato un valore"))

    tappa.page.get_by_role("button", name="Modifica tappa 1").click()
    tappa.campo("Testo").fill(f"{SEGRETO_DEI_TELEFONI} 2")
    tappa.salva()
    expect(tappa.annuncio).to_contain_text("salvat")
    ritardi.append(_attendi_riga(sala, "Un telefono ha modificato una tappa"))

    pubblica.page.get_by_role("button", name="Modifica mission").click()
    pubblica.campo("Testo: mission").fill(f"{SEGRETO_DEI_TELEFONI} 3")
    pubblica.salva()
    expect(pubblica.annuncio).to_have_text("Testo della mission salvato.")
    ritardi.append(_attendi_riga(sala, "Un telefono ha modificato la mission"))
    _pubblica(pubblica)
    ritardi.append(_attendi_riga(sala, "Un telefono ha pubblicato"))
    print(f"save answer → feed line on the presenter's page: {[f'{r:.3f}' for r in ritardi]} s")

    testo_sala = sala.locator("main").inner_text()
    assert SEGRETO_DEI_TELEFONI not in testo_sala
    assert "demo-" not in testo_sala  # no sandbox's name either

    # The newest line is marked by a short fade, unless motion is reduced.
    animazione = "el => getComputedStyle(el).animationName"
    nuova = sala.locator(".sala-righe li").first
    assert nuova.evaluate(animazione) == "sala-nuova"
    sala.emulate_media(reduced_motion="reduce")
    assert nuova.evaluate(animazione) == "none"

    # Axe and screenshots at both sizes, the feed full.
    for nome, misura in VIEWPORTS.items():
        sala.set_viewport_size(misura)
        assert violazioni(sala) == [], nome
        sala.screenshot(path=tmp_path / f"sala-{nome}.png", full_page=True)
    sala.set_viewport_size(VIEWPORTS["desktop"])

    # Keyboard alone: the button asks; Escape closes the question and gives focus back.
    ripristina = sala.get_by_role("button", name="Ripristina tutte le demo")
    ripristina.focus()
    sala.keyboard.press("Enter")
    domanda = sala.get_by_role("group", name="Conferma del ripristino di tutte le demo")
    expect(domanda).to_contain_text(
        "Tutte le prove aperte finiscono e i telefoni ricominciano da capo. Continuare?"
    )
    expect(sala.get_by_role("button", name="No, torna indietro")).to_be_focused()
    assert violazioni(sala) == []
    sala.keyboard.press("Escape")
    expect(domanda).to_have_count(0)
    expect(ripristina).to_be_focused()
    expect(conteggio).to_have_text(f"3 telefoni su {SANDBOX_MAX}")

    sala.keyboard.press("Enter")
    expect(sala.get_by_role("button", name="No, torna indietro")).to_be_focused()
    sala.keyboard.press("Shift+Tab")
    expect(sala.get_by_role("button", name="Sì, ripristina tutte")).to_be_focused()
    sala.keyboard.press("Enter")
    expect(conteggio).to_have_text(f"0 telefoni su {SANDBOX_MAX}")
    expect(sala.get_by_text("Tutte le demo sono state ripristinate")).to_be_visible()
    expect(ripristina).to_be_focused()

    # Every phone is back on the demo's published page, and may press "Prova" again.
    for telefono in telefoni:
        prova = telefono.page.get_by_role("button", name="Prova la modalità modifica")
        expect(prova).to_be_visible()
        expect(telefono.page.locator("main")).not_to_contain_text(SEGRETO_DEI_TELEFONI)
    _prova(telefoni[0].page, contenuto)
    expect(conteggio).to_have_text(f"1 telefono su {SANDBOX_MAX}")

    # The link is spent: opened again in another browser, it says so and gives no power.
    altro = browser.new_context(viewport=VIEWPORTS["telefono"], locale="it-IT").new_page()
    altro.goto(sala.url)  # no key: the page is the presenter's only
    expect(altro.get_by_text("Questa pagina è di chi presenta la demo")).to_be_visible()
    expect(altro.get_by_role("button", name="Ripristina tutte le demo")).to_have_count(0)
    sala.reload()  # the presenter's own reload keeps the power
    expect(sala.get_by_role("button", name="Ripristina tutte le demo")).to_be_visible()
    for pagina in [sala, altro, *(t.page for t in telefoni)]:
        pagina.context.close()


def test_a_spent_link_says_so_and_gives_no_power(browser: Browser, demo: Server):
    porta = int(demo.url.rsplit(":", 1)[1])
    link = presentatore.link(porta, chiave_sala(demo))
    primo = browser.new_context(locale="it-IT").new_page()
    primo.goto(link)
    expect(primo.get_by_role("button", name="Ripristina tutte le demo")).to_be_visible()
    secondo = browser.new_context(locale="it-IT").new_page()
    secondo.goto(link)
    expect(secondo.get_by_text("Questo link è già stato usato")).to_be_visible()
    expect(secondo.get_by_role("button", name="Ripristina tutte le demo")).to_have_count(0)
    for pagina in (primo, secondo):
        pagina.context.close()


@pytest.mark.parametrize("server", ["run"], indirect=True)
def test_a_server_that_is_no_demo_answers_the_presenter_s_address_as_missing(
    browser: Browser, server: Server
):
    page = browser.new_context(locale="it-IT").new_page()
    risposta = page.goto(f"{server.url}/demo/sala#chiave=qualunque")
    assert risposta is not None and risposta.status == 404
    expect(page.get_by_role("heading", name="Pagina non trovata")).to_be_visible()
    expect(page.get_by_role("button", name="Ripristina tutte le demo")).to_have_count(0)
    expect(page.get_by_role("img", name="Codice QR", exact=False)).to_have_count(0)
    page.context.close()
