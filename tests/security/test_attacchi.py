"""Attacks through the event websocket: without a live staff session the content never changes.

Every test drives the real production app with `ClienteGrezzo` (conftest.py describes the
wire protocol), compares every row of the content tables (sezione, tappa, valore,
revisionepagina) before and after, and checks that the server still answers. The last test is
the control: the same client and the same events, with a live session, do change the content.
"""

import inspect
import json

import pytest
import socketio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reflex_base.constants.state import FIELD_MARKER

from serena_app.auth.permessi import SESSIONE_SCADUTA
from serena_app.state.modifica import ModificaState
from tests.security.conftest import (
    AGGIORNA_VARS,
    PAGINA,
    ClienteGrezzo,
    ConnessioneChiusa,
    evento,
    righe,
    ripristina,
    verifica_che_risponda,
    vista,
)
from tests.support.protocollo import MODIFICA, NOME_SEGRETO, PERCORSO, SESSIONE

HACK = "HACK"

PROTETTI = sorted(
    nome
    for nome, gestore in ModificaState.event_handlers.items()
    if getattr(gestore.fn, "richiede_staff", False)
)
"""Every handler of ModificaState that `richiede_staff` guards."""

SETVAR = [
    (MODIFICA, "modifica_attiva", True),
    (MODIFICA, "aperto", "sezione:mission"),
    (MODIFICA, "da_eliminare", "tappa:1"),
    (MODIFICA, "_versione", 1),
    (MODIFICA, "_versione_da_eliminare", 1),
    (SESSIONE, "_nome_staff", "admin"),
    (SESSIONE, "nome_staff", "admin"),
    (SESSIONE, "token", "un segreto qualsiasi"),
]
"""Vars an attacker would like to set directly (state, var, value)."""

VARS_FALSE = {
    f"{MODIFICA}.modifica_attiva{FIELD_MARKER}": True,
    f"{MODIFICA}.aperto{FIELD_MARKER}": "sezione:mission",
    f"{MODIFICA}._versione{FIELD_MARKER}": 1,
    f"{SESSIONE}._nome_staff{FIELD_MARKER}": "admin",
}
"""Vars that are not browser storage, smuggled in where the page sends its cookies."""


def sequenza(salvate: dict[str, list[dict]]) -> list[tuple[str, dict]]:
    """Every data-changing event, in an editor's order, aimed at rows that exist.

    Args:
        salvate: The content rows (from `righe`), to aim at real milestones and values.

    Returns:
        (handler name, keyword arguments) pairs.
    """
    tappa, valore = salvate["tappa"][-1]["id"], salvate["valore"][-1]["id"]
    return [
        ("alterna_modifica", {}),
        ("apri", {"chiave": "sezione:mission"}),
        ("salva", {"form_data": {"testo": HACK}}),
        ("apri", {"chiave": f"tappa:{tappa}"}),
        ("salva", {"form_data": {"anno": "2001", "titolo": HACK, "testo": HACK}}),
        ("aggiungi", {"tipo": "tappa"}),
        ("salva", {"form_data": {"anno": "", "titolo": HACK, "testo": HACK}}),
        ("aggiungi", {"tipo": "valore"}),
        ("salva", {"form_data": {"titolo": HACK, "testo": HACK}}),
        ("sposta", {"chiave": f"tappa:{tappa}", "di": -1}),
        ("sposta", {"chiave": f"valore:{valore}", "di": -1}),
        ("chiedi_eliminazione", {"chiave": f"tappa:{tappa}"}),
        ("elimina", {}),
        ("chiedi_eliminazione", {"chiave": f"valore:{valore}"}),
        ("elimina", {}),
    ]


def rifiutato(messaggi: list[dict]) -> bool:
    """Whether the answers are `richiede_staff`'s refusal: editor closed, "session expired"."""
    modifica = vista(messaggi).get(MODIFICA, {})
    return (
        modifica.get("avviso") == SESSIONE_SCADUTA
        and modifica.get("modifica_attiva") is False
        and modifica.get("aperto") == ""
        and modifica.get("da_eliminare") == ""
    )


async def tenta_tutto(cliente: ClienteGrezzo, salvate: dict, *, cookie: str | None = None) -> None:
    """Try to set protected vars, then send every data-changing event; each must be refused.

    Args:
        cliente: A connected client.
        salvate: The content rows, to aim at real items.
        cookie: A session secret to send again before each event (as the page does), so
            that the server holds it whenever a handler runs; None for no session.
    """
    for stato, variabile, valore in SETVAR:
        messaggi = await cliente.scambia(
            f"{stato}.setvar", {"var_name": variabile, "value": valore}
        )
        assert vista(messaggi).get(stato, {}).get(variabile) != valore, messaggi
    for nome, payload in sequenza(salvate):
        if cookie is not None:
            await cliente.presenta_cookie(cookie)
        messaggi = await cliente.scambia(f"{MODIFICA}.{nome}", payload)
        assert rifiutato(messaggi), f"{nome}({payload}) was not refused: {messaggi}"


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
        inspect.signature(ModificaState.event_handlers[nome].fn).bind(None, **payload)


def test_without_login_no_event_changes_the_content(server, db, ciclo):
    """No cookie at all: setvar, smuggled vars and every data-changing event are refused."""
    prima = righe(db)

    async def attacco() -> None:
        async with ClienteGrezzo(server.url) as cliente:
            stati = vista(await cliente.connetti(vars_extra=VARS_FALSE))
            assert stati[SESSIONE]["nome_staff"] == ""
            assert stati.get(MODIFICA, {}).get("aperto", "") == ""
            stati = vista(await cliente.scambia(AGGIORNA_VARS, {"vars": VARS_FALSE}))
            assert MODIFICA not in stati
            assert SESSIONE not in stati
            await tenta_tutto(cliente, prima)

    ciclo.run(attacco())
    assert righe(db) == prima
    verifica_che_risponda(server, ciclo)


@pytest.mark.parametrize("tipo", ["scaduta", "inattiva", "revocata", "disabilitata", "inventata"])
def test_a_dead_session_cookie_changes_nothing(server, db, ciclo, credenziali, tipo):
    """A cookie of an expired, idle, revoked, disabled or made-up session is refused.

    The secret goes everywhere a browser could put it: the hydrate event's `vars` (where the
    page sends cookies), the handshake's `Cookie` header, `update_vars_internal` before every
    event, and `setvar`. The refused session is not extended either.
    """
    staff = credenziali(tipo)
    prima = righe(db)
    sessioni_prima = righe(db, ("sessionestaff", "staff"))

    async def attacco() -> None:
        async with ClienteGrezzo(server.url) as cliente:
            stati = vista(
                await cliente.connetti(
                    cookie=staff.token, intestazioni={"Cookie": f"{NOME_SEGRETO}={staff.token}"}
                )
            )
            # On load the page's check refused it and told the browser to drop the cookie.
            assert stati[SESSIONE]["nome_staff"] == ""
            assert stati[SESSIONE]["token"] == ""
            await tenta_tutto(cliente, prima, cookie=staff.token)

    ciclo.run(attacco())
    assert righe(db) == prima
    assert righe(db, ("sessionestaff", "staff")) == sessioni_prima
    verifica_che_risponda(server, ciclo)


def test_another_tabs_client_token_does_not_carry_its_session(server, db, ciclo, credenziali):
    """A staff tab is open. Its client token, reused in the handshake or put inside events
    (body and router_data), gives another socket none of that tab's session."""
    staff = credenziali("valida")
    prima = righe(db)

    async def attacco() -> None:
        async with ClienteGrezzo(server.url) as vittima:
            stati = vista(await vittima.connetti(cookie=staff.token))
            assert stati[SESSIONE]["nome_staff"] == staff.nome_utente
            async with ClienteGrezzo(server.url, token_client=vittima.token_client) as doppio:
                stati = vista(await doppio.connetti())
                assert doppio.token_nuovo not in (None, vittima.token_client)
                assert stati[SESSIONE]["nome_staff"] == ""
                await tenta_tutto(doppio, prima)
            async with ClienteGrezzo(server.url) as intruso:
                await intruso.connetti()
                altrui = {**PAGINA, "token": vittima.token_client}
                for nome, payload in sequenza(prima):
                    corpo = evento(f"{MODIFICA}.{nome}", payload, altrui)
                    await intruso.emetti({**corpo, "token": vittima.token_client})
                    assert rifiutato(await intruso.barriera()), nome

    ciclo.run(attacco())
    assert righe(db) == prima
    verifica_che_risponda(server, ciclo)


def test_a_foreign_origin_cannot_open_the_socket(server, db, ciclo, credenziali):
    """Cross-site websocket hijacking: another site's page, even holding the cookie, is
    refused at the handshake."""
    staff = credenziali("valida")
    prima = righe(db)

    async def da_un_altro_sito() -> None:
        async with ClienteGrezzo(server.url) as cliente:
            with pytest.raises(socketio.exceptions.ConnectionError):
                await cliente.connetti(
                    cookie=staff.token, intestazioni={"Origin": "https://attaccante.example"}
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
            await cliente.scambia(f"{MODIFICA}.apri", {"chiave": "sezione:mission"})
            for numero in range(300):
                salva = evento(f"{MODIFICA}.salva", {"form_data": {"testo": f"{HACK} {numero}"}})
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
    """An event body for ModificaState.`gestore`, with `argomenti` as raw JSON text."""
    return f'{{"name":{json.dumps(f"{MODIFICA}.{gestore}")},"payload":{argomenti}}}'


PACCHETTI_MALFORMATI = {
    "deep_nesting": pacchetto(
        chiamata("salva", '{"form_data":' + "[" * 50_000 + "]" * 50_000 + "}")
    ),
    "5000_digit_integer": pacchetto(
        chiamata("sposta", '{"chiave":"tappa:1","di":' + "9" * 5000 + "}")
    ),
    "nan": pacchetto(chiamata("sposta", '{"chiave":"tappa:1","di":NaN}')),
    "truncated_json": f'42{PERCORSO},["event",{{"name":',
    "string_body": pacchetto(json.dumps('{"name": 1}')),
    "list_body": pacchetto("[1,2,3]"),
    "unknown_socket_event": pacchetto('{"testo":"HACK"}', nome="salva"),
    "default_namespace": pacchetto(chiamata("salva", "{}"), namespace=""),
}


@pytest.mark.parametrize("pacchetto", PACCHETTI_MALFORMATI.values(), ids=PACCHETTI_MALFORMATI)
def test_malformed_packets_change_nothing(server, db, ciclo, pacchetto):
    """Raw Engine.IO messages no browser sends: the content stays, the server answers (the
    socket that sent them may be closed or not; today each one survives)."""
    prima = righe(db)

    async def invia() -> None:
        async with ClienteGrezzo(server.url) as cliente:
            await cliente.connetti()
            await cliente.invia_pacchetto(pacchetto)
            await ancora_in_linea(cliente)

    ciclo.run(invia())
    assert righe(db) == prima
    verifica_che_risponda(server, ciclo)


def test_an_oversized_message_only_costs_its_own_socket(server, db, ciclo):
    """A 1.5 MB save (over the 1 MB frame limit): the server drops that socket only."""
    prima = righe(db)

    async def enorme() -> bool:
        async with ClienteGrezzo(server.url) as cliente:
            await cliente.connetti()
            await cliente.emetti(
                evento(f"{MODIFICA}.salva", {"form_data": {"testo": HACK * 375_000}})
            )
            return await ancora_in_linea(cliente)

    assert ciclo.run(enorme()) is False
    assert righe(db) == prima
    verifica_che_risponda(server, ciclo)


CHIAVI_PLAUSIBILI = [
    "sezione:mission",
    "sezione:vision",
    "sezione:__class__",
    "tappa:1",
    "tappa:2",
    "valore:1",
    "valore:2",
    "tappa:nuovo",
    "valore:nuovo",
    "tappa:٣",
    "tappa:99999999999",
    "tappa:-1",
    "../sezione:mission",
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
    "chiave": st.sampled_from(["sezione:mission", "tappa:2", "tappa:3", "valore:1", "valore:2"]),
    "tipo": st.sampled_from(["tappa", "valore"]),
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
        for nome in inspect.signature(ModificaState.event_handlers[gestore].fn).parameters
        if nome != "self"
    ]
    return st.one_of(
        st.fixed_dictionaries({nome: PLAUSIBILI.get(nome, VALORI) for nome in parametri}),
        st.fixed_dictionaries({nome: PLAUSIBILI.get(nome, VALORI) | VALORI for nome in parametri}),
        PAYLOAD,
    )


EVENTI = st.sampled_from(sorted(ModificaState.event_handlers)).flatmap(
    lambda gestore: st.tuples(st.just(f"{MODIFICA}.{gestore}"), argomenti_per(gestore))
)
"""(full handler name, payload) for every handler of ModificaState."""

ROUTER = st.one_of(
    st.just(PAGINA),
    st.dictionaries(st.sampled_from(["pathname", "asPath", "query"]), VALORI, max_size=3),
    VALORI,
)


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
        modifica = stati.get(MODIFICA, {})
        assert modifica.get("modifica_attiva", False) is False
        assert modifica.get("aperto", "") == modifica.get("da_eliminare", "") == ""
        assert modifica.get("annuncio", "") == ""
        assert stati.get(SESSIONE, {}).get("nome_staff", "") == ""
        assert righe(db) == prima

    try:
        un_evento()
    finally:
        if "attuale" in scheda:
            ciclo.run(scheda["attuale"].chiudi())
    assert righe(db) == prima
    verifica_che_risponda(server, ciclo)


def test_control_a_live_session_does_change_the_content(server, db, ciclo, credenziali):
    """The control: the same client and the same events, with a live session's cookie, do
    change the `sezione` table, so the "unchanged" checks above can fail. Rows restored."""
    staff = credenziali("valida")
    prima = righe(db)
    apri, salva = sequenza(prima)[1:3]

    async def modifica() -> None:
        async with ClienteGrezzo(server.url) as cliente:
            stati = vista(await cliente.connetti(cookie=staff.token))
            assert stati[SESSIONE]["nome_staff"] == staff.nome_utente
            await cliente.presenta_cookie(staff.token)
            stati = vista(await cliente.scambia(f"{MODIFICA}.{apri[0]}", apri[1]))
            assert stati[MODIFICA]["aperto"] == "sezione:mission"
            await cliente.presenta_cookie(staff.token)
            stati = vista(await cliente.scambia(f"{MODIFICA}.{salva[0]}", salva[1]))
            assert stati[MODIFICA]["annuncio"] == "Testo della mission salvato."

    try:
        ciclo.run(modifica())
        dopo = righe(db)
        assert dopo != prima
        assert {r["chiave"]: r["testo"] for r in dopo["sezione"]}["mission"] == HACK
    finally:
        ripristina(db, prima)
    assert righe(db) == prima
    verifica_che_risponda(server, ciclo)
