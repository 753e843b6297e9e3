"""Screenshots of the running site at phone and desktop sizes, for a person to look at.

Usage: python scripts/screenshots.py [URL] [OUT_DIR]
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS

SIZES = {"telefono": (390, 844), "desktop": (1280, 800)}


def main() -> None:
    url = sys.argv[1] if len(sys.argv) > 1 else "http://localhost:3000/"
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "screenshots")
    out.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for name, (width, height) in SIZES.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(url)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=out / f"{name}.png")
            page.screenshot(path=out / f"{name}-intera.png", full_page=True)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
