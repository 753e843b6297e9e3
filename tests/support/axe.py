"""axe-core in the real browser: the page's accessibility violations, one line each."""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.support.chromium import VIEWPORTS

AXE = Axe()


def violazioni(page: Page) -> list[str]:
    """Every axe violation on `page` as it is now: "rule: [targets]"."""
    risultati = AXE.run(page)
    return [
        f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in risultati.response["violations"]
    ]


def violazioni_alle_due_misure(page: Page) -> dict[str, list[str]]:
    """axe's violations on `page` as it is now, at phone (390x844) and desktop (1280x800)
    width, by size; only the sizes that have any. The page keeps its size afterwards."""
    prima = page.viewport_size
    trovate = {}
    for nome, misura in VIEWPORTS.items():
        page.set_viewport_size(misura)
        if elenco := violazioni(page):
            trovate[nome] = elenco
    if prima is not None:
        page.set_viewport_size(prima)
    return trovate
