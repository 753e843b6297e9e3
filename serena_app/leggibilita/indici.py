"""From the counts to the figures a writer reads: the readability index with its band, the
reading time, and the sentences to split.

* Italian: the **Gulpease index** (Lucisano and Piemontese, GULP, Università di Roma "La
  Sapienza", 1988), made for Italian: 89 + (300 × sentences − 10 × letters) / words, rounded to
  the nearest integer and kept within its scale of 0 to 100 (a text of one short sentence
  would pass 100). Its bands are tied to schooling (`FASCE`).
* English: **Flesch reading ease** (Rudolf Flesch, "A new readability yardstick", Journal of
  Applied Psychology, 1948): 206.835 − 1.015 × words / sentences − 84.6 × syllables / words,
  with Flesch's own bands.
* Reading time: words at the mean silent reading speed of adults in the text's language,
  measured with the same texts in 17 languages (Trauzettel-Klosinski, Dietz et al., "Standardized
  Assessment of Reading Performance: The New International Reading Speed Texts IReST",
  Investigative Ophthalmology & Visual Science 53(9), 2012): Italian 188, English 228 words a
  minute. Many of the page's readers are older and read slower: it is a lower bound.
"""

import dataclasses
import math

from serena_app.leggibilita import conteggi
from serena_app.leggibilita.conteggi import Frase
from serena_app.lingue import INGLESE, ITALIANO

FRASE_LUNGA = 25
"""A sentence of more words than this is listed, to be split."""
PAROLE_AL_MINUTO = {ITALIANO: 188, INGLESE: 228}
NOME_INDICE = {ITALIANO: "Gulpease", INGLESE: "Flesch"}


@dataclasses.dataclass(frozen=True)
class Fascia:
    """A band of an index: from `minimo` up, its word and what it means for a reader."""

    minimo: float
    nome: str
    spiegazione: str


FASCE = {
    ITALIANO: (
        Fascia(80, "facile", "si legge con la licenza elementare"),
        Fascia(60, "comprensibile", "si legge con la licenza media"),
        Fascia(40, "impegnativo", "serve la scuola superiore"),
        Fascia(0, "difficile", "difficile anche con il diploma superiore"),
    ),
    INGLESE: (
        Fascia(90, "molto facile", "per un ragazzo di 11 anni"),
        Fascia(80, "facile", "linguaggio di tutti i giorni"),
        Fascia(70, "abbastanza facile", "per un ragazzo di 12-13 anni"),
        Fascia(60, "standard", "per un ragazzo di 13-15 anni"),
        Fascia(50, "abbastanza difficile", "serve la scuola superiore"),
        Fascia(30, "difficile", "testo da università"),
        Fascia(-math.inf, "molto difficile", "testo da laureati"),
    ),
}
"""Each index's bands, highest first: Gulpease's by schooling (Lucisano and Piemontese),
Flesch's own (1948) with the reader's age or schooling."""


def arrotonda(valore: float) -> int:
    """To the nearest integer, halves up (Python's `round` takes halves to even)."""
    return math.floor(valore + 0.5)


@dataclasses.dataclass(frozen=True)
class Misura:
    """The counts of one text, or of several added together (`+`), in one language."""

    lingua: str = ITALIANO
    frasi: int = 0
    parole: int = 0
    lettere: int = 0
    sillabe: int = 0
    lunghe: tuple[Frase, ...] = ()
    """Its sentences of more than `FRASE_LUNGA` words."""

    def __add__(self, altra: "Misura") -> "Misura":
        return Misura(
            self.lingua,
            self.frasi + altra.frasi,
            self.parole + altra.parole,
            self.lettere + altra.lettere,
            self.sillabe + altra.sillabe,
            self.lunghe + altra.lunghe,
        )

    @property
    def indice(self) -> int | None:
        """Gulpease (Italian) or Flesch (English); None for a text with no words."""
        if not self.parole:
            return None
        if self.lingua == ITALIANO:
            gulpease = 89 + (300 * self.frasi - 10 * self.lettere) / self.parole
            return min(100, max(0, arrotonda(gulpease)))
        flesch = 206.835 - 1.015 * self.parole / self.frasi - 84.6 * self.sillabe / self.parole
        return arrotonda(flesch)

    @property
    def fascia(self) -> Fascia | None:
        """The band its index falls in; None with no words."""
        indice = self.indice
        if indice is None:
            return None
        return next(f for f in FASCE[self.lingua] if indice >= f.minimo)

    @property
    def secondi(self) -> int:
        """Reading time in seconds, at the language's mean speed."""
        return math.ceil(self.parole * 60 / PAROLE_AL_MINUTO[self.lingua])


def misura(testo: str, lingua: str = ITALIANO) -> Misura:
    """The counts of `testo`, written in `lingua`."""
    frasi = conteggi.frasi(testo, lingua)
    sillabe = 0
    if lingua == INGLESE:
        sillabe = sum(conteggi.sillabe(p) for p in conteggi.parole(testo))
    return Misura(
        lingua,
        len(frasi),
        sum(f.parole for f in frasi),
        sum(f.lettere for f in frasi),
        sillabe,
        tuple(f for f in frasi if f.parole > FRASE_LUNGA),
    )


def tempo_di_lettura(secondi: int) -> str:
    """ "meno di 5 secondi", "circa 40 secondi", "circa 2 minuti"."""
    if secondi < 5:
        return "meno di 5 secondi"
    if secondi < 60:
        return f"circa {max(5, arrotonda(secondi / 5) * 5)} secondi"
    minuti = arrotonda(secondi / 60)
    return "circa 1 minuto" if minuti == 1 else f"circa {minuti} minuti"
