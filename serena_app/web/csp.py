"""The Content-Security-Policy: the page runs only its own scripts.

Two policies, which the browser enforces together:

* `INTESTAZIONE`, the HTTP header on every response, the same from `make run`'s server
  (`servizio.py`) and from the front server of `make prod` (`produzione/caddy.py`): what a
  `<meta>` cannot say (`frame-ancestors`), and what holds for any response.
* `politica_pagina`, a `<meta http-equiv>` that the build writes first in each page's <head>
  (`build_plugin.py`): scripts only from the site itself, plus the SHA-256 of each inline
  script of that very page. React Router's prerendered pages carry inline scripts that name
  the build's hashed files, so their hashes change with every build: they live in the page,
  not in a header that a static front server would have to learn after each publish.

No `'unsafe-inline'` and no `'unsafe-eval'` for scripts: the app uses no `rx.call_script`
(Reflex runs it with `eval`). Styles allow inline ones: Emotion (Reflex's CSS-in-JS) adds
`<style>` elements at run time, and a style cannot run code.
"""

import base64
import hashlib
import json
import re

INTESTAZIONE = "frame-ancestors 'none'; object-src 'none'; base-uri 'none'; form-action 'self'"

SCRIPT_INLINE = re.compile(r"<script(?P<attributi>[^>]*)>(?P<testo>.*?)</script>", re.S)
NON_ESEGUITI = re.compile(r'type="application/(?:ld\+)?json"')
# The framework's module script, started by a loader after the first paint (`build_plugin`).
CARICATO_DOPO = re.compile(r's\.textContent=("(?:[^"\\]|\\.)*")')


def hash_script(testo: str) -> str:
    """The CSP source that allows the inline script `testo`, e.g. `'sha256-…'`."""
    impronta = base64.b64encode(hashlib.sha256(testo.encode("utf-8")).digest()).decode()
    return f"'sha256-{impronta}'"


def script_inline(html: str) -> list[str]:
    """The text of every inline script the page runs, including the one its loader inserts."""
    testi = [
        m.group("testo")
        for m in SCRIPT_INLINE.finditer(html)
        if "src=" not in m.group("attributi") and not NON_ESEGUITI.search(m.group("attributi"))
    ]
    testi += [json.loads(m.group(1)) for m in CARICATO_DOPO.finditer(html)]
    return testi


def politica_pagina(html: str) -> str:
    """The page's own policy: its scripts only, with the websocket of the same site."""
    hashes = " ".join(sorted({hash_script(t) for t in script_inline(html)}))
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' {hashes}".strip(),
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
        ]
    )


def con_politica(html: str) -> str:
    """The page with its policy as the first element of <head> (before any script)."""
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*/>', "", html)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{politica_pagina(html)}"/>'
    return re.sub(r"<head>", "<head>" + meta, html, count=1)
