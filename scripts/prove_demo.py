"""Load of the live demo: a room of phones opens sandboxes and edits at once.

50 simulated phones (the project's raw Socket.IO client, as in `carico.py`) connect to a demo
server within 5 seconds; each presses "Prova la modalità modifica" (`DemoState.prova`), then
makes 10 edits (opening the mission's editor and saving a new text: 20 timed events), and once
every phone is done, presses "Ripristina demo". Reports the event round trips (target p95 <
200 ms on 2 cores), the backend memory and database growth per sandbox, and the time a reset
takes.

Usage: python scripts/prove_demo.py [--phones 50] [--edits 10] [--within 5]
"""

import argparse
import asyncio
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.carico import Processi, in_ascolto, radice, riassunto  # noqa: E402
from scripts.pubblicazioni import APRI, MISSIONE, SALVA  # noqa: E402
from tests.support.cliente import ClienteGrezzo, vista  # noqa: E402
from tests.support.demo import server_demo  # noqa: E402
from tests.support.protocollo import ACCESSO, DEMO, REDAZIONE  # noqa: E402

PROVA, RIPRISTINA = f"{DEMO}.prova", f"{DEMO}.ripristina"


@dataclass
class Misure:
    """Round trips in seconds, and what went wrong."""

    prove: list[float] = field(default_factory=list)
    eventi: list[float] = field(default_factory=list)
    ripristini: list[float] = field(default_factory=list)
    errori: list[str] = field(default_factory=list)


async def _tempo(cliente: ClienteGrezzo, nome: str, payload=None) -> tuple[float, dict]:
    inizio = time.perf_counter()
    messaggi = await cliente.chiedi(nome, payload)
    return time.perf_counter() - inizio, vista(messaggi)


async def telefono(
    url: str, numero: int, ritardo: float, modifiche: int, fatto: asyncio.Barrier, m: Misure
) -> None:
    """One phone: open a sandbox, edit, wait for the others, reset."""
    await asyncio.sleep(ritardo)
    async with ClienteGrezzo(url) as cliente:
        await cliente.connetti()
        durata, stato = await _tempo(cliente, PROVA)
        if not stato.get(ACCESSO, {}).get("token"):
            m.errori.append(f"telefono {numero}: nessuna sandbox ({stato.get(DEMO)})")
            await fatto.wait()
            await fatto.wait()
            return
        m.prove.append(durata)
        for n in range(modifiche):
            durata, _ = await _tempo(cliente, APRI, MISSIONE)
            m.eventi.append(durata)
            testo = f"La mission scritta dal telefono {numero}, modifica {n + 1}."
            durata, stato = await _tempo(cliente, SALVA, {"form_data": {"testo": testo}})
            m.eventi.append(durata)
            redazione = stato.get(REDAZIONE, {})
            if (redazione.get("aperto") or {}).get("tipo") or redazione.get("errori"):
                m.errori.append(f"telefono {numero}: salvataggio rifiutato {redazione}"[:200])
        await fatto.wait()  # every sandbox is made and edited: memory is read now
        await fatto.wait()
        durata, _ = await _tempo(cliente, RIPRISTINA)
        m.ripristini.append(durata)


def _mib(percorso: Path) -> float:
    return sum(f.stat().st_size for f in percorso.parent.glob(percorso.name + "*")) / 2**20


async def misura(url: str, db: Path, telefoni: int, modifiche: int, entro: float) -> dict:
    """Run the room against the demo server at `url` (database file `db`)."""
    app = Processi({"app": [radice(in_ascolto(urlsplit(url).port), "reflex")]})
    m = Misure()
    fatto = asyncio.Barrier(telefoni + 1)
    rss_prima, db_prima = app.rss_mib()["app"], _mib(db)
    inizio = time.perf_counter()
    lavori = [
        asyncio.create_task(telefono(url, n, n * entro / telefoni, modifiche, fatto, m))
        for n in range(telefoni)
    ]
    await fatto.wait()
    durata = time.perf_counter() - inizio
    rss_dopo, db_dopo = app.rss_mib()["app"], _mib(db)
    await fatto.wait()
    await asyncio.gather(*lavori)
    return {
        "misure": m,
        "telefoni": telefoni,
        "durata_s": durata,
        "rss": (rss_prima, rss_dopo),
        "db": (db_prima, db_dopo),
    }


def _riga(nome: str, valori: list[float]) -> str:
    r = riassunto(valori)
    if not r["n"]:
        return f"  {nome:<28} n 0"
    return (
        f"  {nome:<28} n {r['n']:>4}   p50 {r['p50_ms']:>5.0f} ms   p95 {r['p95_ms']:>5.0f} ms"
        f"   max {r['max_ms']:>5.0f} ms"
    )


def stampa(risultato: dict) -> None:
    """Print the figures and the target."""
    m: Misure = risultato["misure"]
    n = risultato["telefoni"]
    aperte = len(m.prove)
    print(f"\nLive demo: {n} phones open sandboxes within 5 s, each makes 10 edits")
    print(_riga("Prova (opens a sandbox)", m.prove))
    print(_riga("edit events (apri, salva)", m.eventi))
    print(_riga("Ripristina demo (reset)", m.ripristini))
    rss_prima, rss_dopo = risultato["rss"]
    db_prima, db_dopo = risultato["db"]
    if aperte and rss_prima is not None and rss_dopo is not None:
        print(
            f"  backend RSS {rss_prima:.0f} -> {rss_dopo:.0f} MiB: "
            f"{(rss_dopo - rss_prima) * 1024 / aperte:.0f} KiB per sandbox and its connection"
        )
    if aperte:
        print(
            f"  database {db_prima:.2f} -> {db_dopo:.2f} MiB: "
            f"{(db_dopo - db_prima) * 1024 / aperte:.0f} KiB per sandbox"
        )
    print(
        f"  sandboxes opened {aperte}/{n}; errors {len(m.errori)}; "
        f"all done in {risultato['durata_s']:.1f} s"
    )
    for errore in m.errori[:5]:
        print(f"    {errore}")
    p95 = riassunto(m.eventi)["p95_ms"]
    esito = "PASS" if p95 is not None and p95 < 200 and not m.errori else "FAIL"
    print(f"  target: p95 edit round trip < 200 ms: {esito}")


def run(telefoni: int = 50, modifiche: int = 10, entro: float = 5.0) -> dict:
    """Serve a demo (limits raised to fit the room, all phones from one address) and measure."""
    with (
        tempfile.TemporaryDirectory() as cartella,
        server_demo(
            Path(cartella), sandbox_max=telefoni, per_indirizzo=telefoni, inattivita_s=3600
        ) as server,
    ):
        db = Path(server.db_url.removeprefix("sqlite:///"))
        return asyncio.run(misura(server.url, db, telefoni, modifiche, entro))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=50)
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--within", type=float, default=5.0)
    args = parser.parse_args()
    stampa(run(args.phones, args.edits, args.within))
    return 0


if __name__ == "__main__":
    sys.exit(main())
