"""A build step: the prerendered text is painted before anything else is fetched.

Reflex links `__reflex_global_styles-*.css` from each page; on a slow phone connection that
render-blocking request delays the first paint. After the production build, this plugin copies
the stylesheet's rules (if any are left: the app turns Reflex's reset off) into a `<style>` in
each prerendered page and leaves the `<link>` in place with `media="print"` (removing it would
make React's hydration of <head> fail). The page's preloads go, and the framework's JavaScript
is requested only after the first contentful paint. Each page gets its Content-Security-Policy
(`csp.py`), with the hashes of its inline scripts. The pages are then compressed again."""

import json
import re
from pathlib import Path
from typing import Any

from reflex.plugins import Plugin

from serena_app.pubblicazione.archivio import comprimi
from serena_app.pubblicazione.stato_iniziale import compilato, con_stato, dalla_pagina, ha_stato
from serena_app.web.csp import con_politica

GLOBAL_STYLESHEET = re.compile(
    r'<link href="(/assets/__reflex_global_styles-[\w-]+\.css)" rel="stylesheet" type="text/css"/>'
)

LAYER_VUOTO = re.compile(r"@layer [\w-]+(?:\s*,\s*[\w-]+)*\s*;")


def inline_stylesheet(html: str, static_dir: Path) -> str:
    """The page with its global stylesheet inlined, or unchanged if it links none."""

    def sostituisci(match: re.Match[str]) -> str:
        css = (static_dir / match.group(1).lstrip("/")).read_text(encoding="utf-8")
        # A bare layer-order statement ("@layer name;") holds no rules: nothing to inline.
        css = LAYER_VUOTO.sub("", css).strip()
        link = match.group(0).replace("/>", ' media="print"/>')
        return f"<style>{css}</style>{link}" if css else link

    return GLOBAL_STYLESHEET.sub(sostituisci, html, count=1)


MODULEPRELOAD = re.compile(r'<link rel="modulepreload" href="[^"]+"/>')

STYLESHEET_PRELOAD = re.compile(r'<link as="style" href="[^"]+" rel="preload"/>')

MODULE_SCRIPT = re.compile(r'<script type="module" async="">(.*?)</script>', re.S)

# The framework's module script, started once the browser reports its first contentful paint
# (or after a second, where that report never comes: a tab opened in the background paints
# nothing, an older browser has no paint timing).
PRIMA = (
    "<script>(function(){var avviato=false;function avvia(){if(avviato)return;avviato=true;"
    'var s=document.createElement("script");s.type="module";s.textContent='
)
DOPO = (
    ";document.body.appendChild(s)}"
    "try{new PerformanceObserver(function(l){"
    'if(l.getEntriesByName("first-contentful-paint").length)avvia()})'
    '.observe({type:"paint",buffered:true})}catch(e){}'
    "setTimeout(avvia,1000)})()</script>"
)


def content_first(html: str) -> str:
    """The page painted before any script or stylesheet is fetched: no JavaScript or stylesheet
    preloads (React adds them back when it hydrates), and the module script that loads the
    framework starts after the first paint."""
    html = STYLESHEET_PRELOAD.sub("", MODULEPRELOAD.sub("", html))

    def dopo_il_paint(match: re.Match[str]) -> str:
        # As a JavaScript string inside an HTML <script>: "</" must not close the element.
        codice = json.dumps(match.group(1)).replace("</", "<\\/")
        return PRIMA + codice + DOPO

    return MODULE_SCRIPT.sub(dopo_il_paint, html, count=1)


class InlineGlobalStyles(Plugin):
    """Inline the global stylesheet into the built HTML pages, and put the initial state in
    them (`stato_iniziale.py`)."""

    def pre_compile(self, **context: Any) -> None:
        """The context module reads its initial state from the page."""
        from reflex.compiler.utils import get_context_path

        context["add_modify_task"](get_context_path(), dalla_pagina)

    def post_build(self, **context: Any) -> None:
        """Rewrite each built page (and its .gz/.br copies)."""
        static_dir = Path(context["static_dir"])
        contesto = static_dir.parent.parent / "utils" / "context.jsx"  # of `.web/build/client`
        stato = ""
        for page in static_dir.rglob("*.html"):
            originale = html = page.read_text(encoding="utf-8")
            if not ha_stato(html):  # a publish's pages have theirs (`pubblicazione/build.py`)
                stato = stato or compilato(contesto.read_text(encoding="utf-8"))
                html = con_stato(html, stato)
            inlined = con_politica(content_first(inline_stylesheet(html, static_dir)))
            if inlined != originale:
                page.write_text(inlined, encoding="utf-8")
                comprimi(page)
