"""The logs of the servers the tests start, and the check that fails a test during which one of
them logged an error.

Every helper that starts a server (`server.avvia_app`, and through it the demo;
`produzione.server_produzione`, whose log holds its app processes' and Caddy's output; a test
that runs `serena demo` itself) follows its log with `segui` while the server runs. After each
test, `nuovi_errori` reads what every followed log gained since it was last read: lines written
while the test ran, and before it since the previous test ended (a shared server's start, a
module fixture's setup), so every line is read once. An error is a line that starts with a
level of ERROR or CRITICAL (the app's records, granian's, Caddy's JSON) or a traceback, with the
lines that follow it (its traceback); a test that provokes errors on purpose declares them with
`@pytest.mark.errori_attesi(r"regex", ...)`, each error then matching one of the patterns.

Client text cannot start a line of the app's log (`serena_app/registro/log.py`), so the errors are
recognised at the start of a line only.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

INIZIO_ERRORE = re.compile(
    r"(?:\S+ \S+ |\[)?(?:ERROR|CRITICAL)\b"  # logging's records, granian's, a bare level
    r"|Traceback \(most recent call last\)"
    r"|Exception (?:in thread|ignored in)\b"  # a thread's or an unraisable exception
    r'|\{.*"level":"(?:error|fatal|panic)"'  # Caddy
)
INIZIO_RIGA_ALTRA = re.compile(r"\d{4}-\d\d-\d\d |\{|\[|serena prod:|Info:|Warning:|Debug:")
"""Lines that start a record of their own: they end the traceback of the error before them."""
LEASE_BREAKER = r"lease.breaker"
"""Reflex's lease breaker, when a state's flush meets Redis stopped, restarting or out of reach
(logged at once, or later as "Task exception was never retrieved"): what a test that takes
Redis away expects."""
MASSIMO_RIGHE = 80  # of one error, in a failure's message


@dataclass
class Errore:
    """An error in a server's log: its first line and the lines of its traceback."""

    log: Path
    testo: str


_seguiti: dict[Path, int] = {}
"""The logs of the running servers, each with the byte offset it was read up to."""
_in_sospeso: list["Errore"] = []
"""The errors of servers stopped since the last check (in their last lines)."""


@contextmanager
def segui(log: Path) -> Iterator[None]:
    """Follow `log` (all of it) while the block runs: the errors written in it fail the test
    that ran when they were written (those of its last lines, the next check's)."""
    _seguiti[log] = 0
    try:
        yield
    finally:
        _in_sospeso.extend(errori_in(_righe_nuove(log), log))
        _seguiti.pop(log, None)


def _righe_nuove(log: Path) -> str:
    """What `log` gained since it was last read, up to its last complete line."""
    try:
        with log.open("rb") as file:
            file.seek(_seguiti[log])
            nuovo = file.read()
    except FileNotFoundError:
        return ""
    completo = nuovo[: nuovo.rfind(b"\n") + 1]
    _seguiti[log] += len(completo)
    return completo.decode("utf-8", errors="replace")


def errori_in(testo: str, log: Path) -> list[Errore]:
    """The errors in `testo`, a piece of `log`, each with its traceback."""
    errori: list[Errore] = []
    righe: list[str] | None = None  # the lines of the error being read
    for riga in testo.splitlines():
        traccia_del_precedente = righe is not None and riga.startswith("Traceback ")
        if INIZIO_ERRORE.match(riga) and not traccia_del_precedente:
            righe = [riga]
            errori.append(Errore(log, ""))
        elif righe is not None and INIZIO_RIGA_ALTRA.match(riga):
            righe = None
        elif righe is not None:
            righe.append(riga)
        if righe is not None:
            errori[-1].testo = "\n".join(righe[:MASSIMO_RIGHE])
    return errori


def nuovi_errori(attesi: list[str]) -> list[Errore]:
    """The errors written in the followed logs since they were last read, less those that
    match one of the `attesi` patterns."""
    errori = [*_in_sospeso, *(e for log in _seguiti for e in errori_in(_righe_nuove(log), log))]
    _in_sospeso.clear()
    return [e for e in errori if not any(re.search(a, e.testo) for a in attesi)]


def descrivi(errori: list[Errore]) -> str:
    """A failure's message: each error with its log."""
    parti = [f"--- {e.log}\n{e.testo}" for e in errori]
    return f"the server logged {len(errori)} unexpected error(s):\n" + "\n".join(parti)
