"""One record, one line: the escaping of log messages and tracebacks (`serena_app/registro/log.py`),
in this process and, through `installa()`, in a fresh one whose Reflex logging is set up as
under `reflex run`."""

import logging
import subprocess
import sys
import textwrap

import pytest

from serena_app.registro import log as registro
from serena_app.registro.log import (
    MASSIMO_ECCEZIONE,
    MASSIMO_MESSAGGIO,
    RecordPulito,
    pulisci,
    traccia,
)
from tests.support.server import ROOT

FALSA = "INFO: Accesso riuscito: utente admin dal 203.0.113.7"

SEPARATORI = {
    "lf": "\n",
    "cr": "\r",
    "crlf": "\r\n",
    "vt": "\x0b",
    "ff": "\x0c",
    "fs": "\x1c",
    "nel": "\x85",
    "line_separator": "\u2028",
    "paragraph_separator": "\u2029",
}


@pytest.mark.parametrize("separatore", SEPARATORI.values(), ids=SEPARATORI)
def test_no_line_break_survives(separatore):
    pulito = pulisci(f"errore{separatore}{FALSA}")
    assert pulito.splitlines() == [pulito]
    assert FALSA in pulito


def test_control_characters_and_lone_surrogates_become_python_escapes():
    assert pulisci("a\nb\rc\td") == "a\\nb\\rc\\td"
    assert pulisci("\x00\x1b[31m\x7f\x9f") == "\\x00\\x1b[31m\\x7f\\x9f"
    assert pulisci("\u2028\u2029") == "\\u2028\\u2029"
    assert pulisci("password\ud800\udfff") == "password\\ud800\\udfff"
    pulisci("\ud800").encode("utf-8")  # a UTF-8 stream can take it


def test_ordinary_text_is_left_alone():
    testo = "Società cooperativa “Serena” – 😀 C:\\percorso [bold] \\n"
    assert pulisci(testo) == testo


def _solleva_concatenate():
    try:
        raise KeyError(f"chiave\n{FALSA}")
    except KeyError as causa:
        errore = ValueError(f"valore\r\n{FALSA}")
        errore.add_note(f"nota\u2028{FALSA}")
        raise errore from causa


def test_a_traceback_keeps_its_frames_and_escapes_every_exception_message():
    with pytest.raises(ValueError) as errore:
        _solleva_concatenate()
    righe = traccia((errore.type, errore.value, errore.tb)).splitlines()
    assert righe[0] == "Traceback (most recent call last):"
    assert "The above exception was the direct cause of the following exception:" in righe
    assert any(riga.strip() == "raise errore from causa" for riga in righe)
    assert f"KeyError: 'chiave\\n{FALSA}'" in righe
    assert f"ValueError: valore\\r\\n{FALSA}" in righe
    assert f"nota\\u2028{FALSA}" in righe
    assert not [riga for riga in righe if riga.lstrip().startswith(FALSA)]


def test_an_exception_group_escapes_its_members():
    gruppo = ExceptionGroup("gruppo\nx", [ValueError(f"uno\n{FALSA}")])
    righe = traccia((ExceptionGroup, gruppo, None)).splitlines()
    assert not [riga for riga in righe if riga.lstrip(" |").startswith(FALSA)]
    assert any(f"ValueError: uno\\n{FALSA}" in riga for riga in righe)


def test_a_huge_message_or_exception_message_is_cut_and_says_how_long_it_was():
    argomenti = ("\n" * 700_000,)
    record = RecordPulito("prova", logging.WARNING, __file__, 1, "valore %s", argomenti, None)
    messaggio = record.getMessage()
    assert messaggio.startswith("valore \\n")
    assert messaggio.endswith(" [… tagliato: 700,007 caratteri]")
    assert messaggio.count("\\n") == MASSIMO_MESSAGGIO - len("valore ")
    errore = KeyError("A" * 700_000)
    (ultima,) = [r for r in traccia((KeyError, errore, None)).splitlines() if "KeyError" in r]
    taglio = " [… tagliato: 700,002 caratteri]"  # str(KeyError) quotes its key: 700,002
    assert ultima == "KeyError: '" + "A" * (MASSIMO_ECCEZIONE - 1) + taglio


PROGRAMMA = textwrap.dedent(
    """
    import logging, os
    os.environ["REFLEX_MANAGED_LOGGING"] = "true"
    from reflex_base.utils import log
    log.configure()  # Reflex's Rich sink on the "reflex" logger, as in the server
    from serena_app.registro import log as registro
    registro.installa()
    FALSA = {falsa!r}
    logging.getLogger("reflex.app").warning("[reflex-a-capo] a\\n" + FALSA)
    logging.getLogger("reflex.app").warning("[reflex-riempito] " + "x" * 79 + " " + FALSA)
    logging.getLogger("serena_app.prova").warning("[app] %s", "b\\u2028" + FALSA + "\\ud800")
    import socketio
    socketio.AsyncServer()  # as the app does: Socket.IO and Engine.IO set up their loggers
    logging.getLogger("engineio.server").error("[libreria] c\\r" + FALSA)
    for nome in ("reflex.app", "serena_app.prova"):
        try:
            raise ValueError("[eccezione] d\\n" + FALSA)
        except ValueError:
            logging.getLogger(nome).exception("[traccia] " + nome)
    """
)


def test_installed_every_sink_writes_one_line_per_message():
    """Reflex's Rich sink (no terminal: 80 columns), our handler and Engine.IO's logger, in
    a fresh process: each message on one line, written once; tracebacks still start their
    own lines."""
    uscita = subprocess.run(
        [sys.executable, "-c", PROGRAMMA.format(falsa=FALSA)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        errors="replace",
    )
    log = uscita.stdout + uscita.stderr
    righe = log.splitlines()
    for marca in ("[reflex-a-capo]", "[reflex-riempito]", "[app]", "[libreria]"):
        assert len([riga for riga in righe if marca in riga and FALSA in riga]) == 1, log
    assert not [riga for riga in righe if riga.lstrip().startswith(FALSA)], log
    assert righe.count("Traceback (most recent call last):") == 2, log
    assert righe.count(f"ValueError: [eccezione] d\\n{FALSA}") == 2, log
    assert "Logging error" not in log


def _record(nome: str, messaggio: str, errore: BaseException) -> RecordPulito:
    try:
        raise errore
    except BaseException:
        return RecordPulito(nome, logging.ERROR, __file__, 1, messaggio, (), sys.exc_info())


def test_a_packet_no_page_sends_is_one_warning_line_and_a_real_error_keeps_its_traceback():
    scarto = _record("engineio.server", "message async handler error", RecursionError("json"))
    assert scarto.levelname == "WARNING"
    assert scarto.exc_info is None
    assert scarto.getMessage() == (
        "messaggio non valido dalla connessione ?, scartato (RecursionError: json)"
    )
    guasto = _record("engineio.server", "message async handler error", RuntimeError("bug"))
    assert guasto.levelname == "ERROR"
    assert "Traceback" in guasto.exc_text


class _Stato:
    def aggiorna(self) -> None:
        """A handler that takes no argument."""

    def somma(self, numero: int) -> int:
        """A handler with a bug of its own."""
        return numero + "1"


def process_event(fn, payload: object) -> object:
    """As Reflex's: it calls the handler with the payload as keyword arguments."""
    handler_name = fn.__qualname__  # read back from the traceback, as Reflex's local
    assert handler_name
    return fn(_Stato(), **payload)


def _errore_di(fn, payload) -> BaseException:
    try:
        process_event(fn, payload)
    except BaseException as errore:
        return errore
    raise AssertionError("no error")


def test_wrong_shape_payloads_are_told_from_errors_in_a_handler():
    inattesi = _errore_di(_Stato.aggiorna, {"value": 1})
    assert registro.evento_malformato(inattesi)
    assert registro.gestore_di(inattesi) == "_Stato.aggiorna"
    assert registro.evento_malformato(_errore_di(_Stato.somma, {}))  # a missing argument
    assert not registro.evento_malformato(_errore_di(_Stato.somma, {"numero": 1}))

    def _prepare_event_payload(payload):
        return payload.items()

    try:
        _prepare_event_payload("una stringa")
    except AttributeError as errore:
        assert registro.evento_malformato(errore)


def test_lines_about_what_clients_sent_wrong_are_limited_per_connection_and_in_total():
    limite = registro.LimiteScarti(per_connessione=2, in_totale=3, durata=60)
    assert [limite.ammesso("a") for _ in range(4)] == [True, True, False, False]
    assert limite.ammesso("b") is True
    assert limite.ammesso("c") is False  # three lines in total already
    assert limite.ammesso("?") is False
