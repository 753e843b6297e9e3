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
"""

import contextlib
import logging
import re
import sys
import traceback
from types import TracebackType

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
}
"""Records that only say a client sent what no page sends: logger -> (message start, the
exceptions that mean it). A packet that is not JSON, nests too deep or holds a 5,000-digit
number fails in Socket.IO's decoder; an event that is not an object, or names no handler,
fails in Reflex. Each is one WARNING line, without a traceback a client could make the
server write at will."""
LUNGHEZZA_SCARTO = 300


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
    eccezione._str = pulisci(accorcia(eccezione._str, MASSIMO_ECCEZIONE))
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


def _scarto_di_un_client(record: logging.LogRecord) -> str | None:
    """The one-line message for a record in `SCARTI`, or None for any other record."""
    inizio, eccezioni = SCARTI.get(record.name, ("", ()))
    errore = record.exc_info[1] if record.exc_info else None
    if not inizio or not isinstance(errore, eccezioni):
        return None
    if not str(record.msg).startswith(inizio):
        return None
    motivo = accorcia(f"{type(errore).__name__}: {errore}", LUNGHEZZA_SCARTO)
    return f"messaggio non valido dal socket, scartato ({motivo})"


class RecordPulito(logging.LogRecord):
    """A log record whose message and traceback cannot start a line with a client's text, and
    whose size a client cannot blow up."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if scarto := _scarto_di_un_client(self):
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


def installa() -> None:
    """Make every log record of this process one line (tracebacks aside); idempotent."""
    _installa_fabbrica()
    _installa_gestore()
    _adatta_reflex()
