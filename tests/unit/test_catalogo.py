"""The visitor page's strings and the English catalog (`serena_app/lingue`): every string the
code marks has its English, the compiled catalog says the same, and no string a visitor reads
on `/en/` is left out of the catalogs."""

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from serena_app.contenuto.seme import CONTENUTO
from serena_app.demo import modalita, sandbox
from serena_app.lingue import (
    CATALOGHI,
    DOMINIO,
    INGLESE,
    NOMI,
    del_percorso,
    in_lingua,
    tradotto,
)
from serena_app.pages.index import index
from serena_app.pages.non_trovata import non_trovata

ROOT = Path(__file__).resolve().parents[2]
PO = CATALOGHI / INGLESE / "LC_MESSAGES" / f"{DOMINIO}.po"
MO = PO.with_suffix(".mo")
# The same keywords and configuration as `make traduzioni`.
PAROLE_CHIAVE = {"_": None, "N_": None, "ngettext": (1, 2)}

# What a visitor reads on either page that is neither a catalog string nor content: names.
NOMI_PROPRI = {"Cooperativa Serena", "Ferrara", "404", *NOMI.values()}
# The attributes whose text a visitor (or a screen reader) reads.
ATTRIBUTI = ("ariaLabel", "title", "alt", "placeholder")
# A visitor's staff state is empty: the branches of a condition on it that a visitor sees.
INDIRIZZO_DEMO = "https://demo.example/"
STATO_STAFF = re.compile(r"___(staff|accesso)____(staff|accesso)_state")


def _estratti() -> set[str | tuple[str, ...]]:
    """The messages `pybabel extract` finds in serena_app (each plural as its pair)."""
    with open(ROOT / "babel.cfg") as cfg:
        from babel.messages.frontend import parse_mapping_cfg

        metodi, opzioni = parse_mapping_cfg(cfg)
    return {
        messaggio
        for _file, _riga, messaggio, _commenti, _contesto in extract_from_dir(
            ROOT, metodi, opzioni, keywords=PAROLE_CHIAVE
        )
    }


def _catalogo_po():
    with PO.open("rb") as po:
        return read_po(po)


def _chiave(messaggio) -> str | tuple[str, ...]:
    return tuple(messaggio.id) if isinstance(messaggio.id, (list, tuple)) else messaggio.id


def test_every_marked_string_has_its_english_in_the_po_and_in_the_compiled_mo():
    catalogo = _catalogo_po()
    tradotti = {_chiave(m): m.string for m in catalogo if m.id}
    estratti = _estratti()
    assert estratti, "pybabel found no marked string at all"
    senza = [m for m in estratti if not all(_testi(tradotti.get(m)))]
    assert senza == [], "no English in messages.po (run `make traduzioni` and translate)"
    with MO.open("rb") as mo:
        compilato = {_chiave(m): m.string for m in read_mo(mo) if m.id}
    diversi = [m for m in estratti if compilato.get(m) != tradotti[m]]
    assert diversi == [], "messages.mo is stale: `pybabel compile` (or `make install`)"


def _testi(stringa) -> list[str]:
    if stringa is None:
        return [""]
    return list(stringa) if isinstance(stringa, (list, tuple)) else [stringa]


def _contenuto(valore) -> Iterator[str]:
    """Every text of the content file (section titles, the sections, milestones, values)."""
    if isinstance(valore, str):
        yield valore.strip()
    elif isinstance(valore, dict):
        for v in valore.values():
            yield from _contenuto(v)
    elif isinstance(valore, list):
        for v in valore:
            yield from _contenuto(v)


def _letterale(espressione: str) -> str | None:
    """The text of a JavaScript string literal (`"Expand all"`), None for any other
    expression (a variable's text is content, read from the state)."""
    if not (espressione.startswith('"') and espressione.endswith('"')):
        return None
    try:
        testo = json.loads(espressione)
    except ValueError:
        return None
    return testo if isinstance(testo, str) else None


def _ramo_del_visitatore(condizione: str) -> str:
    """Which branch of a condition on the staff's state a visitor sees: her staff state is
    empty, so a plain condition is false and a negated one true."""
    negata = condizione.startswith("!(") and condizione.endswith(")")
    return "true_value" if negata else "false_value"


def _letti(nodo) -> Iterator[str]:
    """The literal texts a visitor reads in a rendered component tree: text children and the
    attributes in `ATTRIBUTI`, leaving out what only staff see."""
    if isinstance(nodo, list):
        for figlio in nodo:
            yield from _letti(figlio)
        return
    if not isinstance(nodo, dict):
        return
    if "cond_state" in nodo:
        condizione = str(nodo["cond_state"])
        if STATO_STAFF.search(condizione):
            yield from _letti(nodo.get(_ramo_del_visitatore(condizione)))
        else:
            yield from _letti(nodo.get("true_value"))
            yield from _letti(nodo.get("false_value"))
        return
    if isinstance(nodo.get("contents"), str):
        testo = _letterale(nodo["contents"].strip())
        if testo is not None:
            yield testo
    for prop in nodo.get("props") or []:
        nome, _, valore = str(prop).partition(":")
        if nome in ATTRIBUTI and (testo := _letterale(valore)) is not None:
            yield testo
    for chiave, valore in nodo.items():
        if chiave not in ("props", "contents", "cond_state", "true_value", "false_value"):
            yield from _letti(valore)


def _fuori_dai_cataloghi(componente, *, anche_italiano: bool = False) -> list[str]:
    """The texts a visitor reads in `componente` that are neither English from the catalog
    (nor, if `anche_italiano`, its Italian), content, or a name."""
    catalogo = [m for m in _catalogo_po() if m.id]
    permessi = {t for m in catalogo for t in _testi(m.string)}
    if anche_italiano:
        permessi |= {t for m in catalogo for t in _testi(m.id)}
    permessi |= set(_contenuto(CONTENUTO)) | NOMI_PROPRI | {"{indirizzo}"}
    letti = {t.replace(INDIRIZZO_DEMO, "{indirizzo}").strip() for t in _letti(componente.render())}
    return sorted(t for t in letti if re.search(r"\w", t) and t not in permessi)


@pytest.fixture
def demo_attiva(monkeypatch):
    """Build the page as a demo server does (the banner is part of it only there)."""
    monkeypatch.setattr(modalita, "attiva", lambda: True)
    monkeypatch.setenv("SERENA_DEMO_INDIRIZZO", INDIRIZZO_DEMO)


def test_the_english_page_has_no_visitor_string_outside_the_catalogs(demo_attiva):
    with in_lingua(INGLESE):
        pagina = index()
    letti = set(_letti(pagina.render()))
    # The walk sees the visitor's texts and none of the staff's.
    assert {"Skip to content", "Find out more", "Expand all", "Demo mode"} <= letti
    assert "Esci dalla modifica" not in letti and "Salva" not in letti
    assert _fuori_dai_cataloghi(pagina) == []


def test_the_missing_page_has_no_string_outside_the_catalogs():
    """In Italian, then in English: both from the catalog."""
    assert _fuori_dai_cataloghi(non_trovata(), anche_italiano=True) == []


def test_a_notice_marked_where_it_is_defined_is_told_in_the_language_of_the_asking_page():
    """The demo's "full" notices (`sandbox.PIENA`, `TROPPE`) are constants marked with `N_`:
    a page at `/en/` is told them in English, `/` in Italian."""
    inglese = {m.id: m.string for m in _catalogo_po() if m.id}
    for avviso in (sandbox.PIENA, sandbox.TROPPE):
        assert tradotto(avviso, del_percorso("/en/")) == inglese[avviso] != avviso
        assert tradotto(avviso, del_percorso("/")) == avviso
