"""The counting rules: sentences, words, letters and (for English) syllables.

The rules, each tested in `tests/unit/test_leggibilita.py`:

* The text is read in Unicode NFC: a letter typed as a letter plus an accent is one letter.
* A **word** is a run of characters between white space that holds at least one letter or
  digit. Apostrophes and hyphens join: "dell'anziano", "dell’anziano" and
  "socio-riabilitativi" are one word each. A number ("1986", "3,5", "1.000") is a word with no
  letters. A dash or a lone punctuation mark is no word.
* A **letter** is an alphabetic character (`str.isalpha`): not a digit, an apostrophe or a
  punctuation mark.
* A **sentence** ends at a run of `.`, `!`, `?`, `;`, `:` or `…` followed by white space or by
  the end of the text (closing quotes and brackets may come between), and at a blank line,
  the end of a paragraph. Only sentences with a word count: a title with no final stop is
  one sentence, and "..." ends one sentence, not three. "17:30" and "1.000" end none.
* Except the full stop of an **abbreviation** of the text's language (`ABBREVIAZIONI`:
  "ecc.", "p. es.", "sig.", "dott.", "e.g.", a single lower-case letter…): it ends a sentence
  only at the end of a paragraph, or, for the ones a sentence can end with ("ecc.",
  "etc."), when the next word begins with a capital letter. A single capital letter with a
  stop ("tipo A.") ends a sentence: in these texts it is a type or a grade more often than an
  initial.
"""

import dataclasses
import re
import unicodedata

from serena_app.lingue import INGLESE, ITALIANO

FINE_FRASE = frozenset(".!?;:…")
CHIUSURE = "\"'»”’)]"  # may stand between a sentence's stop and the space after it
_ITALIANE = "ecc etc es pes pag pagg sig sigg dott prof avv ing geom rag arch mons spett egr gent"
_ITALIANE += " art artt cfr vol voll cap capp tel fig ca nn ss sgg spa srl"
_INGLESI = "etc eg ie mr mrs ms dr prof st vs approx inc ltd jr sr"
ABBREVIAZIONI = {ITALIANO: frozenset(_ITALIANE.split()), INGLESE: frozenset(_INGLESI.split())}
CHIUDONO_FRASE = frozenset({"ecc", "etc"})
"""Abbreviations a sentence may end with: their stop ends it before a capital letter."""
_PARAGRAFI = re.compile(r"\n[^\S\n]*\n\s*")
_PAROLE = re.compile(r"\S+")


@dataclasses.dataclass(frozen=True)
class Frase:
    """One sentence as written, with its counts."""

    testo: str
    parole: int
    lettere: int


def _e_parola(pezzo: str) -> bool:
    return any(c.isalnum() for c in pezzo)


def _abbreviazione(pezzo: str, lingua: str) -> str | None:
    """The abbreviation `pezzo` ends with a stop of ("p." → "p", "S.p.A." → "spa"), or None."""
    if not pezzo.endswith("."):
        return None
    nucleo = pezzo.rstrip(".").lstrip("(\"'«“‘").replace(".", "").lower()
    if nucleo in ABBREVIAZIONI[lingua]:
        return nucleo
    if len(nucleo) == 1 and nucleo.isalpha() and pezzo.lstrip("(\"'«“‘")[0].islower():
        return nucleo
    return None


def _chiude(pezzo: str, seguente: str | None, lingua: str) -> bool:
    """Whether the word `pezzo` ends its sentence (`seguente`: the next word of the
    paragraph, None at its end)."""
    senza = pezzo.rstrip(CHIUSURE)
    if not senza or senza[-1] not in FINE_FRASE:
        return False
    if seguente is None:
        return True
    abbreviazione = _abbreviazione(senza, lingua)
    if abbreviazione is None:
        return True
    iniziale = next((c for c in seguente if c.isalpha()), "")
    return abbreviazione in CHIUDONO_FRASE and iniziale.isupper()


def frasi(testo: str, lingua: str = ITALIANO) -> list[Frase]:
    """The sentences of `testo` (written in `lingua`: its abbreviations), each with its words
    and letters, by the rules above."""
    trovate = []
    for paragrafo in _PARAGRAFI.split(unicodedata.normalize("NFC", testo)):
        pezzi = _PAROLE.findall(paragrafo)
        inizio = 0
        for i, pezzo in enumerate(pezzi):
            seguente = pezzi[i + 1] if i + 1 < len(pezzi) else None
            if seguente is None or _chiude(pezzo, seguente, lingua):
                frase = pezzi[inizio : i + 1]
                parole = [p for p in frase if _e_parola(p)]
                if parole:
                    lettere = sum(c.isalpha() for p in parole for c in p)
                    trovate.append(Frase(" ".join(frase), len(parole), lettere))
                inizio = i + 1
    return trovate


def parole(testo: str) -> list[str]:
    """The words of `testo`, as written."""
    return [p for p in _PAROLE.findall(unicodedata.normalize("NFC", testo)) if _e_parola(p)]


_VOCALI = re.compile(r"[aeiouyàáâäèéêëìíîïòóôöùúûü]+")


def sillabe(parola: str) -> int:
    """English syllables of a word, by the usual approximation (Flesch counted them by
    dictionary): its groups of vowels, less a silent final "e" ("care") and a silent "-ed"
    or "-es" ("worked", "homes"), at least one. A number counts one."""
    lettere = "".join(c for c in parola.lower() if c.isalpha())
    gruppi = len(_VOCALI.findall(lettere))
    e_muta = lettere.endswith("e") and not re.search(r"[^aeiouy]le$|ee$|ye$", lettere)
    desinenza_muta = re.search(r"[^aeiouytd]ed$|[^aeiouysxzhgc]es$", lettere)
    if gruppi > 1 and (e_muta or desinenza_muta):
        gruppi -= 1
    return max(1, gruppi)
