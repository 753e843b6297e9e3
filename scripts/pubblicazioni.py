"""Benchmark of publishing: from "Pubblica ora" to the HTML the server sends, and its CPU.

A staff client (an account and session made in the app's database) in edit mode saves the
vision as a draft and publishes it, `VOLTE` times, one after the other. After each publish a
plain GET of `/` is repeated until the HTML carries the new text (the server answers with the
previous build until the new one is current: this is when a visitor without JavaScript would
get it). The CPU is the backend's own plus that of the builds it ran (its children, from
/proc), over all publishes. The server's log gives each build's phases (`build: ...`).

Run by `make bench`; alone: `python scripts/pubblicazioni.py --url http://localhost:3000
--db-url sqlite:///serena.db`.
"""

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts import carico  # noqa: E402
from tests.support.cliente import ClienteGrezzo  # noqa: E402
from tests.support.protocollo import REDAZIONE  # noqa: E402

VOLTE = 10
ATTESA_S = 120.0


def _cpu_con_figli(pid: int) -> float:
    """CPU seconds of `pid` and of its children that ended (user + system)."""
    campi = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(c) for c in campi[11:15]) / os.sysconf("SC_CLK_TCK")


async def _pubblica(staff: ClienteGrezzo, testo: str) -> None:
    await staff.scambia(f"{REDAZIONE}.apri", {"tipo": "sezione", "chiave": "vision"})
    await staff.scambia(f"{REDAZIONE}.salva", {"form_data": {"testo": testo}})
    await staff.scambia(f"{REDAZIONE}.chiedi_pubblicazione")
    await staff.scambia(f"{REDAZIONE}.pubblica")


async def _misura(url: str, segreto: str, originale: str) -> list[float]:
    durate = []
    async with ClienteGrezzo(url) as staff, httpx.AsyncClient(timeout=ATTESA_S) as http:
        await staff.connetti(segreto=segreto)
        await staff.scambia(f"{REDAZIONE}.alterna_modifica")
        for numero in range(1, VOLTE + 1):
            testo = f"Vision della prova di pubblicazione numero {numero}."
            await _pubblica(staff, testo)
            inizio = time.perf_counter()
            while testo not in (await http.get(f"{url}/")).text:
                if time.perf_counter() - inizio > ATTESA_S:
                    msg = f"publish {numero}: the served HTML kept the old text"
                    raise RuntimeError(msg)
                await asyncio.sleep(0.05)
            durate.append(time.perf_counter() - inizio)
        await _pubblica(staff, originale)
    return durate


def misura(url: str, db_url: str) -> dict[str, Any]:
    """Publish `VOLTE` times against the app at `url`; the figures."""
    staff = carico.crea_credenziali(db_url)
    pid = carico.pid_backend(url)
    cpu_prima = _cpu_con_figli(pid) if pid else None
    try:
        durate = asyncio.run(_misura(url, staff.token, _vision(db_url)))
    finally:
        carico.rimuovi_credenziali(db_url, staff)
    cpu = _cpu_con_figli(pid) - cpu_prima if pid and cpu_prima is not None else None
    return {"durate": durate, "cpu_per_pubblicazione_s": None if cpu is None else cpu / VOLTE}


def _vision(db_url: str) -> str:
    from sqlmodel import Session

    from serena_app.contenuto.pagina import PUBBLICATA
    from serena_app.db import crea_engine
    from serena_app.models import Sezione

    engine = crea_engine(db_url)
    try:
        with Session(engine) as session:
            return session.get(Sezione, (PUBBLICATA.nome, "vision")).testo
    finally:
        engine.dispose()


def stampa(risultato: dict[str, Any]) -> None:
    """Print the figures."""
    durate = risultato["durate"]
    cpu = risultato["cpu_per_pubblicazione_s"]
    print(f"\nPublish → served HTML, {len(durate)} publishes one after the other:")
    print(
        f"  median {statistics.median(durate):.1f} s, max {max(durate):.1f} s "
        f"(target ≤ 10 s: {'PASS' if max(durate) <= 10 else 'MISS'})"
    )
    print(
        "  CPU per publish (backend + its build): " + ("unknown" if cpu is None else f"{cpu:.1f} s")
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--db-url", required=True)
    args = parser.parse_args()
    stampa(misura(args.url.rstrip("/"), args.db_url))
    return 0


if __name__ == "__main__":
    sys.exit(main())
