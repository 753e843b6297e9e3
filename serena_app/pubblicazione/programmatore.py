"""Running the scheduled publishes: in every app process, exactly once among them.

Each app process (`make run` has one, `make prod` several) runs `sorveglia_programmate` as a
lifespan task: about every second it asks the database for due rows (one cheap query on the
index on stato and quando), claims each with one conditional UPDATE (`programmate.prendi`:
of several processes exactly one gets it), and publishes the drafts as they are then through
the one publish use case (`pubblica.pubblica_programmata`), whose transaction also marks the
row done. No browser needs to be open, and a restart loses nothing: the schedule is a row.
A process that dies holding a claim leaves the row "in_corso"; after `PRESA_SCADE` another
process (or the same one, restarted) takes it again. Nothing to publish, or a failure, ends
the row so, with the reason, and the responsabili's open tabs are told.
"""

import asyncio
import contextlib
import functools
import logging
import os
import secrets
import socket
from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy.exc import OperationalError

from serena_app.auth.sessioni import adesso
from serena_app.contenuto.parole import modifiche
from serena_app.db import esegui
from serena_app.pubblicazione import programmate, pubblica
from serena_app.pubblicazione.programmate import FALLITA, FIRMA, NIENTE, VUOTA, PresaPersa

INTERVALLO_S = 1.0
logger = logging.getLogger(__name__)

Avviso = Callable[[str], Awaitable[None]]
"""Told, in Italian, how a scheduled publish ended (the responsabili's open tabs)."""


def _processo() -> str:
    """This app process's name in a claim: its machine, its pid and a random part."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(3)}"


def motivo(errore: BaseException) -> str:
    """Why a publish failed, in a few Italian words for the staff bar."""
    if isinstance(errore, OperationalError):
        return "il database non rispondeva"
    testo = " ".join(str(errore).split())
    return (testo or type(errore).__name__)[:200]


def firma(autore: str) -> str:
    """How history signs a scheduled publish: "anna (programmata)"."""
    return autore[: 64 - len(FIRMA)] + FIRMA


async def _nessun_avviso(_testo: str) -> None:
    return None


class Programmatore:
    """One app process's runner of due scheduled publishes.

    Args:
        orologio: The current time (tests pass a fixed clock).
        avviso: Told how each run ended.
    """

    def __init__(
        self,
        *,
        orologio: Callable[[], datetime] = adesso,
        avviso: Avviso = _nessun_avviso,
    ) -> None:
        self.processo = _processo()
        self.orologio = orologio
        self.avviso = avviso

    async def esegui_dovute(self) -> list[int]:
        """Claim and run every due row this process wins.

        Returns:
            The ids of the rows this process ran.
        """
        ora = self.orologio()
        eseguite = []
        for id_ in await esegui(programmate.dovute, adesso=ora):
            if await esegui(programmate.prendi, id_=id_, processo=self.processo, adesso=ora):
                await self._esegui(id_, ora)
                eseguite.append(id_)
        return eseguite

    async def _esegui(self, id_: int, ora: datetime) -> None:
        """Publish for claimed row `id_`, and end the row with what happened."""
        riga = await esegui(programmate.riga, id_=id_)
        if riga is None:
            return
        quando = programmate.in_parole(riga.quando)
        insieme = functools.partial(
            programmate.chiudi_nella_pubblicazione,
            id_=id_,
            processo=self.processo,
            esito="pubblicata",
            adesso=ora,
        )
        try:
            esito = await pubblica.pubblica_programmata(firma(riga.autore), insieme=insieme)
        except PresaPersa:
            logger.warning("pubblicazione programmata %d presa da un altro processo", id_)
            return
        except pubblica.NienteDaPubblicare:
            await self._chiudi(id_, VUOTA, NIENTE, ora)
            await self.avviso(f"Pubblicazione programmata di {quando}: {NIENTE}.")
            return
        except Exception as errore:
            logger.warning("pubblicazione programmata %d non riuscita: %r", id_, errore)
            await self._chiudi(id_, FALLITA, motivo(errore), ora)
            await self.avviso(
                f"Pubblicazione programmata di {quando} non riuscita: {motivo(errore)}."
            )
            return
        detto = f"pubblicat{'a' if len(esito.modifiche) == 1 else 'e'} "
        detto += modifiche(len(esito.modifiche))
        await esegui(programmate.annota, id_=id_, esito=detto)
        await self.avviso(f"Pubblicazione programmata di {quando}: {detto}.")

    async def _chiudi(self, id_: int, stato: str, esito: str, ora: datetime) -> None:
        await esegui(
            programmate.chiudi,
            id_=id_,
            processo=self.processo,
            stato=stato,
            esito=esito,
            adesso=ora,
        )


_sveglia = asyncio.Event()


def sveglia() -> None:
    """A publish was scheduled in this process: look at the rows now."""
    _sveglia.set()


async def sorveglia_programmate(avviso: Avviso = _nessun_avviso) -> None:
    """For as long as the app process runs: run the due scheduled publishes every
    `INTERVALLO_S` (a lifespan task of every app process). While the database is away the
    rows wait, and run when it is back."""
    programmatore = Programmatore(avviso=avviso)
    guasto = False
    while True:
        _sveglia.clear()
        try:
            await programmatore.esegui_dovute()
            guasto = False
        except asyncio.CancelledError:
            raise
        except Exception as errore:
            if not guasto:
                logger.warning("controllo delle pubblicazioni programmate non riuscito: %r", errore)
            guasto = True
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(_sveglia.wait(), INTERVALLO_S)
