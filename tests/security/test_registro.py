"""Attacks on the server's log through the event websocket: what anyone can make the server
write, and whether it can pass for the server's own lines.

Reflex's built-in browser-error report (`ERRORE_FRONTEND`, sent by the page's `window.onerror`)
takes any text from any socket. Every test drives the real production app with `ClienteGrezzo`
and reads the log file the server writes (`Server.log`).
"""

import json
import time

from sqlmodel import Session, delete

from serena_app.auth.credenziali import CREDENZIALI_NON_VALIDE
from serena_app.auth.limiti import TROPPI_TENTATIVI
from serena_app.models import TentativoAccesso
from tests.security.conftest import verifica_che_risponda
from tests.support.cliente import AGGIORNA_VARS, ClienteGrezzo, evento
from tests.support.protocollo import (
    ACCESSO,
    AGGIORNA,
    CRONOLOGIA,
    ERRORE_FRONTEND,
    IDRATAZIONE,
    RADICE,
    REDAZIONE,
)

FALSA = "INFO: Accesso riuscito: utente admin dal 203.0.113.7"
"""A line the server could write, which an attacker wants to appear in the log."""

LARGHEZZA = 80
"""Columns of a console that is not a terminal (Rich's default, as in a log file)."""


def segnalazione(info: str) -> dict:
    """A browser-error report as the page sends it."""
    return evento(ERRORE_FRONTEND, {"info": info, "component_stack": ""})


def righe_del_log(testo: str) -> list[str]:
    """The log's lines as any reader may split them: `str.splitlines` also breaks at U+2028,
    U+2029, NEL and the other separators some viewers honour."""
    return testo.splitlines()


def test_a_browser_error_report_cannot_forge_a_log_line(server, ciclo):
    """Newlines, carriage returns, Unicode line separators, and padding that makes a console
    wrap the line right before the forged text: the report is logged, on its own line."""
    riempitivo = "x" * (LARGHEZZA - 1)
    tentativi = {
        "a-capo": f"TypeError: a\n{FALSA}",
        "crlf": f"TypeError: b\r\n{FALSA}",
        "ritorno-carrello": f"TypeError: c\r{FALSA}",
        "separatori-unicode": f"TypeError: d\u2028{FALSA}\u2029{FALSA}\x85{FALSA}",
        "a-capo-automatico": f"TypeError: e {riempitivo} {FALSA} {riempitivo} {FALSA}",
    }
    inizio = len(server.log_text())

    async def segnala() -> None:
        async with ClienteGrezzo(server.url) as cliente:
            await cliente.connetti()
            for marca, testo in tentativi.items():
                await cliente.emetti(segnalazione(f"[{marca}] {testo}"))
            await cliente.barriera()

    ciclo.run(segnala())
    log = server.log_text()[inizio:]
    for marca in tentativi:
        assert f"[{marca}]" in log, f"the report {marca} was not logged at all"
    forgiate = [riga for riga in righe_del_log(log) if riga.lstrip().startswith(FALSA)]
    assert forgiate == []
    verifica_che_risponda(server, ciclo)


def test_the_servers_warnings_about_malformed_events_cannot_forge_a_log_line(server, ciclo):
    """Reflex logs an event body sent as a string, and an event for an unknown handler, with the
    attacker's text in the message and in the exception's message: each is logged, and none
    of that text starts a line, even padded to make the console wrap."""
    riempitivo = "x" * (LARGHEZZA - 1)
    inizio = len(server.log_text())

    async def manda() -> None:
        async with ClienteGrezzo(server.url) as cliente:
            await cliente.connetti()
            await cliente.emetti(f"[corpo-stringa] a\n{FALSA}")
            await cliente.emetti(f"[corpo-a-capo-automatico] {riempitivo} {FALSA}")
            await cliente.emetti(evento(f"[nome-sconosciuto].x\n{FALSA}"))
            await cliente.barriera()

    ciclo.run(manda())
    log = server.log_text()[inizio:]
    for marca in ("[corpo-stringa]", "[corpo-a-capo-automatico]", "[nome-sconosciuto]"):
        assert marca in log, f"{marca} was not logged at all"
    forgiate = [riga for riga in righe_del_log(log) if riga.lstrip().startswith(FALSA)]
    assert forgiate == []
    verifica_che_risponda(server, ciclo)


def test_a_flood_of_error_reports_barely_grows_the_log(server, ciclo):
    """50 reports of 700 KB from one socket: the log grows by less than 200 KB, and the same
    socket and a new tab are still answered."""
    inizio = server.log.stat().st_size

    async def inonda() -> None:
        async with ClienteGrezzo(server.url) as cliente:
            await cliente.connetti()
            for numero in range(50):
                await cliente.emetti(segnalazione(f"Error: numero {numero} " + "A" * 700_000))
            await cliente.barriera(attesa=300)

    ciclo.run(inonda())
    crescita = server.log.stat().st_size - inizio
    assert crescita < 200_000, f"the log grew by {crescita:,} bytes"
    verifica_che_risponda(server, ciclo)


def test_events_with_huge_arguments_log_bounded_records(server, ciclo):
    """Not only reports: any handler called with a 700 KB argument name (a traceback quoting
    it) or a 700 KB value of the wrong type (Reflex's warning quoting it), 10 times each. The
    log grows by less than 200 KB."""
    inizio = server.log.stat().st_size
    enormi = [
        (AGGIORNA, {"A" * 700_000: 1}),
        (f"{REDAZIONE}.sposta", {"tipo": "tappa", "chiave": 1, "di": "B" * 700_000}),
    ]

    async def manda() -> None:
        async with ClienteGrezzo(server.url) as cliente:
            await cliente.connetti()
            for _ in range(10):
                for nome, payload in enormi:
                    await cliente.emetti(evento(nome, payload))
            await cliente.barriera(attesa=300)

    ciclo.run(manda())
    crescita = server.log.stat().st_size - inizio
    assert crescita < 200_000, f"the log grew by {crescita:,} bytes"
    verifica_che_risponda(server, ciclo)


def test_a_report_built_to_make_the_regexes_backtrack_does_not_stall_other_visitors(server, ciclo):
    """Reflex checks each report against patterns with nested `.*`; a report built from their
    prefix makes the check take time cubic in its length. Another visitor's event sent right
    after it is still answered within 5 s."""
    trappola = 'TypeError: can\'t access property "", ' * 1000  # 37 KB

    async def prova() -> float:
        async with ClienteGrezzo(server.url) as attaccante, ClienteGrezzo(server.url) as altro:
            await altro.connetti()
            await attaccante.connetti()
            await attaccante.emetti(segnalazione(trappola))
            partenza = time.perf_counter()
            await altro.chiedi(AGGIORNA, attesa=300)
            attesa = altro.arrivo - partenza
            await attaccante.barriera(attesa=300)
            return attesa

    attesa = ciclo.run(prova())
    assert attesa < 5.0, f"another visitor waited {attesa:.1f} s"
    verifica_che_risponda(server, ciclo)


def test_logins_with_a_lone_surrogate_log_no_traceback(server, db, ciclo):
    """20 logins with a lone surrogate in the password (and in every other username): each gets
    the usual message, and the server logs no traceback. Failures are forgotten afterwards (all
    tests log in from the same address)."""
    inizio = len(server.log_text())

    async def accessi() -> list[str]:
        messaggi = []
        async with ClienteGrezzo(server.url) as cliente:
            await cliente.connetti()
            for numero in range(20):
                nome = f"registro-{numero}" + ("\udfff" if numero % 2 else "")
                dati = {"nome_utente": nome, "password": f"password lunga {numero}\ud800"}
                await cliente.scambia(f"{ACCESSO}.accedi", {"form_data": dati})
                messaggi.append(cliente.stato[ACCESSO]["errore_accesso"])
        return messaggi

    try:
        messaggi = ciclo.run(accessi())
    finally:
        with Session(db) as session:
            session.exec(delete(TentativoAccesso))
            session.commit()
    assert set(messaggi) <= {CREDENZIALI_NON_VALIDE, TROPPI_TENTATIVI}
    assert messaggi[0] == CREDENZIALI_NON_VALIDE
    assert "Traceback" not in server.log_text()[inizio:]
    verifica_che_risponda(server, ciclo)


MALFORMATI = [
    (IDRATAZIONE, "una stringa"),
    (IDRATAZIONE, [1, 2]),
    (IDRATAZIONE, {"vars": "una stringa"}),
    (IDRATAZIONE, {"vars": [1, 2]}),
    (AGGIORNA_VARS, {"vars": "una stringa"}),
    (AGGIORNA_VARS, {"vars": None}),
    (AGGIORNA, {"value": 1}),
    (AGGIORNA, ["a", "b"]),
    (AGGIORNA, 7),
    (f"{ACCESSO}.accedi", {}),
    (f"{ACCESSO}.accedi", {"form_data": {}, "value": 1}),
    (f"{ACCESSO}.verifica", {"value": "x"}),
    (f"{ACCESSO}.esci", [{"value": 1}]),
    (f"{REDAZIONE}.annulla", {"value": 1}),
    (f"{REDAZIONE}.chiudi_avviso", {"self": 1}),
    (f"{REDAZIONE}.salva", {"form_data": {}, "extra": 1}),
    (f"{CRONOLOGIA}.chiudi_cronologia", {"value": True}),
    (f"{RADICE}.set_is_hydrated", {"value": True, "altro": 1}),
]
"""Events whose payload has a shape no page sends: a string or a list instead of the
keyword arguments, arguments the handler does not take, missing ones."""


def test_a_fuzz_of_wrong_shape_events_barely_grows_the_log(server, ciclo):
    """300 such events from one anonymous socket: no traceback in the log, which grows by a
    few KB at most (a short line per event, then nothing more from that connection); the
    socket is told nothing about the error, and it and a new tab are still answered."""
    inizio = len(server.log_text())
    inizio_byte = server.log.stat().st_size

    async def manda() -> list[dict]:
        async with ClienteGrezzo(server.url) as cliente:
            await cliente.connetti()
            for numero in range(300):
                nome, payload = MALFORMATI[numero % len(MALFORMATI)]
                await cliente.emetti(evento(nome, payload))
            ricevuti = await cliente.barriera(attesa=120)
            await cliente.scambia(AGGIORNA)  # still answered
            return ricevuti

    ricevuti = json.dumps(ciclo.run(manda()))
    interni = ("Traceback", "TypeError", "AttributeError", "unexpected keyword", "attribute", ".py")
    for interno in interni:
        assert interno not in ricevuti, ricevuti[:2000]
    log = server.log_text()[inizio:]
    crescita = server.log.stat().st_size - inizio_byte
    assert "Traceback" not in log, log[:3000]
    assert crescita < 4_000, f"the log grew by {crescita:,} bytes:\n{log[:3000]}"
    # The first few are logged, one short line each: handler, error kind, connection.
    assert "State.hydrate_and_load (AttributeError) dalla connessione" in log, log
    assert all(len(riga) < 400 for riga in log.splitlines()), log
    verifica_che_risponda(server, ciclo)
