"""Plain-language hints: what in a text makes it harder to read than it needs to be.

Each check returns what it found, so the hint can name it; `suggerimenti` words them in
Italian (the staff interface's language) for an editor's fields.
"""

import re
import unicodedata

DESCRIZIONE_MINIMA, DESCRIZIONE_MASSIMA = 50, 160
"""The characters of a page description that search engines show whole and that say
enough."""
LETTERE_GRIDATE = 5
"""A word of this many capitals reads as shouting; shorter ones are acronyms ("CISL")."""
_SPAZI_DOPPI = re.compile(r"(\S+)[^\S\n]{2,}(?=\S)")
_PAROLE = re.compile(r"\S+")
_PAROLE_VUOTE = 3
"""Words of up to this many letters ("la", "dei", "our") say nothing of what a title is
about."""


def _lettere(parola: str) -> str:
    return "".join(c for c in parola if c.isalpha())


def _maiuscola(parola: str) -> bool:
    lettere = _lettere(parola)
    return len(lettere) >= 2 and lettere.isupper()


def maiuscole(testo: str) -> list[str]:
    """The words written in capitals for emphasis: of `LETTERE_GRIDATE` letters or more, or
    two or more in a row ("NON DIMENTICATE"). Short ones alone are acronyms and pass."""
    parole = _PAROLE.findall(unicodedata.normalize("NFC", testo))
    trovate = []
    for i, parola in enumerate(parole):
        if not _maiuscola(parola):
            continue
        vicine = (i > 0 and _maiuscola(parole[i - 1])) or (
            i + 1 < len(parole) and _maiuscola(parole[i + 1])
        )
        if len(_lettere(parola)) >= LETTERE_GRIDATE or vicine:
            trovate.append(parola.strip(".,;:!?«»\"'()"))
    return trovate


def spazi_doppi(testo: str) -> list[str]:
    """The word after which two or more spaces stand between words, once per place."""
    return _SPAZI_DOPPI.findall(testo)


def _significative(testo: str) -> set[str]:
    parole = (_lettere(p).casefold() for p in _PAROLE.findall(unicodedata.normalize("NFC", testo)))
    return {p for p in parole if len(p) > _PAROLE_VUOTE}


def ripete_intestazione(titolo: str, intestazione: str) -> bool:
    """Whether an item's title says nothing its section's heading does not: every word of it
    that carries meaning is in the heading ("I valori" under "I nostri valori")."""
    parole = _significative(titolo)
    return bool(parole) and parole <= _significative(intestazione)


def lunghezza(testo: str) -> int:
    """Characters as the editors count them: code points of the trimmed NFC text."""
    return len(unicodedata.normalize("NFC", testo).strip())


def _elenco(parole: list[str]) -> str:
    uniche = list(dict.fromkeys(parole))
    testo = ", ".join(f"«{p}»" for p in uniche[:5])
    return testo + (f" e altre {len(uniche) - 5}" if len(uniche) > 5 else "")


def suggerimenti(
    testi: dict[str, str],
    etichette: dict[str, str],
    *,
    intestazione: str = "",
    descrizione: bool = False,
) -> list[str]:
    """The hints for an editor's fields (`testi`, by field name; `etichette`, their labels).

    Args:
        intestazione: The heading of the section the item is listed under (milestones,
            values): its "titolo" should not repeat it.
        descrizione: The fields are the page description's (its length is checked).
    """
    trovati = []
    for nome, testo in testi.items():
        etichetta = etichette.get(nome, nome)
        if parole := maiuscole(testo):
            trovati.append(
                f"{etichetta}: parole in maiuscolo ({_elenco(parole)}). Il maiuscolo si legge "
                "peggio e sembra gridato: scrivile in minuscolo."
            )
        if dopo := spazi_doppi(testo):
            quanti = "1 spazio doppio" if len(dopo) == 1 else f"{len(dopo)} spazi doppi"
            trovati.append(f"{etichetta}: {quanti} (dopo {_elenco(dopo)}). Basta uno spazio.")
    titolo = testi.get("titolo", "")
    if intestazione and titolo and ripete_intestazione(titolo, intestazione):
        trovati.append(
            f"Il titolo ripete quello della sezione («{intestazione}»): "
            "dì in poche parole di che cosa parla."
        )
    if descrizione:
        n = lunghezza(next(iter(testi.values()), ""))
        if not DESCRIZIONE_MINIMA <= n <= DESCRIZIONE_MASSIMA:
            trovati.append(
                f"La descrizione ha {n} caratteri: i motori di ricerca mostrano bene da "
                f"{DESCRIZIONE_MINIMA} a {DESCRIZIONE_MASSIMA} caratteri."
            )
    return trovati
