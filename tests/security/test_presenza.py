"""Presence in edit mode, attacked and loaded over raw sockets (`tests/support/cliente.py`).

A visitor's socket, connected while two staff members edit, receives no presence at all; the
presence handlers do nothing for a visitor or for a socket that took over a closed staff
tab's client token; a flood of heartbeats and opens from one staff tab leaves one entry for
that tab and a bounded number of pushes to the others; a tab whose connection goes silent
(no heartbeat, socket left open) leaves the others' view within five seconds; two phones of
the demo, each in its sandbox, never see each other. Under `make prod` the two staff tabs
are on different app processes.
"""

import asyncio
import json
import secrets
import time
from collections.abc import Callable

import redis
from sqlmodel import Session

from serena_app.auth.personale import crea_staff
from serena_app.auth.ruoli import RESPONSABILE
from serena_app.auth.sessioni import crea_sessione, revoca_sessione
from serena_app.db import session as sessione_db
from serena_app.presenza import nomi, voci
from serena_app.state.presenza import PAUSA_S
from tests.factories import ripristina_contenuto
from tests.security.conftest import PASSWORD, verifica_che_risponda
from tests.support.cliente import ClienteGrezzo, evento, riprendi_scheda, vista
from tests.support.produzione import Produzione, processo_di
from tests.support.protocollo import ACCESSO, DEMO, PRESENZA, REDAZIONE

ALTERNA = f"{REDAZIONE}.alterna_modifica"
APRI = f"{REDAZIONE}.apri"  # opens without the question (the page's button asks first)
CHIUDI = f"{REDAZIONE}.annulla"
BATTI = f"{PRESENZA}.batti"
HANDLER_PRESENZA = {
    f"{PRESENZA}.batti": {},
    f"{PRESENZA}.apri": {"tipo": "sezione", "chiave": "mission"},
    f"{PRESENZA}.apri_lo_stesso": {},
    f"{PRESENZA}.annulla_domanda": {},
}
MISSION = {"tipo": "sezione", "chiave": "mission"}
VISION = {"tipo": "sezione", "chiave": "vision"}
ID_MISSION, ID_VISION = "apri-sezione-mission", "apri-sezione-vision"
ENTRO_S = 5.0  # a tab gone, its presence gone
TENTATIVI = 40


def _processo(server, scheda: ClienteGrezzo) -> str | None:
    if not isinstance(server, Produzione):
        return None
    return processo_di(server.redis_url, scheda.token_nuovo or scheda.token_client)


async def _scheda(server, segreto: str, *, non_sul: str | None = None, **opzioni) -> ClienteGrezzo:
    """A staff tab hydrated with `segreto`, in edit mode, whose socket is not on process
    `non_sul` (with one process, any tab)."""
    altrove: list[ClienteGrezzo] = []
    try:
        for _ in range(TENTATIVI):
            scheda = ClienteGrezzo(server.url, **opzioni)
            await scheda.connetti(segreto=segreto)
            processo = _processo(server, scheda)
            if processo is None or processo != non_sul:
                await scheda.scambia(ALTERNA)
                return scheda
            altrove.append(scheda)
    finally:
        for scheda in altrove:
            await scheda.chiudi()
    raise AssertionError(f"no socket landed off process {non_sul}")


def _persone(scheda: ClienteGrezzo) -> list[str]:
    return [p["nome"] for p in scheda.stato.get(PRESENZA, {}).get("persone", [])]


def _aperti(scheda: ClienteGrezzo) -> dict[str, str]:
    return scheda.stato.get(PRESENZA, {}).get("aperti", {})


async def _finche(condizione: Callable[[], bool], attesa: float = ENTRO_S) -> float:
    """Poll `condizione` until it holds; the seconds it took."""
    inizio = time.perf_counter()
    while not condizione():
        if time.perf_counter() - inizio > attesa:
            raise AssertionError(f"not within {attesa} s")
        await asyncio.sleep(0.02)
    return time.perf_counter() - inizio


def _chiavi_presenza(server) -> list[bytes]:
    """The presence keys in Redis (none without Redis)."""
    if not isinstance(server, Produzione):
        return []
    client = redis.Redis.from_url(server.redis_url)
    try:
        return list(client.scan_iter(match=voci.PREFISSO + "*"))
    finally:
        client.close()


def test_a_visitor_socket_gets_no_presence_while_two_staff_edit(server, ciclo, credenziali):
    """Two staff members edit (edit mode, open editors, moving between items, heartbeats)
    while a visitor's socket is connected, and a second visitor connects meanwhile: neither
    gets a name, initials or "sta modificando" in any message or its state; each staff tab
    sees the other (the control)."""
    anna, bruno = credenziali("valida"), credenziali("redattore")
    proibiti = [
        anna.nome_utente,
        bruno.nome_utente,
        nomi.nome_completo(anna.nome_utente),
        nomi.nome_completo(bruno.nome_utente),
        "sta modificando",
        "in modifica",
        "ha aperto",
    ]

    async def prova() -> tuple[list[dict], list[dict], dict, dict]:
        async with ClienteGrezzo(server.url) as visitatore:
            ricevuti = await visitatore.connetti()
            a = await _scheda(server, anna.token)
            b = await _scheda(server, bruno.token, non_sul=_processo(server, a))
            try:
                for scheda, voce in ((a, MISSION), (b, VISION)):
                    await scheda.scambia(APRI, voce)
                    await scheda.emetti(evento(BATTI))
                await _finche(lambda: ID_MISSION in _aperti(b) and ID_VISION in _aperti(a))
                await a.scambia(CHIUDI)
                await a.scambia(APRI, {"tipo": "sezione", "chiave": "storia_intro"})
                await _finche(lambda: "apri-sezione-storia_intro" in _aperti(b))
                async with ClienteGrezzo(server.url) as secondo:
                    altri = await secondo.connetti()
                    altri += await secondo.barriera()
                    secondo_stato = secondo.stato
                ricevuti += await visitatore.barriera()
                assert nomi.nome_completo(anna.nome_utente) in _persone(b)
                assert nomi.nome_completo(bruno.nome_utente) in _persone(a)
            finally:
                await a.chiudi()
                await b.chiudi()
            return ricevuti, altri, visitatore.stato, secondo_stato

    ricevuti, altri, stato, secondo_stato = ciclo.run(prova())
    testo = json.dumps([ricevuti, altri, stato, secondo_stato], ensure_ascii=False).lower()
    for parola in proibiti:
        assert parola.lower() not in testo, parola
    for stati in (stato, secondo_stato):
        presenza = stati.get(PRESENZA, {})
        assert not any(presenza.values()), presenza  # nothing but empty defaults


def test_presence_handlers_do_nothing_for_a_visitor_or_a_token_without_its_secret(
    server, ciclo, credenziali
):
    """Bruno watches. A visitor's socket sends every presence handler; then Anna comes, and
    Bruno sees exactly her (no entry of the visitor's). Her tab (in edit mode, the mission
    open) closes and a socket that takes over its client token, without the secret, beats
    as the page does, then sends every presence handler: her presence goes within five
    seconds and never comes back; Carla, who comes after all that, is then the only one he
    sees (her arrival is the control that the earlier events were handled)."""
    anna, bruno, carla = (credenziali("valida") for _ in range(3))
    nome_anna = nomi.nome_completo(anna.nome_utente)
    nome_carla = nomi.nome_completo(carla.nome_utente)
    visti: list[tuple[float, list[str]]] = []

    def al_messaggio(messaggio: dict, arrivo: float) -> None:
        if PRESENZA in (messaggio.get("delta") or {}):
            persone = vista([messaggio])[PRESENZA].get("persone")
            if persone is not None:
                visti.append((arrivo, [p["nome"] for p in persone]))

    async def prova() -> tuple[float, float]:
        b = await _scheda(server, bruno.token, al_messaggio=al_messaggio)
        try:
            async with ClienteGrezzo(server.url) as visitatore:
                await visitatore.connetti()
                for nome, payload in HANDLER_PRESENZA.items():
                    await visitatore.emetti(evento(nome, payload))
                await visitatore.barriera()
            a = await _scheda(server, anna.token, non_sul=_processo(server, b))
            await a.scambia(APRI, MISSION)
            await _finche(lambda: ID_MISSION in _aperti(b) and _persone(b) == [nome_anna])
            token_anna = a.token_nuovo or a.token_client
            await a.chiudi()
            inizio = time.perf_counter()
            # Without hydrating (which would present no secret and end the staff view), its
            # state is the tab's own, still in edit mode: it beats as the page would.
            intruso, _ = await riprendi_scheda(server.url, token_anna, idrata=False)
            try:
                while _persone(b) and time.perf_counter() - inizio < ENTRO_S + 1:
                    await intruso.emetti(evento(BATTI))
                    await asyncio.sleep(0.5)  # the page's heartbeat is a timer
                sparita = time.perf_counter()
                for nome, payload in HANDLER_PRESENZA.items():
                    await intruso.emetti(evento(nome, payload))
                await intruso.barriera()
            finally:
                await intruso.chiudi()
            c = await _scheda(server, carla.token)
            try:
                await _finche(lambda: _persone(b) == [nome_carla])
            finally:
                await c.chiudi()
            return sparita - inizio, sparita
        finally:
            await b.chiudi()

    durata, sparita = ciclo.run(prova())
    print(f"\nAnna's presence gone {durata:.2f} s after her tab closed")
    assert durata <= ENTRO_S
    dopo = [persone for arrivo, persone in visti if arrivo >= sparita]
    assert all(nome_anna not in persone for persone in dopo), dopo
    assert dopo[-1] == [nome_carla]


def test_a_flood_of_presence_events_is_bounded(server, ciclo, credenziali):
    """Anna's socket sends 2,000 heartbeats and 500 opens and closes in a burst. Her tab
    keeps one entry (one Redis key under `make prod`), Bruno gets a bounded number of
    pushes (at most one per round, rounds `PAUSA_S` apart), a visitor that connects during
    the burst is answered within a few seconds, and the server answers afterwards."""
    anna, bruno = credenziali("valida"), credenziali("redattore")
    spinte: list[float] = []
    misure: dict[str, float] = {}

    async def prova() -> None:
        b = await _scheda(
            server,
            bruno.token,
            al_messaggio=lambda m, t: spinte.append(t) if PRESENZA in (m.get("delta") or {}) else 0,
        )
        a = await _scheda(server, anna.token, non_sul=_processo(server, b))
        try:
            await _finche(lambda: nomi.nome_completo(anna.nome_utente) in _persone(b))
            prima = len(spinte)
            inizio = time.perf_counter()

            async def visitatore() -> float:
                await asyncio.sleep(0.3)  # once the burst is under way
                partenza = time.perf_counter()
                async with ClienteGrezzo(server.url) as cliente:
                    await cliente.connetti(attesa=30)
                return time.perf_counter() - partenza

            in_corso = asyncio.create_task(visitatore())
            for _ in range(2000):
                await a.emetti(evento(BATTI))
            for numero in range(250):
                await a.emetti(evento(APRI, MISSION if numero % 2 else VISION))
                await a.emetti(evento(CHIUDI))
            await a.emetti(evento(APRI, MISSION))
            await a.barriera(attesa=300)
            misure["raffica_s"] = time.perf_counter() - inizio
            misure["visitatore_s"] = await in_corso
            await _finche(lambda: _aperti(b) == {ID_MISSION: _aperti(b).get(ID_MISSION, "-")})
            misure["spinte"] = len(spinte) - prima
            chiavi = _chiavi_presenza(server)
            token_anna = (a.token_nuovo or a.token_client).encode()
            misure["chiavi"] = len(chiavi)
            assert len([k for k in chiavi if k.endswith(token_anna)]) == (
                1 if isinstance(server, Produzione) else 0
            )
            assert len(chiavi) <= 2  # Anna's and Bruno's tabs
            assert _persone(b) == [nomi.nome_completo(anna.nome_utente)]
        finally:
            await a.chiudi()
            await b.chiudi()

    ciclo.run(prova(), timeout=600)
    print(f"\nflood of presence events: {misure}")
    assert misure["visitatore_s"] < 5
    durata = misure["raffica_s"] + ENTRO_S
    assert misure["spinte"] <= durata / PAUSA_S + 5, misure
    verifica_che_risponda(server, ciclo)


def test_a_silent_connection_leaves_the_others_view_within_five_seconds(server, ciclo, credenziali):
    """Anna's tab beats while its mission editor is open, past an entry's life (so the
    heartbeat is what keeps it), then goes silent with its socket open, as a lost connection
    does before engine.io notices: her marker leaves Bruno's view within five seconds."""
    anna, bruno = credenziali("valida"), credenziali("redattore")

    async def prova() -> float:
        b = await _scheda(server, bruno.token)
        a = await _scheda(server, anna.token, non_sul=_processo(server, b))
        try:
            await a.scambia(APRI, MISSION)
            await _finche(lambda: ID_MISSION in _aperti(b))
            fine = time.perf_counter() + voci.DURATA_S * 1.5
            while time.perf_counter() < fine:
                await a.scambia(BATTI)
                assert ID_MISSION in _aperti(b)
                await asyncio.sleep(1.0)  # the page's heartbeat is a timer
            assert ID_MISSION in _aperti(b)
            return await _finche(lambda: ID_MISSION not in _aperti(b))
        finally:
            await a.chiudi()
            await b.chiudi()

    sparita = ciclo.run(prova())
    print(f"\nsilent tab's marker gone after {sparita:.2f} s")
    assert sparita <= ENTRO_S


def test_two_demo_phones_never_see_each_other(demo, ciclo):
    """Two phones press "Prova la modalità modifica" (each its own sandbox, both the account
    "demo"); one opens the mission, the other the vision, and both beat. Two staff members of
    the site, on the same demo server, see each other (the control: presence runs there) and
    no phone; the phones never receive presence at all."""
    segreti = []
    with sessione_db(demo.db_url) as session:
        for numero in range(2):
            staff = crea_staff(
                session=session,
                nome_utente=f"sito.{numero}.{secrets.token_hex(3)}",
                password=PASSWORD,
                ruolo=RESPONSABILE,
            )
            segreti.append((staff.nome_utente, crea_sessione(session=session, staff=staff)))

    async def prova() -> tuple[dict, dict]:
        async with ClienteGrezzo(demo.url) as uno, ClienteGrezzo(demo.url) as due:
            for telefono in (uno, due):
                await telefono.connetti()
                assert vista(await telefono.scambia(f"{DEMO}.prova", {}))[ACCESSO]["token"]
            await uno.scambia(APRI, MISSION)
            await due.scambia(APRI, VISION)
            a = await _scheda(demo, segreti[0][1])
            b = await _scheda(demo, segreti[1][1])
            try:
                await b.scambia(APRI, MISSION)
                for telefono in (uno, due, a, b):
                    await telefono.scambia(BATTI)
                # Presence runs here: each sees the other (their pushes come one by one).
                await _finche(
                    lambda: (
                        ID_MISSION in _aperti(a)
                        and _persone(a) == [nomi.nome_completo(segreti[1][0])]
                        and _persone(b) == [nomi.nome_completo(segreti[0][0])]
                    )
                )
                for telefono in (uno, due):
                    await telefono.scambia(BATTI)
                    await telefono.barriera()
            finally:
                await a.chiudi()
                await b.chiudi()
            return uno.stato.get(PRESENZA, {}), due.stato.get(PRESENZA, {})

    for presenza in ciclo.run(prova()):
        assert not any(presenza.values()), presenza


def test_a_revoked_session_leaves_the_others_view_at_once(server, ciclo, credenziali, db):
    """Anna's session is revoked while her mission editor is open: the revocation watcher
    ends her staff view (`revoca.py`, every half second) and her entry goes with it, well
    before it would expire."""
    anna, bruno = credenziali("valida"), credenziali("redattore")

    async def prova() -> float:
        b = await _scheda(server, bruno.token)
        a = await _scheda(server, anna.token, non_sul=_processo(server, b))
        try:
            await a.scambia(APRI, MISSION)
            await a.scambia(BATTI)
            await _finche(lambda: ID_MISSION in _aperti(b))
            with Session(db) as session:
                revoca_sessione(session=session, token=anna.token)
            return await _finche(lambda: not _persone(b))
        finally:
            await a.chiudi()
            await b.chiudi()

    sparita = ciclo.run(prova())
    print(f"\nrevoked session's presence gone after {sparita:.2f} s")
    assert sparita < voci.DURATA_S - 1


def test_a_socket_that_takes_over_a_staff_tab_gets_no_draft_or_name_from_presence(
    server, ciclo, credenziali, contenuto
):
    """Anna's tab, in edit mode with a draft of hers on the page and the mission open, closes;
    a socket takes over its client token without hydrating (its state is her tab's, still in
    edit mode on the working copy). Bruno then comes and goes in edit mode, so that presence
    changes for everyone: whatever presence pushes to that token carries neither the draft
    nor a name."""
    anna, bruno, carla = (credenziali("valida") for _ in range(3))
    bozza = f"Bozza-di-Anna-{secrets.token_hex(4)}"
    nome_bruno = nomi.nome_completo(bruno.nome_utente)
    ricevuti: list[dict] = []

    async def prova() -> None:
        a = await _scheda(server, anna.token)
        await a.scambia(APRI, MISSION)
        await a.scambia(f"{REDAZIONE}.salva", {"form_data": {"testo": bozza}})
        await a.scambia(APRI, MISSION)
        token_anna = a.token_nuovo or a.token_client
        await a.chiudi()
        intruso, primi = await riprendi_scheda(server.url, token_anna, idrata=False)
        ricevuti.extend(primi)
        c = await _scheda(server, carla.token)  # sees Bruno come and go: the control
        try:
            b = await _scheda(server, bruno.token)
            await b.scambia(APRI, VISION)
            await _finche(lambda: _persone(c) == [nome_bruno])
            await b.chiudi()
            await _finche(lambda: _persone(c) == [])
            ricevuti.extend(await intruso.barriera())
        finally:
            await c.chiudi()
            await intruso.chiudi()

    try:
        ciclo.run(prova())
    finally:
        with sessione_db(server.db_url) as session:
            ripristina_contenuto(session, contenuto)
    testo = json.dumps(ricevuti, ensure_ascii=False)
    assert bozza not in testo
    assert nome_bruno not in testo
