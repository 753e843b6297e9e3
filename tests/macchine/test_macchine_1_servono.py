"""Several machines serving one site (`tests/support/macchine.py`): a publish made through one
app host reaches the pages and the HTML of the other, the edge earns an A+ at the MDN HTTP
Observatory, and the site rides out a Redis restart and an app host cut off from the data
host. Run before `test_macchine_2_guasti.py`, which loses a whole host."""

import asyncio
import os
import signal
import time

import httpx
import pytest
import redis
from playwright.sync_api import Browser, expect

from serena_app.contenuto.pagina import PUBBLICATA
from serena_app.state.guardia import DATABASE_NON_RISPONDE
from tests.macchine.conftest import (
    ORIGINE,
    attendi,
    attendi_html,
    nel_database,
    pagina_su,
)
from tests.support.asincrono import esegui
from tests.support.cliente import ClienteGrezzo, evento
from tests.support.interruzioni import INTERROTTA
from tests.support.macchine import NOME, Macchine
from tests.support.osservatorio import valuta
from tests.support.protocollo import REDAZIONE
from tests.support.redazione import contiene, in_modifica, pubblica, salva
from tests.support.registro_server import LEASE_BREAKER

SPINTA_S = 1.0  # a publish → an open page on another host
ATTESA_S = 60.0  # a bound for what a noisy machine may slow down: a build, a reconnection


def test_a_publish_through_host_a_reaches_an_open_page_on_host_b_and_its_html(
    ospiti: Macchine, segreto: str
):
    testo = "Una vision pubblicata attraverso l’host A e letta sull’host B."

    async def prova() -> float:
        async with (
            ClienteGrezzo(ospiti.url("b")) as lettore,
            ClienteGrezzo(ospiti.url("a")) as staff,
        ):
            await lettore.connetti(intestazioni=ORIGINE)
            await staff.connetti(segreto=segreto, intestazioni=ORIGINE)
            await in_modifica(staff)
            await salva(staff, "vision", testo)
            inizio = await pubblica(staff)
            await lettore.attendi(contiene(testo), ATTESA_S)
            return inizio

    assert testo not in httpx.get(f"{ospiti.url('b')}/").text
    inizio = esegui(prova(), ATTESA_S * 2)
    spinta = time.perf_counter() - inizio  # the page's message came before the barrier
    html = attendi_html(ospiti, "b", testo, inizio)
    print(f"\npublish on A → open page on B: ≤ {spinta:.2f} s; → B's served HTML: {html:.1f} s")
    assert spinta <= SPINTA_S
    attendi_html(ospiti, "a", testo, inizio)  # A builds it too, for its own visitors
    assert testo in ospiti.get("/").text  # and through the edge, whichever host answers
    assert not ospiti.build("a").is_relative_to(ospiti.build("b").parent)  # nothing shared


def test_the_edge_serves_https_only_and_earns_an_a_plus_at_the_mdn_http_observatory(
    ospiti: Macchine,
):
    # The scanner runs on the edge's host, where the site's name is the edge's address.
    risultato = valuta(NOME, ca=ospiti.ca, prefisso=ospiti.ospite("bordo").comando())
    print(f"\nMDN HTTP Observatory: {risultato.voto} ({risultato.punteggio})")
    assert risultato.fallite == {}
    assert risultato.voto == "A+"
    assert risultato.prove["redirection"].risultato == "redirection-to-https"
    assert risultato.prove["strict-transport-security"].superata


def test_a_redis_restart_on_the_data_host_loses_nothing_and_the_next_publish_reaches_b(
    ospiti: Macchine, segreto: str
):
    prima = "Mission salvata sull’host A prima del riavvio di Redis."
    dopo = "Vision pubblicata sull’host A dopo il riavvio di Redis."
    dati = ospiti.ospite("dati")

    def redis() -> list[int]:
        return [p for p in dati.pid() if b"redis-server" in _riga(p)]

    async def salva_prima() -> None:
        async with ClienteGrezzo(ospiti.url("a")) as staff:
            await staff.connetti(segreto=segreto, intestazioni=ORIGINE)
            await in_modifica(staff)
            await salva(staff, "mission", prima)

    async def pubblica_dopo(lettore: ClienteGrezzo) -> None:
        # The staff member's tab, reloaded: still logged in, edit mode again, a publish.
        async with ClienteGrezzo(ospiti.url("a")) as staff:
            await staff.connetti(segreto=segreto, intestazioni=ORIGINE)
            await in_modifica(staff)
            await salva(staff, "vision", dopo)
            await pubblica(staff)
            await lettore.attendi(contiene(dopo), ATTESA_S)

    async def prova() -> None:
        async with ClienteGrezzo(ospiti.url("b")) as lettore:
            await lettore.connetti(intestazioni=ORIGINE)
            await salva_prima()
            (vecchio,) = redis()
            os.kill(vecchio, signal.SIGTERM)
            fine = time.monotonic() + ATTESA_S
            while redis() in ([], [vecchio]) or not _risponde(ospiti.redis_url):
                assert time.monotonic() < fine, ospiti.log("dati")[-2000:]  # started again
                await asyncio.sleep(0.05)
            await pubblica_dopo(lettore)

    esegui(prova(), ATTESA_S * 3)
    assert nel_database(ospiti, "mission") == prima
    assert nel_database(ospiti, "vision", PUBBLICATA) == dopo
    attendi_html(ospiti, "b", dopo, time.perf_counter())


@pytest.mark.errori_attesi(LEASE_BREAKER)  # B's states cannot reach Redis while cut off
def test_host_b_cut_off_from_the_data_host_keeps_its_pages_tells_staff_and_catches_up(
    ospiti: Macchine, segreto: str, browser_macchine: Browser
):
    b = ospiti.ospite("b")
    pubblicato = (nel_database(ospiti, "vision", PUBBLICATA) or "").splitlines()[0]
    durante = "Vision pubblicata sull’host A mentre B era isolato."
    lettore = pagina_su(browser_macchine, ospiti, "b")
    expect(lettore.locator("#vision")).to_contain_text(pubblicato)
    serena_b = ospiti.processi["b"].pid

    async def isola_e_scrivi() -> None:
        async with ClienteGrezzo(ospiti.url("b")) as su_b, ClienteGrezzo(ospiti.url("a")) as su_a:
            await su_b.connetti(segreto=segreto, intestazioni=ORIGINE)
            await su_a.connetti(segreto=segreto, intestazioni=ORIGINE)
            await in_modifica(su_b)
            await in_modifica(su_a)
            await su_b.scambia(f"{REDAZIONE}.apri", {"tipo": "sezione", "chiave": "vision"})
            in_bozza = nel_database(ospiti, "vision")
            b.collegamento("dati", attivo=False)
            salva_b = {"form_data": {"testo": "Scritta su B isolato."}}
            await su_b.emetti(evento(f"{REDAZIONE}.salva", salva_b))
            await su_b.attendi(contiene(DATABASE_NON_RISPONDE), ATTESA_S)
            assert nel_database(ospiti, "vision") == in_bozza  # nothing half-written
            await salva(su_a, "vision", durante)  # the site goes on through A
            await pubblica(su_a)

    async def salva_su_b() -> None:
        async with ClienteGrezzo(ospiti.url("b")) as su_b:
            await su_b.connetti(segreto=segreto, intestazioni=ORIGINE)
            await in_modifica(su_b)
            await salva(su_b, "mission", "Mission salvata su B dopo il ritorno del collegamento.")

    try:
        esegui(isola_e_scrivi(), ATTESA_S * 2)
        attendi(lambda: not ospiti.sano("b"))  # the edge is told B cannot serve now
        expect(lettore.locator("#vision")).to_contain_text(pubblicato)  # the last text
        expect(lettore.get_by_text(INTERROTTA)).to_have_count(0)
    finally:
        b.collegamento("dati", attivo=True)
    # B catches up by itself, with no restart: its page, its HTML, its staff.
    expect(lettore.locator("#vision")).to_contain_text(durante, timeout=ATTESA_S * 1000)
    attendi_html(ospiti, "b", durante, time.perf_counter())
    esegui(salva_su_b(), ATTESA_S * 2)
    assert (
        nel_database(ospiti, "mission") == "Mission salvata su B dopo il ritorno del collegamento."
    )
    assert ospiti.processi["b"].poll() is None and ospiti.processi["b"].pid == serena_b
    assert lettore.evaluate("window.__interruzioni") == 0  # its socket stayed on B all along
    lettore.context.close()


def _risponde(url: str) -> bool:
    client = redis.Redis.from_url(url, socket_timeout=1)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def _riga(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as file:
            return file.read()
    except OSError:
        return b""
