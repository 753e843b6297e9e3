"""axe-core in the real browser: the page's accessibility violations, one line each."""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

AXE = Axe()


def violazioni(page: Page) -> list[str]:
    """Every axe violation on `page` as it is now: "rule: [targets]"."""
    risultati = AXE.run(page)
    return [
        f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in risultati.response["violations"]
    ]
