"""Every page's document: its language, and the tags of its <head> (the page's CSS inlined,
so the first paint waits for nothing)."""

import json
import re
from pathlib import Path

import reflex as rx
from reflex.vars import Var
from reflex_base.utils.imports import ImportVar
from reflex_base.vars.base import VarData

from serena_app.lingue import ITALIANO, LINGUE

CSS = Path(__file__).resolve().parents[2] / "assets" / "serena.css"
_COMMENTO = re.compile(r"\s*/\*.*?\*/", re.DOTALL)


def foglio_di_stile() -> str:
    """The page's stylesheet as every page inlines it (and the page's script holds it too):
    without its comments, which are for whoever edits the file (a tenth of its size)."""
    return _COMMENTO.sub("", CSS.read_text(encoding="utf-8")).lstrip()


def head_components() -> list[rx.Component]:
    """Meta tags and the inline stylesheet."""
    return [
        rx.el.meta(name="theme-color", content="#fbf6ee"),
        rx.el.meta(name="color-scheme", content="light"),
        rx.el.link(rel="icon", href="/favicon.svg", type="image/svg+xml"),
        # Marks that JavaScript runs, before the first paint: only then are texts collapsed.
        rx.el.script("document.documentElement.classList.add('js')"),
        rx.el.style(foglio_di_stile()),
    ]


def lingua_del_documento() -> Var:
    """The `lang` of `<html>`, from the page's address ("/en/…" → "en", else "it").

    Reflex writes one document for every page (`rx.App(html_lang=...)` is one string), so
    the attribute is an expression of the router's location, which the prerender knows too:
    the served HTML and the hydrated page say the same language, and a page reached by a
    client-side link says its own."""
    altre = "|".join(codice for codice in LINGUE if codice != ITALIANO)
    espressione = (
        f"((useLocation().pathname.match(/^\\/({altre})(?:\\/|$)/) || [])[1]"
        f" || {json.dumps(ITALIANO)})"
    )
    importa = VarData(imports={"react-router": [ImportVar(tag="useLocation")]})
    return Var(espressione, _var_type=str, _var_data=importa)
