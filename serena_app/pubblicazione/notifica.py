"""A change to a page of the site, told to every app process that serves it, on any machine.

Whoever changes a page of the site (a staff handler, `serena publish`) notifies it once:
with several app processes (`REDIS_URL`), on a Redis channel (`CANALE`) every process listens
to; with one, to the process itself. Each process then runs the listeners registered here
(`ascolta`): the live push to its own open pages (`state/diffusione.py`) and, for the
published page, the build of the HTML it serves (`build.py`). A change nobody heard (made by a
command while no Redis runs, or while Redis restarts) is found by every process's look at the
page counters once a second (`SORVEGLIANZA_S`): one small query.

A listener runs once per change and process, in the order of the versions, and never for a
version older than one it already ran for.
"""

import asyncio
import contextlib
import functools
import json
import logging
import os
from collections.abc import Awaitable, Callable

import redis
import redis.asyncio

from serena_app import canali
from serena_app.contenuto import istantanea
from serena_app.contenuto.pagina import BOZZA, PUBBLICATA, Pagina

logger = logging.getLogger(__name__)
CANALE = "serena:pagina-cambiata"
PAGINE_DEL_SITO = (PUBBLICATA, BOZZA)  # a demo sandbox's pages are seen by their browser only
SORVEGLIANZA_S = 1.0
INTERVALLO_MINIMO_S = 0.05  # between two looks asked for by `guarda_ora`
RIPROVA_S = 0.5
ATTESA_REDIS_S = 2.0

Ascoltatore = Callable[[Pagina, int, str], Awaitable[None]]
"""Runs for `(page, its new counter, the client token of the tab that made the change)`."""
_ascoltatori: list[Ascoltatore] = []
_canali: dict[str, Callable[[], None]] = {}
_note: dict[str, int] = {}  # per page, the newest version the listeners ran for here
_in_corso: set[asyncio.Task] = set()
_sveglia: asyncio.Event | None = None  # set by `guarda_ora`: look at the counters now


def ascolta(ascoltatore: Ascoltatore) -> Ascoltatore:
    """Run `ascoltatore` in this process for every change to a page of the site."""
    _ascoltatori.append(ascoltatore)
    return ascoltatore


def ascolta_canale(canale: str, funzione: Callable[[], None]) -> None:
    """Call `funzione` when anything is published on the Redis channel `canale`."""
    _canali[canale] = funzione


async def _avvisa(pagina: Pagina, versione: int, escluso: str) -> None:
    """Run the listeners for `pagina` at `versione`, unless they already ran for it."""
    if versione <= _note.get(pagina.nome, 0):
        return
    _note[pagina.nome] = versione
    for ascoltatore in _ascoltatori:
        try:
            await ascoltatore(pagina, versione, escluso)
        except Exception:
            logger.exception("reazione alla modifica di %s non riuscita", pagina.nome)


def _in_background(coroutine: Awaitable[None]) -> None:
    compito = asyncio.ensure_future(coroutine)
    _in_corso.add(compito)
    compito.add_done_callback(_in_corso.discard)


@functools.cache
def redis_condiviso() -> "redis.asyncio.Redis | None":
    """This process's client of the Redis the app processes share (one, with its pool); None
    with one process."""
    url = os.environ.get("REDIS_URL")
    return redis.asyncio.Redis.from_url(url) if url else None


async def invia_su(canale: str, messaggio: str) -> int:
    """Publish `messaggio` on the Redis channel `canale` (see `ascolta_canale`); how many
    processes heard it: 0 with one process, or if Redis does not answer."""
    client = redis_condiviso()
    if client is None:
        return 0
    try:
        return int(await client.publish(canale, messaggio))
    except redis.RedisError as errore:
        logger.warning("notifica su %s non riuscita: %r", canale, errore)
        return 0


def _messaggio(pagina: Pagina, versione: int, escluso: str) -> str:
    return json.dumps({"pagina": pagina.nome, "versione": versione, "escluso": escluso})


async def invia(pagina: Pagina, versione: int, escluso: str = "") -> None:
    """Tell every app process that `pagina` is now at `versione` (from inside the app).

    If Redis does not answer, or nobody listens, this process's listeners run now; the other
    processes find the change at their next look at the counters.
    """
    client = redis_condiviso()
    ascoltatori = 0
    if client is not None:
        try:
            ascoltatori = await client.publish(CANALE, _messaggio(pagina, versione, escluso))
        except redis.RedisError as errore:
            logger.warning("notifica della modifica su Redis non riuscita: %r", errore)
    if ascoltatori == 0:
        _in_background(_avvisa(pagina, versione, escluso))


def invia_da_comando(pagina: Pagina, versione: int) -> None:
    """Tell the running app processes that `pagina` is now at `versione`, from a `serena`
    command: on Redis if the app runs several processes, else they find it within
    `SORVEGLIANZA_S`."""
    canali.invia(CANALE, _messaggio(pagina, versione, ""), cosa="modifica", attesa_s=ATTESA_REDIS_S)


def guarda_ora() -> None:
    """Look at the page counters now (at most every `INTERVALLO_MINIMO_S`), not at the next
    second: a page view that asked no database learns of a change made behind every
    process's back as soon as the normal page load would have."""
    if _sveglia is not None:
        _sveglia.set()


async def _sorveglia() -> None:
    """Once a second, or when asked (`guarda_ora`): run the listeners for a page whose counter
    moved unheard."""
    global _sveglia
    _sveglia = asyncio.Event()
    while True:
        _sveglia.clear()  # a request from now on asks for one more look
        try:
            versioni = await asyncio.to_thread(istantanea.contatori, PAGINE_DEL_SITO)
            for pagina in PAGINE_DEL_SITO:
                if versioni.get(pagina.nome, 0) > _note.get(pagina.nome, 0):
                    await _avvisa(pagina, versioni[pagina.nome], "")
        except Exception as errore:  # the database restarting: look again next time
            logger.warning("controllo delle modifiche non riuscito: %r", errore)
        await asyncio.sleep(INTERVALLO_MINIMO_S)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(_sveglia.wait(), SORVEGLIANZA_S - INTERVALLO_MINIMO_S)


async def _ricevi(dati: bytes) -> None:
    messaggio = json.loads(dati)
    pagina = Pagina(messaggio["pagina"])
    await _avvisa(pagina, int(messaggio["versione"]), messaggio["escluso"])


async def _ascolta_redis(client: "redis.asyncio.Redis") -> None:
    """For as long as the process runs: hear the changes and the other channels; if Redis
    goes away, listen again once it is back."""
    while True:
        try:
            async with client.pubsub() as canale:
                await canale.subscribe(CANALE, *_canali)
                for funzione in _canali.values():
                    funzione()  # something may have gone unheard meanwhile
                async for messaggio in canale.listen():
                    if messaggio["type"] != "message":
                        continue
                    nome = messaggio["channel"]
                    nome = nome.decode() if isinstance(nome, bytes) else nome
                    if nome == CANALE:
                        _in_background(_ricevi(messaggio["data"]))
                    elif nome in _canali:
                        _canali[nome]()
        except asyncio.CancelledError:
            raise
        except Exception as errore:
            logger.warning("canale delle modifiche interrotto (%r): riprovo", errore)
            await asyncio.sleep(RIPROVA_S)


async def ascolta_sempre() -> None:
    """The app's lifespan task: from the counters as they are at start, hear every change."""
    _note.update(await asyncio.to_thread(istantanea.contatori, PAGINE_DEL_SITO))
    client = redis_condiviso()
    compiti = [asyncio.create_task(_sorveglia())]
    if client is not None:
        compiti.append(asyncio.create_task(_ascolta_redis(client)))
    try:
        await asyncio.gather(*compiti)
    finally:
        for compito in compiti:
            compito.cancel()
