"""The server's log: one record, one line. No text a visitor sends can start a line of its own.

`installa()` runs once when the app is imported, in every server process:

* Every log record of the process (Reflex, Granian, Socket.IO, ours) is a `RecordPulito`: its
  message comes out with control characters escaped (C0 and C1, so also CR, LF, NEL and ANSI
  escapes; U+2028 and U+2029; lone surrogates, which also made writing to a UTF-8 stream
  raise). The escapes are for reading, not for decoding back: backslashes are left as they
  are.
* Tracebacks stay multi-line: their frames are the server's own text. Only the messages of
  the exceptions in them (and their notes), which often quote what a client sent, are escaped.
* Messages are cut to `MASSIMO_MESSAGGIO` characters and exception messages to
  `MASSIMO_ECCEZIONE` before escaping, so a 700 KB argument name or value, which Reflex quotes
  in its warnings and tracebacks, costs the log a few KB.
* Records that reach the root logger are written by one handler to stderr, one line each
  with time, level and logger; the app's own loggers (`serena_app.*`) log from INFO up, and
  Socket.IO's and Engine.IO's errors come here too, once.
* Reflex's console sink, which prints Reflex's own records with Rich, is made not to wrap
  long lines (Rich wraps at 80 columns when not on a terminal, and a padded message would
  put any text at the start of a line), and to format tracebacks like the rest.
* What a client sent wrong (a packet no page sends, an event whose payload has the wrong
  shape) is one short WARNING line without a traceback, and such lines are rate-limited per
  connection and in total (`SCARTI`, `evento_malformato`, `LIMITE_SCARTI`): a socket cannot
  make the server write at will.
"""

import contextlib
import logging
import re
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from types import FrameType, TracebackType

from serena_app.registro.limitatore import Esito, Limitatore

_DA_ESCAPARE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_NOMI = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
FORMATO = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MASSIMO_MESSAGGIO = 8192
MASSIMO_ECCEZIONE = 2048

InfoEccezione = tuple[type[BaseException], BaseException, TracebackType | None]

SCARTI = {
    "engineio.server": ("message async handler error", (ValueError, RecursionError)),
    "reflex_base.event.processor.event_processor": (
        "Error processing event queue entry",
        (KeyError,),
    ),
    "reflex_base.event.processor.base_state_processor": ("Error transforming event payload", None),
}
"""Records that only say a client sent what no page sends: logger -> (message start, the
exceptions that mean it, or None for a record without one). A packet that is not JSON, nests
too deep or holds a 5,000-digit number fails in Socket.IO's decoder; an event that is not an
object, or names no handler, fails in Reflex; arguments Reflex cannot convert to a handler's
annotations are logged with their value. Each is one short WARNING line, without a traceback
a client could make the server write at will, and counts against `LIMITE_SCARTI`."""
LUNGHEZZA_SCARTO = 300
SCARTI_PER_CONNESSIONE = 5
SCARTI_IN_TOTALE = 60
FINESTRA_SCARTI_S = 60.0
_PREPARAZIONE = {"_prepare_event_payload", "_transform_event_payload", "_apply_client_storage_vars"}
"""Reflex's functions that read an event's payload before the handler runs (Reflex 0.10)."""
logger = logging.getLogger(__name__)


def connessione_attuale() -> str:
    """The Socket.IO session id of the socket whose event is being handled ("?" if none)."""
    from reflex_base.constants import RouteVar
    from reflex_base.event.context import EventContext

    try:
        dati = EventContext.get().router_data
    except LookupError:
        return "?"
    return str(dati.get(RouteVar.SESSION_ID) or "?")


class LimiteScarti:
    """How many lines about what clients sent wrong the log takes: at most `per_connessione`
    per connection and `in_totale` from all of them together in each window of `durata`
    seconds (so that opening new sockets does not reset the budget). Thread-safe: records
    are made in any thread."""

    def __init__(self, per_connessione: int, in_totale: int, durata: float) -> None:
        self.per_connessione = Limitatore(per_connessione, durata)
        self.in_totale = Limitatore(in_totale, durata)
        self._lock = threading.Lock()

    def ammesso(self, connessione: str) -> bool:
        """Whether one more line from `connessione` may be written now; says once when a
        connection, or all of them together, go over. A line whose connection is unknown
        ("?": Socket.IO's decoder runs before any event) counts in the total only."""
        ora = time.monotonic()
        with self._lock:
            limite, chi = self.per_connessione, f"dalla connessione {connessione}"
            esito = Esito.AMMESSO if connessione == "?" else limite.conta(connessione, ora)
            if esito is Esito.AMMESSO:
                limite, chi = self.in_totale, "da tutte le connessioni"
                esito = limite.conta("*", ora)
        if esito is Esito.PRIMO_SCARTATO:
            logger.warning(
                "messaggi non validi %s: più di %d in %.0f s, i prossimi non sono registrati",
                chi,
                limite.massimo,
                limite.durata,
            )
        return esito is Esito.AMMESSO


LIMITE_SCARTI = LimiteScarti(SCARTI_PER_CONNESSIONE, SCARTI_IN_TOTALE, FINESTRA_SCARTI_S)


class FiltroScarti(logging.Filter):
    """Drops the lines about what a client sent wrong over `LIMITE_SCARTI` (installed on the
    loggers of `SCARTI`; `registra_evento_malformato` asks the same limit)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """False for a record to drop."""
        connessione = getattr(record, "scarto_da", None)
        return connessione is None or LIMITE_SCARTI.ammesso(connessione)


def _quadri(eccezione: BaseException | None) -> Iterator[FrameType]:
    """The frames of `eccezione`'s traceback and of the exceptions it was raised from."""
    viste: set[int] = set()
    while eccezione is not None and id(eccezione) not in viste:
        viste.add(id(eccezione))
        passo = eccezione.__traceback__
        while passo is not None:
            yield passo.tb_frame
            passo = passo.tb_next
        eccezione = eccezione.__cause__ or eccezione.__context__


def gestore_di(eccezione: BaseException) -> str:
    """The handler whose event raised `eccezione` ("State.hydrate_and_load"), or "?"."""
    for quadro in _quadri(eccezione):
        if quadro.f_code.co_name == "process_event":
            return str(quadro.f_locals.get("handler_name", "?"))
    return "?"


def evento_malformato(eccezione: BaseException) -> bool:
    """Whether `eccezione` only says that an event's payload had the wrong shape: Reflex
    failed to read it (a string or a list instead of the keyword arguments, stored values
    that are not an object), or the handler could not be called with it (arguments it does
    not take, or missing ones). An error inside a handler's own code is not one of these."""
    if any(quadro.f_code.co_name in _PREPARAZIONE for quadro in _quadri(eccezione)):
        return True
    gestore = gestore_di(eccezione)
    return (
        isinstance(eccezione, TypeError)
        and gestore != "?"
        and str(eccezione).startswith(f"{gestore}()")
    )


def registra_evento_malformato(eccezione: BaseException) -> None:
    """Log an event with a wrong-shape payload as one line (handler, error kind,
    connection), within `LIMITE_SCARTI`."""
    connessione = connessione_attuale()
    if LIMITE_SCARTI.ammesso(connessione):
        logger.warning(
            "evento non valido scartato: %s (%s) dalla connessione %s",
            accorcia(gestore_di(eccezione), 100),
            type(eccezione).__name__,
            connessione,
        )


def _escape(trovato: re.Match) -> str:
    carattere = trovato.group()
    codice = ord(carattere)
    if carattere in _NOMI:
        return _NOMI[carattere]
    return f"\\x{codice:02x}" if codice < 0x100 else f"\\u{codice:04x}"


def pulisci(testo: str) -> str:
    """`testo` on one line: control characters, line and paragraph separators and lone
    surrogates written as Python escapes (`\\n`, `\\x1b`, `\\u2028`, `\\udc80`)."""
    return _DA_ESCAPARE.sub(_escape, testo)


def accorcia(testo: str, massimo: int) -> str:
    """`testo` cut to `massimo` characters, the cut marked with the original length."""
    if len(testo) <= massimo:
        return testo
    return f"{testo[:massimo]} [… tagliato: {len(testo):,} caratteri]"


def _pulisci_eccezioni(eccezione: traceback.TracebackException, viste: set[int]) -> None:
    """Cut and escape the message and notes of `eccezione` and of every exception chained to
    it."""
    if id(eccezione) in viste:
        return
    viste.add(id(eccezione))
    # `_str` holds str(exception) in CPython 3.11 to 3.13; test_registro checks it still does.
    # A private attribute, so typeshed rightly does not declare it.
    eccezione._str = pulisci(  # pyright: ignore[reportAttributeAccessIssue]
        accorcia(eccezione._str, MASSIMO_ECCEZIONE)  # pyright: ignore[reportAttributeAccessIssue]
    )
    if isinstance(eccezione.__notes__, list | tuple):
        eccezione.__notes__ = [
            pulisci(accorcia(str(nota), MASSIMO_ECCEZIONE)) for nota in eccezione.__notes__
        ]
    collegate = [eccezione.__cause__, eccezione.__context__, *(eccezione.exceptions or [])]
    for collegata in collegate:
        if collegata is not None:
            _pulisci_eccezioni(collegata, viste)


def traccia(info: InfoEccezione) -> str:
    """The traceback of `info` as `logging` writes it, with every exception's message on one
    line (see `pulisci`) and cut to `MASSIMO_ECCEZIONE` characters."""
    eccezione = traceback.TracebackException(*info, compact=True)
    _pulisci_eccezioni(eccezione, set())
    return "".join(eccezione.format()).removesuffix("\n")


def _scarto_di_un_client(record: logging.LogRecord, connessione: str) -> str | None:
    """The one-line message for a record in `SCARTI`, or None for any other record."""
    inizio, eccezioni = SCARTI.get(record.name, ("", ()))
    errore = record.exc_info[1] if record.exc_info else None
    if not inizio or not str(record.msg).startswith(inizio):
        return None
    if eccezioni is None:
        motivo = accorcia(str(record.msg), LUNGHEZZA_SCARTO)
        return f"argomenti non validi dalla connessione {connessione}, ignorati ({motivo})"
    if not isinstance(errore, eccezioni):
        return None
    motivo = accorcia(f"{type(errore).__name__}: {errore}", LUNGHEZZA_SCARTO)
    return f"messaggio non valido dalla connessione {connessione}, scartato ({motivo})"


class RecordPulito(logging.LogRecord):
    """A log record whose message and traceback cannot start a line with a client's text, and
    whose size a client cannot blow up."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        connessione = connessione_attuale() if self.name in SCARTI else ""
        if scarto := _scarto_di_un_client(self, connessione):
            self.scarto_da = connessione
            self.msg, self.args, self.exc_info = scarto, (), None
            self.levelno, self.levelname = logging.WARNING, "WARNING"
        if self.exc_info and self.exc_info[0] is not None:
            # Formatters use `exc_text` when set, instead of formatting `exc_info` themselves.
            # Logging must not raise: should `traccia` fail, formatters use their own.
            with contextlib.suppress(Exception):
                self.exc_text = traccia(self.exc_info)

    def getMessage(self) -> str:
        """The message with its arguments, cut to `MASSIMO_MESSAGGIO` characters and escaped."""
        return pulisci(accorcia(super().getMessage(), MASSIMO_MESSAGGIO))


class FormatterPulito(logging.Formatter):
    """A formatter whose tracebacks come from `traccia`, for handlers that format `exc_info`
    themselves (Reflex's console and JSON sinks)."""

    def formatException(self, ei) -> str:
        """The traceback, with exception messages escaped."""
        if ei[0] is None:  # `exc_info=True` outside an exception: (None, None, None)
            return super().formatException(ei)
        return traccia(ei)


def _installa_fabbrica() -> None:
    attuale = logging.getLogRecordFactory()
    if attuale is RecordPulito:
        return
    if attuale is not logging.LogRecord:
        msg = f"another log record factory is installed ({attuale!r}): log lines not escaped"
        raise RuntimeError(msg)
    logging.setLogRecordFactory(RecordPulito)


def _installa_gestore() -> None:
    radice = logging.getLogger()
    if not radice.handlers:  # an operator's own configuration comes first
        gestore = logging.StreamHandler(sys.stderr)
        gestore.setFormatter(logging.Formatter(FORMATO))
        radice.addHandler(gestore)
    logging.getLogger("serena_app").setLevel(logging.INFO)
    # python-socketio and python-engineio give these loggers a handler of their own unless a
    # level is set; with their default level set here, their records are written once, above.
    for nome in ("socketio.server", "engineio.server"):
        libreria = logging.getLogger(nome)
        if libreria.level == logging.NOTSET:
            libreria.setLevel(logging.ERROR)


def _adatta_reflex() -> None:
    """Reflex's console sink: no wrapping, and tracebacks from `traccia`.

    Reflex 0.10 keeps its Rich consoles and its exception formatter in module globals of
    `reflex_base.utils.log`; its sink prints `record.getMessage()`, already escaped.
    """
    from reflex_base.utils import console, log

    for rich in (log._console, log._console_stderr, console._console, console._console_stderr):
        rich.soft_wrap = True
    log._EXC_FORMATTER = FormatterPulito()


def _installa_filtri() -> None:
    for nome in SCARTI:
        registratore = logging.getLogger(nome)
        if not any(isinstance(f, FiltroScarti) for f in registratore.filters):
            registratore.addFilter(FiltroScarti())


def installa() -> None:
    """Make every log record of this process one line (tracebacks aside); idempotent."""
    _installa_fabbrica()
    _installa_gestore()
    _installa_filtri()
    _adatta_reflex()
