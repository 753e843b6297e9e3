"""Figures of the site on several machines (`make bench-hosts`), on the hosts the tests make
(`tests/support/macchine.py`: network namespaces on this machine, so the four hosts share its
two cores):

- a publish made through app host A → an open page on app host B (a raw client connected to
  B's own Caddy), over `--pubblicazioni` publishes, and → B's served HTML;
- app host B killed whole → its browsers (Chromium, through the edge) live again on A, over
  `--guasti` kills of `--pagine` pages each (B is started again in between);
- pages (`GET /`, HTML) per second through the edge over HTTPS, with both app hosts and then
  with A alone, in the same run.

Usage: python scripts/bench_macchine.py [--pubblicazioni 20] [--guasti 3] [--pagine 5]
Needs root (`ip netns`). Prints the figures and writes bench-results/macchine.json.
"""

import argparse
import asyncio
import json
import ssl
import statistics
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from serena_app.produzione.caddy import SALUTE_S  # noqa: E402
from tests.macchine.conftest import (  # noqa: E402
    ORIGINE,
    attendi_html,
    istanza,
    nuova_pagina,
    pagina_su,
)
from tests.support.asincrono import esegui  # noqa: E402
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.support.cliente import ClienteGrezzo  # noqa: E402
from tests.support.macchine import NOME, Macchine, macchine  # noqa: E402
from tests.support.produzione import processo_di, token_di  # noqa: E402
from tests.support.redazione import contiene, in_modifica, pubblica, salva, sessione_staff  # noqa: E402

RISULTATI = ROOT / "bench-results" / "macchine.json"
CARICO_S = 10.0
CONNESSIONI = 16


def p95(valori: list[float]) -> float:
    return statistics.quantiles(valori, n=20)[-1] if len(valori) > 1 else valori[0]


def pubblicazioni(ospiti: Macchine, segreto: str, quante: int) -> dict:
    """Publish `quante` times through A; each time, until B's open page has it."""

    async def misura() -> tuple[list[float], list[float]]:
        tempi, html = [], []
        async with (
            ClienteGrezzo(ospiti.url("b")) as lettore,
            ClienteGrezzo(ospiti.url("a")) as staff,
        ):
            await lettore.connetti(intestazioni=ORIGINE)
            await staff.connetti(segreto=segreto, intestazioni=ORIGINE)
            await in_modifica(staff)
            for numero in range(quante):
                testo = f"Vision della pubblicazione numero {numero} del banco di prova."
                await salva(staff, "vision", testo)
                inizio = await pubblica(staff)
                await lettore.attendi(contiene(testo), 60)
                tempi.append(lettore.arrivo - inizio)
                html.append(await asyncio.to_thread(attendi_html, ospiti, "b", testo, inizio))
        return tempi, html

    tempi, html = esegui(misura(), 60.0 * quante)
    return {
        "publish_A_to_open_page_B_s": {"p50": statistics.median(tempi), "p95": p95(tempi)},
        "publish_A_to_B_served_html_s": {"p50": statistics.median(html), "p95": p95(html)},
    }


def guasti(ospiti: Macchine, browser, volte: int, pagine: int) -> dict:
    """Kill B whole `volte` times with `pagine` browsers on it; each back on A after."""
    tempi: list[float] = []
    for _ in range(volte):
        if not ospiti.sano("b"):
            ospiti.avvia("b")
            ospiti.attendi("b", lambda: ospiti.sano("b"))
        su_a = istanza(ospiti, "a")
        aperte = [pagina_su(browser, ospiti, "b") for _ in range(pagine)]
        inizio = time.monotonic()
        ospiti.ospite("b").uccidi_tutto()
        attese = {id(p): p for p in aperte}
        while attese and time.monotonic() - inizio < 60:
            for chiave, p in list(attese.items()):
                if processo_di(ospiti.redis_url, token_di(p)) == su_a:
                    tempi.append(time.monotonic() - inizio)
                    del attese[chiave]
            time.sleep(0.05)
        for p in aperte:
            p.context.close()
        if attese:
            msg = f"{len(attese)} pages never came back through A"
            raise RuntimeError(msg)
    return {"B_killed_to_pages_live_on_A_s": {"p50": statistics.median(tempi), "p95": p95(tempi)}}


def pagine_al_secondo(ospiti: Macchine) -> float:
    """`GET /` through the edge over HTTPS for `CARICO_S`, `CONNESSIONI` at once."""
    bordo = ospiti.ospite("bordo").indirizzi["fronte"]
    contesto = ssl.create_default_context(cafile=ospiti.ca)

    async def carico() -> int:
        fatte = 0
        fine = time.monotonic() + CARICO_S
        limiti = httpx.Limits(max_connections=CONNESSIONI)
        async with httpx.AsyncClient(verify=contesto, limits=limiti) as client:

            async def visitatore() -> None:
                nonlocal fatte
                while time.monotonic() < fine:
                    risposta = await client.get(
                        f"https://{bordo}/",
                        headers={"Host": NOME},
                        extensions={"sni_hostname": NOME},
                    )
                    risposta.raise_for_status()
                    fatte += 1

            await asyncio.gather(*(visitatore() for _ in range(CONNESSIONI)))
        return fatte

    return esegui(carico(), CARICO_S * 6) / CARICO_S


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pubblicazioni", type=int, default=20)
    parser.add_argument("--guasti", type=int, default=3)
    parser.add_argument("--pagine", type=int, default=5)
    args = parser.parse_args()
    with macchine() as ospiti, sync_playwright() as playwright:
        segreto = sessione_staff(ospiti.database_url)
        cifre = pubblicazioni(ospiti, segreto, args.pubblicazioni)
        due = pagine_al_secondo(ospiti)
        ospiti.ospite("b").uccidi_tutto()
        # The edge's health check marks B down within its interval: wait two of them.
        time.sleep(2 * SALUTE_S)
        uno = pagine_al_secondo(ospiti)
        cifre["pages_per_s_through_edge"] = {"two_hosts": due, "one_host": uno, "ratio": due / uno}
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, ospiti.regola_nomi]
        )
        nuova_pagina(browser).context.close()
        cifre |= guasti(ospiti, browser, args.guasti, args.pagine)
        browser.close()
    RISULTATI.write_text(json.dumps(cifre, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(cifre, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
