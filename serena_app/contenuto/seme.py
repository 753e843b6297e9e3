"""The seed: the content file (`cooperativa-serena.toml`, verbatim from the cooperative's text),
parsed. No database here: the page's fixed words (its name, headings) are read from it by the
sections; `semina.py` writes it into a page."""

import tomllib
from pathlib import Path
from typing import Any

SEED_FILE = Path(__file__).with_name("cooperativa-serena.toml")


def carica_seed(path: Path = SEED_FILE) -> dict[str, Any]:
    """Parse the content file.

    Args:
        path: The TOML file to read.

    Returns:
        The file's data; multi-line texts have their leading newline stripped.
    """
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    for sezioni in ("sezioni", "sezioni_en"):
        data[sezioni] = {k: v.strip("\n") for k, v in data.get(sezioni, {}).items()}
    return data


CONTENUTO = carica_seed()
"""The seed content, parsed once: page structure (name, titles) is read from here."""


def testi_delle_sezioni(contenuto: dict[str, Any], suffisso: str = "") -> dict[str, str]:
    """Every editable section's text in the content file, by key: the hero's subtitle and the
    page description (search engines, share previews) too; in English with `suffisso` "_en"
    (the keys the file has)."""
    testi = {
        "descrizione": contenuto.get(f"descrizione{suffisso}"),
        "sottotitolo": contenuto.get(f"sottotitolo{suffisso}"),
        **contenuto.get(f"sezioni{suffisso}", {}),
    }
    return {k: t for k, t in testi.items() if t is not None}


def titolo(chiave: str, lingua: str) -> str:
    """A section's heading in `lingua` ("storia" → "La nostra storia", "Our history")."""
    return CONTENUTO["titoli" if lingua == "it" else f"titoli_{lingua}"][chiave]
