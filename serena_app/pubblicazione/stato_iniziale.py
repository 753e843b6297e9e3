"""The initial state is in each page, not in the browser's JavaScript: a publish renders the
pages again and builds no JavaScript.

Reflex compiles the state's initial values (the page's texts among them) into its context
module (`utils/context.jsx`), which Vite bundles into the browser's JavaScript; so each publish
ran both Vite builds again, for the browser and for the prerender. At compile time the module
is rewritten here (`dalla_pagina`, a modify task of the plugin in `web/build_plugin.py`):

* on the server, it takes the state in `globalThis.__statoSerena` if there is one (a
  publish renders the pages with the new state: `prerender.mjs`), else the compiled one;
* in the browser, it reads it from the page: a `<template id="stato-iniziale">` holding the
  JSON (`con_stato`), written just before React Router's scripts, so it is parsed before the
  framework's module starts. A template, not a script: React's hydration of the body matches
  each script it rendered to the next script it finds, and would take this one for its own;
  an element it never renders is skipped.

So the browser's JavaScript is the same for every publish, and Vite drops the compiled state
from it (`import.meta.env.SSR` is false there). In development the compiled state is used, as
Reflex does.
"""

import functools
import json
import re

ID = "stato-iniziale"
RIGHE = re.compile(
    r"^export const initialState = (?P<stato>.*)\n"
    r"export const initialStateHashes = (?P<hashes>.*)$",
    re.MULTILINE,
)
COMPILATO = re.compile(r"^const statoCompilato = (?P<json>.*);$", re.MULTILINE)
SCRIPT_DI_REACT_ROUTER = re.compile(r"<script>\s*window\.__reactRouterContext = ")
_ESCAPE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


def dalla_pagina(contesto: str) -> str:
    """Reflex's context module `contesto`, reading its initial state as said above.

    Raises:
        RuntimeError: The module does not declare the two initial-state lines (another
            Reflex).
    """
    righe = list(RIGHE.finditer(contesto))
    if len(righe) != 1:
        msg = f"Reflex's context module has {len(righe)} initial-state declarations"
        raise RuntimeError(msg)
    trovate = righe[0]
    compilato = f'{{"stato": {trovate["stato"]}, "hashes": {trovate["hashes"]}}}'
    nuovo = (
        f"const statoCompilato = {compilato};\n"
        "const statoIniziale = import.meta.env.SSR || import.meta.env.DEV\n"
        "  ? (globalThis.__statoSerena ?? statoCompilato)\n"
        f'  : JSON.parse(document.getElementById("{ID}").content.textContent);\n'
        "export const initialState = statoIniziale.stato;\n"
        "export const initialStateHashes = statoIniziale.hashes;"
    )
    return contesto[: trovate.start()] + nuovo + contesto[trovate.end() :]


def compilato(contesto: str) -> str:
    """The JSON of the state compiled into a context module rewritten by `dalla_pagina`.

    Raises:
        RuntimeError: The module was not rewritten.
    """
    trovato = COMPILATO.search(contesto)
    if trovato is None:
        msg = "the context module holds no compiled state (dalla_pagina did not run)"
        raise RuntimeError(msg)
    return trovato["json"]


def ha_stato(html: str) -> bool:
    """Whether the page `html` holds its initial state."""
    return f'<template id="{ID}">' in html


@functools.lru_cache(maxsize=1)
def _template(stato: str) -> str:
    """The template holding the initial state `stato` (JSON text), made once for all the
    pages of a build: compact, and with no `<`, `>` or `&` the HTML parser would read."""
    compatto = json.dumps(json.loads(stato), ensure_ascii=False, separators=(",", ":"))
    testo = re.sub("[<>&]", lambda c: _ESCAPE[c.group()], compatto)
    return f'<template id="{ID}">{testo}</template>'


def con_stato(html: str, stato: str) -> str:
    """The page `html` with the initial state `stato` (JSON text) in its template, before
    React Router's scripts. A page without them runs no app: it is returned as it is."""
    return SCRIPT_DI_REACT_ROUTER.sub(
        lambda script: _template(stato) + script.group(), html, count=1
    )
