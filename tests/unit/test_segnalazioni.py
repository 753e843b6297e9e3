"""Browser-error reports (`serena_app/registro/segnalazioni.py`): what the middleware lets
through to Reflex's handler, and the line the app's handler logs. Real Reflex events, no server; the
attack tests in tests/security/test_registro.py drive the running app."""

import logging

import pytest
from reflex_base.event import Event

from serena_app.registro.segnalazioni import (
    EVENTO,
    IN_TOTALE,
    LUNGHEZZA_MASSIMA,
    PER_CONNESSIONE,
    FiltroSegnalazioni,
    registra_errore_frontend,
)
from tests.support.asincrono import esegui


def passa(filtro: FiltroSegnalazioni, evento: Event) -> bool:
    """Whether the middleware lets `evento` through to its handler."""
    return esegui(filtro.preprocess(None, None, evento)) is None


def test_a_long_report_reaches_reflex_cut_and_well_formed():
    evento = Event(EVENTO, payload={"info": "x" * 700_000, "component_stack": "y" * 10, "z": 1})
    assert passa(FiltroSegnalazioni(), evento)
    assert evento.payload["info"] == "x" * LUNGHEZZA_MASSIMA + " [… tagliato: 700,000 caratteri]"
    assert evento.payload == {"info": evento.payload["info"], "component_stack": ""}


@pytest.mark.parametrize("payload", [{"info": 5}, {"component_stack": ""}, {"info": ["a"]}])
def test_a_report_no_page_would_send_is_dropped(payload):
    assert not passa(FiltroSegnalazioni(), Event(EVENTO, payload=payload))


def test_other_events_pass_untouched():
    payload = {"form_data": {"testo": "x" * 5000}}
    evento = Event("stato.salva", payload=payload)
    assert passa(FiltroSegnalazioni(), evento)
    assert evento.payload == {"form_data": {"testo": "x" * 5000}}


def test_per_connection_limit_and_one_line_about_it(caplog):
    filtro = FiltroSegnalazioni()
    with caplog.at_level(logging.WARNING, logger="serena_app.registro.segnalazioni"):
        esiti = [filtro.ammessa("sid-1", ora=0) for _ in range(PER_CONNESSIONE + 10)]
        assert filtro.ammessa("sid-2", ora=0)
    assert esiti == [True] * PER_CONNESSIONE + [False] * 10
    assert [r.getMessage() for r in caplog.records] == [
        f"segnalazioni di errori dal browser scartate per la connessione sid-1: più di "
        f"{PER_CONNESSIONE} in 60 s"
    ]


def test_new_connections_do_not_reset_the_total(caplog):
    filtro = FiltroSegnalazioni()
    with caplog.at_level(logging.WARNING, logger="serena_app.registro.segnalazioni"):
        ammesse = sum(filtro.ammessa(f"sid-{numero}", ora=0) for numero in range(IN_TOTALE + 20))
    assert ammesse == IN_TOTALE
    assert len(caplog.records) == 1
    assert "da tutte le connessioni" in caplog.records[0].getMessage()
    assert filtro.ammessa("sid-nuova", ora=60)


def test_the_handler_logs_one_short_line(caplog):
    testo = "TypeError: x\nINFO: falsa" + "a" * 5000
    with caplog.at_level(logging.WARNING, logger="serena_app.registro.segnalazioni"):
        registra_errore_frontend(Exception(testo))
    (record,) = caplog.records
    messaggio = record.getMessage()
    assert messaggio.startswith("errore nel browser (connessione ?): TypeError: x\\nINFO: falsa")
    assert len(messaggio) < LUNGHEZZA_MASSIMA + 100
    assert messaggio.endswith(f" [… tagliato: {len(testo):,} caratteri]")
    assert messaggio.splitlines() == [messaggio]
