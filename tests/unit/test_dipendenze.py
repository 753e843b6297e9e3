"""The house's rules, read from the import statements of every module (no import is run):
which part may use which, so that the folders keep naming the parts."""

import ast
import itertools
from pathlib import Path

import pytest

RADICE = Path(__file__).resolve().parents[2]
APP = RADICE / "serena_app"
VISTE = ("sections", "components", "pages")
# A module touches the database if it imports one of these (or `serena_app.db` whole, as
# `from serena_app import db` does); reading the database's address does not count.
TOCCANO_IL_DATABASE = (
    "serena_app.models",
    "serena_app.db.session",
    "serena_app.db.engine",
    "serena_app.db.transazione_bloccata",
    "sqlmodel",
    "sqlalchemy.orm",
)


def _nome(percorso: Path) -> str:
    parti = percorso.relative_to(RADICE).with_suffix("").parts
    return ".".join(parti[:-1] if parti[-1] == "__init__" else parti)


def _importati(percorso: Path) -> set[str]:
    """Every module `percorso` imports: `x` for `import x`, `x.y` for `from x import y`."""
    nomi = set()
    for nodo in ast.walk(ast.parse(percorso.read_text(encoding="utf-8"))):
        if isinstance(nodo, ast.Import):
            nomi |= {a.name for a in nodo.names}
        elif isinstance(nodo, ast.ImportFrom) and nodo.module and nodo.level == 0:
            nomi |= {f"{nodo.module}.{a.name}" for a in nodo.names}
    return nomi


MODULI = {_nome(p): _importati(p) for p in APP.rglob("*.py") if "migrations" not in p.parts}


def _parte(modulo: str) -> str | None:
    """The folder of serena_app a module belongs to (None for the modules at its root)."""
    parti = modulo.split(".")
    return parti[1] if len(parti) > 2 and parti[0] == "serena_app" else None


def _usa(modulo: str, prefisso: str) -> list[str]:
    return sorted(i for i in MODULI[modulo] if i == prefisso or i.startswith(prefisso + "."))


def _della_parte(parte: str) -> list[str]:
    return [m for m in MODULI if _parte(m) == parte]


def test_auth_knows_neither_the_demo_nor_the_content():
    """Where a session may edit is data that auth returns; what it means is decided above."""
    assert {
        m: _usa(m, "serena_app.demo") + _usa(m, "serena_app.contenuto")
        for m in _della_parte("auth")
        if _usa(m, "serena_app.demo") + _usa(m, "serena_app.contenuto")
    } == {}


@pytest.mark.parametrize(
    "sopra", ["demo", "state", "pubblicazione", "auth", "web", "comandi", "produzione"]
)
def test_the_content_layer_uses_no_part_above_it(sopra: str):
    assert {
        m: _usa(m, f"serena_app.{sopra}")
        for m in _della_parte("contenuto")
        if _usa(m, f"serena_app.{sopra}")
    } == {}


def _tocca(importato: str) -> bool:
    return importato == "serena_app.db" or any(
        importato == p or importato.startswith(p + ".") for p in TOCCANO_IL_DATABASE
    )


def _tocca_il_database(modulo: str) -> bool:
    return modulo in MODULI and any(_tocca(i) for i in MODULI[modulo])


@pytest.mark.parametrize("vista", VISTE)
def test_views_import_no_module_that_touches_the_database(vista: str):
    """Sections, components and pages draw; they reach data only through state classes."""
    trovati = {}
    for modulo in _della_parte(vista):
        vietati = [
            i
            for i in MODULI[modulo]
            if (_tocca_il_database(i) and _parte(i) != "state") or _tocca(i)
        ]
        if vietati:
            trovati[modulo] = sorted(vietati)
    assert trovati == {}


def _modulo(importato: str) -> str | None:
    """The module of the project an imported name is, or is in."""
    if importato in MODULI:
        return importato
    contenitore = importato.rpartition(".")[0]
    return contenitore if contenitore in MODULI else None


def test_no_two_parts_use_each_other():
    uso: dict[str, set[str]] = {}
    for modulo, importati in MODULI.items():
        for importato in filter(None, map(_modulo, importati)):
            da, a = _parte(modulo), _parte(importato)
            if da and a and da != a:
                uso.setdefault(da, set()).add(a)
    cicli = [
        (a, b)
        for a, b in itertools.combinations(sorted(uso), 2)
        if b in uso.get(a, ()) and a in uso.get(b, ())
    ]
    assert cicli == []


def test_tests_never_import_scripts():
    """Scripts may use tests/support, never the reverse."""
    trovati = {
        str(p.relative_to(RADICE)): sorted(
            i for i in _importati(p) if i == "scripts" or i.startswith("scripts.")
        )
        for p in (RADICE / "tests").rglob("*.py")
    }
    assert {p: i for p, i in trovati.items() if i} == {}
