"""Figures of the writing help: how long after a pause in typing an editor's figures change
in the browser (the target: about 300 ms), and the server's cost of computing them.

Starts the app (`make run`'s topology) from a private copy of the tree, and Chromium.

Usage: python scripts/bench_leggibilita.py [--prove 20]
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.screenshots import PASSWORD, entra  # noqa: E402
from serena_app.auth.personale import crea_staff  # noqa: E402
from serena_app.auth.ruoli import RESPONSABILE  # noqa: E402
from serena_app.contenuto.seme import CONTENUTO  # noqa: E402
from serena_app.contenuto.tipi import SEZIONE, Voce  # noqa: E402
from serena_app.db import session as sessione_db  # noqa: E402
from serena_app.leggibilita.editore import figure_di  # noqa: E402
from serena_app.state.leggibilita import PAUSA_MS  # noqa: E402
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.support.copia import copia_albero  # noqa: E402
from tests.support.server import avvia_app  # noqa: E402

# Types a text as one input event, then resolves with the milliseconds until the figures
# under the form change (a MutationObserver, in the page's own clock).
SCRIVI_E_ATTENDI = """
(testo) => new Promise((fatto) => {
  const campo = document.getElementById('modifica-testo');
  const figure = document.querySelector('form.editor .leggibilita');
  const prima = figure.innerText;
  let inizio = 0;
  const osserva = new MutationObserver(() => {
    if (figure.innerText !== prima) { osserva.disconnect(); fatto(performance.now() - inizio); }
  });
  osserva.observe(figure, {subtree: true, childList: true, characterData: true});
  const valore = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value');
  valore.set.call(campo, testo);
  inizio = performance.now();
  campo.dispatchEvent(new Event('input', {bubbles: true}));
})
"""


def nel_browser(url: str, prove: int) -> list[float]:
    """Milliseconds from an input event to the figures changing, `prove` times."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = entra(browser, url, "desktop")  # as anna, in edit mode
        page.get_by_role("button", name="Modifica mission").click()
        expect(page.locator("form.editor .leggibilita-indice")).to_be_visible()
        tempi = []
        for i in range(prove):
            testo = "Siamo qui per voi. " + "Ogni giorno aiutiamo. " * (i + 1)
            tempi.append(page.evaluate(SCRIVI_E_ATTENDI, testo))
        browser.close()
    return tempi


def sul_server(ripetizioni: int = 200) -> float:
    """Milliseconds to compute an editor's figures for the longest text a section may hold
    (4,000 characters of the seed's history)."""
    testo = (CONTENUTO["sezioni"]["storia_testo"] * 4)[:4000]
    voce = Voce(SEZIONE.nome, chiave="storia_testo")
    inizio = time.perf_counter()
    for _ in range(ripetizioni):
        figure_di(voce, {"testo": testo})
    return (time.perf_counter() - inizio) * 1000 / ripetizioni


def main() -> int:
    argomenti = argparse.ArgumentParser(description=__doc__)
    argomenti.add_argument("--prove", type=int, default=20)
    prove = argomenti.parse_args().prove
    with tempfile.TemporaryDirectory() as cartella:
        sito = Path(cartella) / "sito"
        copia_albero(sito / "albero")
        with avvia_app(sito, root=sito / "albero") as server:
            with sessione_db(server.db_url) as session:
                crea_staff(
                    session=session, nome_utente="anna", password=PASSWORD, ruolo=RESPONSABILE
                )
            tempi = nel_browser(server.url, prove)
    dopo = [t - PAUSA_MS for t in tempi]
    p95 = statistics.quantiles(dopo, n=20)[-1] if len(dopo) >= 2 else dopo[0]
    print(f"Scrittura → figure, {prove} prove (pausa di {PAUSA_MS} ms compresa):")
    print(f"  dall'ultimo tasto: mediana {statistics.median(tempi):.0f} ms")
    print(f"  dopo la pausa:     mediana {statistics.median(dopo):.0f} ms, p95 {p95:.0f} ms")
    print(f"Calcolo sul server, testo di 4.000 caratteri: {sul_server():.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
