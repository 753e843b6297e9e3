"""Make the link-preview image (assets/condivisione.png, 1200x630) from the site's own design.

It renders a card with the site's stylesheet, colours and mark in Chromium and takes a
screenshot. Run it again after changing the name, the subtitle or the design:

    .venv/bin/python scripts/immagine_condivisione.py
"""

import html
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from serena_app.contenuto.seme import CONTENUTO  # noqa: E402
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

USCITA = ROOT / "assets" / "condivisione.png"


def pagina() -> str:
    """The card as an HTML page, styled by the site's own stylesheet."""
    css = (ROOT / "assets" / "serena.css").read_text(encoding="utf-8")
    marchio = (ROOT / "assets" / "favicon.svg").read_text(encoding="utf-8")
    return f"""<!doctype html><html lang="it"><head><meta charset="utf-8"><style>{css}
body {{ margin: 0; width: 1200px; height: 630px; display: flex; }}
.carta {{ margin: 48px; padding: 64px 72px; flex: 1; background: var(--superficie);
  border: 2px solid var(--linea); border-radius: 32px; display: flex; flex-direction: column;
  justify-content: center; gap: 24px; border-left: 24px solid var(--verde); }}
.marchio-svg svg {{ width: 96px; height: 96px; }}
h1 {{ font-size: 88px; color: var(--verde); }}
p {{ font-size: 34px; color: var(--tenue); margin: 0; max-width: 900px; }}
.luogo {{ color: var(--terracotta); font-weight: 700; letter-spacing: 0.08em;
  text-transform: uppercase; font-size: 26px; }}
</style></head><body><div class="carta">
<div class="marchio-svg">{marchio}</div>
<p class="luogo">{html.escape(CONTENUTO["citta"])} · Chi siamo</p>
<h1>{html.escape(CONTENUTO["nome"])}</h1>
<p>{html.escape(CONTENUTO["sottotitolo"])}</p>
</div></body></html>"""


def main() -> None:
    """Render and save the image."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 630})
        page.set_content(pagina())
        page.screenshot(path=USCITA)
        browser.close()
    print(f"{USCITA.relative_to(ROOT)}: {USCITA.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
