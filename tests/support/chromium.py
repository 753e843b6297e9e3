"""Debian's Chromium, and the flags it needs on these machines (no network but registries)."""

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# The two sizes every visual check uses: a phone, and a desktop.
VIEWPORTS = {"telefono": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
