"""Tags for every page's <head>: the page's CSS inlined, so the first paint waits for nothing."""

from pathlib import Path

import reflex as rx

CSS = Path(__file__).resolve().parents[2] / "assets" / "serena.css"


def head_components() -> list[rx.Component]:
    """Meta tags and the inline stylesheet."""
    return [
        rx.el.meta(name="theme-color", content="#fbf6ee"),
        rx.el.meta(name="color-scheme", content="light"),
        rx.el.link(rel="icon", href="/favicon.svg", type="image/svg+xml"),
        # Marks that JavaScript runs, before the first paint: only then are texts collapsed.
        rx.el.script("document.documentElement.classList.add('js')"),
        rx.el.style(CSS.read_text(encoding="utf-8")),
    ]
