"""The figures in words, as the editors, the page summary and the publish confirmation show
them (Italian: the staff interface's language, on either page)."""

import dataclasses

from serena_app.contenuto.istantanea import Istantanea
from serena_app.leggibilita.indici import (
    FRASE_LUNGA,
    NOME_INDICE,
    Misura,
    tempo_di_lettura,
)
from serena_app.leggibilita.riepilogo import riepilogo
from serena_app.lingue import INGLESE, ITALIANO

INIZIO_FRASE = 10
"""A long sentence is shown by its first words: enough to find it in the field."""
NOMI_LINGUE = {ITALIANO: "italiano", INGLESE: "inglese"}


def cifre(n: int) -> str:
    """ "1.234", as Italian writes it."""
    return f"{n:,}".replace(",", ".")


def _parole(n: int) -> str:
    return "1 parola" if n == 1 else f"{cifre(n)} parole"


def frasi_lunghe(n: int) -> str:
    """ "nessuna frase oltre 25 parole", "1 frase oltre 25 parole", "3 frasi …"."""
    if n == 0:
        return f"nessuna frase oltre {FRASE_LUNGA} parole"
    return f"{n} {'frase' if n == 1 else 'frasi'} oltre {FRASE_LUNGA} parole"


def indice(m: Misura) -> str:
    """ "Gulpease 28: difficile (difficile anche con il diploma superiore)"; "" with no words."""
    fascia = m.fascia
    if m.indice is None or fascia is None:
        return ""
    return f"{NOME_INDICE[m.lingua]} {m.indice}: {fascia.nome} ({fascia.spiegazione})"


def quantita(m: Misura) -> str:
    """ "52 parole · lettura circa 15 secondi"."""
    return f"{_parole(m.parole)} · lettura {tempo_di_lettura(m.secondi)}"


@dataclasses.dataclass(frozen=True)
class FigureEditor:
    """What an open editor shows under its fields; all "" / empty before any word."""

    indice: str = ""
    quantita: str = ""
    lunghe: list[str] = dataclasses.field(default_factory=list)
    suggerimenti: list[str] = dataclasses.field(default_factory=list)
    lettura: str = ""
    """All of it in sentences, for "Leggi i suggerimenti"."""


def per_editore(m: Misura, suggerimenti: list[str]) -> FigureEditor:
    """An editor's figures: `m`, the counts of its running text; its hints."""
    lunghe = [
        f"«{' '.join(f.testo.split()[:INIZIO_FRASE])}…» ({f.parole} parole)" for f in m.lunghe
    ]
    if not m.parole:
        lettura = "Ancora nessun testo da misurare."
    else:
        lettura = f"{indice(m)}. {quantita(m).replace(' · ', ', ')}. {frasi_lunghe(len(lunghe))}."
    if suggerimenti:
        lettura += " Suggerimenti: " + " ".join(suggerimenti)
    return FigureEditor(indice(m), quantita(m) if m.parole else "", lunghe, suggerimenti, lettura)


@dataclasses.dataclass(frozen=True)
class FigurePagina:
    """ "Leggibilità della pagina": the page in the language of the tab's page."""

    indice: str = ""
    quantita: str = ""
    peggiore: str = ""
    """ "Valore «Pari opportunità»: Gulpease 28", the item with the lowest score."""
    peggiore_tipo: str = ""
    peggiore_chiave: str = ""
    """That item, as "Modifica" names it: a section's key, a milestone's or value's id."""
    lunghe: str = ""
    escluse: str = ""


def della_pagina(vista: Istantanea, lingua: str) -> FigurePagina:
    """The summary of the page `vista` (the working copy) in `lingua`."""
    sintesi = riepilogo(vista, lingua)
    totale, peggiore = sintesi.totale, sintesi.peggiore
    escluse = ""
    if sintesi.escluse:
        escluse = (
            f"{sintesi.escluse} {'testo' if sintesi.escluse == 1 else 'testi'} ancora in "
            "italiano, senza traduzione, non contati."
        )
    return FigurePagina(
        indice=indice(totale),
        quantita=quantita(totale) if totale.parole else "",
        peggiore=(
            f"{peggiore.nome}: {NOME_INDICE[lingua]} {peggiore.misura.indice}" if peggiore else ""
        ),
        peggiore_tipo=peggiore.voce.tipo if peggiore else "",
        peggiore_chiave=(peggiore.voce.chiave or str(peggiore.voce.id)) if peggiore else "",
        lunghe=frasi_lunghe(len(totale.lunghe)).capitalize() + ".",
        escluse=escluse,
    )


def confronto(pubblicata: Istantanea, bozza: Istantanea) -> list[str]:
    """How publishing `bozza` over `pubblicata` changes each language's figures: "Italiano:
    Gulpease 48 → 55; frasi oltre 25 parole 9 → 7." (a figure that does not change is said
    once: "Gulpease 48").
    """
    righe = []
    for lingua in (ITALIANO, INGLESE):
        prima, dopo = riepilogo(pubblicata, lingua).totale, riepilogo(bozza, lingua).totale
        if prima.indice is None and dopo.indice is None:
            continue
        nome = NOME_INDICE[lingua]
        indici = _da_a(prima.indice, dopo.indice)
        lunghe = _da_a(len(prima.lunghe), len(dopo.lunghe))
        righe.append(
            f"{NOMI_LINGUE[lingua].capitalize()}: {nome} {indici}; "
            f"frasi oltre {FRASE_LUNGA} parole {lunghe}."
        )
    return righe


def _da_a(prima: int | None, dopo: int | None) -> str:
    if prima == dopo:
        return str(dopo)
    return f"{'–' if prima is None else prima} → {'–' if dopo is None else dopo}"
