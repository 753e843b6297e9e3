"""The initial state moved from the browser's JavaScript into each page
(`serena_app/pubblicazione/stato_iniziale.py`): the context module rewritten, and the page's
template, which no text of the page can break out of."""

import json
import re

import pytest

from serena_app.pubblicazione.stato_iniziale import compilato, con_stato, dalla_pagina, ha_stato

CONTESTO = (
    'import { jsx } from "@emotion/react";\n'
    'export const initialState = {"s": {"testo": "compilato"}}\n'
    'export const initialStateHashes = ["aa", "bb"]\n'
    "export const stateSchema = {}\n"
)
PAGINA = (
    "<html><body><main>testo</main><script>window.__reactRouterContext = {};</script>"
    '<script type="module">import "/assets/a.js"</script></body></html>'
)


def test_the_context_module_reads_the_page_in_the_browser_and_keeps_the_compiled_state():
    riscritto = dalla_pagina(CONTESTO)
    assert "export const initialState = {" not in riscritto  # no literal the browser bundles
    assert "export const stateSchema = {}" in riscritto
    assert 'document.getElementById("stato-iniziale")' in riscritto
    assert json.loads(compilato(riscritto)) == {
        "stato": {"s": {"testo": "compilato"}},
        "hashes": ["aa", "bb"],
    }


def test_another_reflex_s_context_module_is_refused_not_half_rewritten():
    with pytest.raises(RuntimeError, match="initial-state"):
        dalla_pagina("export const stateSchema = {}\n")
    with pytest.raises(RuntimeError, match="no compiled state"):
        compilato(CONTESTO)


def test_the_state_goes_before_react_router_s_scripts_and_no_text_breaks_out_of_it():
    ostile = "</template><script>alert(1)</script> &amp; <!-- Ferrara"
    stato = json.dumps({"stato": {"s": {"testo": ostile}}, "hashes": ["aa"]})
    pagina = con_stato(PAGINA, stato)
    assert ha_stato(pagina) and not ha_stato(PAGINA)
    dentro = re.search(r'<template id="stato-iniziale">(.*?)</template>', pagina, re.S)
    assert dentro is not None
    assert not re.search("[<>&]", dentro.group(1))  # the HTML parser reads it as plain text
    assert json.loads(dentro.group(1))["stato"]["s"]["testo"] == ostile
    assert pagina.index("</template>") < pagina.index("window.__reactRouterContext")
    assert con_stato("<html><body><p>senza app</p></body></html>", stato).count("template") == 0
