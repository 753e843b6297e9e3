"""Figures of presence in edit mode: memory per present person (one Redis key's `MEMORY
USAGE`, and one entry in process memory), the app process's CPU while N staff tabs in edit
mode beat their heartbeat, the latency from one tab opening an item to the push that shows it
in another tab, and a "Salva" round trip with presence on.

Starts a Redis of its own, and the app (`make run`'s topology) from a private copy of the tree.

Usage: python scripts/bench_presenza.py [--schede 50] [--secondi 10] [--prove 10]
"""

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

import redis
import redis.asyncio

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.carico import Processi, in_ascolto  # noqa: E402
from serena_app.auth.personale import crea_staff  # noqa: E402
from serena_app.auth.ruoli import REDATTORE  # noqa: E402
from serena_app.auth.sessioni import crea_sessione  # noqa: E402
from serena_app.db import session as sessione_db  # noqa: E402
from serena_app.presenza import voci  # noqa: E402
from serena_app.presenza.voci import InMemoria, Presenza, SuRedis  # noqa: E402
from serena_app.produzione.redis_proprio import Redis  # noqa: E402
from serena_app.produzione.servizi import porta_libera  # noqa: E402
from tests.support.cliente import ClienteGrezzo, evento  # noqa: E402
from tests.support.copia import copia_albero  # noqa: E402
from tests.support.protocollo import PRESENZA, REDAZIONE  # noqa: E402
from tests.support.server import avvia_app  # noqa: E402

BATTITO_S = 1.5  # as the page's script
MISSION = {"tipo": "sezione", "chiave": "mission"}


def _tipica(scheda: str | None = None) -> Presenza:
    scheda = scheda or str(uuid.uuid4())
    return Presenza(scheda, "pubblicata", "anna.rossi", "apri-sezione-mission", "la mission")


def memoria_redis(cartella: Path) -> int:
    """`MEMORY USAGE` of one present person's key, in bytes."""
    server = Redis(cartella, porta_libera())
    url = server.avvia()
    try:

        async def scrivi() -> None:
            client = redis.asyncio.Redis.from_url(url)
            await SuRedis(client).scrivi(_tipica("11111111-2222-3333-4444-555555555555"))
            await client.aclose()

        asyncio.run(scrivi())
        client = redis.Redis.from_url(url)
        chiave = next(iter(client.scan_iter(match=voci.PREFISSO + "*")))
        peso = int(client.memory_usage(chiave, samples=0) or 0)  # pyright: ignore[reportArgumentType]
        client.close()
        return peso
    finally:
        server.ferma()


def memoria_processo(quante: int = 10000) -> float:
    """Bytes per entry kept in process memory (`InMemoria`: the entry, its tab's token and
    strings, its expiry and its slot in the dict), measured over `quante`."""
    negozio = InMemoria()

    async def scrivi() -> None:
        for _ in range(quante):
            await negozio.scrivi(_tipica())

    tracemalloc.start()
    prima = tracemalloc.get_traced_memory()[0]
    asyncio.run(scrivi())
    dopo = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return (dopo - prima) / quante


def _sessioni(db_url: str, quante: int) -> list[str]:
    segreti = []
    with sessione_db(db_url) as session:
        for numero in range(quante):
            staff = crea_staff(
                session=session,
                nome_utente=f"persona.{numero}",
                password="una password lunga abbastanza",  # noqa: S106 (throwaway)
                ruolo=REDATTORE,
            )
            segreti.append(crea_sessione(session=session, staff=staff))
    return segreti


async def _in_modifica(url: str, segreto: str) -> ClienteGrezzo:
    scheda = ClienteGrezzo(url)
    await scheda.connetti(segreto=segreto, attesa=60)
    await scheda.scambia(f"{REDAZIONE}.alterna_modifica", attesa=60)
    return scheda


async def cpu_battiti(url: str, porta: int, segreti: list[str], secondi: float) -> dict:
    """The app's CPU while `len(segreti)` tabs in edit mode (one space: each sees the others)
    beat every `BATTITO_S`, once their views are steady; then, for as long, the same tabs
    connected and silent once their entries have expired (the baseline)."""
    schede = []
    for segreto in segreti:
        schede.append(await _in_modifica(url, segreto))
    processi = Processi({"app": [in_ascolto(porta)]})
    battiti = 0

    async def batti(scheda: ClienteGrezzo, ritardo: float, fine: float) -> None:
        nonlocal battiti
        await asyncio.sleep(ritardo)
        while time.monotonic() < fine:
            await scheda.emetti(evento(f"{PRESENZA}.batti"))
            battiti += 1
            await asyncio.sleep(BATTITO_S)

    passo = BATTITO_S / len(schede)
    try:
        # Their entries, refreshed at once (each written on entering edit mode), kept alive
        # while the pushes of everyone's arrival settle; then the measure.
        fine = time.monotonic() + 3 + secondi
        battono = asyncio.gather(*(batti(s, i * passo, fine) for i, s in enumerate(schede)))
        await asyncio.sleep(3)
        prima, battiti = processi.cpu_s()["app"], 0
        await battono
        con_battiti = processi.cpu_s()["app"] - prima
        contati = battiti
        await asyncio.sleep(voci.DURATA_S + 2)  # their entries expire; the pushes settle
        prima = processi.cpu_s()["app"]
        await asyncio.sleep(secondi)
        quieta = processi.cpu_s()["app"] - prima
    finally:
        for scheda in schede:
            await scheda.chiudi()
    return {
        "schede": len(schede),
        "battiti_misurati": contati,
        "cpu_con_battiti_%": round(100 * con_battiti / secondi, 1),
        "cpu_senza_battiti_%": round(100 * quieta / secondi, 1),
    }


async def latenza(url: str, segreti: list[str], prove: int) -> dict:
    """From A sending "open the mission" to B receiving the marker, `prove` times (ms)."""
    arrivi: list[float] = []

    def al_messaggio(messaggio: dict, arrivo: float) -> None:
        aperti = ((messaggio.get("delta") or {}).get(PRESENZA) or {}).get("aperti_rx_state_")
        if aperti is not None and "apri-sezione-mission" in aperti:
            arrivi.append(arrivo)

    a = await _in_modifica(url, segreti[0])
    b = ClienteGrezzo(url, al_messaggio=al_messaggio)
    await b.connetti(segreto=segreti[1])
    await b.scambia(f"{REDAZIONE}.alterna_modifica")
    tempi = []
    try:
        for _ in range(prove):
            prima = len(arrivi)
            partenza = time.perf_counter()
            await a.emetti(evento(f"{REDAZIONE}.apri", MISSION))
            fine = time.perf_counter() + 5
            while len(arrivi) == prima and time.perf_counter() < fine:
                await asyncio.sleep(0.002)
            if len(arrivi) > prima:
                tempi.append(1000 * (arrivi[-1] - partenza))
            await a.scambia(f"{REDAZIONE}.annulla")
            await asyncio.sleep(0.5)  # B sees it closed before the next try
    finally:
        await a.chiudi()
        await b.chiudi()
    tempi.sort()
    return {
        "prove": len(tempi),
        "p50_ms": round(statistics.median(tempi), 1) if tempi else None,
        "max_ms": round(tempi[-1], 1) if tempi else None,
    }


async def salvataggi(url: str, segreti: list[str], prove: int) -> dict:
    """A's "Salva" round trip (the event sent → its answer), with presence on: B, in edit mode,
    is pushed A's editor opening and closing each time (ms)."""
    a = await _in_modifica(url, segreti[0])
    b = await _in_modifica(url, segreti[1])
    tempi = []
    try:
        for numero in range(prove):
            await a.scambia(f"{REDAZIONE}.apri", MISSION)
            partenza = time.perf_counter()
            testo = f"La mission, riscritta per la misura numero {numero}."
            await a.chiedi(f"{REDAZIONE}.salva", {"form_data": {"testo": testo}})
            tempi.append(1000 * (a.arrivo - partenza))
    finally:
        await a.chiudi()
        await b.chiudi()
    tempi.sort()
    centili = statistics.quantiles(tempi, n=100, method="inclusive")
    return {"prove": len(tempi), "p50_ms": round(centili[49], 1), "p95_ms": round(centili[94], 1)}


def main() -> int:
    argomenti = argparse.ArgumentParser(description=__doc__)
    argomenti.add_argument("--schede", type=int, default=50)
    argomenti.add_argument("--secondi", type=float, default=10.0)
    argomenti.add_argument("--prove", type=int, default=10)
    opzioni = argomenti.parse_args()
    figure: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as cartella:
        radice = Path(cartella)
        figure["redis_byte_per_persona"] = memoria_redis(radice / "redis")
        figure["processo_byte_per_persona"] = round(memoria_processo())
        copia_albero(radice / "albero")
        (radice / "sito").mkdir()
        porta = porta_libera()
        with avvia_app(radice / "sito", root=radice / "albero", port=porta) as server:
            segreti = _sessioni(server.db_url, opzioni.schede + 2)
            figure["latenza"] = asyncio.run(latenza(server.url, segreti[-2:], opzioni.prove))
            figure["salva"] = asyncio.run(salvataggi(server.url, segreti[-2:], 4 * opzioni.prove))
            figure["battiti"] = asyncio.run(
                cpu_battiti(server.url, porta, segreti[: opzioni.schede], opzioni.secondi)
            )
    print(json.dumps(figure, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
