"""Several machines losing one (`tests/support/macchine.py`): app host B killed whole, then
back with an empty build folder; a second start on a taken port; and no role leaving a
process behind when stopped or killed. Run after `test_macchine_1_servono.py`: the last test
here stops every host."""

import os
import shutil
import signal
import time

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from serena_app.contenuto.pagina import PUBBLICATA
from tests.e2e.conftest import STAFF_PASSWORD
from tests.e2e.pages.staff import PaginaInModifica, accedi
from tests.macchine.conftest import (
    ORIGINE,
    attendi,
    istanza,
    nel_database,
    nuova_pagina,
    pagina_su,
)
from tests.support.asincrono import esegui
from tests.support.cliente import ClienteGrezzo
from tests.support.interruzioni import INTERROTTA
from tests.support.macchine import Macchine
from tests.support.produzione import processo_di, token_di
from tests.support.redazione import in_modifica, pubblica, salva
from tests.support.registro_server import LEASE_BREAKER

RICONNESSIONE_S = 5.0  # B's visitors are live again on A within this
FERMATI_S = 10.0  # a stop, or the death of `serena prod`, ends all it started within this
ATTESA_S = 60.0


def _salva(redattore: PaginaInModifica, chiave: str, testo: str) -> None:
    redattore.page.get_by_role("button", name=f"Modifica {chiave}").click()
    redattore.campo(f"Testo: {chiave}").fill(testo)
    redattore.salva()
    expect(redattore.sezione(chiave)).to_contain_text(testo)


# B's lease breakers of its time cut off (`test_macchine_1_servono.py`) may be logged only now,
# when their tasks are collected ("Task exception was never retrieved"), before B is killed.
@pytest.mark.errori_attesi(LEASE_BREAKER)
def test_host_b_killed_whole_its_visitors_and_staff_go_on_through_a(
    ospiti: Macchine, browser_macchine: Browser, contenuto
):
    contesto = nuova_pagina(browser_macchine).context
    accedi(contesto.pages[0], "elena", STAFF_PASSWORD)
    redattore = PaginaInModifica(pagina_su(browser_macchine, ospiti, "b", contesto), contenuto)
    redattore.attiva_modifica()
    _salva(redattore, "vision", "Vision in bozza sull’host B prima del guasto.")
    visitatori = [pagina_su(browser_macchine, ospiti, "b") for _ in range(2)]
    pagine: list[Page] = [redattore.page, *visitatori]
    su_a = istanza(ospiti, "a")

    inizio = time.monotonic()
    ospiti.ospite("b").uccidi_tutto()  # every process of the host, as a power cut
    while any(processo_di(ospiti.redis_url, token_di(p)) != su_a for p in pagine):
        assert time.monotonic() - inizio < ATTESA_S, "a page never came back through A"
        time.sleep(0.1)
    riconnesse_in = time.monotonic() - inizio
    print(f"\nhost B killed → its pages live again on A: {riconnesse_in:.1f} s")
    assert riconnesse_in <= RICONNESSIONE_S
    for p in pagine:
        expect(p.locator("main")).to_have_attribute("data-idratata", "true")
        expect(p.get_by_text(INTERROTTA)).to_have_count(0)

    # New requests go to A only: B's link sees the edge's health checks, no page request.
    b = ospiti.ospite("b")
    prima, da = b.contatore_ricevuti("fronte"), time.monotonic()
    stati = [ospiti.get("/", timeout=10).status_code for _ in range(30)]
    pacchetti = b.contatore_ricevuti("fronte") - prima
    durata = time.monotonic() - da
    print(f"30 requests through the edge in {durata:.1f} s: {pacchetti} packets reached B")
    assert stati == [200] * 30
    assert pacchetti <= 2 * (durata + 1)  # a health check a second (its SYN, its ARP)

    # The staff member is still logged in, the acknowledged draft is there, and the next
    # publish reaches every visitor. The tab is a new state on A, out of edit mode: Reflex
    # gives a new client token when the dead process's record of the old one is still in
    # Redis. Until that state is drawn the page shows edit mode as it was on B, and a click
    # there would reach the new state, which draws no editor out of edit mode: "Modifica
    # pagina" appears only once it is drawn.
    redattore.attiva_modifica()
    assert nel_database(ospiti, "vision") == "Vision in bozza sull’host B prima del guasto."
    _salva(redattore, "vision", "Vision pubblicata dall’host A dopo la perdita di B.")
    redattore.page.get_by_role("button", name="Pubblica", exact=True).click()
    redattore.page.get_by_role("button", name="Pubblica ora").click()
    expect(redattore.annuncio).to_contain_text("Pubblicat")
    for p in visitatori:
        expect(p.locator("#vision")).to_contain_text("dopo la perdita di B")
    assert nel_database(ospiti, "vision", PUBBLICATA) == (
        "Vision pubblicata dall’host A dopo la perdita di B."
    )
    for p in pagine:
        p.context.close()


def test_host_b_back_with_an_empty_build_folder_serves_the_current_page_before_it_is_healthy(
    ospiti: Macchine, segreto: str, browser_macchine: Browser
):
    ospiti.ospite("b").uccidi_tutto()  # dead already, after the test above; whole either way
    shutil.rmtree(ospiti.build("b"), ignore_errors=True)
    testo = "Vision pubblicata sull’host A mentre B era spento e vuoto."

    async def pubblica_su_a() -> None:
        async with ClienteGrezzo(ospiti.url("a")) as staff:
            await staff.connetti(segreto=segreto, intestazioni=ORIGINE)
            await in_modifica(staff)
            await salva(staff, "vision", testo)
            await pubblica(staff)

    esegui(pubblica_su_a(), ATTESA_S)
    inizio = time.monotonic()
    ospiti.avvia("b")
    ospiti.attendi("b", lambda: ospiti.sano("b"))
    print(f"\nhost B back, empty: healthy after {time.monotonic() - inizio:.0f} s")
    # The first moment B says it can serve, it serves the page as published now.
    assert testo in httpx.get(f"{ospiti.url('b')}/", timeout=10).text
    pagina = pagina_su(browser_macchine, ospiti, "b")  # and the edge sends visitors there
    expect(pagina.locator("#vision")).to_contain_text(testo)
    pagina.context.close()


def test_a_second_start_on_a_taken_port_is_refused_and_the_first_goes_on(ospiti: Macchine):
    for nome, porta in (("bordo", 443), ("a", 8080)):
        comando, cwd, ambiente = ospiti.avvio(nome)
        inizio = time.monotonic()
        fatto = ospiti.ospite(nome).esegui(
            *comando, cwd=cwd, env=ambiente, capture_output=True, check=False, timeout=ATTESA_S
        )
        assert fatto.returncode == 1
        assert f"la porta {porta} è già occupata" in fatto.stderr
        assert time.monotonic() - inizio < 15  # refused before preparing or building
    assert ospiti.sano("a")
    assert ospiti.get("/").status_code == 200


def test_no_role_leaves_a_process_behind_when_stopped_or_killed(
    ospiti: Macchine, browser_macchine: Browser
):
    """SIGTERM (a service manager's stop) to B's `serena prod` while browsers are connected to
    it, `kill -9` to the others': each host is empty within 10 s, PostgreSQL's and Redis's
    children and granian's worker included."""
    aperte = [pagina_su(browser_macchine, ospiti, "b") for _ in range(3)]
    arresti = {
        "b": signal.SIGTERM,
        "bordo": signal.SIGKILL,
        "a": signal.SIGKILL,
        "dati": signal.SIGKILL,
    }
    for nome, segnale in arresti.items():
        ospite, processo = ospiti.ospite(nome), ospiti.processi[nome]
        assert processo.poll() is None
        figli = set(ospite.pid()) - {processo.pid}
        assert figli, f"{nome} runs nothing but serena prod"
        inizio = time.monotonic()
        os.kill(processo.pid, segnale)
        attendi(lambda ospite=ospite: not ospite.pid(), FERMATI_S)
        print(f"\n{nome}: {signal.Signals(segnale).name} → its {len(figli)} processes gone "
              f"in {time.monotonic() - inizio:.1f} s")  # fmt: skip
        processo.wait(timeout=1)
        assert processo.returncode in (0, -signal.SIGKILL)
    for pagina in aperte:
        pagina.context.close()
