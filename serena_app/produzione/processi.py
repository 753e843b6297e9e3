"""The processes `serena prod` starts: none outlives it, however it ends.

A `kill -9` of `serena prod` cannot run any cleanup, so each child is bound to it by the kernel:
`prctl(PR_SET_PDEATHSIG)` sends the child a signal when its parent dies. The binding is not
inherited, so the app processes' granian worker (forked by `reflex run`) binds itself to its own
parent when it is forked (`lega_i_figli`, run by the app module when `LEGATO` is in its
environment). A stop (Ctrl+C, SIGTERM) asks every child at once to end, and kills whatever has
not ended by the deadline, whatever state it is in.
"""

import contextlib
import ctypes
import errno
import functools
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterable

LEGATO = "SERENA_LEGATO_AL_GENITORE"  # set in the children's environment by `serena prod`
PR_SET_PDEATHSIG = 1
RIAVVIO_S = 1.0  # between a process's exit and its restart, if it ran less than STABILE_S
STABILE_S = 10.0
ENTRO_S = 8.0  # a stop ends everything within this: well inside the 10 s a stop may take


class PortaOccupata(RuntimeError):
    """A port `serena prod` must listen on is taken; the message says so in Italian."""


def _prctl_pdeathsig(segnale: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, int(segnale), 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG)")


def legato(segnale: int = signal.SIGKILL) -> Callable[[], None]:
    """A `preexec_fn`: the child gets `segnale` when the process that starts it dies. If that
    process died between the fork and the call, the child ends at once."""
    return functools.partial(_lega, segnale, os.getpid())


def _lega(segnale: int, genitore: int) -> None:
    _prctl_pdeathsig(segnale)
    if os.getppid() != genitore:
        os.kill(os.getpid(), segnale)


def lega_i_figli() -> None:
    """In a process started by `serena prod` (`LEGATO` set): every process it forks from now
    on dies with it (granian's worker, forked by `reflex run`)."""
    if not os.environ.get(LEGATO):
        return
    padre = [0]
    os.register_at_fork(
        before=lambda: padre.__setitem__(0, os.getpid()),
        after_in_child=lambda: _lega(signal.SIGKILL, padre[0]),
    )


def verifica_porta(porta: int, host: str = "") -> None:
    """Raise `PortaOccupata` if something already listens on `porta` (on `host`, or on any
    address): a second `serena prod` must not start behind the first one's server."""
    with socket.socket() as prova:
        prova.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as Caddy and Redis do
        try:
            prova.bind((host, porta))
        except OSError as errore:
            if errore.errno != errno.EADDRINUSE:
                raise
            msg = (
                f"la porta {porta} è già occupata, forse da un `serena prod` rimasto acceso "
                f"(`ss -ltnp 'sport = :{porta}'` dice da chi). Fermalo, oppure scegli un'altra "
                f"porta con --port."
            )
            raise PortaOccupata(msg) from None


class Processo:
    """A child process bound to `serena prod` (`legato`), in a process group of its own, started
    again when it exits on its own."""

    def __init__(
        self,
        nome: str,
        comando: list[str],
        env: dict[str, str],
        *,
        alla_morte: int = signal.SIGKILL,
        per_fermare: int = signal.SIGTERM,
        **opzioni,
    ) -> None:
        self.nome, self.comando, self.env = nome, comando, {**env, LEGATO: "1"}
        self.alla_morte, self.per_fermare, self.opzioni = alla_morte, per_fermare, opzioni
        self.popen: subprocess.Popen | None = None
        self.avviato = 0.0

    def avvia(self) -> None:
        self.avviato = time.monotonic()
        self.popen = subprocess.Popen(  # noqa: S603
            self.comando,
            env=self.env,
            start_new_session=True,
            preexec_fn=legato(self.alla_morte),
            **self.opzioni,
        )

    def vivo(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def controlla(self) -> None:
        """Start it again if it exited: at once if it had run a while (the shortest gap for
        those who use it, Redis for one), after a pause if not (no loop of quick crashes)."""
        if self.popen is not None and self.popen.poll() is not None:
            print(
                f"serena prod: {self.nome} è uscito ({self.popen.returncode}): lo riavvio.",
                flush=True,
            )
            if time.monotonic() - self.avviato < STABILE_S:
                time.sleep(RIAVVIO_S)
            self.avvia()

    def segnala(self, segnale: int) -> None:
        """Send `segnale` to its whole process group."""
        if self.popen is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, segnale)


def ferma_tutti(processi: Iterable[Processo], entro_s: float = ENTRO_S) -> None:
    """Ask each process to end (its `per_fermare`, at once to all), wait, then kill whatever
    is left: everything has ended within `entro_s` whatever state it was in."""
    vivi = [p for p in processi if p.vivo()]
    for processo in vivi:
        processo.segnala(processo.per_fermare)
    fine = time.monotonic() + entro_s - 1.0
    while any(p.vivo() for p in vivi) and time.monotonic() < fine:
        time.sleep(0.05)
    for processo in vivi:
        processo.segnala(signal.SIGKILL)  # the group: also what the process had started
        if processo.popen is not None:
            processo.popen.wait()
