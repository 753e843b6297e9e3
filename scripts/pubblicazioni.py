"""Publishing under load: how fast a publish reaches the open pages and the served HTML.

A staff tab (an account and session made in the app's database, the secret sent where the page
sends it) in edit mode opens the mission, saves a new text as a draft and publishes it
(`apri`, `salva`, `chiedi_pubblicazione`, `pubblica`), as "Pubblica ora" does.

* `diffusione`: with a crowd of open pages (`carico.Folla`), the time from sending `pubblica`
  to the new content `versione` arriving at each page.
* `sotto_richieste`: `GET /` at a steady rate while publishing several times, one after the
  other: every request's latency and failures, and for each publish the time until a `GET /`
  returns the new text (the server rebuilds the HTML after a publish).

`scripts/topologie.py` drives both for `make bench`.
"""

import asyncio
import secrets
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.carico import ATTESA_S, Avvio, Folla, riassunto, scarica, sessione_http, testo  # noqa: E402
from tests.support.cliente import ClienteGrezzo, vista  # noqa: E402
from tests.support.dati import versione_pubblicata  # noqa: E402
from tests.support.protocollo import ACCESSO, REDAZIONE  # noqa: E402

APRI, SALVA = f"{REDAZIONE}.apri", f"{REDAZIONE}.salva"
MISSIONE = {"tipo": "sezione", "chiave": "mission"}  # `apri`'s payload
ALTERNA = f"{REDAZIONE}.alterna_modifica"
CHIEDI_PUBBLICAZIONE, PUBBLICA = f"{REDAZIONE}.chiedi_pubblicazione", f"{REDAZIONE}.pubblica"
SERVITA_ENTRO_S = 60.0  # the longest wait for a publish to reach the served HTML


def testo_nuovo() -> str:
    """A mission text no earlier publish has used."""
    return f"La mission della prova di pubblicazione {secrets.token_hex(4)}."


class Redattore:
    """The staff tab, in edit mode. Use as `async with Redattore(...) as staff:`."""

    def __init__(self, url: str, db_url: str, segreto: str, avvio: Avvio) -> None:
        self.url, self.db_url, self.segreto, self.avvio = url, db_url, segreto, avvio
        self.cliente = ClienteGrezzo(url)
        self.inviato = 0.0  # when the last `pubblica` was sent (`time.perf_counter()`)
        self.ultimo = ""  # the text it published

    async def __aenter__(self) -> "Redattore":
        await self.cliente.connetti(
            segreto=self.segreto,
            hashes=self.avvio.hashes,
            schema=self.avvio.schema,
            attesa=ATTESA_S,
        )
        if not self.cliente.stato.get(ACCESSO, {}).get("nome_staff"):
            msg = "the staff session was not recognised"
            raise RuntimeError(msg)
        await self.cliente.chiedi(ALTERNA, attesa=ATTESA_S)
        return self

    async def __aexit__(self, *_errore) -> None:
        await self.cliente.chiudi()

    async def pubblica(self, nuovo: str) -> tuple[float, int]:
        """Save `nuovo` as the mission's draft and publish it.

        Returns:
            When `pubblica` was sent (`time.perf_counter()`), and the published page's new
            versione.
        """
        await self.cliente.chiedi(APRI, MISSIONE, attesa=ATTESA_S)
        salva = await self.cliente.chiedi(SALVA, {"form_data": {"testo": nuovo}}, attesa=ATTESA_S)
        redazione = vista(salva)
        if redazione.get(REDAZIONE, {}).get("errori") or redazione.get(REDAZIONE, {}).get(
            "conflitto"
        ):
            msg = f"save refused: {str(redazione.get(REDAZIONE))[:200]}"
            raise RuntimeError(msg)
        await self.cliente.chiedi(CHIEDI_PUBBLICAZIONE, attesa=ATTESA_S)
        self.inviato, self.ultimo = time.perf_counter(), nuovo
        await self.cliente.chiedi(PUBBLICA, attesa=ATTESA_S)
        return self.inviato, await asyncio.to_thread(versione_pubblicata, self.db_url)


async def attendi_servita(url: str, atteso: str) -> float:
    """Poll `GET /` until it returns `atteso` (at most `SERVITA_ENTRO_S`): the server is
    done with the builds of earlier publishes. Returns the seconds waited."""
    inizio = time.perf_counter()
    async with sessione_http() as http:
        while time.perf_counter() - inizio < SERVITA_ENTRO_S:
            if atteso in testo(await scarica(http, f"{url}/")):
                break
            await asyncio.sleep(0.25)
    return time.perf_counter() - inizio


async def diffusione(folla: Folla, staff: Redattore, volte: int) -> dict[str, Any]:
    """Publish `volte` times; each time, wait until every open page has the new versione.

    Returns:
        "publish_to_page": the delays over every page and publish; "missed": how many pages
        never received a publish within the wait.
    """
    ritardi, mancati = [], 0
    for _ in range(volte):
        inviato, versione = await staff.pubblica(testo_nuovo())
        await folla.attendi_versione(versione)
        for visitatore in folla.aperti():
            arrivo = visitatore.versioni.get(versione)
            if arrivo is None:
                mancati += 1
            else:
                ritardi.append(arrivo - inviato)
    return {"publish_to_page": riassunto(ritardi), "missed": mancati}


async def sotto_richieste(url: str, staff: Redattore, volte: int, ritmo: float) -> dict[str, Any]:
    """`GET /` `ritmo` times a second while publishing `volte` times, one after the other.

    Returns:
        "get": the requests' latencies; "failed": requests that did not get a 200;
        "publish_to_html_s": for each publish, the seconds until a `GET /` returned its text.
    """
    latenze: list[float] = []
    fallite: list[str] = []
    atteso: dict[str, Any] = {}  # the text being waited for, and the event set once served

    async def richiesta(http) -> None:
        inizio = time.perf_counter()
        try:
            html = testo(await scarica(http, f"{url}/"))
        except (Exception, TimeoutError) as errore:
            fallite.append(f"{type(errore).__name__}: {str(errore)[:100]}")
            return
        fine = time.perf_counter()
        latenze.append(fine - inizio)
        if atteso and atteso["testo"] in html and not atteso["servita"].is_set():
            atteso["secondi"] = fine - staff.inviato
            atteso["servita"].set()

    async def flusso(http, basta: asyncio.Event) -> None:
        richieste = []
        while not basta.is_set():
            richieste.append(asyncio.create_task(richiesta(http)))
            await asyncio.sleep(1 / ritmo)
        await asyncio.gather(*richieste)

    servite: list[float | None] = []
    async with sessione_http(connessioni=0) as http:  # no client-side queue
        basta = asyncio.Event()
        compito = asyncio.create_task(flusso(http, basta))
        try:
            for _ in range(volte):
                nuovo = testo_nuovo()
                atteso.update(testo=nuovo, servita=asyncio.Event())
                await staff.pubblica(nuovo)
                try:
                    await asyncio.wait_for(atteso["servita"].wait(), SERVITA_ENTRO_S)
                    servite.append(atteso["secondi"])
                except TimeoutError:
                    servite.append(None)
        finally:
            basta.set()
            await compito
    return {
        "get": riassunto(latenze),
        "failed": len(fallite),
        "failures": fallite[:5],
        "publish_to_html_s": servite,
    }
