"""Tags for every page's <head>: the page's CSS inlined, so the first paint waits for nothing."""

from pathlib import Path

import reflex as rx

CSS = Path(__file__).parent.parent / "assets" / "serena.css"
NOSCRIPT_CSS = ".richiudibile[hidden]{display:block}.menu[data-aperto]{display:flex}"


def head_components() -> list[rx.Component]:
    """Meta tags and the inline stylesheet."""
    return [
        rx.el.meta(name="theme-color", content="#fbf6ee"),
        rx.el.style(CSS.read_text(encoding="utf-8")),
        rx.el.noscript(rx.el.style(NOSCRIPT_CSS)),
    ]
