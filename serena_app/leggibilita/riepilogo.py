"""The whole page's readability: every text visitors read on it, item by item.

The items are the page's running texts in one language: the subtitle, each section's text,
each milestone's and each value's text. Titles are headings, not sentences: they get hints
in their editors but do not count here. The page description is not on the page (search
engines show it): its own editor measures it. On the English page, an item still shown in
Italian (no English yet) is left out and counted apart.
"""

import dataclasses

from serena_app.contenuto.istantanea import Istantanea
from serena_app.contenuto.parole import nome_voce
from serena_app.contenuto.tipi import SEZIONE, TAPPA, VALORE, Voce
from serena_app.leggibilita.indici import Misura, misura
from serena_app.lingue import ITALIANO

SEZIONI_SULLA_PAGINA = (
    "sottotitolo",
    "storia_intro",
    "storia_testo",
    "mission",
    "vision",
    "valori_intro",
)
"""The sections visitors read on the page, in its order (not the description)."""


@dataclasses.dataclass(frozen=True)
class VoceMisurata:
    """One item's text with its counts."""

    nome: str
    voce: Voce
    misura: Misura


@dataclasses.dataclass(frozen=True)
class Riepilogo:
    """The page in one language: its counts added up, its hardest item, and how many items
    are left out (shown in Italian on the English page)."""

    totale: Misura
    peggiore: VoceMisurata | None
    escluse: int


def voci(vista: Istantanea, lingua: str) -> tuple[list[VoceMisurata], int]:
    """The page's items in `lingua` with words in them, and how many were left out."""
    misurate, escluse = [], 0
    sezioni = vista.sezioni if lingua == ITALIANO else vista.sezioni_en
    for chiave in SEZIONI_SULLA_PAGINA:
        if lingua != ITALIANO and vista.lingue_en.get(chiave, lingua) != lingua:
            escluse += 1
            continue
        voce = Voce(SEZIONE.nome, chiave=chiave)
        testo = "\n\n".join(sezioni.get(chiave, []))
        misurate.append(VoceMisurata(nome_voce(voce, ""), voce, misura(testo, lingua)))
    tappe = vista.tappe if lingua == ITALIANO else vista.tappe_en
    valori = vista.valori if lingua == ITALIANO else vista.valori_en
    for tipo, elenco in ((TAPPA, tappe), (VALORE, valori)):
        for elemento in elenco:
            if elemento.lingua != lingua:
                escluse += 1
                continue
            voce = Voce(tipo.nome, id=elemento.id)
            nome = nome_voce(voce, elemento.titolo)
            misurate.append(VoceMisurata(nome, voce, misura(elemento.testo, lingua)))
    return [v for v in misurate if v.misura.parole], escluse


def riepilogo(vista: Istantanea, lingua: str) -> Riepilogo:
    """The page's figures in `lingua`."""
    misurate, escluse = voci(vista, lingua)
    totale = sum((v.misura for v in misurate), Misura(lingua))
    peggiore = min(misurate, key=lambda v: v.misura.indice or 0, default=None)
    return Riepilogo(totale, peggiore, escluse)
