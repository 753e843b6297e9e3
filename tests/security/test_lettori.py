"""Readers cost next to nothing: what `make prod` stores in Redis for a visitor is a couple of
KiB, holds no text of the page and nothing of the staff-only states; a publish reaches open
pages without loading or storing their states, and no later event of theirs brings older
text back."""

import copy
import json
import time
from typing import cast

import httpx
import pytest
import redis
from reflex_base.constants.state import FIELD_MARKER
from sqlmodel import Session

from serena_app.contenuto import seme
from serena_app.contenuto.istantanea import paragrafi
from serena_app.contenuto.semina import semina
from serena_app.db import crea_engine
from serena_app.state.staff import StaffState
from tests.factories import ripristina_contenuto
from tests.security.conftest import verifica_che_risponda
from tests.support.cliente import ClienteGrezzo, evento, riprendi_scheda
from tests.support.dati import versione_pubblicata
from tests.support.produzione import Produzione
from tests.support.protocollo import (
    AGGIORNA,
    CONTENUTO,
    RADICE,
    REDAZIONE,
    VAR_SEGRETO,
    stato_della_pagina,
)

ATTESA_BUILD_S = 60.0
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


def _chiavi_di_stato(redis_url: str | None, token: str) -> list[str]:
    """The keys of client `token`'s states in Redis (`<token>_<state>`); [] without Redis."""
    if redis_url is None:
        return []
    return [k for k in chiavi_di(redis_url, token)[0] if k.startswith(f"{token}_")]


def _pagina_attuale(server, percorso: str = "/") -> dict:
    """The compiled state `percorso`'s page holds and its hashes, once it is served from the
    current content (after an earlier test's change, the previous page is served until the
    new one is built)."""
    versione = versione_pubblicata(server.db_url)
    fine = time.monotonic() + ATTESA_BUILD_S
    while True:
        stato = stato_della_pagina(httpx.get(server.url + percorso, timeout=30).text)
        assert stato, "the served page holds its compiled state"
        if stato["stato"][CONTENUTO][f"versione{FIELD_MARKER}"] == versione:
            return stato
        assert time.monotonic() < fine, "the page of the current content is never served"
        time.sleep(0.1)


def _hashes_attuali(server, percorso: str = "/") -> list[str]:
    return _pagina_attuale(server, percorso)["hashes"]


def _stato_del_browser(compilato: dict, ricevuto: dict) -> dict[str, dict]:
    """What the page's state is once `ricevuto` (`ClienteGrezzo.stato`) is applied over the
    `compilato` it started from; without the values that name the socket (its client token
    and session id)."""
    stati = {
        nome: {k.removesuffix(FIELD_MARKER): v for k, v in variabili.items()}
        for nome, variabili in compilato.items()
    }
    for nome, variabili in ricevuto.items():
        stati.setdefault(nome, {}).update(variabili)
    stati[RADICE].pop("rx_router_session")
    return stati


@pytest.mark.parametrize("percorso", ["/", "/en/"])
def test_a_readers_page_hydrates_as_reflex_would_with_no_state_until_they_act(
    server, ciclo, percorso
):
    """A reader's page sends the hashes of the state it holds, as a browser does: it gets the
    same page that Reflex's own hydration gives a tab with a stored state (its router values,
    the texts its language leaves out, "hydrated"), and nothing of it is stored (`make prod`:
    no key of its states in Redis) until its first own event, which is answered as usual."""
    redis_url = server.redis_url if isinstance(server, Produzione) else None
    servita = _pagina_attuale(server, percorso)
    hashes = servita["hashes"]
    pagina = {"pathname": percorso, "asPath": percorso}

    async def prova() -> tuple[dict, dict, list[str], list[str]]:
        async with ClienteGrezzo(server.url) as gia_vista:
            await gia_vista.connetti(pagina=pagina)  # Reflex makes and keeps its state
        ritorno, _ = await riprendi_scheda(
            server.url, gia_vista.token_client, hashes=hashes, pagina=pagina
        )
        async with ritorno, ClienteGrezzo(server.url) as lettore:
            await lettore.connetti(hashes=hashes, pagina=pagina)
            idratato = copy.deepcopy(lettore.stato)
            senza = _chiavi_di_stato(redis_url, lettore.token_client)
            await lettore.emetti(evento(AGGIORNA, router_data=pagina))
            await lettore.barriera()
            con = _chiavi_di_stato(redis_url, lettore.token_client)
            return ritorno.stato, idratato, senza, con

    di_reflex, del_lettore, senza, con = ciclo.run(prova())
    iniziale = servita["stato"]
    assert _stato_del_browser(iniziale, del_lettore) == _stato_del_browser(iniziale, di_reflex)
    assert del_lettore[RADICE]["is_hydrated"] is True
    assert senza == []
    if redis_url:
        assert con, "its first own event makes its state"  # control


@pytest.mark.parametrize(
    "payload",
    [
        {"hashes": ["0" * 16] * 20},  # a page compiled from other states
        {"hashes": "tutti"},
        {"vars": {VAR_SEGRETO: ""}, "hashes": None},
        {"vars": {VAR_SEGRETO: "un segreto qualsiasi"}},
    ],
)
def test_a_hydrate_that_is_not_a_plain_readers_is_left_to_reflex(produzione, ciclo, payload):
    """Any other hydrate (foreign hashes, a stored value) gets Reflex's own hydration: the
    page is hydrated and its state is kept in Redis."""
    hashes = _hashes_attuali(produzione)
    if "hashes" not in payload:
        payload = {**payload, "hashes": hashes}  # a reader's hashes, beside a stored value

    async def prova() -> tuple[dict, list[str]]:
        async with ClienteGrezzo(produzione.url) as tab:
            await tab.connetti(payload=payload)
            return tab.stato, _chiavi_di_stato(produzione.redis_url, tab.token_client)

    stato, chiavi = ciclo.run(prova())
    assert stato[RADICE]["is_hydrated"] is True
    assert chiavi, "Reflex hydrated it and keeps its state"


@pytest.mark.parametrize("payload", [{"vars": ["non", "un", "dizionario"]}, {"altro": 1}])
def test_a_malformed_hydrate_with_a_readers_hashes_is_answered_as_reflex_answers_it(
    produzione, ciclo, payload
):
    """A malformed hydrate beside a reader's hashes is not taken for a reader's: as any
    malformed event, it gets no answer, and the server logs it as such, not as an error."""
    payload = {**payload, "hashes": _hashes_attuali(produzione)}
    prima = produzione.log_text().count("ERROR")

    async def prova() -> dict:
        async with ClienteGrezzo(produzione.url) as tab:
            with pytest.raises(AssertionError, match="no answer"):
                await tab.connetti(payload=payload, attesa=3)
            return tab.stato

    assert ciclo.run(prova()) == {}
    assert produzione.log_text().count("ERROR") == prima


def test_a_change_made_behind_the_servers_back_reaches_a_readers_page(server, ciclo, contenuto):
    """The published page changes in the database and no process is told (as a `serena`
    command without Redis, or the tests' own resets, change it); a reader's page that was
    served before hydrates as readers' pages do, and the new text reaches it."""
    hashes = _hashes_attuali(server)
    nuova = "La mission cambiata senza dirlo a nessun processo."
    cambiato = {**contenuto, "sezioni": {**contenuto["sezioni"], "mission": nuova}}
    engine = crea_engine(server.db_url)

    async def prova() -> dict:
        async with ClienteGrezzo(server.url) as lettore:
            await lettore.connetti(hashes=hashes)
            await lettore.attendi(lambda m: nuova in json.dumps(m, ensure_ascii=False))
            return lettore.stato

    try:
        with Session(engine) as session:
            semina(session=session, contenuto=cambiato, sovrascrivi=True)
        assert ciclo.run(prova())[CONTENUTO]["sezioni"]["mission"] == [nuova]
    finally:
        with Session(engine) as session:
            ripristina_contenuto(session, contenuto)
        engine.dispose()
