"""Readers cost next to nothing: what `make prod` stores in Redis for a visitor is a couple of
KiB, holds no text of the page and nothing of the staff-only states; a publish reaches open
pages without loading or storing their states, and no later event of theirs brings older
text back."""

import json
import time
from typing import cast

import httpx
import redis
from sqlmodel import Session

from serena_app.contenuto import seme
from serena_app.contenuto.istantanea import paragrafi
from serena_app.db import crea_engine
from serena_app.state.staff import StaffState
from tests.factories import ripristina_contenuto
from tests.security.conftest import verifica_che_risponda
from tests.support.cliente import ClienteGrezzo
from tests.support.produzione import Produzione
from tests.support.protocollo import AGGIORNA, CONTENUTO, REDAZIONE

LIMITE_BYTE = 2560
"""Redis's `MEMORY USAGE`, summed over every key of one visitor's client token."""
ATTESA_S = 10.0
MISSION = {"tipo": "sezione", "chiave": "mission"}
# The headers Chromium sends with its websocket handshake, beyond those the client sets.
INTESTAZIONI_BROWSER = {
    "User-Agent": (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "HeadlessChrome/156.0.0.0 Safari/537.36"
    ),
    "Accept-Encoding": "gzip, deflate, br, zstd",
    "Accept-Language": "it-IT,it;q=0.9,en-US;q=0.8,en;q=0.7",
    "Cache-Control": "no-cache",
    "Pragma": "no-cache",
}


def frasi(contenuto: dict) -> list[str]:
    """Phrases of the page as the content file has them: the start of every section,
    milestone and value text, and every milestone's and value's title."""
    testi = [*seme.testi_delle_sezioni(contenuto).values()]
    for voce in [*contenuto["tappe"], *contenuto["valori"]]:
        testi += [voce["titolo"], voce["testo"]]
    return [paragrafi(t)[0][:40] for t in testi if t.strip()]


def chiavi_di(redis_url: str, token: str) -> tuple[dict[str, bytes], dict[str, int]]:
    """Every key of client `token` in Redis: its value and its `MEMORY USAGE`, once no event
    of that client holds its lock (Reflex writes a state back when the lock is released)."""
    client = redis.Redis.from_url(redis_url)
    try:
        fine = time.monotonic() + ATTESA_S
        while client.exists(f"{token}_lock"):
            assert time.monotonic() < fine, "the client's lock was never released"
            time.sleep(0.1)
        chiavi = {k.decode(): k for k in client.scan_iter(match=f"*{token}*")}
        pesi = {n: cast(int, client.memory_usage(k, samples=0) or 0) for n, k in chiavi.items()}
        valori = {nome: cast(bytes, client.get(k) or b"") for nome, k in chiavi.items()}
    finally:
        client.close()
    print(f"\nRedis for one visitor: {sum(pesi.values())} B in {pesi}")
    return valori, pesi


def test_a_visitors_stored_state_is_small_with_no_page_text_and_no_staff_state(
    produzione: Produzione, ciclo, contenuto
):
    """A visitor opens the page (with a browser's handshake headers; hydration runs the page's
    on_load event): the keys of its client token in Redis weigh at most 2.5 KiB in all, none
    holds a phrase of the page, and none is a staff-only state's."""
    cercate = frasi(contenuto)

    async def visita() -> tuple[list[dict], dict[str, bytes], dict[str, int]]:
        async with ClienteGrezzo(produzione.url) as visitatore:
            ricevuti = await visitatore.connetti(intestazioni=INTESTAZIONI_BROWSER)
            return ricevuti, *chiavi_di(produzione.redis_url, visitatore.token_client)

    ricevuti, valori, pesi = ciclo.run(visita())
    pagina = json.dumps(ricevuti, ensure_ascii=False)
    assert all(frase in pagina for frase in cercate), "the phrases are the page's"  # control
    assert any(k.endswith(CONTENUTO) for k in valori), valori.keys()  # control: it is stored
    assert sum(pesi.values()) <= LIMITE_BYTE, pesi
    for frase in cercate:
        assert not [k for k, v in valori.items() if frase.encode() in v], frase
    staff = StaffState.get_full_name()
    assert not [k for k in valori if staff in k]


def test_a_publish_reaches_an_open_page_without_its_state_and_no_older_text_comes_back(
    server, db, ciclo, credenziali, contenuto
):
    """A visitor's page is open while staff publish the mission: the new text reaches it
    live, its state in Redis is left as it was (`make prod`), and neither its next event nor
    its reconnect brings the older text back."""
    anna = credenziali("valida")
    vecchia = paragrafi(contenuto["sezioni"]["mission"])[0]
    nuova = "La mission pubblicata mentre la pagina era aperta."
    redis_url = server.redis_url if isinstance(server, Produzione) else None

    async def prova() -> None:
        async with ClienteGrezzo(server.url) as visitatore, ClienteGrezzo(server.url) as staff:
            await visitatore.connetti()
            await visitatore.scambia(AGGIORNA)
            assert visitatore.stato[CONTENUTO]["sezioni"]["mission"][0] == vecchia  # control
            prima = chiavi_di(redis_url, visitatore.token_client)[0] if redis_url else {}
            await staff.connetti(segreto=anna.token)
            await staff.scambia(f"{REDAZIONE}.alterna_modifica")
            await staff.scambia(f"{REDAZIONE}.apri", MISSION)
            await staff.scambia(f"{REDAZIONE}.salva", {"form_data": {"testo": nuova}})
            await staff.scambia(f"{REDAZIONE}.chiedi_pubblicazione")
            await staff.scambia(f"{REDAZIONE}.pubblica")
            await visitatore.attendi(lambda m: nuova in json.dumps(m, ensure_ascii=False))
            if redis_url:
                assert chiavi_di(redis_url, visitatore.token_client)[0] == prima
            dopo = await visitatore.scambia(AGGIORNA)
            assert vecchia not in json.dumps(dopo, ensure_ascii=False)
            assert visitatore.stato[CONTENUTO]["sezioni"]["mission"] == [nuova]
            await visitatore.chiudi()
            async with ClienteGrezzo(server.url, token_client=visitatore.token_client) as ritorno:
                ricevuti = await ritorno.connetti()
                ricevuti += await ritorno.scambia(AGGIORNA)
                assert vecchia not in json.dumps(ricevuti, ensure_ascii=False)
                assert ritorno.stato[CONTENUTO]["sezioni"]["mission"] == [nuova]

    try:
        ciclo.run(prova())
    finally:
        engine = crea_engine(server.db_url)
        with Session(engine) as session:
            ripristina_contenuto(session, contenuto)
        engine.dispose()
    # A page asked for while the publish's build runs is answered with the previous build.
    assert httpx.get(f"{server.url}/", timeout=120).status_code == 200
    verifica_che_risponda(server, ciclo)
