"""Attacks through the event websocket: without a live staff session the content never changes.

Every test drives the real production app with `ClienteGrezzo` (`tests/support/cliente.py`
describes the wire protocol), compares every row of the content tables (sezione, tappa,
valore, versionepagina) before and after, and checks that the server still answers. The last
test is the control: the same client and the same events, with a live session, do change the
content.
"""

import inspect
import json

import pytest
import socketio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reflex_base.constants.state import FIELD_MARKER

from serena_app.contenuto import bozze, pagina
from serena_app.contenuto.pagina import BOZZA, SITO
from serena_app.contenuto.tipi import NUMERO_NON_VALIDO, TAPPA
from serena_app.db import session as sessione_db
from serena_app.state.cronologia import CronologiaState
from serena_app.state.redazione import NESSUNA_BOZZA, RedazioneState
from tests.factories import ripristina_contenuto
from tests.security.attacco import (
    HACK,
    MISSION,
    NESSUNA,
    ORIGINE_RIFIUTATA,
    PACCHETTO_MALFORMATO,
    PROTETTI,
    PROTETTI_CRONOLOGIA,
    SETVAR_SENZA_SETTER,
    URL_MALFORMATA,
    rifiutato,
    sequenza,
    sequenza_cronologia,
    tenta_tutto,
)
from tests.security.conftest import righe, verifica_che_risponda
from tests.state.test_inventario import parametri_numerici
from tests.support.cliente import (
    AGGIORNA_VARS,
    PAGINA,
    ClienteGrezzo,
    ConnessioneChiusa,
    evento,
    numero_barriera,
    vista,
)
from tests.support.protocollo import (
    ACCESSO,
    AGGIORNA,
    CRONOLOGIA,
    NOME_SEGRETO,
    PERCORSO,
    REDAZIONE,
    STAFF,
)

VARS_FALSE = {
    f"{STAFF}.modifica_attiva{FIELD_MARKER}": True,
    f"{REDAZIONE}.aperto{FIELD_MARKER}": MISSION,
    f"{REDAZIONE}._versione{FIELD_MARKER}": 1,
    f"{ACCESSO}.nome_staff{FIELD_MARKER}": "admin",
}
"""Vars that are not browser storage, smuggled in where the page sends its stored values."""


async def ancora_in_linea(cliente: ClienteGrezzo) -> bool:
    """Whether the socket still gets answers (False if the server closed it)."""
    try:
        await cliente.barriera()
    except ConnessioneChiusa:
        return False
    return True


def test_the_attack_sequence_covers_every_guarded_handler():
    """The attacks are not vacuous: every guarded handler, with arguments that bind."""
    salvate = {"tappa": [{"id": 1}], "valore": [{"id": 1}]}
    assert set(PROTETTI) >= {"apri", "salva", "aggiungi", "sposta", "elimina"}
    assert {nome for nome, _ in sequenza(salvate)} == set(PROTETTI)
    for nome, payload in sequenza(salvate):
        inspect.signature(RedazioneState.event_handlers[nome].fn).bind(None, **payload)
    assert {nome for nome, _ in sequenza_cronologia(salvate)} == set(PROTETTI_CRONOLOGIA)
    for nome, payload in sequenza_cronologia(salvate):
        inspect.signature(CronologiaState.event_handlers[nome].fn).bind(None, **payload)


@pytest.mark.errori_attesi(SETVAR_SENZA_SETTER)
def test_without_login_no_event_changes_the_content(server, db, ciclo):
    """No session secret at all: setvar, smuggled vars and every data-changing event are
    refused."""
    prima = righe(db)

    async def attacco() -> None:
        async with ClienteGrezzo(server.url) as cliente:
            stati = vista(await cliente.connetti(vars_extra=VARS_FALSE))
            assert stati[ACCESSO]["nome_staff"] == ""
            assert stati.get(REDAZIONE, {}).get("aperto", NESSUNA) == NESSUNA
            stati = vista(await cliente.scambia(AGGIORNA_VARS, {"vars": VARS_FALSE}))
            assert STAFF not in stati
            assert REDAZIONE not in stati
            assert ACCESSO not in stati
            await tenta_tutto(cliente, prima)

    ciclo.run(attacco())
    assert righe(db) == prima
    verifica_che_risponda(server, ciclo)


@pytest.mark.errori_attesi(SETVAR_SENZA_SETTER)
@pytest.mark.parametrize("tipo", ["scaduta", "inattiva", "revocata", "disabilitata", "inventata"])
def test_a_dead_session_secret_changes_nothing(server, db, ciclo, credenziali, tipo):
    """The secret of an expired, idle, revoked, disabled or made-up session is refused.

    The secret goes everywhere a browser could put it: the hydrate event's `vars` (where the
    page sends its local storage), a `Cookie` header in the handshake, `update_vars_internal`
    before every event, and `setvar`. The refused session is not extended either.
    """
    staff = credenziali(tipo)
    prima = righe(db)
    sessioni_prima = righe(db, ("sessionestaff", "staff"))

    async def attacco() -> None:
        async with ClienteGrezzo(server.url) as cliente:
            stati = vista(
                await cliente.connetti(
                    segreto=staff.token, intestazioni={"Cookie": f"{NOME_SEGRETO}={staff.token}"}
                )
            )
            # On load the page's check refused it and told the browser to drop the secret.
            assert stati[ACCESSO]["nome_staff"] == ""
            assert stati[ACCESSO]["token"] == ""
            await tenta_tutto(cliente, prima, segreto=staff.token)

    ciclo.run(attacco())
    assert righe(db) == prima
    assert righe(db, ("sessionestaff", "staff")) == sessioni_prima
    verifica_che_risponda(server, ciclo)


@pytest.mark.errori_attesi(SETVAR_SENZA_SETTER)
def test_another_tabs_client_token_does_not_carry_its_session(server, db, ciclo, credenziali):
    """A staff tab is open. Its client token, reused in the handshake or put inside events
    (body and router_data), gives another socket none of that tab's session."""
    staff = credenziali("valida")
    prima = righe(db)

    async def attacco() -> None:
        async with ClienteGrezzo(server.url) as vittima:
            stati = vista(await vittima.connetti(segreto=staff.token))
            assert stati[ACCESSO]["nome_staff"] == staff.nome_utente
            async with ClienteGrezzo(server.url, token_client=vittima.token_client) as doppio:
                stati = vista(await doppio.connetti())
                assert doppio.token_nuovo not in (None, vittima.token_client)
                assert stati[ACCESSO]["nome_staff"] == ""
                await tenta_tutto(doppio, prima)
            async with ClienteGrezzo(server.url) as intruso:
                await intruso.connetti()
                altrui = {**PAGINA, "token": vittima.token_client}
                for nome, payload in sequenza(prima):
                    corpo = evento(f"{REDAZIONE}.{nome}", payload, altrui)
                    await intruso.emetti({**corpo, "token": vittima.token_client})
                    assert rifiutato(await intruso.barriera()), nome

    ciclo.run(attacco())
    assert righe(db) == prima
    verifica_che_risponda(server, ciclo)


@pytest.mark.errori_attesi(ORIGINE_RIFIUTATA)
def test_a_foreign_origin_cannot_open_the_socket(server, db, ciclo, credenziali):
    """Cross-site websocket hijacking: another site's page, even holding the secret, is
    refused at the handshake."""
    staff = credenziali("valida")
    prima = righe(db)

    async def da_un_altro_sito() -> None:
        async with ClienteGrezzo(server.url) as cliente:
            with pytest.raises(socketio.exceptions.ConnectionError):
                await cliente.connetti(
                    segreto=staff.token, intestazioni={"Origin": "https://attaccante.example"}
                )

    ciclo.run(da_un_altro_sito())
    assert righe(db) == prima
    verifica_che_risponda(server, ciclo)


def test_a_burst_of_events_is_refused_and_the_tab_keeps_answering(server, db, ciclo):
    """300 saves sent without waiting: all refused, in order, within the usual wait."""
    prima = righe(db)

    async def raffica() -> None:
        async with ClienteGrezzo(server.url) as cliente:
            await cliente.connetti()
            await cliente.scambia(f"{REDAZIONE}.apri", {"tipo": "sezione", "chiave": "mission"})
            for numero in range(300):
                salva = evento(f"{REDAZIONE}.salva", {"form_data": {"testo": f"{HACK} {numero}"}})
                await cliente.emetti(salva)
            messaggi = await cliente.barriera()
            assert len(messaggi) == 300
            assert all(rifiutato([messaggio]) for messaggio in messaggi)

    ciclo.run(raffica())
    assert righe(db) == prima
    verifica_che_risponda(server, ciclo)


def pacchetto(corpo: str, *, nome: str = "event", namespace: str = PERCORSO) -> str:
    """A Socket.IO EVENT packet as raw text, with `corpo` spliced in as it is (no encoding)."""
    intestazione = f"42{namespace}," if namespace else "42"
    return f"{intestazione}[{json.dumps(nome)},{corpo}]"


def chiamata(gestore: str, argomenti: str) -> str:
    """An event body for RedazioneState.`gestore`, with `argomenti` as raw JSON text."""
    return f'{{"name":{json.dumps(f"{REDAZIONE}.{gestore}")},"payload":{argomenti}}}'


PACCHETTI_MALFORMATI = {
    "deep_nesting": pacchetto(
        chiamata("salva", '{"form_data":' + "[" * 50_000 + "]" * 50_000 + "}")
    ),
    "5000_digit_integer": pacchetto(
        chiamata("sposta", '{"tipo":"tappa","chiave":1,"di":' + "9" * 5000 + "}")
    ),
    "nan": pacchetto(chiamata("sposta", '{"tipo":"tappa","chiave":1,"di":NaN}')),
    "truncated_json": f'42{PERCORSO},["event",{{"name":',
    "string_body": pacchetto(json.dumps('{"name": 1}')),
    "list_body": pacchetto("[1,2,3]"),
    "unknown_socket_event": pacchetto('{"testo":"HACK"}', nome="salva"),
    "default_namespace": pacchetto(chiamata("salva", "{}"), namespace=""),
}


@pytest.mark.parametrize("pacchetto", PACCHETTI_MALFORMATI.values(), ids=PACCHETTI_MALFORMATI)
def test_malformed_packets_change_nothing(server, db, ciclo, pacchetto):
    """Raw Engine.IO messages no browser sends: the content stays, the server answers and
    logs no traceback (the socket that sent them may be closed or not)."""
    prima = righe(db)
    inizio_log = len(server.log_text())

    async def invia() -> None:
        async with ClienteGrezzo(server.url) as cliente:
            await cliente.connetti()
            await cliente.invia_pacchetto(pacchetto)
            await ancora_in_linea(cliente)

    ciclo.run(invia())
    assert righe(db) == prima
    verifica_che_risponda(server, ciclo)
    assert "Traceback" not in server.log_text()[inizio_log:]


def test_a_raw_packet_reaches_reflex(server, ciclo):
    """The control of the test above: a well-formed event sent the same raw way is handled
    (its answer comes back), so the malformed ones reach Reflex too."""
    barriera = {"pathname": "/", "asPath": "/?barriera=grezza"}
    corpo = json.dumps(evento(AGGIORNA, {}, barriera))

    async def invia() -> list[dict]:
        async with ClienteGrezzo(server.url) as cliente:
            await cliente.connetti()
            await cliente.invia_pacchetto(pacchetto(corpo))
            return await cliente.attendi(lambda m: numero_barriera(m) == "grezza")

    assert ciclo.run(invia())


def test_an_oversized_message_only_costs_its_own_socket(server, db, ciclo):
    """A 1.5 MB save (over the 1 MB frame limit): the server drops that socket only."""
    prima = righe(db)

    async def enorme() -> bool:
        async with ClienteGrezzo(server.url) as cliente:
            await cliente.connetti()
            await cliente.emetti(
                evento(f"{REDAZIONE}.salva", {"form_data": {"testo": HACK * 375_000}})
            )
            return await ancora_in_linea(cliente)

    assert ciclo.run(enorme()) is False
    assert righe(db) == prima
    verifica_che_risponda(server, ciclo)


CHIAVI_PLAUSIBILI = [
    "mission",
    "vision",
    "__class__",
    "sezione",
    "tappa",
    "valore",
    "nuovo",
    "٣",
    "../mission",
    "tappa:1",
]
TESTI = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(max_codepoint=0x9F), max_size=40),  # C0, DEL, C1 controls
    st.text(alphabet=st.characters(categories=["Cs"]), max_size=8),  # lone surrogates
    st.sampled_from(CHIAVI_PLAUSIBILI),
)
SCALARI = st.none() | st.booleans() | st.integers() | st.floats() | TESTI
VALORI = st.recursive(
    SCALARI,
    lambda figli: (
        st.lists(figli, max_size=4) | st.dictionaries(st.text(max_size=8), figli, max_size=4)
    ),
    max_leaves=20,
)
# One huge string per event at most: at most 720,000 characters once JSON-escaped (1 MB limit).
ENORME = st.builds(
    str.__mul__,
    st.sampled_from(["A", "\x00", "è", "\u202e", "\ud800", "😀"]),
    st.integers(10_000, 60_000),
)
ARGOMENTI = st.sampled_from(["chiave", "tipo", "form_data", "di", "var_name", "value", "self"])
CAMPI = st.sampled_from(["testo", "titolo", "anno"]) | st.text(max_size=8)
PAYLOAD = st.one_of(
    st.dictionaries(ARGOMENTI | st.text(max_size=12), VALORI, max_size=4),
    st.builds(
        lambda campi, campo, valore: {"form_data": {**campi, campo: valore}},
        st.dictionaries(CAMPI, VALORI, max_size=3),
        CAMPI,
        VALORI | ENORME,
    ),
    st.builds(lambda nome, valore: {nome: valore}, ARGOMENTI, ENORME),
    VALORI,
)
PLAUSIBILI = {
    "chiave": st.sampled_from(["mission", "vision", 1, 2, 3, 0, -1, 99999999999, 2**40]),
    "tipo": st.sampled_from(["sezione", "tappa", "valore"]),
    "di": st.sampled_from([-1, 1]),
    "form_data": st.sampled_from(
        [
            {"testo": HACK},
            {"anno": "2001", "titolo": HACK, "testo": HACK},
            {"titolo": HACK, "testo": HACK},
        ]
    ),
    "var_name": st.sampled_from(["modifica_attiva", "aperto", "_versione", "token", "nome_staff"]),
}
"""Arguments each parameter of a handler accepts, aimed at rows of the seed content."""


def argomenti_per(gestore: str) -> st.SearchStrategy:
    """Payloads for `gestore`: its parameters with arguments it accepts (those would change
    the content if the guard let them through), or with random values, or anything."""
    parametri = [
        nome
        for nome in inspect.signature(RedazioneState.event_handlers[gestore].fn).parameters
        if nome != "self"
    ]
    return st.one_of(
        st.fixed_dictionaries({nome: PLAUSIBILI.get(nome, VALORI) for nome in parametri}),
        st.fixed_dictionaries({nome: PLAUSIBILI.get(nome, VALORI) | VALORI for nome in parametri}),
        PAYLOAD,
    )


EVENTI = st.sampled_from(sorted(RedazioneState.event_handlers)).flatmap(
    lambda gestore: st.tuples(st.just(f"{REDAZIONE}.{gestore}"), argomenti_per(gestore))
)
"""(full handler name, payload) for every handler of RedazioneState (and of StaffState)."""

ROUTER = st.one_of(
    st.just(PAGINA),
    st.dictionaries(st.sampled_from(["pathname", "asPath", "query"]), VALORI, max_size=3),
    VALORI,
)


@pytest.mark.errori_attesi(SETVAR_SENZA_SETTER, PACCHETTO_MALFORMATO, URL_MALFORMATA)
def test_fuzzed_events_change_nothing(server, db, ciclo):
    """Random handler × random JSON payload (controls, surrogates, huge, nested, numbers,
    None, bools) × sometimes broken router_data, from an anonymous tab."""
    prima = righe(db)
    scheda: dict[str, ClienteGrezzo] = {}  # the current tab; a new one if the server closed it

    async def manda(corpo: dict) -> list[dict]:
        if "attuale" not in scheda or not scheda["attuale"].connesso:
            scheda["attuale"] = ClienteGrezzo(server.url)
            await scheda["attuale"].connetti()
        try:
            await scheda["attuale"].emetti(corpo)
            return await scheda["attuale"].barriera()
        except ConnessioneChiusa:
            await scheda.pop("attuale").chiudi()
            return []

    @settings(
        max_examples=300,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )
    @given(nome_e_payload=EVENTI, router_data=ROUTER)
    def un_evento(nome_e_payload: tuple[str, object], router_data: object) -> None:
        nome, payload = nome_e_payload
        messaggi = ciclo.run(manda({"name": nome, "payload": payload, "router_data": router_data}))
        stati = vista(messaggi)
        staff, redazione = stati.get(STAFF, {}), stati.get(REDAZIONE, {})
        assert staff.get("modifica_attiva", False) is False
        assert redazione.get("aperto", NESSUNA) == redazione.get("da_eliminare", NESSUNA) == NESSUNA
        assert staff.get("annuncio", "") == ""
        assert stati.get(ACCESSO, {}).get("nome_staff", "") == ""
        assert righe(db) == prima

    try:
        un_evento()
    finally:
        if "attuale" in scheda:
            ciclo.run(scheda["attuale"].chiudi())
    assert righe(db) == prima
    verifica_che_risponda(server, ciclo)


def test_control_a_live_session_does_change_the_content(server, db, ciclo, credenziali, contenuto):
    """The control: the same client and the same events, with a live session's secret, do
    change the `sezione` table, so the "unchanged" checks above can fail. Content restored."""
    staff = credenziali("valida")
    prima = righe(db)
    apri, salva = sequenza(prima)[1:3]

    async def modifica() -> None:
        async with ClienteGrezzo(server.url) as cliente:
            stati = vista(await cliente.connetti(segreto=staff.token))
            assert stati[ACCESSO]["nome_staff"] == staff.nome_utente
            await cliente.presenta_segreto(staff.token)
            stati = vista(await cliente.scambia(f"{REDAZIONE}.{apri[0]}", apri[1]))
            assert stati[REDAZIONE]["aperto"] == MISSION
            await cliente.presenta_segreto(staff.token)
            stati = vista(await cliente.scambia(f"{REDAZIONE}.{salva[0]}", salva[1]))
            assert stati[STAFF]["annuncio"] == "Testo della mission salvato."

    try:
        ciclo.run(modifica())
        dopo = righe(db)
        assert dopo != prima
        bozza = {r["chiave"]: r["testo"] for r in dopo["sezione"] if r["pagina"] == BOZZA.nome}
        assert bozza["mission"] == HACK
    finally:
        with sessione_db(server.db_url) as session:
            ripristina_contenuto(session, contenuto)
    mission = {r["chiave"]: r["testo"] for r in righe(db)["sezione"]}["mission"]
    assert mission == contenuto["sezioni"]["mission"]
    verifica_che_risponda(server, ciclo)


TESTI_INVISIBILI = {
    "rlo": "\u202eeulav a",
    "solo_zwsp": "\u200b\u200b\u200b",
    "surrogato": "Missione \ud800",
}


def test_invisible_or_broken_text_gets_the_field_message_and_changes_nothing(
    server, db, ciclo, credenziali
):
    """With a live session: a save holding a bidi override, only zero-width spaces, or a lone
    surrogate is refused next to the field (never "unexpected error"), nothing is written,
    and the server logs no traceback. A login with a lone surrogate gets the usual message."""
    staff = credenziali("valida")
    prima = righe(db)
    inizio_log = len(server.log_text())

    async def prova() -> None:
        async with ClienteGrezzo(server.url) as cliente:
            await cliente.connetti(segreto=staff.token)
            for testo in TESTI_INVISIBILI.values():
                await cliente.presenta_segreto(staff.token)
                await cliente.scambia(f"{REDAZIONE}.apri", {"tipo": "sezione", "chiave": "mission"})
                stati = vista(
                    await cliente.scambia(f"{REDAZIONE}.salva", {"form_data": {"testo": testo}})
                )
                assert stati[REDAZIONE]["errori"] == {
                    "testo": "Il testo contiene caratteri non ammessi."
                }
            dati = {"nome_utente": "anna\udfff", "password": "password\ud800"}
            stati = vista(await cliente.scambia(f"{ACCESSO}.accedi", {"form_data": dati}))
            assert stati[ACCESSO]["errore_accesso"] == "Nome utente o password non validi."

    ciclo.run(prova())
    assert righe(db) == prima
    assert "Traceback" not in server.log_text()[inizio_log:]
    verifica_che_risponda(server, ciclo)


PIENO = (
    "La pagina ha già 40 tappe, il numero massimo: per aggiungerne una, eliminane prima un’altra."
)


def _riempi_tappe(server, fino_a: int) -> None:
    """Add undated milestones straight in the database until the working copy staff edit has
    `fino_a`."""
    with sessione_db(server.db_url) as session:
        bozze.apri(session=session, spazio=SITO)
        while pagina.quanti(session=session, pagina=BOZZA, tipo=TAPPA) < fino_a:
            campi = {"anno": None, "titolo": "Riempitivo", "testo": "Riempitivo."}
            pagina.aggiungi(session=session, pagina=BOZZA, tipo=TAPPA, campi=campi)


def test_a_full_timeline_refuses_one_more_with_a_clear_message(
    server, db, ciclo, credenziali, contenuto
):
    """With a live session: an editor opened at 39 milestones keeps its text when the list
    fills up meanwhile and says why the save failed; at 40 "Aggiungi" opens no editor."""
    staff = credenziali("valida")
    nuova = {"anno": "", "titolo": HACK, "testo": HACK}

    async def oltre() -> None:
        async with ClienteGrezzo(server.url) as cliente:
            await cliente.connetti(segreto=staff.token)
            stati = vista(await cliente.scambia(f"{REDAZIONE}.aggiungi", {"tipo": "tappa"}))
            assert stati[REDAZIONE]["aperto"]["tipo"] == "tappa"
            _riempi_tappe(server, 40)
            stati = vista(await cliente.scambia(f"{REDAZIONE}.salva", {"form_data": nuova}))
            assert stati[STAFF]["avviso"] == PIENO
            assert REDAZIONE not in stati or stati[REDAZIONE].get("aperto") != NESSUNA
            await cliente.scambia(f"{REDAZIONE}.annulla")
            stati = vista(await cliente.scambia(f"{REDAZIONE}.aggiungi", {"tipo": "tappa"}))
            assert stati[STAFF]["avviso"] == PIENO
            assert stati[REDAZIONE]["aperto"] == NESSUNA

    try:
        _riempi_tappe(server, 39)
        ciclo.run(oltre())
        nella_bozza = [r for r in righe(db)["tappa"] if r["pagina"] == BOZZA.nome]
        assert len(nella_bozza) == 40
        assert HACK not in {r["titolo"] for r in nella_bozza}
    finally:
        with sessione_db(server.db_url) as session:
            ripristina_contenuto(session, contenuto)
    verifica_che_risponda(server, ciclo)


FUORI_INTERVALLO = [2**63, -1, 0, 1e308, 1.0, "9" * 5000, "abc", True, None, [1], {"n": 1}]
"""Numbers no page sends: past 64 bits, negative, zero, floats, 5,000 digits, not numbers."""


def _plausibili(stato, gestore: str, salvate: dict) -> dict:
    """Arguments that bind to `gestore` and name rows of the working copy."""
    tappa = next(r["id"] for r in salvate["tappa"] if r["pagina"] == BOZZA.nome)
    valori = {
        "tipo": "tappa",
        "chiave": tappa,
        "di": 1,
        "numero": salvate["revisione"][-1]["id"],
        "id_": 1,  # a scheduled publish
    }
    parametri = inspect.signature(stato.event_handlers[gestore].fn).parameters
    return {nome: valori[nome] for nome in parametri if nome != "self"}


def test_every_number_an_event_carries_is_range_checked(server, db, ciclo, credenziali):
    """With a live session, every handler parameter that takes a number (from the inventory of
    handlers) gets 64-bit, negative, float, 5,000-digit and non-numbers: each time the staff
    bar says so in Italian, nothing is written, and the log has no traceback."""
    staff = credenziali("valida")
    inizio_log = len(server.log_text())
    numerici = parametri_numerici()
    prima: dict = {}

    async def prova() -> None:
        async with ClienteGrezzo(server.url) as cliente:
            await cliente.connetti(segreto=staff.token)
            await cliente.scambia(f"{REDAZIONE}.alterna_modifica")  # makes the working copy
            prima.update(righe(db))
            for stato, gestore, parametro in numerici:
                for valore in FUORI_INTERVALLO:
                    if parametro == "di" and valore == -1:
                        valore = 2  # -1 is a move up
                    payload = {**_plausibili(stato, gestore, prima), parametro: valore}
                    await cliente.scambia(f"{REDAZIONE}.chiudi_avviso")
                    nome = f"{stato.get_full_name()}.{gestore}"
                    stati = vista(await cliente.scambia(nome, payload))
                    caso = f"{gestore}({parametro}={str(valore)[:20]})"
                    assert stati.get(STAFF, {}).get("avviso") == NUMERO_NON_VALIDO, (caso, stati)

    ciclo.run(prova())
    assert len(numerici) >= 7
    assert righe(db) == prima
    log = server.log_text()[inizio_log:]
    assert "Traceback" not in log, log[-3000:]
    verifica_che_risponda(server, ciclo)


def test_numbers_as_digit_strings_are_understood(server, db, ciclo, credenziali, contenuto):
    """The control: the same handlers with an id or a move as a string of digits (as a
    browser may send) do their work."""
    staff = credenziali("valida")

    async def prova() -> None:
        async with ClienteGrezzo(server.url) as cliente:
            await cliente.connetti(segreto=staff.token)
            await cliente.scambia(f"{REDAZIONE}.alterna_modifica")
            valori = [r for r in righe(db)["valore"] if r["pagina"] == BOZZA.nome]
            secondo = sorted(valori, key=lambda r: r["posizione"])[1]
            chiave = str(secondo["id"])
            apri = {"tipo": "valore", "chiave": chiave}
            stati = vista(await cliente.scambia(f"{REDAZIONE}.apri", apri))
            assert stati[REDAZIONE]["aperto"]["id"] == secondo["id"]
            await cliente.scambia(f"{REDAZIONE}.annulla")
            sposta = {"tipo": "valore", "chiave": chiave, "di": "1"}
            stati = vista(await cliente.scambia(f"{REDAZIONE}.sposta", sposta))
            assert "spostato in posizione 3" in stati[STAFF]["annuncio"], stati

    try:
        ciclo.run(prova())
    finally:
        with sessione_db(server.db_url) as session:
            ripristina_contenuto(session, contenuto)
    verifica_che_risponda(server, ciclo)


def test_what_the_staff_bar_disables_is_refused_when_sent_anyway(
    server, db, ciclo, credenziali, contenuto
):
    """The page disables moves past an end of a list or out of year order, "Pubblica"
    without drafts and "Annulla ultima modifica" with nothing to undo; sent over a raw socket
    anyway, each is refused with its message and changes nothing."""
    staff = credenziali("valida")

    async def prova() -> None:
        async with ClienteGrezzo(server.url) as cliente:
            await cliente.connetti(segreto=staff.token)
            await cliente.scambia(f"{REDAZIONE}.alterna_modifica")
            tappe = sorted(
                (r for r in righe(db)["tappa"] if r["pagina"] == BOZZA.nome),
                key=lambda r: r["posizione"],
            )
            prima = righe(db)

            async def avviso(evento: str, dati: dict | None = None) -> str | None:
                stati = vista(await cliente.scambia(evento, dati or {}))
                return stati.get(STAFF, {}).get("avviso")

            sposta = f"{REDAZIONE}.sposta"

            su = {"tipo": "tappa", "chiave": tappe[0]["id"], "di": -1}
            assert await avviso(sposta, su) == "È già al limite dell’elenco."
            assert await avviso(f"{REDAZIONE}.chiedi_pubblicazione") == NESSUNA_BOZZA
            assert await avviso(f"{CRONOLOGIA}.annulla_ultima") == (
                "Non ci sono modifiche tue da annullare."
            )
            assert righe(db) == prima
            ultima = {"tipo": "tappa", "chiave": tappe[-1]["id"], "di": -1}  # 1994
            for _ in range(3):  # past the three undated milestones, up to 1986
                await avviso(sposta, ultima)
            dopo = righe(db)
            assert "ordine cronologico" in (await avviso(sposta, ultima) or "")
            assert righe(db) == dopo

    try:
        ciclo.run(prova())
    finally:
        with sessione_db(server.db_url) as session:
            ripristina_contenuto(session, contenuto)
    verifica_che_risponda(server, ciclo)
